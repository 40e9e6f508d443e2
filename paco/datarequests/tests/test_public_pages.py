"""Public list and detail: constant queries, overdue flags, filters, cache invalidation."""

from __future__ import annotations

import datetime

import pytest

from paco.datarequests import actions
from paco.datarequests.models import DataRequest, Outcome, Status

pytestmark = pytest.mark.django_db


def test_list_keeps_a_constant_number_of_queries(
    anon_x, town_x, unit_x_a, submit, published_dataset, django_assert_max_num_queries
):
    for i in range(12):
        data_request, _ = submit(town_x, title=f"Base {i}")
        actions.assign_unit(None, data_request, unit_x_a)
        if i % 3 == 0:
            actions.answer_request(
                None, data_request, outcome=Outcome.GRANTED, text="Ok", dataset=published_dataset
            )
    with django_assert_max_num_queries(8):
        response = anon_x.get("/dados/pedidos/")
    assert response.status_code == 200
    assert response.content.decode().count("/dados/pedidos/DA-") == 12


def test_overdue_flag_and_status_filter(anon_x, town_x, submit):
    late, _ = submit(town_x, title="Atrasado")
    fine, _ = submit(town_x, title="No prazo")
    DataRequest.objects.filter(pk=late.pk).update(
        due_date=datetime.date.today() - datetime.timedelta(days=4), status=Status.IN_ANALYSIS
    )
    html = anon_x.get("/dados/pedidos/").content.decode()
    assert "1 pedido com prazo vencido" in html
    assert "Atrasado há" in html
    filtered = anon_x.get("/dados/pedidos/?situacao=recebido").content.decode()
    assert fine.protocol in filtered and late.protocol not in filtered
    detail = anon_x.get(f"/dados/pedidos/{late.protocol}/").content.decode()
    assert "Atrasado há" in detail


def test_unknown_protocol_is_404(anon_x, town_x):
    assert anon_x.get("/dados/pedidos/DA-2020-999999/").status_code == 404


def test_cached_public_list_refreshes_after_an_answer(
    settings, anon_x, town_x, unit_x_a, submit, django_capture_on_commit_callbacks
):
    settings.PACO_PAGE_CACHE_SECONDS = 300
    data_request, _ = submit(town_x)
    first = anon_x.get(f"/dados/pedidos/{data_request.protocol}/")
    assert anon_x.get(f"/dados/pedidos/{data_request.protocol}/")["X-Paco-Cache"] == "hit"
    assert "Análise iniciada" not in first.content.decode()
    with django_capture_on_commit_callbacks(execute=True):
        actions.assign_unit(None, data_request, unit_x_a)
    again = anon_x.get(f"/dados/pedidos/{data_request.protocol}/")
    assert "Análise iniciada" in again.content.decode()


def test_pages_keep_the_status_filter(anon_x, town_x, unit_x_a, submit):
    for i in range(31):
        submit(town_x, title=f"Base {i}")
    assigned, _ = submit(town_x, title="Encaminhado")
    actions.assign_unit(None, assigned, unit_x_a)
    first = anon_x.get("/dados/pedidos/?situacao=recebido").content.decode()
    assert "Página 1 de 2" in first
    assert 'href="?situacao=recebido&amp;pagina=2"' in first
    second = anon_x.get("/dados/pedidos/?situacao=recebido&pagina=2").content.decode()
    assert second.count("/dados/pedidos/DA-") == 1
    assert assigned.protocol not in first + second
    unfiltered = anon_x.get("/dados/pedidos/?situacao=nada").content.decode()
    assert 'href="?pagina=2"' in unfiltered and "na situação escolhida" not in unfiltered
