"""The citizen's cases in "Meus dados" (LGPD; Lei 14.129 art. 25 §1).

Cases are records the town must keep (Lei 13.460, LAI, the archive's retention
table), so a deletion request does not erase them: the section says so, and the
export carries everything the citizen gave in them.
"""

from __future__ import annotations

from typing import Any

from paco.atendimento.models import Case
from paco.citizens import mydata
from paco.plans.dates import PLAN_TIME_ZONE


def cases_section(user: Any, municipality: Any) -> mydata.Section | None:
    cases = list(
        Case.objects.for_municipality(municipality)
        .filter(citizen=user)
        .order_by("-submitted_at", "-pk")
    )
    if not cases:
        return None
    rows = [
        [
            case.number,
            case.get_kind_display(),
            f"{case.submitted_at.astimezone(PLAN_TIME_ZONE):%d/%m/%Y}",
            case.get_status_display(),
        ]
        for case in cases
    ]
    export = [
        {
            "protocolo": case.number,
            "tipo": case.kind,
            "assunto": case.subject,
            "descricao": case.description,
            "enviado_em": case.submitted_at.isoformat(),
            "situacao": case.status,
            "nome": case.requester_name,
            "documento": case.requester_document,
            "email": case.requester_email,
            "telefone": case.requester_phone,
            "endereco": case.address,
            "respostas_do_formulario": case.form_data,
        }
        for case in cases
    ]
    return mydata.Section(
        key="atendimentos",
        title="Seus atendimentos",
        purpose=(
            "Tratar seus pedidos, manifestações e solicitações de informação e avisar você "
            "do andamento. Estes registros são mantidos pelo prazo da tabela de temporalidade "
            "do município, mesmo após um pedido de exclusão da conta."
        ),
        legal_basis=(
            "Cumprimento de obrigação legal (LGPD art. 7º II; Lei 13.460/2017; Lei 12.527/2011)"
        ),
        table=mydata.Table(
            caption="Atendimentos feitos com sua conta",
            columns=["Protocolo", "Tipo", "Enviado em", "Situação"],
            rows=rows,
        ),
        export=export,
    )


def register() -> None:
    mydata.register(cases_section)
