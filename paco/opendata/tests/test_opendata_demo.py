"""``paco demo``: realistic open-data files published through the pipeline; PDA and inventory."""

from __future__ import annotations

import re
import time

import pytest

from paco.datarequests.models import DataRequest, Outcome, Status
from paco.opendata import demo
from paco.opendata.data.demo import make_demo
from paco.opendata.models import (
    Dataset,
    DatasetState,
    InventoryItem,
    InventoryStatus,
    Resource,
    ResourceVersion,
)
from paco.opendata.testing import opendata_storage  # noqa: F401
from paco.plans.models import Plan, PlanKind, Stage
from paco.plans.models import Status as StageStatus
from paco.tenancy.demo import load_demo
from paco.tenancy.models import Unit

CPF = re.compile(rb"\b\d{3}\.\d{3}\.\d{3}-\d{2}\b")


def test_demo_files_are_reproducible_small_and_shaped_like_town_exports():
    built = make_demo.build()
    assert set(built) == {p.name for p in demo.DEMO_DIR.iterdir() if p.suffix != ".py"}
    for name, content in built.items():
        assert (demo.DEMO_DIR / name).read_bytes() == content, f"{name}: rode make_demo.py"
        assert len(content) <= 300_000, name
        assert not CPF.search(content), f"{name} tem algo com forma de CPF"
    expenses = built["despesas-2025.csv"]
    with pytest.raises(UnicodeDecodeError):
        expenses.decode("utf-8")  # Windows-1252, as municipal systems export it
    text = expenses.decode("cp1252")
    header, first = text.splitlines()[:2]
    assert header.count(";") == 9
    assert re.match(r"\d{2}/\d{2}/2025;", first)
    assert re.search(r"R\$ [\d.]+,\d{2}", first)
    assert re.search(r"\d{2}\.\d{3}\.\d{3}/0001-\d{2}", first)  # supplier CNPJ
    for name in ("unidades-de-saude.csv",):
        assert b"latitude,longitude" in built[name]


@pytest.mark.django_db
@pytest.mark.usefixtures("opendata_storage")
def test_paco_demo_publishes_datastore_backed_datasets(settings, capsys):
    started = time.perf_counter()
    result = load_demo()
    elapsed = time.perf_counter() - started
    town = result.municipality
    assert result.created
    with capsys.disabled():
        print(f"\n[medida] load_demo() com dados abertos: {elapsed:.1f} s")

    datasets = Dataset.objects.for_municipality(town)
    for spec in demo.DATASETS:
        dataset = datasets.get(name=spec.name)
        assert dataset.state == DatasetState.PUBLISHED
        assert dataset.themes.exists() and dataset.keywords and dataset.contact_email
        assert dataset.periodicity and dataset.next_update_due is not None
        assert dataset.license == "cc-by"
    tables = Resource.objects.for_municipality(town).with_datastore()
    assert {r.dataset.name for r in tables} >= {s.name for s in demo.DATASETS}

    expenses = tables.get(dataset__name="despesas-2025").current_version
    assert expenses.rows == 1100
    types = {f["name"]: f["type"] for f in expenses.effective_schema()["fields"]}
    assert types["Data do empenho"] == "date"
    assert types["Valor pago"] == "number"
    assert types["CNPJ do fornecedor"] == "string"
    described = {f["name"]: f for f in expenses.effective_schema()["fields"]}
    assert described["Valor pago"]["unit"] == "R$"
    assert expenses.personal_data == []

    health = datasets.get(name="unidades-de-saude")
    kinds = {r.name: r for r in health.resources.all()}
    assert kinds["unidades"].has_datastore
    assert kinds["mapa"].current_version is not None and not kinds["mapa"].has_datastore
    assert kinds["unidades"].current_version.lgpd_decision.get("legal_basis")

    # PDA plan + inventory: publishing concluded the linked stages
    pda = Plan.objects.for_municipality(town).get(kind=PlanKind.OPEN_DATA)
    stages = {s.number: s for s in Stage.objects.for_municipality(town).filter(plan=pda)}
    assert all(stages[n].status == StageStatus.DONE for n in (2, 3, 4, 5))
    assert stages[6].status == StageStatus.NOT_STARTED
    items = InventoryItem.objects.for_municipality(town)
    assert items.filter(status=InventoryStatus.PUBLISHED).count() == 4
    assert items.filter(dataset__isnull=True).exists()
    assert items.filter(status=InventoryStatus.RESTRICTED).exclude(restriction_reason="").exists()

    # requests to open data (one late, for the workspace's "my work"), one answered by a
    # published dataset; no e-mail sent
    requests = DataRequest.objects.for_municipality(town)
    assert requests.count() == 4
    granted = requests.get(outcome=Outcome.GRANTED)
    assert granted.status == Status.ANSWERED and granted.dataset.name == "frota-de-veiculos"
    assert requests.filter(status=Status.APPEALED).count() == 1

    # the platform's own datasets
    for key in ("carta", "cronograma", "pedidos-de-abertura", "painel-de-atendimento"):
        own = datasets.get(system_key=key)
        assert own.is_published and own.resources.get().has_datastore, key

    # idempotent: loading again creates nothing
    versions = ResourceVersion.objects.count()
    assert load_demo().created is False
    units = {u.acronym: u for u in Unit.objects.for_municipality(town)}
    demo.load(town, units)
    assert ResourceVersion.objects.count() == versions
    # the demo datasets, the platform's own four and the workspace demo's one under review
    assert datasets.count() == len(demo.DATASETS) + 4 + 1
