"""What each audit action code means, in pt-BR, for the people who read the trail.

The codes (``version.publish``) stay in the database for machines and filters;
``describe(entry)`` turns an entry into a sentence ("Publicou a versão 2 de
«Escolas — versão 2»"). Every code passed to ``paco.audit.services.record`` must be
here: ``record`` refuses an unknown code in tests and development, and
``paco/audit/tests/test_labels.py`` reads every ``record(...)`` call in the code base.

A label is a ``str.format`` template over ``obj`` (the entry's ``object_repr``)
and ``new``/``old`` (the value after/before of the first change), or a function
of the entry for sentences that depend on its changes.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:
    from paco.audit.models import AuditEntry

Label = str | Callable[["AuditEntry"], str]


def _after(entry: AuditEntry, key: str) -> Any:
    value = (entry.changes or {}).get(key)
    return value[-1] if isinstance(value, list) and value else value


def _publish(entry: AuditEntry) -> str:
    number = _after(entry, "current_version")
    return (
        f"Publicou a versão {number} de «{entry.object_repr}»"
        if number
        else (f"Publicou «{entry.object_repr}»")
    )


_SERVICE_STATUS = {"published": "Publicou", "draft": "Voltou para rascunho", "archived": "Arquivou"}


def _service_status(entry: AuditEntry) -> str:
    verb = _SERVICE_STATUS.get(str(_after(entry, "status")), "Mudou a situação de")
    return f"{verb} o serviço «{entry.object_repr}»"


def _service_version(entry: AuditEntry) -> str:
    return f"Registrou a versão {_after(entry, 'versao')} do serviço «{entry.object_repr}»"


_PROCESS_OUTCOME = {"failed": "falhou", "rejected": "foi recusado"}


def _processed(entry: AuditEntry) -> str:
    status = str(_after(entry, "status"))
    outcome = _PROCESS_OUTCOME.get(status, f"terminou ({status})")
    return f"O processamento de «{entry.object_repr}» {outcome}"


LABELS: dict[str, Label] = {
    # Carta de Serviços
    "service.create": "Criou o serviço «{obj}»",
    "service.update": "Alterou o serviço «{obj}»",
    "service.status": _service_status,
    "service.version": _service_version,
    "step.create": "Criou a etapa «{obj}» de um serviço",
    "step.update": "Alterou a etapa «{obj}» de um serviço",
    "category.create": "Criou a categoria «{obj}»",
    "category.update": "Alterou a categoria «{obj}»",
    "category.delete": "Excluiu a categoria «{obj}»",
    "lifeevent.create": "Criou o evento da vida «{obj}»",
    "lifeevent.update": "Alterou o evento da vida «{obj}»",
    "lifeevent.delete": "Excluiu o evento da vida «{obj}»",
    # Cronograma
    "plan.create": "Criou o cronograma «{obj}»",
    "plan.update": "Alterou o cronograma «{obj}»",
    "plan.delete": "Excluiu o cronograma «{obj}»",
    "plan.import": "Importou o cronograma «{obj}»",
    "plan.stages_replaced": "Substituiu as etapas do cronograma «{obj}» ({old} etapas removidas)",
    "stage.create": "Criou a «{obj}»",
    "stage.update": "Alterou a «{obj}»",
    "stage.delete": "Excluiu a «{obj}»",
    # Município e unidades
    "municipality.create": "Cadastrou o município «{obj}»",
    "municipality.update": "Alterou os dados do município «{obj}»",
    "unit.create": "Criou a unidade «{obj}»",
    "unit.update": "Alterou a unidade «{obj}»",
    "unit.delete": "Excluiu a unidade «{obj}»",
    # Servidores, papéis e credenciais
    "user.create": "Cadastrou o servidor «{obj}»",
    "user.update": "Alterou o cadastro de «{obj}»",
    "user.password_change": "«{obj}» trocou a própria senha",
    "user.password_reset": "«{obj}» redefiniu a senha pelo link enviado por e-mail",
    "user.totp_enable": "Ativou a verificação em duas etapas de «{obj}»",
    "user.totp_disable": "Desativou a verificação em duas etapas de «{obj}»",
    "user.totp_reset": "Desativou a verificação em duas etapas de «{obj}» (celular perdido)",
    # citizens (paco.citizens): never a CPF or e-mail in clear, only masked
    "citizen.signup": "Criou a conta de cidadão «{obj}»",
    "citizen.verify_email": "Confirmou o e-mail da conta «{obj}»",
    "citizen.update": "Alterou o contato ou o canal de avisos de «{obj}»",
    "citizen.govbr_create": "Criou a conta «{obj}» no primeiro acesso com gov.br",
    "citizen.govbr_link": "Ligou a conta gov.br (CPF confirmado) à conta «{obj}»",
    "citizen.govbr_login": "«{obj}» entrou com gov.br",
    "citizen.cpf_released": (
        "Retirou de «{obj}» um CPF não confirmado, que o gov.br atribuiu a outra pessoa"
    ),
    "citizen.deletion_request": "Cidadão pediu a exclusão dos seus dados («{obj}»)",
    "citizen.deletion_resolve": "Respondeu ao «{obj}»",
    "citizen.erase": "Excluiu os dados pessoais de «{obj}» e encerrou a conta",
    "membership.grant": "Concedeu o papel «{obj}»",
    "membership.revoke": "Revogou o papel «{obj}»",
    "token.create": "Criou a chave de API «{obj}»",
    "token.revoke": "Revogou a chave de API «{obj}»",
    # Dados abertos
    "opendata.pseudonym_key.create": "Criou a chave de pseudonimização de «{obj}»",
    "dataset.create": "Criou o conjunto de dados «{obj}»",
    "dataset.update": "Alterou o conjunto de dados «{obj}»",
    "dataset.published": "Publicou o conjunto de dados «{obj}»",
    "dataset.draft": "Tirou do ar (voltou para rascunho) o conjunto de dados «{obj}»",
    "resource.create": "Criou o recurso «{obj}»",
    "resource.update": "Alterou o recurso «{obj}»",
    "resource.dictionary": "Alterou o dicionário de dados de «{obj}»",
    "version.submit": "Enviou o arquivo de «{obj}»",
    "version.retry": "Mandou processar de novo «{obj}»",
    "version.process": _processed,
    "version.resume": "Retomou o processamento de «{obj}» após uma interrupção",
    "version.fail": "Desistiu do processamento de «{obj}» após interrupções repetidas",
    "version.lgpd": "Decidiu sobre os dados pessoais de «{obj}» (LGPD)",
    "version.reject": "Recusou «{obj}» (não será publicada)",
    "version.publish": _publish,
    "inventory.create": "Incluiu «{obj}» no inventário de bases de dados",
    "inventory.update": "Alterou «{obj}» no inventário de bases de dados",
    # Pedidos de abertura de bases
    "case.open": "Registrou o atendimento {obj}",
    "case.assign": "Atribuiu o atendimento {obj} a um servidor",
    "case.transfer": "Encaminhou o atendimento {obj} à unidade {new}",
    "case.note": "Anotou uma nota interna no atendimento {obj}",
    "case.ask": "Pediu informações ao cidadão no atendimento {obj}",
    "case.citizen_answer": "Respondeu ao pedido de informações do atendimento {obj}",
    "case.document": "Enviou um documento ao atendimento {obj}",
    "case.extend": "Prorrogou o prazo do atendimento {obj} para {new}",
    "case.conclude": "Concluiu o atendimento {obj} ({new})",
    "case.archive": "Arquivou o atendimento {obj}",
    "case.forward": "Encaminhou o pedido {obj} a outro órgão",
    "case.reopen": "Reabriu o atendimento {obj}",
    "case.appeal": "Apresentou recurso (instância {new}) no atendimento {obj}",
    "case.complaint": "Apresentou reclamação por falta de resposta no atendimento {obj}",
    "case.appeal_decide": "Decidiu o recurso do atendimento {obj}",
    "case.rate": "Avaliou o atendimento {obj}",
    "case.view_personal_data": "Viu os dados pessoais do solicitante do atendimento {obj}",
    "case.deadline_moved": "Moveu o prazo do atendimento {obj} de {old} para {new} "
    "(calendário ou regras de prazo do município)",
    # Prazos e feriados
    "deadlines.holiday_add": "Incluiu no calendário do município «{obj}»",
    "deadlines.holiday_remove": "Excluiu do calendário do município «{obj}»",
    "deadlines.settings": "Mudou as regras de prazo do município",
    "datarequest.submit": "Registrou o pedido de abertura «{obj}»",
    "datarequest.resend_link": "Reenviou ao solicitante o link do pedido «{obj}»",
    "datarequest.assign": "Encaminhou o pedido «{obj}»",
    "datarequest.assign_servant": "Atribuiu o pedido «{obj}» a um servidor",
    "notifications.preferences": "Mudou as preferências de avisos ({obj})",
    "notifications.town_settings": "Mudou o padrão de avisos do município ({obj})",
    "datarequest.extend": "Prorrogou o prazo do pedido «{obj}»",
    "datarequest.link_draft": "Vinculou um conjunto ainda em rascunho ao pedido «{obj}»",
    "datarequest.answer": "Respondeu ao pedido «{obj}»",
    "datarequest.appeal": "Registrou recurso contra a resposta do pedido «{obj}»",
    "datarequest.appeal_decision": "Decidiu o recurso do pedido «{obj}»",
    "datarequest.reveal_identity": "Revelou a identidade do solicitante do pedido «{obj}»",
    "datarequest.redact": "Ocultou um trecho do pedido «{obj}» antes da publicação",
    "datarequest.unredact": "Voltou a mostrar um trecho ocultado do pedido «{obj}»",
    "receipt.issue": "Emitiu o comprovante eletrônico «{obj}»",
    # Pedidos de serviço pela internet (formulários, envio, horários)
    "requestform.create": "Criou o {obj}",
    "requestform.update": "Alterou o {obj}",
    "requestform.submit": "Recebeu pelo formulário o pedido {obj} (arquivos e horário)",
    "slot.create": "Abriu horários de atendimento presencial em «{obj}»",
}


#: Names of the actions whose sentence depends on the entry (for filters and lists).
_NAMES = {
    "service.status": "Mudou a situação de um serviço",
    "service.version": "Registrou uma versão de um serviço",
    "version.process": "Terminou o processamento de um arquivo",
    "version.publish": "Publicou uma versão de um recurso",
}


def action_name(code: str) -> str:
    """The action without its object ("Alterou o serviço «…»"), for filters."""
    label = LABELS.get(code)
    if label is None:
        return code
    if callable(label):
        return _NAMES[code]
    return label.format(obj="…", old="…", new="…")


def describe(entry: AuditEntry) -> str:
    """The entry as one pt-BR sentence (the code itself if it has no label yet)."""
    label = LABELS.get(entry.action)
    if label is None:
        return f"{entry.action} «{entry.object_repr}»"
    if callable(label):
        return label(entry)
    first = next(iter((entry.changes or {}).values()), None)
    old, new = (first[0], first[-1]) if isinstance(first, list) and first else (None, first)
    return label.format(obj=entry.object_repr, old=old, new=new)
