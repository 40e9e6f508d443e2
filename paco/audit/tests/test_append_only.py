"""The audit trail refuses update and delete at every level: instance, queryset, database."""

import pytest
from django.core.management.color import no_style
from django.db import DatabaseError, connection, transaction
from django.db.models import ProtectedError

from paco.audit import triggers
from paco.audit.models import AuditEntry
from paco.tenancy.actions import save_unit

TABLE = AuditEntry._meta.db_table


@pytest.fixture
def entry(admin_x, unit_x_a):
    save_unit(admin_x, unit_x_a)
    return AuditEntry.objects.for_object(unit_x_a).get()


def _rows():
    return list(AuditEntry.objects.order_by("seq").values())


@pytest.mark.parametrize(
    "attempt",
    [
        lambda qs, e: qs.delete(),
        lambda qs, e: qs.filter(pk=e.pk).delete(),
        lambda qs, e: qs.update(action="forjado"),
        lambda qs, e: qs.bulk_update([e], ["action"]),
        lambda qs, e: qs.bulk_create([AuditEntry(action="forjado", digest="x", seq=999)]),
        lambda qs, e: qs.filter(pk=e.pk)._raw_delete(qs.db),
        lambda qs, e: qs.update_or_create(pk=e.pk, defaults={"action": "forjado"}),
    ],
    ids=[
        "delete-all",
        "delete-one",
        "update",
        "bulk_update",
        "bulk_create",
        "raw_delete",
        "upsert",
    ],
)
def test_queryset_refuses_every_write(entry, attempt):
    before = _rows()
    with pytest.raises(PermissionError):
        attempt(AuditEntry.objects.all(), entry)
    assert _rows() == before


def test_instance_refuses_save_and_delete(entry):
    entry.action = "forjado"
    with pytest.raises(PermissionError):
        entry.save()
    with pytest.raises(PermissionError):
        entry.delete()
    with pytest.raises(PermissionError, match="record"):
        AuditEntry(action="avulso", object_type="x", object_id="1").save()


@pytest.mark.parametrize(
    "sql",
    [
        "UPDATE audit_auditentry SET action = 'forjado'",
        "UPDATE audit_auditentry SET digest = 'x' WHERE seq = 1",
        "DELETE FROM audit_auditentry",
        "DELETE FROM audit_auditentry WHERE seq = 1",
    ],
)
def test_database_refuses_raw_update_and_delete(entry, sql):
    before = _rows()
    refused = pytest.raises(DatabaseError, match="trilha de auditoria")
    with refused, transaction.atomic(), connection.cursor() as cursor:
        cursor.execute(sql)
    assert _rows() == before


@pytest.mark.django_db(transaction=True)
def test_database_refuses_the_sql_of_a_flush(entry):
    """What ``paco flush`` runs (DELETE on SQLite, TRUNCATE on PostgreSQL) is refused."""
    statements = connection.ops.sql_flush(no_style(), [TABLE], allow_cascade=True)
    before = _rows()
    with pytest.raises(DatabaseError, match="trilha de auditoria"), transaction.atomic():
        connection.ops.execute_sql_flush(statements)
    assert _rows() == before


@pytest.mark.skipif(connection.vendor != "postgresql", reason="TRUNCATE só existe no PostgreSQL")
@pytest.mark.django_db(transaction=True)
def test_postgresql_refuses_truncate(entry):
    refused = pytest.raises(DatabaseError, match=r"trilha de auditoria .*\(TRUNCATE\)")
    with refused, transaction.atomic(), connection.cursor() as cursor:
        cursor.execute("TRUNCATE audit_auditentry CASCADE")
    assert AuditEntry.objects.filter(pk=entry.pk).exists()


def test_people_and_towns_in_the_trail_cannot_be_deleted(entry, admin_x, town_x):
    """``SET NULL`` would rewrite the trail: the foreign keys protect instead."""
    with pytest.raises(ProtectedError):
        admin_x.delete()
    with pytest.raises(ProtectedError):
        town_x.delete()
    assert AuditEntry.objects.get(pk=entry.pk).actor == admin_x


def test_triggers_are_installed_by_the_migrations(db):
    assert triggers.installed(connection)


@pytest.mark.django_db(transaction=True)
def test_triggers_are_lifted_only_inside_a_transaction():
    with pytest.raises(RuntimeError, match="transação"), triggers.suspended(connection):
        pass
    assert triggers.installed(connection)


def test_a_rolled_back_suspension_leaves_the_triggers(entry):
    with pytest.raises(ZeroDivisionError), transaction.atomic(), triggers.suspended(connection):
        assert not triggers.installed(connection)
        raise ZeroDivisionError
    assert triggers.installed(connection)


@pytest.mark.django_db(transaction=True)
def test_the_test_suites_flush_keeps_the_table_protected(admin_x, unit_x_a):
    """conftest lifts the triggers for the flush between tests and puts them back."""
    from django.core.management import call_command

    save_unit(admin_x, unit_x_a)
    call_command("flush", verbosity=0, interactive=False)
    assert not AuditEntry.objects.exists()
    assert triggers.installed(connection)
