"""The hash chain: every entry carries the previous one's digest; verify names the first break."""

import itertools
import threading

import pytest
from django.core.management import call_command
from django.core.management.base import CommandError
from django.db import connection, connections, transaction

from paco.audit import chain, triggers
from paco.audit.context import current_ip
from paco.audit.models import AuditEntry
from paco.audit.services import record
from paco.tenancy.actions import save_unit
from paco.tenancy.models import Unit


@pytest.fixture
def trail(admin_x, unit_x_a, unit_x_b):
    for name in ("Um", "Dois", "Três", "Quatro"):
        unit_x_a.name = name
        save_unit(admin_x, unit_x_a)
    return list(AuditEntry.objects.order_by("seq"))


def _verify():
    from io import StringIO

    out = StringIO()
    call_command("audit", "verify", stdout=out)
    return out.getvalue()


def _forge(sql, params=()):
    """Tamper with the table the only way left: lift the triggers (test-only) and write raw SQL."""
    with transaction.atomic(), triggers.suspended(connection), connection.cursor() as cursor:
        cursor.execute(sql, params)


def test_entries_link_up_from_the_genesis(trail):
    assert [e.seq for e in trail] == list(range(1, len(trail) + 1))
    assert trail[0].prev_digest == chain.GENESIS
    for previous, entry in itertools.pairwise(trail):
        assert entry.prev_digest == previous.digest
        assert entry.digest == chain.digest_of(entry)
    assert len({e.digest for e in trail}) == len(trail)
    assert f"{len(trail)} registros conferidos" in _verify()


def test_values_digest_the_same_once_stored(admin_x, unit_x_a):
    """IPv6, floats (jsonb rewrites 1e20), accents: the digest survives the round trip."""
    token = current_ip.set("2001:DB8:0:0::1")
    try:
        record(admin_x, "unit.update", unit_x_a, changes={"a": [1.0, 1e20], "b": ["ção", 0.1]})
    finally:
        current_ip.reset(token)
    verdict = chain.walk(chain.ordered(AuditEntry.objects.all()))
    assert verdict.ok, verdict.broken
    assert AuditEntry.objects.get(action="unit.update").ip_address == "2001:db8::1"


@pytest.mark.parametrize(
    ("forgery", "reason"),
    [
        ("UPDATE audit_auditentry SET object_repr = 'Forjado' WHERE seq = 3", "foi alterado"),
        ("UPDATE audit_auditentry SET changes = '{}' WHERE seq = 3", "foi alterado"),
        ("UPDATE audit_auditentry SET at = at - interval '1 day' WHERE seq = 3", "foi alterado"),
        ("DELETE FROM audit_auditentry WHERE seq = 3", "apagados"),
    ],
    ids=["object", "changes", "date", "deleted"],
)
def test_verify_names_the_first_forged_entry(trail, forgery, reason):
    if "interval" in forgery and connection.vendor == "sqlite":
        forgery = "UPDATE audit_auditentry SET at = '2020-01-01 00:00:00' WHERE seq = 3"
    _forge(forgery)
    named = trail[2] if "DELETE" not in forgery else trail[3]
    with pytest.raises(CommandError) as excinfo:
        _verify()
    message = str(excinfo.value)
    assert f"registro id {named.pk} (nº " in message, message
    assert reason in message
    assert "2 registros anteriores conferem" in message


def test_a_forger_who_recomputes_the_digest_is_caught_at_the_next_entry(trail):
    forged = AuditEntry.objects.get(seq=2)
    forged.object_repr = "Forjado"
    _forge(
        "UPDATE audit_auditentry SET object_repr = %s, digest = %s WHERE seq = 2",
        ["Forjado", chain.digest_of(forged)],
    )
    with pytest.raises(CommandError, match=rf"registro id {trail[2].pk} .*refeita"):
        _verify()


def test_verify_fails_without_the_triggers(trail):
    with transaction.atomic():
        triggers.remove(connection)
    try:
        with pytest.raises(CommandError, match="gatilhos"):
            _verify()
        call_command("audit", "protect", verbosity=0)
        assert triggers.installed(connection)
        assert "íntegra" in _verify()
    finally:
        triggers.install(connection)


def test_verify_passes_on_the_demo(db):
    from paco.tenancy.demo import load_demo

    load_demo()
    assert AuditEntry.objects.count() > 50
    assert "íntegra" in _verify()


@pytest.mark.skipif(
    connection.vendor != "postgresql", reason="SQLite já serializa as escritas (IMMEDIATE)"
)
@pytest.mark.django_db(transaction=True)
def test_concurrent_writers_never_fork_the_chain(admin_x, unit_x_a):
    """Eight threads, eight connections, released together: one chain, no gap, no fork."""
    writers = 8
    start = threading.Barrier(writers)
    errors: list[BaseException] = []
    unit = Unit.objects.get(pk=unit_x_a.pk)

    def write(n: int) -> None:
        try:
            with transaction.atomic():
                start.wait()
                record(admin_x, "unit.update", unit, changes={"n": [None, n]})
        except BaseException as exc:
            errors.append(exc)
        finally:
            connections.close_all()

    threads = [threading.Thread(target=write, args=(n,)) for n in range(writers)]
    before = AuditEntry.objects.count()
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    assert errors == []
    assert AuditEntry.objects.count() == before + writers
    verdict = chain.walk(chain.ordered(AuditEntry.objects.all()))
    assert verdict.ok, verdict.broken
    assert verdict.checked == before + writers
