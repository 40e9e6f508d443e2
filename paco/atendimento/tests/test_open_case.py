"""The one entry point every channel shares: NUP, receipt day, deadline, first event, audit."""

import datetime
import threading
from zoneinfo import ZoneInfo

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import connection

from paco.atendimento.actions import Requester, hash_code, open_case
from paco.atendimento.models import Case, IdentityMode, OmbudsmanType
from paco.audit.models import AuditEntry
from paco.protocol.models import ProtocolOffice
from paco.protocol.nup import parse_nup

SP = ZoneInfo("America/Sao_Paulo")
pytestmark = pytest.mark.django_db


def _ask(town, **kw):
    kw.setdefault("kind", "esic")
    kw.setdefault("subject", "Contratos de limpeza")
    kw.setdefault("description", "Quero os contratos de 2025.")
    kw.setdefault("requester", Requester(name="Maria", document="RG 123", email="m@example.org"))
    return open_case(town, **kw)


def test_a_case_gets_a_valid_nup_from_the_towns_office_and_a_deadline(town_x):
    ProtocolOffice.objects.create(municipality=town_x, code="12345")
    opened = _ask(town_x, submitted_at=datetime.datetime(2026, 3, 2, 10, tzinfo=SP))
    case = opened.case
    nup = parse_nup(case.number)
    assert (nup.code, nup.sequence, nup.year) == ("12345", 1, 2026)
    assert case.received_on == datetime.date(2026, 3, 2)
    assert case.due_on == datetime.date(2026, 3, 23)  # 22/03 is a Sunday
    assert case.events.get().code == "received"
    assert opened.access_code and case.access_code_hash == hash_code(opened.access_code)


def test_numbers_follow_each_other_and_restart_each_year(town_x):
    first = _ask(town_x, submitted_at=datetime.datetime(2026, 12, 30, 10, tzinfo=SP)).case
    second = _ask(town_x, submitted_at=datetime.datetime(2026, 12, 30, 11, tzinfo=SP)).case
    third = _ask(town_x, submitted_at=datetime.datetime(2027, 1, 4, 9, tzinfo=SP)).case
    seqs = [
        (parse_nup(c.number).year, parse_nup(c.number).sequence) for c in (first, second, third)
    ]
    assert seqs == [(2026, 1), (2026, 2), (2027, 1)]


def test_a_failed_submission_gives_its_number_back(town_x):
    _ask(town_x)
    with pytest.raises(ValidationError):
        _ask(town_x, requester=Requester())  # no name: refused inside the transaction
    assert parse_nup(_ask(town_x).case.number).sequence == 2


def test_anonymous_is_only_for_the_ouvidoria_and_carries_no_identity(town_x):
    with pytest.raises(ValidationError):
        _ask(town_x, identity_mode=IdentityMode.ANONYMOUS, requester=Requester())
    case = _ask(
        town_x, kind="ouvidoria", identity_mode=IdentityMode.ANONYMOUS, requester=Requester()
    ).case
    assert case.ombudsman_type == OmbudsmanType.COMMUNICATION
    assert case.requester_name == case.requester_email == ""


def test_only_staff_record_walk_in_submissions(town_x):
    with pytest.raises(PermissionDenied):
        _ask(town_x, channel="presencial")


def test_the_audit_entry_carries_no_personal_data(town_x):
    case = _ask(town_x).case
    entry = AuditEntry.objects.get(action="case.open")
    assert entry.object_repr == case.number
    assert "Maria" not in str(entry.changes) and "m@example.org" not in str(entry.changes)


@pytest.mark.skipif(
    connection.vendor != "postgresql",
    reason="the in-memory SQLite test database locks whole tables; SQLite is proven over HTTP",
)
@pytest.mark.django_db(transaction=True)
def test_concurrent_submissions_get_unique_gap_free_numbers(town_x):
    results: list[str] = []
    errors: list[BaseException] = []

    def submit() -> None:
        try:
            results.append(_ask(town_x).case.number)
        except BaseException as exc:
            errors.append(exc)
        finally:
            connection.close()

    threads = [threading.Thread(target=submit) for _ in range(12)]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    assert not errors
    assert sorted(parse_nup(n).sequence for n in results) == list(range(1, 13))
    assert Case.objects.count() == 12
