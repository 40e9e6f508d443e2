"""Datasets Paço publishes about itself: built through the real pipeline, refreshed on change."""

from __future__ import annotations

import io

import duckdb
import pytest

from paco.catalog.tests.conftest import add as add_services
from paco.catalog.tests.conftest import detail as service_detail
from paco.cli import call
from paco.datarequests import actions as dr_actions
from paco.opendata import selfpublish, storage
from paco.opendata.models import Dataset, DatasetState, ResourceVersion, VersionStatus
from paco.opendata.testing import opendata_storage  # noqa: F401
from paco.plans.actions import import_plan, update_stage
from paco.plans.models import Stage, Status
from paco.plans.tests.conftest import parsed_plan

pytestmark = [pytest.mark.django_db, pytest.mark.usefixtures("opendata_storage")]


def submit(town, **fields):
    values = {
        "title": "Frota municipal",
        "description": "Veículos, placas e consumo.",
        "name": "Ana Pessoa Privada",
        "email": "ana.privada@exemplo.org",
        "phone": "(49) 98888-7777",
        **fields,
    }
    return dr_actions.submit_request(town, **values)


def make_plan(town, n, unit):
    return import_plan(None, town, parsed_plan(n), unit=unit)


def table(version: ResourceVersion) -> list[dict]:
    con = duckdb.connect()
    path = str(storage.local_path(version.parquet))
    cursor = con.execute("SELECT * FROM read_parquet(?)", [path])
    names = [d[0] for d in cursor.description]
    return [dict(zip(names, row, strict=True)) for row in cursor.fetchall()]


def system_dataset(town, key: str) -> Dataset:
    return Dataset.objects.for_municipality(town).get(system_key=key)


def test_first_refresh_publishes_three_datasets_in_main_unit(town_x, unit_x_root, unit_x_a):
    make_plan(town_x, n=3, unit=unit_x_a)
    add_services(town_x, service_detail("Alvará de construção", unit_x_a))
    submit(town_x)
    results = selfpublish.refresh_all(town_x)
    assert results.pop("painel-de-atendimento") is None  # no case yet (paco/panel tests)
    assert set(results) == {"carta", "cronograma", "pedidos-de-abertura"}
    for key, version in results.items():
        assert version is not None and version.status == VersionStatus.PUBLISHED, key
        dataset = system_dataset(town_x, key)
        assert dataset.state == DatasetState.PUBLISHED
        assert dataset.unit == unit_x_root
        assert dataset.resources.get().current_version_id == version.pk
    stages = table(results["cronograma"])
    assert [row["etapa"] for row in stages] == [1, 2, 3]
    assert {row["situacao"] for row in stages} <= {s.label for s in Status}
    services = table(results["carta"])
    assert [row["nome_servico"] for row in services] == ["Alvará de construção"]
    assert services[0]["unidade"] == "Secretaria A"


def test_empty_sources_publish_nothing(town_x, unit_x_root):
    assert selfpublish.refresh_all(town_x) == {
        "carta": None,
        "cronograma": None,
        "pedidos-de-abertura": None,
        "painel-de-atendimento": None,
    }
    assert not ResourceVersion.objects.exists()


def test_requests_dataset_has_no_personal_data(town_x, unit_x_root, unit_x_a):
    data_request, _ = submit(town_x, hide_identity=True)
    dr_actions.assign_unit(None, data_request, unit_x_a)
    version = selfpublish.refresh(town_x, "pedidos-de-abertura")
    assert version is not None
    rows = table(version)
    assert len(rows) == 1
    row = rows[0]
    assert row["protocolo"] == data_request.protocol
    assert row["unidade"] == "Secretaria A"
    text = repr(rows)
    for private in ("Ana Pessoa Privada", "ana.privada@exemplo.org", "98888-7777"):
        assert private not in text
    assert version.personal_data == []
    original = storage.default_storage.open(version.original).read().decode()
    assert "ana.privada" not in original


def test_new_version_only_when_content_changes(town_x, unit_x_root):
    submit(town_x)
    first = selfpublish.refresh(town_x, "pedidos-de-abertura")
    assert first is not None and first.number == 1
    assert selfpublish.refresh(town_x, "pedidos-de-abertura") is None
    submit(town_x, title="Outra base")
    second = selfpublish.refresh(town_x, "pedidos-de-abertura")
    assert second is not None and second.number == 2
    resource = system_dataset(town_x, "pedidos-de-abertura").resources.get()
    assert resource.current_version_id == second.pk
    assert resource.versions.count() == 2  # history kept


def test_saved_changes_schedule_a_refresh_on_commit(
    settings, town_x, unit_x_root, unit_x_a, django_capture_on_commit_callbacks
):
    settings.PACO_SELF_PUBLISH = True
    with django_capture_on_commit_callbacks(execute=True):
        plan = make_plan(town_x, n=2, unit=unit_x_a)
    dataset = system_dataset(town_x, "cronograma")
    assert dataset.resources.get().versions.count() == 1
    stage = Stage.objects.for_municipality(town_x).get(plan=plan, number=2)
    assert stage.status == Status.IN_PROGRESS
    with django_capture_on_commit_callbacks(execute=True):
        update_stage(None, stage, status=Status.DONE)
    version = dataset.resources.get().current_version
    assert version.number == 2
    assert table(version)[1]["situacao"] == "Concluída"


class FakeQueue:
    """Stands in for the task: records enqueues instead of running them."""

    def __init__(self) -> None:
        self.jobs: list[tuple] = []

    def using(self, **kwargs):
        return self

    def enqueue(self, *args):
        self.jobs.append(args)


def test_a_burst_of_changes_enqueues_one_refresh(
    settings, town_x, unit_x_root, django_capture_on_commit_callbacks, monkeypatch
):
    settings.PACO_SELF_PUBLISH = True
    queue = FakeQueue()
    real_task = selfpublish.refresh_task
    monkeypatch.setattr(selfpublish, "refresh_task", queue)
    with django_capture_on_commit_callbacks(execute=True):
        for i in range(5):
            submit(town_x, title=f"Base {i}")
    with django_capture_on_commit_callbacks(execute=True):
        submit(town_x, title="Mais uma, em outra transação")
    assert queue.jobs == [(town_x.pk, "pedidos-de-abertura")]
    # the worker runs it: the flag is cleared, the next change schedules again
    assert real_task.call(town_x.pk, "pedidos-de-abertura") == VersionStatus.PUBLISHED
    with django_capture_on_commit_callbacks(execute=True):
        submit(town_x, title="Depois da atualização")
    assert len(queue.jobs) == 2


def test_disabled_setting_schedules_nothing(
    settings, town_x, unit_x_root, django_capture_on_commit_callbacks, monkeypatch
):
    settings.PACO_SELF_PUBLISH = False
    queue = FakeQueue()
    monkeypatch.setattr(selfpublish, "refresh_task", queue)
    with django_capture_on_commit_callbacks(execute=True):
        submit(town_x)
    assert queue.jobs == []
    assert not Dataset.objects.for_municipality(town_x).filter(system_key__gt="").exists()


def test_town_without_units_is_skipped(town_y):
    assert selfpublish.refresh(town_y, "carta") is None
    assert not Dataset.objects.exists()


def test_csv_cells_are_formula_safe():
    data = selfpublish.to_csv(["a", "b"], [["=1+1", "-x"], [True, None]])
    assert data.decode() == "a,b\n'=1+1,'-x\ntrue,\n"


def test_publish_self_command(town_x, unit_x_root):
    submit(town_x)
    out = io.StringIO()
    call("publish-self", "--municipality", town_x.slug, stdout=out)
    lines = out.getvalue().splitlines()
    assert len(lines) == 4  # carta, cronograma, pedidos-de-abertura, painel-de-atendimento
    assert "town-x pedidos-de-abertura: versão 1 (publicada)" in lines
    assert "town-x carta: sem alterações" in lines  # no services yet
    out = io.StringIO()
    call("publish-self", "--municipality", town_x.slug, stdout=out)
    assert out.getvalue().count("sem alterações") == 4


def test_pipeline_publication_answers_a_waiting_request(
    town_x, unit_x_a, django_capture_on_commit_callbacks
):
    from paco.datarequests.models import Outcome
    from paco.datarequests.models import Status as RequestStatus
    from paco.opendata.testing import publish_table

    data_request, _ = submit(town_x)
    dr_actions.assign_unit(None, data_request, unit_x_a)
    draft = publish_table(town_x, unit_x_a, dataset="frota", publish_dataset=False).dataset
    dr_actions.answer_request(
        None, data_request, outcome=Outcome.GRANTED, text="Publicada.", dataset=draft
    )
    with django_capture_on_commit_callbacks(execute=True):
        publish_table(town_x, unit_x_a, dataset="frota", csv_text="a;b\n1;2\n")
    data_request.refresh_from_db()
    assert data_request.status == RequestStatus.ANSWERED
