"""The requester is told of every step, through a real SMTP server, after commit."""

from __future__ import annotations

import pytest

from paco.datarequests import actions
from paco.datarequests.models import AppealOutcome, DataRequest, Outcome

pytestmark = pytest.mark.django_db


def test_each_step_sends_one_message(
    submit,
    town_x,
    unit_x_a,
    admin_x,
    data_editor_x,
    published_dataset,
    smtp_settings,
    django_capture_on_commit_callbacks,
):
    steps = []

    def run(label, func, *args, **kwargs):
        before = len(smtp_settings.messages)
        with django_capture_on_commit_callbacks(execute=True):
            result = func(*args, **kwargs)
        assert len(smtp_settings.messages) == before + 1, label
        message = smtp_settings.messages[-1]
        assert message["To"] == "maria@exemplo.org"
        steps.append((label, message["Subject"], smtp_settings.body_of(message)))
        return result

    data_request, _ = run("received", submit, town_x)
    run("assign", actions.assign_unit, admin_x, data_request, unit_x_a)
    data_request = DataRequest.objects.get(pk=data_request.pk)
    run("extend", actions.extend_deadline, data_editor_x, data_request, "Sistema antigo.")
    run(
        "answer",
        actions.answer_request,
        data_editor_x,
        DataRequest.objects.get(pk=data_request.pk),
        outcome=Outcome.PARTIAL,
        text="Publicamos parte.",
        dataset=published_dataset,
    )
    run("appeal", actions.file_appeal, DataRequest.objects.get(pk=data_request.pk), "Falta 2021.")
    run(
        "decision",
        actions.decide_appeal,
        admin_x,
        DataRequest.objects.get(pk=data_request.pk),
        outcome=AppealOutcome.REJECTED,
        decision="2021 não existe em meio digital.",
    )
    protocol = data_request.protocol
    assert all(protocol in subject for _, subject, _ in steps)
    bodies = dict((label, body) for label, _, body in steps)
    assert "Secretaria A" in bodies["assign"]
    assert "Sistema antigo." in bodies["extend"]
    assert "/dataset/frota-combustivel/" in bodies["answer"]
    assert "recurso" in bodies["answer"].lower()
    assert "2021 não existe" in bodies["decision"]
    assert "/dados/pedidos/acompanhar/" in bodies["received"]
    # later messages never carry a tracking link (only its digest is stored)
    for label in ("assign", "extend", "answer", "appeal", "decision"):
        assert "/dados/pedidos/acompanhar/" not in bodies[label]
        assert f"/dados/pedidos/{protocol}/" in bodies[label]


def test_rolled_back_change_sends_nothing(
    submit, town_x, smtp_settings, django_capture_on_commit_callbacks
):
    from django.db import transaction

    with (
        django_capture_on_commit_callbacks(execute=True),
        pytest.raises(RuntimeError),
        transaction.atomic(),
    ):
        submit(town_x)
        raise RuntimeError("falha depois do pedido")
    assert smtp_settings.messages == []
    assert not DataRequest.objects.exists()
