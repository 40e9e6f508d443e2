"""Demo work for "Minha mesa": a late request, a version awaiting the LGPD decision and
(from the seed schedule) overdue stages, so ``make run`` shows a servant's desk with
something on it. Fictional people; no e-mail is sent."""

from __future__ import annotations

import datetime
import io

from django.utils import timezone

from paco.datarequests import actions as request_actions
from paco.datarequests import notify
from paco.datarequests.models import DataRequest
from paco.opendata import actions as data_actions
from paco.opendata.models import Dataset
from paco.plans.dates import today_local
from paco.tenancy.models import Municipality, Unit

#: a small list with a CPF column: the screening stops it for the LGPD decision
REVIEW_CSV = (
    "nome;cpf;bairro;data_inscricao\n"
    "Maria da Silva;529.982.247-25;Centro;2026-03-02\n"
    "João Pereira;111.444.777-35;Vila Operária;2026-03-05\n"
    "Ana Souza;390.533.447-05;São José;2026-03-09\n"
).encode()


def _late_request(town: Municipality, unit: Unit | None) -> None:
    """A request received 25 days ago, still unanswered (its 20-day deadline passed)."""
    with notify.muted():
        data_request, _token = request_actions.submit_request(
            town,
            title="Contratos de coleta de lixo e valores pagos por mês",
            description="Contratos vigentes de coleta de resíduos e os pagamentos mensais "
            "desde 2024.",
            name="Associação de Moradores do Centro",
            email="amc@associacao.exemplo",
            phone="",
            hide_identity=False,
        )
        if unit is not None:
            request_actions.assign_unit(None, data_request, unit)
    # Demo history only: the request "arrived" 25 days ago, so its deadline has passed.
    received = timezone.now() - datetime.timedelta(days=25)
    DataRequest.objects.filter(pk=data_request.pk).update(
        received_at=received, due_date=today_local() - datetime.timedelta(days=5)
    )


def _version_to_review(town: Municipality, unit: Unit | None) -> None:
    from paco.opendata.pipeline.processing import import_now

    if unit is None:
        return
    dataset = Dataset.objects.for_municipality(town).filter(name="inscritos-cursos").first()
    if dataset is None:
        dataset = data_actions.create_dataset(
            None,
            town,
            title="Inscritos nos cursos profissionalizantes",
            name="inscritos-cursos",
            unit=unit,
            description="Inscrições nos cursos gratuitos da Secretaria de Desenvolvimento.",
        )
    resource = data_actions.create_resource(
        None, dataset, title="Inscrições 2026", name="inscricoes-2026", description=""
    )
    import_now(resource, io.BytesIO(REVIEW_CSV), "inscricoes-2026.csv")  # stops for review


def load(town: Municipality, units: dict[str, Unit]) -> None:
    if (
        DataRequest.objects.for_municipality(town)
        .filter(requester_email="amc@associacao.exemplo")
        .exists()
    ):
        return
    _late_request(town, units.get("SEOB"))
    _version_to_review(town, units.get("SEDES"))
