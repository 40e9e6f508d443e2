"""The waiting time lives in one place, each channel's: migration, import, export, page."""

from __future__ import annotations

import pytest
from django.db import connection
from django.db.migrations.executor import MigrationExecutor

from paco.catalog import bnsp
from paco.catalog.models import Channel, Service
from paco.catalog.tests.conftest import add, detail
from paco.conftest import make_town
from paco.tenancy.models import Unit

BEFORE = [("catalog", "0002_audiences")]


def _channel(kind: str, description: str, wait: str = "") -> dict[str, str]:
    return {"tipo": kind, "descricao": description, "tempoEstimadoEspera": wait}


def _step(*channels: dict[str, str]) -> dict[str, object]:
    return {
        "titulo": "Pedir",
        "descricao": "",
        "documentos": {"documentos": [], "casos": []},
        "custos": {"custos": [], "casos": []},
        "canaisDePrestacao": {"canaisDePrestacao": list(channels), "casos": []},
    }


@pytest.fixture
def unit(town_x):
    return Unit.objects.create(municipality=town_x, name="Protocolo", slug="protocolo")


def test_export_summarises_the_channels_and_keeps_each_channels_time(town_x, unit):
    (service,) = add(
        town_x,
        detail(
            "Alvará",
            unit,
            etapas=[
                _step(
                    _channel("web", "https://x.test", "sem espera"),
                    _channel("presencial", "Praça 1"),
                ),
                _step(_channel("presencial", "Praça 1", "até 15 minutos")),
            ],
        ),
    )
    data = bnsp.detail(Service.objects.for_detail().get(pk=service.pk))
    assert data["tempoEstimadoEspera"] == "Internet: sem espera; Presencial: até 15 minutos"
    channels = [c for s in data["etapas"] for c in s["canaisDePrestacao"]["canaisDePrestacao"]]
    assert [c["tempoEstimadoEspera"] for c in channels] == ["sem espera", "", "até 15 minutos"]


def test_import_ignores_the_service_summary_when_channels_state_their_time(town_x, unit):
    step = _step(_channel("presencial", "Praça 1", "até 15 minutos"), _channel("telefone", "156"))
    (service,) = add(
        town_x, detail("A", unit, etapas=[step], tempoEstimadoEspera="Presencial: até 15 minutos")
    )
    service.refresh_from_db()
    assert service.time_description == ""
    assert service.waiting_times() == ["Presencial: até 15 minutos"]


def test_import_puts_a_service_level_time_on_the_only_channel(town_x, unit):
    (service,) = add(town_x, detail("B", unit, tempoEstimadoEspera="até 20 minutos"))
    assert [c.waiting_time for c in Channel.objects.filter(step__service=service)] == [
        "até 20 minutos"
    ]


def test_import_keeps_a_service_level_time_of_several_channels_in_the_deadline_notes(town_x, unit):
    step = _step(_channel("presencial", "Praça 1"), _channel("telefone", "156"))
    (service,) = add(
        town_x, detail("C", unit, etapas=[step], tempoEstimadoEspera="No balcão, 10 minutos.")
    )
    service.refresh_from_db()
    assert service.time_description == "Tempo de espera previsto: No balcão, 10 minutos."


def test_public_page_shows_each_waiting_time_once(town_x, unit, anon_x):
    step = _step(_channel("presencial", "Praça 1", "até 25 minutos"))
    (service,) = add(town_x, detail("D", unit, etapas=[step]))
    html = anon_x.get(f"/servicos/{service.slug}/").content.decode()
    assert html.count("até 25 minutos") == 1
    assert "Informado em cada canal de atendimento" in html


def test_public_page_without_any_waiting_time_says_so(town_x, unit, anon_x):
    (service,) = add(town_x, detail("E", unit))
    html = anon_x.get(f"/servicos/{service.slug}/").content.decode()
    assert "Tempo de espera previsto</dt><dd>Não informado." in html


@pytest.mark.django_db(transaction=True)
def test_migration_moves_the_service_time_without_losing_any(capsys):
    executor = MigrationExecutor(connection)
    executor.migrate(BEFORE)
    old = executor.loader.project_state(BEFORE).apps
    OldService = old.get_model("catalog", "Service")
    OldStep = old.get_model("catalog", "Step")
    OldChannel = old.get_model("catalog", "Channel")
    town = make_town("M", "m", "4219507", "46395000000139", "m.paco.test")
    unit = Unit.objects.create(municipality=town, name="U", slug="u")

    def service(slug, wait, *channel_waits, note=""):
        s = OldService.objects.create(
            municipality_id=town.pk, unit_id=unit.pk, name=slug, slug=slug, description="d",
            waiting_time=wait, time_description=note,
        )  # fmt: skip
        step = OldStep.objects.create(service=s, title="Pedir")
        for w in channel_waits:
            OldChannel.objects.create(step=step, kind="presencial", description="P", waiting_time=w)
        return s.pk

    one = service("one", "até 10 minutos", "")
    several = service("several", "No balcão, 5 minutos.", "", "", note="Prazo legal.")
    none = service("none", "até 1 hora")
    same = service("same", "até 30 minutos", "até 30 minutos", "")
    differ = service("differ", "No balcão, até 30 minutos.", "", "até 20 minutos")
    empty = service("empty", "", "até 3 minutos")

    executor = MigrationExecutor(connection)
    executor.loader.build_graph()
    executor.migrate(executor.loader.graph.leaf_nodes())

    def waits(pk):
        return list(
            Channel.objects.filter(step__service_id=pk)
            .order_by("pk")
            .values_list("waiting_time", flat=True)
        )

    def note(pk):
        return Service.objects.get(pk=pk).time_description

    assert waits(one) == ["até 10 minutos"] and note(one) == ""
    assert waits(several) == ["", ""]
    assert note(several) == "Prazo legal.\nTempo de espera previsto: No balcão, 5 minutos."
    assert note(none) == "Tempo de espera previsto: até 1 hora"
    assert waits(same) == ["até 30 minutos", ""] and note(same) == ""
    assert waits(differ) == ["", "até 20 minutos"]
    assert note(differ) == "Tempo de espera previsto: No balcão, até 30 minutos."
    assert waits(empty) == ["até 3 minutos"] and note(empty) == ""
    out = capsys.readouterr().out
    assert "“differ”: “No balcão, até 30 minutos.”" in out
    assert "“several”" not in out
