"""The citizens app's own sections of "Meus dados": the account, and who viewed the data."""

from __future__ import annotations

from django.utils import timezone
from django.utils.formats import date_format

from paco.accounts.models import User
from paco.citizens import cpf as cpfs
from paco.citizens import mydata
from paco.citizens.actions import profile_of
from paco.citizens.models import PersonalDataView
from paco.tenancy.models import Municipality

#: views listed on the page (the export has them all)
VIEWS_SHOWN = 100


def _when(value: object) -> str:
    if value is None:
        return "—"
    return date_format(timezone.localtime(value), "d/m/Y H:i")  # type: ignore[arg-type]


def account_section(user: User, municipality: Municipality) -> mydata.Section | None:
    profile = profile_of(user)
    if profile is None:
        return None
    items = [
        ("Nome", user.get_full_name() or "—"),
        ("E-mail", user.email or "—"),
        ("E-mail confirmado", "sim" if profile.email_verified else "não"),
        ("CPF", cpfs.formatted(profile.cpf) or "não informado"),
        ("CPF confirmado pelo gov.br", "sim" if profile.cpf_verified_at else "não"),
        ("Telefone", profile.phone or "não informado"),
        ("Como prefere receber avisos", profile.get_preferred_channel_display()),
        ("Nível da conta gov.br", profile.get_govbr_level_display() or "não entrou com o gov.br"),
        ("Conta criada em", _when(profile.created_at)),
    ]
    export = {
        "nome": user.get_full_name(),
        "email": user.email,
        "email_confirmado_em": profile.email_verified_at,
        "cpf": profile.cpf,
        "cpf_confirmado_em": profile.cpf_verified_at,
        "telefone": profile.phone,
        "canal_preferido": profile.preferred_channel,
        "nivel_govbr": profile.govbr_level,
        "nivel_govbr_visto_em": profile.govbr_level_seen_at,
        "criada_em": profile.created_at,
        "ultimo_acesso": user.last_login,
    }
    return mydata.Section(
        key="conta",
        title="Sua conta",
        purpose=(
            "Identificar você quando faz pedidos à prefeitura, enviar avisos sobre eles "
            "pelo canal que você escolheu e permitir que entre com senha ou gov.br."
        ),
        legal_basis=(
            "Execução de políticas públicas e cumprimento de obrigação legal (LGPD, art. 7º, "
            "II e III; Lei 14.129/2021)."
        ),
        items=items,
        export=export,
    )


def views_section(user: User, municipality: Municipality) -> mydata.Section | None:
    if profile_of(user) is None:
        return None
    views = PersonalDataView.objects.for_municipality(municipality).of_citizen(user)
    rows = [[_when(v.viewed_at), v.viewer_name, v.context] for v in views[:VIEWS_SHOWN]]
    export = [
        {"quando": v.viewed_at, "servidor": v.viewer_name, "o_que": v.context}
        for v in views.iterator()
    ]
    return mydata.Section(
        key="acessos",
        title="Quem viu os seus dados",
        purpose=(
            "Cada vez que um servidor da prefeitura abre um pedido seu ou os seus dados, "
            "fica registrado aqui: quem, quando e o quê."
        ),
        legal_basis="Lei 14.129/2021, art. 25, §1º; LGPD, art. 6º, VI (transparência).",
        items=[] if rows else [("Acessos", "Nenhum servidor viu os seus dados até agora.")],
        table=(
            mydata.Table(
                caption=f"Acessos aos seus dados (os {VIEWS_SHOWN} mais recentes)",
                columns=["Quando", "Servidor", "O que foi visto"],
                rows=rows,
            )
            if rows
            else None
        ),
        export=export,
    )


def register() -> None:
    mydata.register(account_section)
    mydata.register(views_section)
