"""The import pipeline's write functions: upload, processing, LGPD decision, publishing,
recovery of interrupted jobs."""

from __future__ import annotations

import datetime
import io

import duckdb
import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.utils import timezone

from paco.audit.models import AuditEntry
from paco.opendata import actions, signals, storage
from paco.opendata.models import (
    DatasetState,
    InventoryItem,
    InventoryStatus,
    Resource,
    ResourceVersion,
    VersionStatus,
)
from paco.opendata.pipeline import processing
from paco.opendata.pipeline.actions import (
    decide_lgpd,
    hash_secret,
    publish_version,
    submit_version,
)
from paco.opendata.pipeline.processing import recover_stale_versions, run_version
from paco.opendata.testing import PipelineOutcome, opendata_storage, publish_table  # noqa: F401
from paco.plans.models import Plan, PlanKind, Stage, StageChange, Status

pytestmark = [pytest.mark.django_db, pytest.mark.usefixtures("opendata_storage")]

PERSONAL = (
    "nome;cpf;valor\n"
    "Maria da Silva;529.982.247-25;10,00\n"
    "João Souza;111.444.777-35;20,00\n"
    "Ana Lima;935.411.347-80;30,00\n"
    "Pedro Alves;248.438.034-80;5,00\n"
)


def rows_of(version: ResourceVersion) -> list[tuple]:
    path = storage.local_path(version.parquet)
    with duckdb.connect() as con:
        return con.execute("SELECT * FROM read_parquet(?)", [str(path)]).fetchall()


@pytest.fixture
def resource_a(town_x, unit_x_a):
    ds = actions.create_dataset(None, town_x, title="Despesas", unit=unit_x_a, name="despesas")
    return actions.create_resource(None, ds, title="Dados", name="dados")


def submit(resource, text, actor=None, filename="dados.csv", **kwargs):
    kwargs.setdefault("enqueue", False)
    return submit_version(actor, resource, io.BytesIO(text.encode()), filename, **kwargs)


# --- happy path ---------------------------------------------------------------
def test_publish_table_builds_a_published_typed_table(town_x, unit_x_a):
    resource = publish_table(town_x, unit_x_a)
    version = resource.current_version
    assert version is not None and version.status == VersionStatus.PUBLISHED
    assert resource.dataset.state == DatasetState.PUBLISHED
    assert version.rows == 5 and len(rows_of(version)) == 5
    types = {f["name"]: f["type"] for f in version.schema["fields"]}
    assert types["valor"] == "number" and types["data"] == "date" and types["pago"] == "boolean"
    assert 1234.56 in [row[3] for row in rows_of(version)]
    assert resource.format == "csv" and resource.media_type == "text/csv"
    assert version.sha256 and version.size == storage.default_storage.size(version.original)


def test_submit_numbers_versions_and_stores_the_original(resource_a):
    first = submit(resource_a, "a;b\n1;2\n")
    second = submit(resource_a, "a;b\n3;4\n")
    assert (first.number, second.number) == (1, 2)
    assert first.status == VersionStatus.QUEUED
    with storage.default_storage.open(second.original, "rb") as fh:
        assert fh.read() == b"a;b\n3;4\n"
    assert second.original.endswith("/v2/original.csv")


def test_submit_enqueues_only_on_commit(resource_a, django_capture_on_commit_callbacks):
    with django_capture_on_commit_callbacks(execute=False) as callbacks:
        version = submit(resource_a, "a;b\n1;2\n", enqueue=True)
    assert ResourceVersion.objects.get(pk=version.pk).status == VersionStatus.QUEUED
    assert callbacks
    for callback in callbacks:
        callback()  # the ImmediateBackend runs the task now
    assert ResourceVersion.objects.get(pk=version.pk).status == VersionStatus.READY


def test_non_tabular_file_is_ready_at_once(resource_a):
    version = submit(resource_a, "%PDF-1.4 relatório", filename="relatorio.pdf")
    assert version.status == VersionStatus.READY and not version.parquet
    publish_version(None, version)
    resource_a.refresh_from_db()
    assert resource_a.current_version_id == version.pk and resource_a.format == "pdf"


@pytest.mark.django_db(transaction=True)
def test_auto_publication_commits_with_the_outcome(resource_a, monkeypatch):
    """Nobody sees the version finished but "ready" while it is about to publish itself.

    Found by the scale test (issue 9 §5): a status poll on another web node, between
    the outcome's commit and the publication's, read ``finished`` with ``ready``.
    """
    from django.db import connection

    inside_transaction = []
    real = processing._auto_publish

    def spy(version):
        inside_transaction.append(connection.in_atomic_block)
        real(version)

    monkeypatch.setattr(processing, "_auto_publish", spy)
    version = submit(resource_a, "a;b\n1;2\n", auto_publish=True, accept_errors=True)
    run_version(version.pk)
    assert inside_transaction == [True]
    assert ResourceVersion.objects.get(pk=version.pk).status == VersionStatus.PUBLISHED


def test_processing_records_an_audit_entry(resource_a):
    version = submit(resource_a, "a;b\n1;2\n")
    run_version(version.pk)
    entry = AuditEntry.objects.get(action="version.process", object_id=str(version.pk))
    assert entry.actor is None and entry.changes["status"] == ["processing", "ready"]


def test_auto_publish_with_errors_only_when_accepted(resource_a):
    text = "item;valor\n" + "".join(f"i{n};{n},5\n" for n in range(30)) + "x;doze\n"
    strict = submit(resource_a, text, auto_publish=True)
    strict = run_version(strict.pk)
    assert strict.status == VersionStatus.READY and strict.report["error_count"] >= 1
    tolerant = run_version(submit(resource_a, text, auto_publish=True, accept_errors=True).pk)
    assert tolerant.status == VersionStatus.PUBLISHED
    assert Resource.objects.get(pk=resource_a.pk).current_version_id == tolerant.pk


def test_data_dictionary_types_apply_to_new_versions(resource_a):
    first = run_version(submit(resource_a, "ano;valor\n2024;1\n2025;2\n").pk)
    assert {f["name"]: f["type"] for f in first.schema["fields"]}["ano"] == "integer"
    publish_version(None, first)
    actions.update_dictionary(None, resource_a, {"ano": {"type": "string"}})
    second = run_version(submit(resource_a, "ano;valor\n2024;1\n2025;2\n").pk)
    assert {f["name"]: f["type"] for f in second.schema["fields"]}["ano"] == "string"
    assert rows_of(second)[0][0] == "2024"


def test_data_dictionary_constraints_apply_to_new_versions(resource_a):
    publish_version(None, run_version(submit(resource_a, "codigo;valor\nA;1\nB;2\n").pk))
    dictionary = {
        "codigo": {"constraints": {"unique": True}},
        "valor": {"title": "Valor", "constraints": {"required": True, "maximum": 10}},
    }
    actions.update_dictionary(None, resource_a, dictionary)
    second = run_version(submit(resource_a, "codigo;valor\nA;1\nA;\nC;11\n").pk)
    assert second.status == VersionStatus.READY  # tolerable errors wait for staff (art. 32)
    assert second.report["errors"] == [
        "Linha 3, coluna “valor”: valor obrigatório ausente.",
        "Linha 4, coluna “valor”: “11” é maior que o máximo (10).",
        "Linha 3, coluna “codigo”: “A” repete um valor que deve ser único "
        "(primeira ocorrência na linha 2).",
    ]


def test_data_dictionary_refuses_constraints_it_could_not_apply(resource_a):
    publish_version(None, run_version(submit(resource_a, "codigo;valor\nA;1\n").pk))
    with pytest.raises(ValidationError, match="“máximo” da coluna “valor”"):
        actions.update_dictionary(None, resource_a, {"valor": {"constraints": {"maximum": "x"}}})
    text_minimum = {"codigo": {"constraints": {"minimum": "3"}}}
    with pytest.raises(
        ValidationError, match="“mínimo” não vale para a coluna “codigo”, do tipo texto"
    ):
        actions.update_dictionary(None, resource_a, text_minimum)
    assert Resource.objects.get(pk=resource_a.pk).dictionary == {}


# --- publishing ---------------------------------------------------------------
def test_publish_switches_current_version_and_keeps_history(town_x, unit_x_a):
    first = publish_table(town_x, unit_x_a).current_version
    resource = publish_table(town_x, unit_x_a, csv_text="data;valor\n01/02/2025;3,00\n")
    second = resource.current_version
    assert second.number == 2 and first.number == 1
    first.refresh_from_db()
    assert first.published_at is not None and first.status == VersionStatus.PUBLISHED
    assert list(resource.versions.published().values_list("number", flat=True)) == [2, 1]
    publish_version(None, first)  # going back to an older version is a publish too
    assert Resource.objects.get(pk=resource.pk).current_version_id == first.pk


@pytest.mark.parametrize(
    "status, words",
    [
        (VersionStatus.NEEDS_REVIEW, "dados pessoais"),
        (VersionStatus.REJECTED, "rejeitada"),
        (VersionStatus.FAILED, "falhou"),
        (VersionStatus.PROCESSING, "sendo processada"),
        (VersionStatus.QUEUED, "fila"),
    ],
)
def test_publish_refuses_unfinished_or_blocked_versions(resource_a, status, words):
    version = submit(resource_a, "a;b\n1;2\n")
    ResourceVersion.objects.filter(pk=version.pk).update(status=status)
    with pytest.raises(ValidationError) as exc:
        publish_version(None, version, accept_errors=True)
    assert words in " ".join(exc.value.messages).lower()
    assert Resource.objects.get(pk=resource_a.pk).current_version_id is None


@pytest.mark.parametrize(
    "who, allowed",
    [("data_editor_x", True), ("admin_x", True), ("data_editor_x_other", False),
     ("plan_editor_x", False), ("admin_y", False), ("citizen_a", False)],
)  # fmt: skip
def test_who_may_submit_and_publish(request, resource_a, who, allowed):
    user = request.getfixturevalue(who)
    if not allowed:
        with pytest.raises(PermissionDenied):
            submit(resource_a, "a;b\n1;2\n", actor=user)
        version = run_version(submit(resource_a, "a;b\n1;2\n").pk)
        with pytest.raises(PermissionDenied):
            publish_version(user, version)
        assert Resource.objects.get(pk=resource_a.pk).current_version_id is None
        return
    version = run_version(submit(resource_a, "a;b\n1;2\n", actor=user).pk)
    publish_version(user, version)
    assert Resource.objects.get(pk=resource_a.pk).current_version_id == version.pk
    assert AuditEntry.objects.filter(action="version.publish", actor=user).count() == 1


def test_publish_sets_due_date_and_sends_the_signal_on_commit(
    resource_a, django_capture_on_commit_callbacks
):
    actions.update_dataset(None, resource_a.dataset, periodicity="MENSAL")
    version = run_version(submit(resource_a, "a;b\n1;2\n").pk)
    received = []

    def receiver(sender, resource, version, **kwargs):
        received.append((resource.pk, version.number, resource.current_version_id))

    signals.version_published.connect(receiver)
    try:
        with django_capture_on_commit_callbacks(execute=True):
            publish_version(None, version)
            assert received == []  # nothing before the commit
    finally:
        signals.version_published.disconnect(receiver)
    assert received == [(resource_a.pk, 1, version.pk)]
    dataset = resource_a.dataset
    dataset.refresh_from_db()
    assert dataset.next_update_due == timezone.localdate() + datetime.timedelta(days=31)
    assert dataset.state == DatasetState.DRAFT  # only published when the caller says so


def test_publishing_advances_inventory_and_the_pda_stage(town_x, unit_x_a, resource_a):
    plan = Plan.objects.create(
        municipality=town_x, title="PDA", slug="pda", kind=PlanKind.OPEN_DATA
    )
    stage = Stage.objects.create(
        municipality=town_x, plan=plan, number=15, description="Publicar despesas"
    )
    item = actions.save_inventory_item(
        None, town_x, name="Despesas", unit=unit_x_a, dataset=resource_a.dataset, stage=stage
    )
    version = run_version(submit(resource_a, "a;b\n1;2\n").pk)
    publish_version(None, version)  # dataset still a draft: nothing opened yet
    item.refresh_from_db()
    assert item.status == InventoryStatus.PLANNED
    publish_version(None, version, publish_dataset=True)
    item.refresh_from_db()
    stage.refresh_from_db()
    assert item.status == InventoryStatus.PUBLISHED and stage.status == Status.DONE
    change = StageChange.objects.get(stage=stage, field="status")
    assert change.new_value == Status.DONE
    assert InventoryItem.objects.filter(status=InventoryStatus.PUBLISHED).count() == 1


def test_new_version_of_a_public_dataset_advances_entries_sharing_a_stage(town_x, unit_x_a):
    resource = publish_table(town_x, unit_x_a)  # the dataset is public before the entries exist
    plan = Plan.objects.create(
        municipality=town_x, title="PDA", slug="pda", kind=PlanKind.OPEN_DATA
    )
    stage = Stage.objects.create(municipality=town_x, plan=plan, number=3, description="Abrir")
    for name in ("Empenhos", "Pagamentos"):
        actions.save_inventory_item(
            None, town_x, name=name, unit=unit_x_a, dataset=resource.dataset, stage=stage
        )
    publish_table(town_x, unit_x_a, csv_text="a;b\n1;2\n")
    stage.refresh_from_db()
    assert stage.status == Status.DONE
    assert InventoryItem.objects.filter(status=InventoryStatus.PUBLISHED).count() == 2
    assert StageChange.objects.filter(stage=stage, field="status").count() == 1


# --- LGPD ----------------------------------------------------------------------
def test_personal_data_stops_at_review_even_with_auto_publish(resource_a):
    version = run_version(submit(resource_a, PERSONAL, auto_publish=True, accept_errors=True).pk)
    assert version.status == VersionStatus.NEEDS_REVIEW
    assert "cpf" in {p["column"] for p in version.personal_data}
    assert Resource.objects.get(pk=resource_a.pk).current_version_id is None
    with pytest.raises(PipelineOutcome):
        publish_table(resource_a.municipality, resource_a.dataset.unit, csv_text=PERSONAL)


def test_legal_basis_decision(resource_a, data_editor_x):
    version = run_version(submit(resource_a, PERSONAL).pk)
    decide_lgpd(data_editor_x, version, legal_basis="Lei nº 12.527/2011, art. 8º, §1º")
    version.refresh_from_db()
    assert version.status == VersionStatus.READY
    assert version.lgpd_decision["legal_basis"].startswith("Lei nº 12.527")
    entry = AuditEntry.objects.get(action="version.lgpd")
    assert entry.actor == data_editor_x
    assert entry.changes["status"] == ["needs_review", "ready"]
    publish_version(data_editor_x, version)
    assert Resource.objects.get(pk=resource_a.pk).current_version_id == version.pk


def test_treatments_rewrite_the_unpublished_parquet(resource_a):
    version = run_version(submit(resource_a, PERSONAL).pk)
    old_parquet = version.parquet
    decide_lgpd(None, version, treatments={"cpf": "mask", "nome": "hash", "valor": ""})
    version.refresh_from_db()
    assert version.parquet != old_parquet and version.status == VersionStatus.READY
    rows = rows_of(version)
    assert rows[0][1] == "***.982.247-**"
    assert rows[0][0] != "Maria da Silva" and len(rows[0][0]) == 64
    assert rows[0][2] == 10.0
    again = run_version(submit(resource_a, PERSONAL).pk)
    decide_lgpd(None, again, treatments={"nome": "hash", "cpf": "drop"})
    again.refresh_from_db()
    assert rows_of(again)[0][0] == rows[0][0], "same person, same hash across versions"
    assert [f["name"] for f in again.schema["fields"]] == ["nome", "valor"]
    assert hash_secret(again.municipality) not in str(again.lgpd_decision)


@pytest.mark.parametrize(
    "kwargs, message",
    [
        ({}, "uma das duas"),
        ({"legal_basis": "Lei 1", "treatments": {"cpf": "drop"}}, "uma das duas"),
        ({"legal_basis": "curta"}, "base legal"),
        ({"treatments": {"nao_existe": "drop"}}, "não existe"),
        ({"treatments": {"cpf": "queimar"}}, "desconhecido"),
    ],
)
def test_bad_decisions_are_refused(resource_a, kwargs, message):
    version = run_version(submit(resource_a, PERSONAL).pk)
    with pytest.raises(ValidationError) as exc:
        decide_lgpd(None, version, **kwargs)
    assert message in " ".join(exc.value.messages)
    assert ResourceVersion.objects.get(pk=version.pk).status == VersionStatus.NEEDS_REVIEW


def test_other_unit_cannot_decide(resource_a, data_editor_x_other):
    version = run_version(submit(resource_a, PERSONAL).pk)
    with pytest.raises(PermissionDenied):
        decide_lgpd(data_editor_x_other, version, legal_basis="Lei nº 12.527/2011, art. 8º")


# --- failures never change what is published -------------------------------------
def test_rejected_file_keeps_current_version(town_x, unit_x_a):
    resource = publish_table(town_x, unit_x_a)
    current = resource.current_version_id
    version = submit(resource, 'a;b\n1;"aberto\n2;3\n', auto_publish=True, accept_errors=True)
    version = run_version(version.pk)
    assert version.status == VersionStatus.REJECTED and "Linha" in version.error
    assert Resource.objects.get(pk=resource.pk).current_version_id == current


def test_crash_marks_failed_and_keeps_current_version(town_x, unit_x_a, monkeypatch):
    resource = publish_table(town_x, unit_x_a)
    current = resource.current_version_id

    def boom(*args, **kwargs):
        raise MemoryError("simulado")

    monkeypatch.setattr(processing, "_convert", boom)
    version = run_version(submit(resource, "a;b\n1;2\n", auto_publish=True).pk)
    assert version.status == VersionStatus.FAILED and "Falha inesperada" in version.error
    assert Resource.objects.get(pk=resource.pk).current_version_id == current


def test_storage_failure_while_saving_parquet_keeps_current(town_x, unit_x_a, monkeypatch):
    resource = publish_table(town_x, unit_x_a)
    current = resource.current_version_id

    def broken(name, source):
        raise OSError("disco cheio")

    version = submit(resource, "a;b\n1;2\n", auto_publish=True)
    monkeypatch.setattr(storage, "save_file", broken)
    version = run_version(version.pk)
    assert version.status == VersionStatus.FAILED
    assert Resource.objects.get(pk=resource.pk).current_version_id == current


# --- recovery ---------------------------------------------------------------------
def _stale(version, attempts):
    ResourceVersion.objects.filter(pk=version.pk).update(
        status=VersionStatus.PROCESSING,
        attempts=attempts,
        heartbeat_at=timezone.now() - datetime.timedelta(hours=1),
    )


def test_stale_version_is_requeued_and_completes(resource_a, django_capture_on_commit_callbacks):
    version = submit(resource_a, "a;b\n1;2\n", auto_publish=True)
    _stale(version, 1)
    with django_capture_on_commit_callbacks(execute=True):
        found = recover_stale_versions()
    assert [v.pk for v in found] == [version.pk]
    version.refresh_from_db()
    assert version.status == VersionStatus.PUBLISHED and version.attempts == 2
    assert AuditEntry.objects.filter(action="version.resume").count() == 1


def test_version_interrupted_twice_fails(town_x, unit_x_a):
    resource = publish_table(town_x, unit_x_a)
    current = resource.current_version_id
    version = submit(resource, "a;b\n1;2\n")
    _stale(version, processing.MAX_ATTEMPTS)
    recover_stale_versions()
    version.refresh_from_db()
    assert version.status == VersionStatus.FAILED
    assert version.error.startswith("A importação foi interrompida: o processo que a executava")
    assert Resource.objects.get(pk=resource.pk).current_version_id == current


def test_live_version_is_not_touched(resource_a):
    version = submit(resource_a, "a;b\n1;2\n")
    ResourceVersion.objects.filter(pk=version.pk).update(
        status=VersionStatus.PROCESSING, attempts=1, heartbeat_at=timezone.now()
    )
    assert recover_stale_versions() == []
    assert ResourceVersion.objects.get(pk=version.pk).status == VersionStatus.PROCESSING


def test_late_finish_of_a_taken_over_attempt_is_ignored(resource_a, monkeypatch):
    """A worker that comes back after its job was handed to another attempt stores nothing."""
    version = submit(resource_a, "a;b\n1;2\n")
    real = processing._convert

    def slow(version_arg, *args, **kwargs):
        result = real(version_arg, *args, **kwargs)
        ResourceVersion.objects.filter(pk=version_arg.pk).update(attempts=5)  # taken over
        return result

    monkeypatch.setattr(processing, "_convert", slow)
    run_version(version.pk)
    version.refresh_from_db()
    assert version.status == VersionStatus.PROCESSING and version.rows is None
