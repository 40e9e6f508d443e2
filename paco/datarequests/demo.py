"""Demo requests to open a database: one answered with a dataset, one in analysis, one denied
and appealed. Fictional requesters; no e-mail is sent."""

from __future__ import annotations

from paco.datarequests import actions, notify
from paco.datarequests.models import DataRequest, Outcome
from paco.opendata.models import Dataset
from paco.tenancy.models import Municipality, Unit


def load(town: Municipality, units: dict[str, Unit]) -> None:
    if DataRequest.objects.for_municipality(town).exists():
        return
    fleet = Dataset.objects.for_municipality(town).filter(name="frota-de-veiculos").first()
    with notify.muted():
        granted, _ = actions.submit_request(
            town,
            title="Frota de veículos da Prefeitura",
            description="Lista dos veículos e máquinas, com placa, ano, combustível e a "
            "secretaria que usa cada um.",
            name="Jornal Correio do Vale",
            email="redacao@correiodovale.exemplo",
            root="",
        )
        sead = units.get("SEAD")
        if sead is not None:
            actions.assign_unit(None, granted, sead)
            if fleet is not None:
                actions.answer_request(
                    None,
                    granted,
                    outcome=Outcome.GRANTED,
                    text="A frota foi publicada como conjunto de dados aberto e será atualizada "
                    "a cada trimestre.",
                    dataset=fleet,
                )
        pending, _ = actions.submit_request(
            town,
            title="Consumo de medicamentos por unidade de saúde",
            description="Quantidade dispensada de cada medicamento da farmácia básica, por "
            "mês e por unidade, desde 2023.",
            name="Observatório Social de Santa Rita",
            email="contato@observatorio.exemplo",
            hide_identity=True,
        )
        sms = units.get("SMS")
        if sms is not None:
            actions.assign_unit(None, pending, sms)
        denied, _ = actions.submit_request(
            town,
            title="Endereços dos beneficiários do transporte escolar",
            description="Endereço de cada aluno atendido pelo transporte escolar.",
            name="Pesquisador(a)",
            email="pesquisa@universidade.exemplo",
        )
        seduc = units.get("SEDUC")
        if seduc is not None:
            actions.assign_unit(None, denied, seduc)
            actions.answer_request(
                None,
                denied,
                outcome=Outcome.DENIED,
                text="Os endereços dos alunos são dados pessoais de crianças e adolescentes "
                "(LGPD, art. 14). Publicamos as rotas e o número de alunos por linha no "
                "conjunto de transporte escolar, sem identificação.",
            )
            actions.file_appeal(
                DataRequest.objects.get(pk=denied.pk),
                "Peço ao menos o bairro de cada aluno, sem nome nem número da casa.",
            )
