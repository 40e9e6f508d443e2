"""Demo requests to open a database: one answered with a dataset, one in analysis, one denied
and appealed. Fictional requesters; no e-mail is sent."""

from __future__ import annotations

from typing import Any

from paco.datarequests import actions, notify
from paco.datarequests.models import DataRequest, Outcome
from paco.opendata.models import Dataset
from paco.tenancy.models import Municipality, Unit


def _submitted(town: Municipality, unit: Unit | None, **fields: Any) -> DataRequest:
    """A request as the public form sends it, assigned to ``unit`` when the demo has it."""
    data_request, _token = actions.submit_request(town, **fields)
    if unit is not None:
        actions.assign_unit(None, data_request, unit)
    return data_request


def load(town: Municipality, units: dict[str, Unit]) -> None:
    if DataRequest.objects.for_municipality(town).exists():
        return
    fleet = Dataset.objects.for_municipality(town).filter(name="frota-de-veiculos").first()
    sead, sms, seduc = (units.get(acronym) for acronym in ("SEAD", "SMS", "SEDUC"))
    with notify.muted():
        granted = _submitted(
            town,
            sead,
            title="Frota de veículos da Prefeitura",
            description="Lista dos veículos e máquinas, com placa, ano, combustível e a "
            "secretaria que usa cada um.",
            name="Jornal Correio do Vale",
            email="redacao@correiodovale.exemplo",
        )
        if sead is not None and fleet is not None:
            actions.answer_request(
                None,
                granted,
                outcome=Outcome.GRANTED,
                text="A frota foi publicada como conjunto de dados aberto e será atualizada "
                "a cada trimestre.",
                dataset=fleet,
            )
        _submitted(
            town,
            sms,
            title="Consumo de medicamentos por unidade de saúde",
            description="Quantidade dispensada de cada medicamento da farmácia básica, por "
            "mês e por unidade, desde 2023.",
            name="Observatório Social de Santa Rita",
            email="contato@observatorio.exemplo",
            hide_identity=True,
        )
        denied = _submitted(
            town,
            seduc,
            title="Endereços dos beneficiários do transporte escolar",
            description="Endereço de cada aluno atendido pelo transporte escolar.",
            name="Pesquisador(a)",
            email="pesquisa@universidade.exemplo",
        )
        if seduc is not None:
            actions.answer_request(
                None,
                denied,
                outcome=Outcome.DENIED,
                text="Os endereços dos alunos são dados pessoais de crianças e adolescentes "
                "(LGPD, art. 14). Publicamos as rotas e o número de alunos por linha no "
                "conjunto de transporte escolar, sem identificação.",
            )
            actions.file_appeal(
                denied, "Peço ao menos o bairro de cada aluno, sem nome nem número da casa."
            )
