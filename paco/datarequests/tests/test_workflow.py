"""The request workflow through the actions: protocol, assignment, extension, answer, appeal."""

from __future__ import annotations

import datetime

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.utils import timezone

from paco.audit.models import AuditEntry
from paco.datarequests import actions, deadlines
from paco.datarequests.access import hash_token
from paco.datarequests.models import AppealOutcome, DataRequest, Outcome, Status
from paco.opendata import actions as od_actions
from paco.opendata.models import DatasetState

pytestmark = pytest.mark.django_db


def fresh(data_request: DataRequest) -> DataRequest:
    return DataRequest.objects.get(pk=data_request.pk)


def test_submit_gives_sequential_protocol_per_town_and_year(submit, town_x, town_y):
    year = deadlines.local_date(timezone.now()).year
    first, _ = submit(town_x)
    second, _ = submit(town_x)
    other, _ = submit(town_y)
    assert first.protocol == f"DA-{year}-000001"
    assert second.protocol == f"DA-{year}-000002"
    assert other.protocol == f"DA-{year}-000001"


def test_submit_stores_only_a_digest_of_the_token(submit, town_x):
    data_request, token = submit(town_x)
    assert len(token) >= 40
    assert data_request.token_hash == hash_token(token)
    assert token not in data_request.token_hash
    received = deadlines.local_date(data_request.received_at)
    assert data_request.due_date == deadlines.answer_due(received, town=town_x)
    assert data_request.status == Status.RECEIVED


def test_audit_entries_carry_no_personal_data(submit, town_x, unit_x_a, admin_x):
    data_request, _ = submit(town_x, email="segredo@exemplo.org", name="Fulana Secreta")
    actions.assign_unit(admin_x, data_request, unit_x_a)
    entries = AuditEntry.objects.filter(
        object_type="datarequests.datarequest", object_id=str(data_request.pk)
    )
    assert {e.action for e in entries} == {"datarequest.submit", "datarequest.assign"}
    for entry in entries:
        text = str(entry.changes)
        assert "segredo@exemplo.org" not in text and "Fulana Secreta" not in text
        assert data_request.token_hash not in text


def test_assign_starts_analysis_and_respects_units(
    submit, town_x, unit_x_a, unit_x_b, admin_x, data_editor_x, data_editor_x_other
):
    data_request, _ = submit(town_x)
    # an unassigned request is triaged by whoever covers the whole town
    with pytest.raises(PermissionDenied):
        actions.assign_unit(data_editor_x, data_request, unit_x_a)
    actions.assign_unit(admin_x, data_request, unit_x_a)
    data_request = fresh(data_request)
    assert data_request.status == Status.IN_ANALYSIS and data_request.analysis_started_at
    # the editor of A may not send it to B (not theirs); B's editor may not touch it
    with pytest.raises(PermissionDenied):
        actions.assign_unit(data_editor_x, data_request, unit_x_b)
    with pytest.raises(PermissionDenied):
        actions.assign_unit(data_editor_x_other, data_request, unit_x_b)


def test_assign_to_unit_of_other_town_refused(submit, town_x, unit_y):
    data_request, _ = submit(town_x)
    with pytest.raises(PermissionDenied):
        actions.assign_unit(None, data_request, unit_y)


def test_extension_once_with_reason_before_deadline(assigned, data_editor_x):
    data_request, _ = assigned
    with pytest.raises(ValidationError):
        actions.extend_deadline(data_editor_x, data_request, "   ")
    actions.extend_deadline(data_editor_x, data_request, "Base em sistema legado.")
    data_request = fresh(data_request)
    received = deadlines.local_date(data_request.received_at)
    town = data_request.municipality
    assert data_request.due_date == deadlines.answer_due(received, extended=True, town=town)
    assert data_request.due_date > deadlines.answer_due(received, town=town)
    with pytest.raises(ValidationError, match="já foi prorrogado"):
        actions.extend_deadline(data_editor_x, data_request, "De novo.")


def test_extension_refused_after_deadline(assigned, data_editor_x):
    data_request, _ = assigned
    DataRequest.objects.filter(pk=data_request.pk).update(
        due_date=datetime.date.today() - datetime.timedelta(days=3)
    )
    with pytest.raises(ValidationError, match="já venceu"):
        actions.extend_deadline(data_editor_x, fresh(data_request), "Tarde demais.")


def test_granted_answer_needs_a_published_dataset(assigned, data_editor_x, published_dataset):
    data_request, _ = assigned
    with pytest.raises(ValidationError):
        actions.answer_request(data_editor_x, data_request, outcome=Outcome.GRANTED, text="Ok")
    actions.answer_request(
        data_editor_x,
        data_request,
        outcome=Outcome.GRANTED,
        text="Publicamos a base.",
        dataset=published_dataset,
    )
    data_request = fresh(data_request)
    assert data_request.status == Status.ANSWERED
    assert data_request.dataset == published_dataset
    assert data_request.answered_by == data_editor_x
    answered_on = deadlines.local_date(data_request.answered_at)
    assert data_request.appeal_until == deadlines.appeal_deadline(
        answered_on, town=data_request.municipality
    )


def test_draft_dataset_answers_when_published(
    assigned, data_editor_x, draft_dataset, django_capture_on_commit_callbacks
):
    data_request, _ = assigned
    actions.answer_request(
        data_editor_x, data_request, outcome=Outcome.GRANTED, text="Será publicada.",
        dataset=draft_dataset,
    )  # fmt: skip
    data_request = fresh(data_request)
    assert data_request.status == Status.IN_ANALYSIS
    assert data_request.pending_answer == "Será publicada."
    assert actions.answer_on_publication(draft_dataset) == 0  # still a draft
    od_actions.set_dataset_state(None, draft_dataset, DatasetState.PUBLISHED)
    draft_dataset.refresh_from_db()
    assert actions.answer_on_publication(draft_dataset) == 1
    data_request = fresh(data_request)
    assert data_request.status == Status.ANSWERED
    assert data_request.answer == "Será publicada." and data_request.pending_answer == ""
    assert actions.answer_on_publication(draft_dataset) == 0  # idempotent


def test_denied_answer_needs_reasons_and_no_dataset(assigned, data_editor_x, published_dataset):
    data_request, _ = assigned
    with pytest.raises(ValidationError):
        actions.answer_request(data_editor_x, data_request, outcome=Outcome.DENIED, text=" ")
    with pytest.raises(ValidationError):
        actions.answer_request(
            data_editor_x, data_request, outcome=Outcome.DENIED, text="Não.",
            dataset=published_dataset,
        )  # fmt: skip
    actions.answer_request(
        data_editor_x, data_request, outcome=Outcome.DENIED, text="Dados sigilosos (art. 23)."
    )
    assert fresh(data_request).status == Status.ANSWERED


def test_other_unit_editor_cannot_answer(assigned, data_editor_x_other):
    data_request, _ = assigned
    with pytest.raises(PermissionDenied):
        actions.answer_request(
            data_editor_x_other, data_request, outcome=Outcome.DENIED, text="Não."
        )


def _answered(assigned, editor):
    data_request, token = assigned
    actions.answer_request(editor, data_request, outcome=Outcome.DENIED, text="Negado.")
    return fresh(data_request), token


def test_appeal_within_ten_days_only_once(assigned, data_editor_x):
    data_request, _ = _answered(assigned, data_editor_x)
    with pytest.raises(ValidationError):
        actions.file_appeal(data_request, "  ")
    actions.file_appeal(data_request, "A base não é sigilosa.")
    data_request = fresh(data_request)
    assert data_request.status == Status.APPEALED
    appealed_on = deadlines.local_date(data_request.appealed_at)
    assert data_request.appeal_due == deadlines.appeal_answer_due(
        appealed_on, town=data_request.municipality
    )
    with pytest.raises(ValidationError):
        actions.file_appeal(data_request, "De novo.")


def test_appeal_after_window_refused(assigned, data_editor_x):
    data_request, _ = _answered(assigned, data_editor_x)
    DataRequest.objects.filter(pk=data_request.pk).update(
        appeal_until=datetime.date.today() - datetime.timedelta(days=1)
    )
    with pytest.raises(ValidationError, match="prazo acabou"):
        actions.file_appeal(fresh(data_request), "Tarde.")


def test_appeal_decided_by_higher_authority_not_by_answerer(
    assigned, town_x, unit_x_root, data_editor_x, data_editor_x_other, admin_x
):
    from paco.accounts.models import Role
    from paco.conftest import make_staff

    data_request, _ = _answered(assigned, data_editor_x)
    actions.file_appeal(data_request, "Recorro.")
    data_request = fresh(data_request)
    for refused in (data_editor_x, data_editor_x_other):
        with pytest.raises(PermissionDenied):
            actions.decide_appeal(
                refused, data_request, outcome=AppealOutcome.REJECTED, decision="Mantida."
            )
    parent_editor = make_staff("dados_gab", town_x, Role.DATA_EDITOR, unit_x_root)
    actions.decide_appeal(
        parent_editor, data_request, outcome=AppealOutcome.UPHELD, decision="Deve ser aberta."
    )
    data_request = fresh(data_request)
    assert data_request.status == Status.IN_ANALYSIS  # back to the unit with a new term
    decided_on = deadlines.local_date(data_request.appeal_decided_at)
    assert data_request.due_date == deadlines.answer_due(decided_on, town=data_request.municipality)
    assert not data_request.can_appeal(datetime.date.today())


def test_admin_rejects_appeal(assigned, data_editor_x, admin_x):
    data_request, _ = _answered(assigned, data_editor_x)
    actions.file_appeal(data_request, "Recorro.")
    actions.decide_appeal(
        admin_x, fresh(data_request), outcome=AppealOutcome.REJECTED, decision="Mantida."
    )
    data_request = fresh(data_request)
    assert data_request.status == Status.APPEAL_DECIDED
    assert AuditEntry.objects.filter(action="datarequest.appeal_decision", actor=admin_x).exists()


def test_overdue_querysets(submit, town_x, unit_x_a):
    today = datetime.date(2026, 6, 15)
    late, _ = submit(town_x)
    on_time, _ = submit(town_x)
    answered, _ = submit(town_x)
    appeal_late, _ = submit(town_x)
    DataRequest.objects.filter(pk=late.pk).update(due_date=datetime.date(2026, 6, 14))
    DataRequest.objects.filter(pk=on_time.pk).update(due_date=datetime.date(2026, 6, 15))
    DataRequest.objects.filter(pk=answered.pk).update(
        due_date=datetime.date(2026, 6, 1), status=Status.ANSWERED
    )
    DataRequest.objects.filter(pk=appeal_late.pk).update(
        status=Status.APPEALED, appeal_due=datetime.date(2026, 6, 10)
    )
    qs = DataRequest.objects.for_municipality(town_x)
    assert set(qs.answer_overdue(today)) == {late}
    assert set(qs.appeal_overdue(today)) == {appeal_late}
    assert set(qs.overdue(today)) == {late, appeal_late}
    assert fresh(late).days_overdue(today) == 1
    assert fresh(appeal_late).days_overdue(today) == 5
    assert fresh(answered).days_overdue(today) == 0


def test_reveal_identity_only_admin_with_reason(submit, town_x, admin_x, data_editor_x):
    data_request, _ = submit(town_x, hide_identity=True)
    with pytest.raises(PermissionDenied):
        actions.reveal_identity(data_editor_x, data_request, "curiosidade")
    with pytest.raises(ValidationError):
        actions.reveal_identity(admin_x, data_request, " ")
    shown = actions.reveal_identity(admin_x, data_request, "Esclarecer o pedido por telefone.")
    assert shown["email"] == "maria@exemplo.org"
    entry = AuditEntry.objects.get(action="datarequest.reveal_identity")
    assert entry.actor == admin_x and "telefone" in entry.changes["reason"]


def test_publishing_the_dataset_answers_the_request_on_commit(
    assigned, data_editor_x, draft_dataset, django_capture_on_commit_callbacks
):
    data_request, _ = assigned
    actions.answer_request(
        data_editor_x, data_request, outcome=Outcome.PARTIAL, text="Parte publicada.",
        dataset=draft_dataset,
    )  # fmt: skip
    with django_capture_on_commit_callbacks(execute=True):
        od_actions.set_dataset_state(data_editor_x, draft_dataset, DatasetState.PUBLISHED)
    data_request = fresh(data_request)
    assert data_request.status == Status.ANSWERED
    assert data_request.outcome == Outcome.PARTIAL
    assert data_request.answered_by == data_editor_x
    assert AuditEntry.objects.filter(action="datarequest.answer", actor=None).exists()
