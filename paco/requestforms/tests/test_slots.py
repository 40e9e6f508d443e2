"""Appointment slots: staff open them in bulk; a citizen picks one; capacity holds under load."""

from __future__ import annotations

import datetime
import threading

import pytest
from django.db import connection
from django.urls import reverse
from django.utils import timezone

from paco.atendimento.actions import Requester
from paco.atendimento.models import Case
from paco.requestforms import actions
from paco.requestforms.models import Booking, Slot

TOMORROW = timezone.localdate() + datetime.timedelta(days=1)


@pytest.fixture
def presencial(lighting):
    form = lighting.request_form
    form.appointments = True
    form.requires_location = False
    form.save()
    return form


def _open(unit, capacity=1, days=1):
    return actions.create_slots(
        None, unit, first_day=TOMORROW, last_day=TOMORROW + datetime.timedelta(days=days - 1),
        weekdays=list(range(7)), times=[datetime.time(9), datetime.time(14, 30)],
        capacity=capacity,
    )  # fmt: skip


@pytest.mark.django_db
def test_staff_open_slots_in_bulk_once(client_for, town_x, unit_x_a, admin_x):
    client = client_for(admin_x, town_x)
    url = reverse("requestforms:staff_slots")
    data = {"unit": unit_x_a.pk, "first_day": TOMORROW.isoformat(),
            "last_day": (TOMORROW + datetime.timedelta(days=6)).isoformat(),
            "weekdays": [0, 1, 2, 3, 4], "times": "8:00, 9h30", "capacity": 3}  # fmt: skip
    assert client.post(url, data).status_code == 302
    assert Slot.objects.count() == 10  # five weekdays in any seven days, two times each
    client.post(url, data)
    assert Slot.objects.count() == 10  # the same times are not opened twice
    page = client.get(url).content.decode()
    assert '<table class="stack">' in page and 'data-label="Vagas"' in page
    bad = client.post(url, {**data, "times": "amanhã"})
    assert bad.status_code == 400 and "não entendido" in bad.content.decode()


@pytest.mark.django_db
def test_slots_page_refuses_who_edits_no_charter(client_for, town_x, plan_editor_x):
    response = client_for(plan_editor_x, town_x).get(reverse("requestforms:staff_slots"))
    assert response.status_code == 403


@pytest.mark.django_db
def test_the_citizen_picks_a_slot_and_a_full_one_disappears(anon_x, presencial, unit_x_a):
    _open(unit_x_a)
    url = reverse("requestforms:request", args=[presencial.service.slug])
    slot = Slot.objects.order_by("starts_at").first()
    page = anon_x.get(url).content.decode()
    assert f'value="{slot.pk}"' in page
    data = {"acao": "enviar", "nome": "Ana", "descricao": "Quero atendimento",
            "campo_problema": "Apagada", "horario": slot.pk}  # fmt: skip
    missing = anon_x.post(url, {**data, "horario": ""})
    assert "Escolha um horário." in missing.content.decode()
    assert anon_x.post(url, data).status_code == 302
    case = Case.objects.get()
    assert case.booking.slot == slot and case.form_data["agendamento"]
    slot.refresh_from_db()
    assert slot.booked == 1
    assert f'value="{slot.pk}"' not in anon_x.get(url).content.decode()


@pytest.mark.django_db
def test_a_stale_page_cannot_overbook(presencial, unit_x_a):
    """The check is the UPDATE's condition in the database, not the copy the page read."""
    _open(unit_x_a, capacity=1)
    stale = Slot.objects.order_by("starts_at").first()
    first = actions.Submission(description="a", requester=Requester(name="Ana"), slot=stale)
    actions.submit(presencial, first, user=None)
    assert stale.booked == 0  # the copy still says there is room
    second = actions.Submission(description="b", requester=Requester(name="Bia"), slot=stale)
    with pytest.raises(actions.SlotFull):
        actions.submit(presencial, second, user=None)
    assert Case.objects.count() == 1 and Booking.objects.count() == 1


@pytest.mark.skipif(
    connection.vendor != "postgresql",
    reason="the in-memory SQLite test database locks whole tables (as test_open_case says)",
)
@pytest.mark.django_db(transaction=True)
def test_capacity_holds_under_concurrent_bookings(presencial, unit_x_a):
    _open(unit_x_a, capacity=3)
    slot = Slot.objects.order_by("starts_at").first()
    done: list[str] = []
    full: list[str] = []
    errors: list[BaseException] = []

    def book() -> None:
        try:
            submission = actions.Submission(
                description="Pedido", requester=Requester(name="Ana"), slot=slot
            )
            done.append(actions.submit(presencial, submission, user=None).case.number)
        except actions.SlotFull:
            full.append("cheio")
        except BaseException as exc:
            errors.append(exc)
        finally:
            connection.close()

    threads = [threading.Thread(target=book) for _ in range(8)]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    assert not errors, errors
    assert len(done) == 3 and len(full) == 5
    slot.refresh_from_db()
    assert slot.booked == 3 == Booking.objects.filter(slot=slot).count()
    assert Case.objects.count() == 3  # a refused booking rolls its case back
