"""Database triggers that make the audit table append-only for every client.

The model and its queryset refuse updates and deletes, but anything that reaches
the database another way (raw SQL, ``dbshell``, a bug in a bulk path, Django's
``flush``) is stopped here: on both engines a ``BEFORE UPDATE`` and a ``BEFORE
DELETE`` trigger abort the statement, and on PostgreSQL a ``BEFORE TRUNCATE``
trigger does the same for ``TRUNCATE``. The migration ``0002_audit_hash_chain``
installs them; ``installed()`` lets ``paco audit verify`` and a test check they
are still there (on SQLite, a migration that rebuilds the table drops them).

Only ``suspended()`` takes them away, and only inside a transaction that puts
them back before it commits: ``paco restore`` replacing the whole instance, and
the test suite's flush between transactional tests (``paco/conftest.py``). No
other connection ever sees the table without them, because DDL is transactional
on both engines.
"""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager

from django.db.backends.base.base import BaseDatabaseWrapper

TABLE = "audit_auditentry"
MESSAGE = "A trilha de auditoria não pode ser alterada nem apagada."

_SQLITE_NAMES = ("paco_audit_no_update", "paco_audit_no_delete")
_PG_NAMES = ("paco_audit_no_update_delete", "paco_audit_no_truncate")


def _install_sql(vendor: str) -> list[str]:
    if vendor == "sqlite":
        return [
            f"CREATE TRIGGER IF NOT EXISTS {name} BEFORE {verb} ON {TABLE} "
            f"BEGIN SELECT RAISE(ABORT, '{MESSAGE}'); END"
            for name, verb in zip(_SQLITE_NAMES, ("UPDATE", "DELETE"), strict=True)
        ]
    if vendor == "postgresql":
        return [
            # restrict_violation: an IntegrityError for Django, as on SQLite.
            "CREATE OR REPLACE FUNCTION paco_audit_refuse() RETURNS trigger "
            "LANGUAGE plpgsql AS $$ BEGIN "
            f"RAISE EXCEPTION '{MESSAGE} (%)', TG_OP USING ERRCODE = 'restrict_violation'; "
            "END $$",
            f"DROP TRIGGER IF EXISTS {_PG_NAMES[0]} ON {TABLE}",
            f"CREATE TRIGGER {_PG_NAMES[0]} BEFORE UPDATE OR DELETE ON {TABLE} "
            "FOR EACH ROW EXECUTE FUNCTION paco_audit_refuse()",
            f"DROP TRIGGER IF EXISTS {_PG_NAMES[1]} ON {TABLE}",
            f"CREATE TRIGGER {_PG_NAMES[1]} BEFORE TRUNCATE ON {TABLE} "
            "FOR EACH STATEMENT EXECUTE FUNCTION paco_audit_refuse()",
        ]
    raise NotImplementedError(f"Banco de dados não suportado: {vendor}")


def _remove_sql(vendor: str) -> list[str]:
    if vendor == "sqlite":
        return [f"DROP TRIGGER IF EXISTS {name}" for name in _SQLITE_NAMES]
    return [f"DROP TRIGGER IF EXISTS {name} ON {TABLE}" for name in _PG_NAMES]


def install(connection: BaseDatabaseWrapper) -> None:
    """Create the triggers (idempotent)."""
    with connection.cursor() as cursor:
        for sql in _install_sql(connection.vendor):
            cursor.execute(sql)


def remove(connection: BaseDatabaseWrapper) -> None:
    with connection.cursor() as cursor:
        for sql in _remove_sql(connection.vendor):
            cursor.execute(sql)


def installed(connection: BaseDatabaseWrapper) -> bool:
    """Are all the triggers present (and enabled, on PostgreSQL)?"""
    with connection.cursor() as cursor:
        if connection.vendor == "sqlite":
            cursor.execute(
                "SELECT name FROM sqlite_master WHERE type = 'trigger' AND tbl_name = %s",
                [TABLE],
            )
            expected = set(_SQLITE_NAMES)
        else:
            cursor.execute(
                "SELECT tgname FROM pg_trigger WHERE tgrelid = %s::regclass "
                "AND NOT tgisinternal AND tgenabled <> 'D'",
                [TABLE],
            )
            expected = set(_PG_NAMES)
        return expected <= {row[0] for row in cursor.fetchall()}


@contextmanager
def suspended(connection: BaseDatabaseWrapper) -> Iterator[None]:
    """Lift the triggers for the enclosing transaction only; they are back before it commits.

    Refuses to run outside ``transaction.atomic``: a crash in between rolls the
    DROP back with everything else, so the table is never left unprotected.
    """
    if not connection.in_atomic_block:
        raise RuntimeError("Os gatilhos da trilha só podem ser suspensos dentro de uma transação.")
    remove(connection)
    yield
    install(connection)
