"""A town holding personal data at every stage, for the §1 walk test and the LGPD repro tests.

- ``servidores/folha``: v1 flagged, treated (CPF masked, e-mail dropped, name hashed)
  and published, then superseded by v2 (treated the same way: name dropped); v3
  flagged and awaiting review. Every original holds full CPFs, e-mails and names.
- ``despesas/dados``: a clean table (its original is public).
- a data request whose title, description, extension reason and answer hold a CPF,
  an e-mail and a name (the name redacted by staff), answered with ``servidores``.
- the self-published open dataset of requests.

Every value planted here is in :data:`CPFS`, :data:`EMAILS` or :data:`NAMES`.
"""

from __future__ import annotations

import io
from dataclasses import dataclass

from paco.accounts.models import User
from paco.atendimento.actions import Requester, open_case
from paco.datarequests import actions as dr_actions
from paco.datarequests.models import DataRequest, Outcome
from paco.opendata import actions, selfpublish
from paco.opendata.models import Dataset, Resource, ResourceVersion, VersionStatus
from paco.opendata.pipeline.actions import decide_lgpd, publish_version, submit_version
from paco.opendata.pipeline.processing import run_version
from paco.opendata.testing import publish_table
from paco.receipts.actions import issue_receipt
from paco.tenancy.models import Municipality, Unit

#: valid CPFs (check digits right), as people write them
CPFS = ("529.982.247-25", "111.444.777-35", "935.411.347-80", "248.438.034-80", "071.308.460-03")
EMAILS = (
    "maria.quintanilha@exemplo.org",
    "joao.barcelos@exemplo.org",
    "ana.vasconcellos@exemplo.org",
    "requerente.privada@exemplo.org",
)
#: people's names (whole and by their rarest word, which nothing else on the site uses)
NAMES = (
    "Maria Quintanilha",
    "João Barcelos Furtado",
    "Ana Vasconcellos",
    "Quintanilha",
    "Furtado",
    "Vasconcellos",
    "Teodora Magalhães Brum",
    "Magalhães Brum",
    "Zuleica Prudêncio",  # the requester (contact details: never public)
)

FOLHA = (
    "nome;cpf;email;salario\n"
    f"Maria Quintanilha;{CPFS[0]};{EMAILS[0]};1.000,00\n"
    f"João Barcelos Furtado;{CPFS[1]};{EMAILS[1]};2.000,00\n"
    f"Ana Vasconcellos;{CPFS[2]};{EMAILS[2]};3.000,00\n"
)
#: free text written by the requester and by staff, with personal data in it
DESCRIPTION = (
    f"Quero a folha da secretaria. Meu CPF é {CPFS[3]}, e-mail {EMAILS[3]}; "
    "pergunto em nome de Teodora Magalhães Brum."
)
ANSWER = (
    f"Publicada a folha. Dúvidas com a servidora Teodora Magalhães Brum, CPF {CPFS[4]}, "
    f"pelo e-mail {EMAILS[0]}."
)


@dataclass
class ExposureTown:
    town: Municipality
    folha: Resource
    superseded: ResourceVersion
    published: ResourceVersion
    pending: ResourceVersion
    clean: Resource
    data_request: DataRequest


def _upload(editor: User, resource: Resource, text: str) -> ResourceVersion:
    version = submit_version(
        editor, resource, io.BytesIO(text.encode()), "folha.csv", auto_publish=True, enqueue=False
    )
    processed = run_version(version.pk)
    assert processed is not None and processed.status == VersionStatus.NEEDS_REVIEW, processed
    return processed


def build(town: Municipality, unit: Unit, editor: User, admin: User) -> ExposureTown:
    dataset = actions.create_dataset(
        editor, town, title="Folha de pagamento", unit=unit, name="servidores"
    )
    actions.set_dataset_state(editor, dataset, "published")
    folha = actions.create_resource(editor, dataset, title="Folha", name="folha")
    v1 = _upload(editor, folha, FOLHA)
    decide_lgpd(editor, v1, treatments={"cpf": "mask", "email": "drop", "nome": "hash"})
    v1 = publish_version(editor, ResourceVersion.objects.get(pk=v1.pk))
    v2 = _upload(editor, folha, FOLHA.replace("3.000,00", "3.500,00"))
    decide_lgpd(editor, v2, treatments={"cpf": "mask", "email": "drop", "nome": "drop"})
    v2 = publish_version(editor, ResourceVersion.objects.get(pk=v2.pk))
    v3 = _upload(editor, folha, FOLHA.replace("1.000,00", "1.100,00"))
    clean = publish_table(town, unit, dataset="despesas")
    data_request = _request(town, unit, admin, Dataset.objects.get(pk=dataset.pk))
    _cases(town, unit)
    selfpublish.refresh_all(town)
    return ExposureTown(
        town=town,
        folha=Resource.objects.get(pk=folha.pk),
        superseded=ResourceVersion.objects.get(pk=v1.pk),
        published=ResourceVersion.objects.get(pk=v2.pk),
        pending=ResourceVersion.objects.get(pk=v3.pk),
        clean=clean,
        data_request=DataRequest.objects.get(pk=data_request.pk),
    )


def _cases(town: Municipality, unit: Unit) -> None:
    """Cases of Atendimento carrying personal data in every free text and identity field."""
    for kind, mode in (("ouvidoria", "preservado"), ("esic", "identificado")):
        open_case(
            town,
            kind=kind,
            ombudsman_type="reclamacao" if kind == "ouvidoria" else "",
            identity_mode=mode,
            unit=unit,
            subject=f"Assunto de {NAMES[1]} (CPF {CPFS[1]})",
            description=f"{NAMES[2]}, CPF {CPFS[2]}, e-mail {EMAILS[2]}.",
            requester=Requester(
                name=NAMES[3], document=f"CPF {CPFS[3]}", email=EMAILS[3], phone="(49) 97777-6666"
            ),
        )


def _request(town: Municipality, unit: Unit, admin: User, dataset: Dataset) -> DataRequest:
    data_request, _ = dr_actions.submit_request(
        town,
        title=f"Folha de pagamento (CPF {CPFS[3]})",
        description=DESCRIPTION,
        name="Zuleica Prudêncio",
        email=EMAILS[3],
        phone="(49) 98888-7777",
    )
    # its receipt: personal data in the lines (never public) and, by mistake, in the summary
    issue_receipt(
        town, kind="datarequests.pedido", subject=data_request, number=data_request.protocol,
        title="Comprovante de pedido", issued_at=data_request.received_at,
        lines=[("Solicitante", NAMES[0]), ("CPF", CPFS[4]), ("E-mail", EMAILS[0])],
        public_summary=f"Pedido registrado (CPF {CPFS[4]}, {EMAILS[1]}).",
    )  # fmt: skip
    dr_actions.assign_unit(admin, data_request, unit)
    dr_actions.extend_deadline(admin, data_request, f"Consulta ao e-mail {EMAILS[2]}.")
    dr_actions.answer_request(
        admin, data_request, outcome=Outcome.GRANTED, text=ANSWER, dataset=dataset
    )
    for field in ("description", "answer"):
        dr_actions.redact_passage(
            admin, data_request, field=field, passage="Teodora Magalhães Brum"
        )
    return data_request
