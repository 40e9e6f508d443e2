"""Every transition: state, deadline, timeline (public or internal), audit, permission."""

from __future__ import annotations

import datetime

import pytest
from django.core.exceptions import PermissionDenied, ValidationError

from paco.atendimento import actions
from paco.atendimento.access import RequesterProof
from paco.atendimento.models import Case, Kind, Outcome, Status, TownRules
from paco.audit.models import AuditEntry
from paco.notifications.models import Notification

pytestmark = pytest.mark.django_db
DAY = datetime.date(2026, 3, 2)  # a Monday


@pytest.fixture
def today(monkeypatch):
    state = {"day": DAY}
    monkeypatch.setattr("paco.atendimento.actions.today_local", lambda: state["day"])
    return state


@pytest.fixture
def case(town_x, unit_x_a, open_for, today):
    opened = open_for(town_x, unit_x_a)
    c = opened.case
    c.received_on = DAY
    c.due_on = actions.deadline_of(c).due_on
    c.save()
    return c


def proof(case):
    return RequesterProof(case.pk, None)


def public_codes(case):
    return list(case.events.filter(public=True).values_list("code", flat=True))


def test_assign_notifies_the_servant_and_stays_internal(case, attendant_x, attendant_x_root):
    actions.assign(attendant_x, case, attendant_x_root)
    case.refresh_from_db()
    assert case.assigned_to == attendant_x_root and case.status == Status.IN_PROGRESS
    assert "assigned" not in public_codes(case)
    assert Notification.objects.filter(recipient=attendant_x_root, kind="assigned").exists()
    assert AuditEntry.objects.filter(action="case.assign").exists()


def test_assign_refuses_a_servant_of_another_unit_and_an_outsider(
    case, attendant_x, attendant_x_other
):
    with pytest.raises(ValidationError):
        actions.assign(attendant_x, case, attendant_x_other)
    with pytest.raises(PermissionDenied):
        actions.assign(attendant_x_other, case, attendant_x_other)


def test_transfer_keeps_the_history_and_tells_the_new_unit(
    case, attendant_x, attendant_x_other, unit_x_b
):
    actions.transfer(attendant_x, case, unit_x_b, "É da secretaria B")
    case.refresh_from_db()
    assert case.unit == unit_x_b
    event = case.events.get(code="transferred")
    assert event.public and "Secretaria A" in event.text and "Secretaria B" in event.text
    note = case.events.get(code="note")
    assert not note.public and "secretaria B" in note.text
    assert Notification.objects.filter(recipient=attendant_x_other, kind="new_item").exists()
    with pytest.raises(PermissionDenied):  # no longer A's case
        actions.add_note(attendant_x, case, "x")


def test_a_note_is_never_public(case, attendant_x):
    actions.add_note(attendant_x, case, "Ligar para o setor de contratos")
    assert "note" not in public_codes(case)


def test_asking_pauses_the_clock_and_the_answer_resumes_it(case, attendant_x, today):
    due = case.due_on
    actions.ask_information(attendant_x, case, "Qual o ano dos contratos?")
    case.refresh_from_db()
    assert case.status == Status.WAITING_CITIZEN and case.due_on is None
    pause = case.pauses.get()
    assert pause.citizen_due_on == DAY + datetime.timedelta(days=20)
    today["day"] = DAY + datetime.timedelta(days=5)
    actions.answer_information(proof(case), case, "2025")
    case.refresh_from_db()
    assert case.status == Status.IN_PROGRESS
    # 20 days from 02/03 was Sunday 22/03 (moved to 23/03); 5 paused days make it Friday 27/03
    assert due == datetime.date(2026, 3, 23)
    assert case.due_on == datetime.date(2026, 3, 27)
    assert public_codes(case)[-2:] == ["info_requested", "citizen_answered"]


def test_after_the_citizens_20_days_the_case_may_be_archived(case, attendant_x, today):
    actions.ask_information(attendant_x, case, "Qual o ano?")
    with pytest.raises(ValidationError):
        actions.archive_unanswered(attendant_x, case)
    today["day"] = DAY + datetime.timedelta(days=21)
    actions.archive_unanswered(attendant_x, case)
    case.refresh_from_db()
    assert case.status == Status.ARCHIVED


def test_extension_once_with_a_justification_the_citizen_sees(case, attendant_x):
    due = case.due_on
    actions.extend(attendant_x, case, "Os contratos estão no arquivo geral.")
    case.refresh_from_db()
    assert due == datetime.date(2026, 3, 23) and case.due_on == datetime.date(2026, 4, 1)  # 20+10
    event = case.events.get(code="extended")
    assert event.public and "arquivo geral" in event.text
    with pytest.raises(ValidationError):
        actions.extend(attendant_x, case, "De novo, por favor, mais tempo.")


def test_conclude_then_rate_once(case, attendant_x):
    with pytest.raises(ValidationError):
        actions.rate(proof(case), case, score=5, resolved="sim")
    actions.conclude(attendant_x, case, Outcome.ANSWERED, "Seguem os contratos.")
    case.refresh_from_db()
    assert case.status == Status.CONCLUDED and case.outcome == Outcome.ANSWERED
    assert "appeal_until" in case.events.get(code="concluded").data
    actions.rate(proof(case), case, score=4, resolved="parcialmente", dimension="tempo")
    with pytest.raises(ValidationError):
        actions.rate(proof(case), case, score=1, resolved="nao")
    with pytest.raises(PermissionDenied):  # a proof for another case
        actions.rate(RequesterProof(case.pk + 1, None), case, score=1, resolved="nao")


def test_esic_appeal_levels_follow_the_towns_rule(
    case, attendant_x, attendant_x_root, admin_x, town_x
):
    TownRules.objects.create(municipality=town_x, appeal_levels=2)
    actions.conclude(attendant_x, case, Outcome.DENIED, "Informação sigilosa.")
    first = actions.appeal(proof(case), case, "A informação é pública.")
    case.refresh_from_db()
    assert first.level == 1 and case.status == Status.APPEALED
    assert case.due_on == first.due_on
    with pytest.raises(PermissionDenied):  # who answered does not decide the appeal
        actions.decide_appeal(attendant_x, case, upheld=False, decision="Mantida a negativa.")
    actions.decide_appeal(attendant_x_root, case, upheld=False, decision="Mantida a negativa.")
    case.refresh_from_db()
    assert case.status == Status.CONCLUDED
    second = actions.appeal(proof(case), case, "Segunda instância, por favor.")
    assert second.level == 2
    actions.decide_appeal(admin_x, case, upheld=True, decision="Provido: entregar os dados.")
    case.refresh_from_db()
    assert actions.next_appeal_level(case) is None
    with pytest.raises(ValidationError):
        actions.appeal(proof(case), case, "Terceira?")


def test_the_appeal_is_filed_within_10_days(case, attendant_x, today):
    actions.conclude(attendant_x, case, Outcome.DENIED, "Negado.")
    noon = datetime.datetime(2026, 3, 2, 15, tzinfo=datetime.UTC)
    Case.objects.filter(pk=case.pk).update(concluded_at=noon)
    case.refresh_from_db()
    today["day"] = DAY + datetime.timedelta(days=10)  # 12/03: the 10th day
    assert actions.next_appeal_level(case) == 1
    today["day"] = DAY + datetime.timedelta(days=11)
    assert actions.next_appeal_level(case) is None


def test_the_complaint_for_no_answer_after_30_days(case, today):
    with pytest.raises(ValidationError):
        actions.complain(proof(case), case, "Sem resposta")
    today["day"] = DAY + datetime.timedelta(days=31)
    item = actions.complain(proof(case), case, "Sem resposta")
    assert item.level == 0 and "complaint" in public_codes(case)


def test_forward_to_another_body_tells_the_citizen(case, attendant_x):
    actions.forward_to_body(attendant_x, case, "Governo do Estado", "Procure a SEF.")
    case.refresh_from_db()
    assert case.outcome == Outcome.FORWARDED and case.status == Status.CONCLUDED
    assert "Governo do Estado" in case.events.get(code="forwarded").text


def test_reopen_within_the_window_only(town_x, unit_x_a, open_for, attendant_x, today):
    c = open_for(town_x, unit_x_a, kind=Kind.OMBUDSMAN, ombudsman_type="reclamacao").case
    actions.conclude(attendant_x, c, Outcome.ANSWERED, "Buraco tapado.")
    actions.reopen(RequesterProof(c.pk, None), c, "O buraco voltou.")
    c.refresh_from_db()
    assert c.status == Status.IN_PROGRESS and c.due_on is not None
    actions.conclude(attendant_x, c, Outcome.ANSWERED, "Tapado de novo.")
    concluded = datetime.datetime(2026, 1, 20, 15, tzinfo=datetime.UTC)  # 41 days before DAY
    Case.objects.filter(pk=c.pk).update(concluded_at=concluded)
    c.refresh_from_db()
    with pytest.raises(ValidationError):
        actions.reopen(RequesterProof(c.pk, None), c, "Voltou outra vez.")
    assert actions.can_reopen(c) is False


def test_esic_cannot_be_reopened_the_appeal_is_the_way(case, attendant_x):
    actions.conclude(attendant_x, case, Outcome.ANSWERED, "Respondido.")
    assert actions.can_reopen(case) is False


def test_archive_with_a_reason(case, attendant_x):
    actions.archive(attendant_x, case, "Pedido em duplicidade.")
    case.refresh_from_db()
    assert case.status == Status.ARCHIVED and "duplicidade" in case.events.last().text


def test_the_audit_trail_carries_no_personal_data(case, attendant_x):
    actions.ask_information(attendant_x, case, "Qual o ano?")
    actions.answer_information(proof(case), case, "Maria Aparecida responde: 2025")
    actions.conclude(attendant_x, case, Outcome.ANSWERED, "Seguem os contratos.")
    for entry in AuditEntry.objects.filter(action__startswith="case."):
        assert "Maria" not in str(entry.changes) and "Maria" not in entry.object_repr
