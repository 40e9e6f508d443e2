"""Who sees what: the public, the requester with the link, staff of each unit, each town."""

from __future__ import annotations

import pytest

from paco.datarequests import actions
from paco.datarequests.models import DataRequest, Outcome, Status

pytestmark = pytest.mark.django_db

EMAIL_A = "maria@exemplo.org"
NAME_A = "Maria Requerente"


@pytest.fixture
def hidden(submit, town_x, unit_x_a):
    """Requester A's request, identity hidden, assigned to unit A."""
    data_request, token = submit(town_x, hide_identity=True)
    actions.assign_unit(None, data_request, unit_x_a)
    return DataRequest.objects.get(pk=data_request.pk), token


@pytest.fixture
def other(submit, town_x):
    """Requester B's request, unassigned."""
    return submit(town_x, name="Beto B", email="beto@exemplo.org", phone="", title="Frota")


def no_personal_data(html: str) -> bool:
    return EMAIL_A not in html and NAME_A not in html and "99999-0000" not in html


@pytest.mark.parametrize(
    "who", ["anon", "citizen_a", "data_editor_x", "data_editor_x_other", "admin_x", "admin_y"]
)
def test_public_list_and_detail_never_show_personal_data(
    request, client_for, town_x, hidden, other, who
):
    user = None if who == "anon" else request.getfixturevalue(who)
    client = client_for(user, town_x)
    data_request, _ = hidden
    listing = client.get("/dados/pedidos/")
    assert listing.status_code == 200
    html = listing.content.decode()
    assert data_request.protocol in html and other[0].protocol in html
    assert no_personal_data(html) and "beto@exemplo.org" not in html
    detail = client.get(f"/dados/pedidos/{data_request.protocol}/")
    assert detail.status_code == 200
    assert data_request.description in detail.content.decode()
    assert no_personal_data(detail.content.decode())


def test_public_detail_is_per_town(client_for, town_x, town_y, hidden):
    data_request = hidden[0]
    assert (
        client_for(None, town_y).get(f"/dados/pedidos/{data_request.protocol}/").status_code == 404
    )
    assert client_for(None, town_y).get("/dados/pedidos/").content.decode().count("DA-") == 0


def test_tracking_link_shows_own_request_only(client_for, town_x, town_y, hidden, other):
    _, token_a = hidden
    _, token_b = other
    anon = client_for(None, town_x)
    page_a = anon.get(f"/dados/pedidos/acompanhar/{token_a}/")
    assert page_a.status_code == 200 and EMAIL_A in page_a.content.decode()
    page_b = anon.get(f"/dados/pedidos/acompanhar/{token_b}/")
    assert page_b.status_code == 200
    assert no_personal_data(page_b.content.decode())
    assert "beto@exemplo.org" in page_b.content.decode()
    # a citizen signed in but without the link, a wrong token, the right token on town Y
    assert anon.get("/dados/pedidos/acompanhar/nao-e-um-token/").status_code == 404
    assert anon.get(f"/dados/pedidos/acompanhar/{token_a[:-2]}/").status_code == 404
    assert client_for(None, town_y).get(f"/dados/pedidos/acompanhar/{token_a}/").status_code == 404


@pytest.mark.parametrize(
    "who, host, status",
    [
        ("anon", "x", 302),  # to the login page
        ("citizen_a", "x", 404),
        ("plain_staff_x", "x", 403),  # the town's own staff are told which role is missing
        ("data_editor_x", "x", 200),
        ("data_editor_x_other", "x", 403),
        ("admin_x", "x", 200),
        ("admin_y", "x", 404),
        ("admin_y", "y", 404),
    ],
)
def test_staff_detail_matrix(request, client_for, town_x, town_y, hidden, who, host, status):
    user = None if who == "anon" else request.getfixturevalue(who)
    client = client_for(user, town_x if host == "x" else town_y)
    data_request, _ = hidden
    response = client.get(f"/dados/gestao/pedidos/{data_request.protocol}/")
    assert response.status_code == status
    if status == 200:
        html = response.content.decode()
        assert "Identidade preservada" in html
        assert no_personal_data(html)
    if status == 403:
        html = response.content.decode()
        assert "Você não tem o papel Editor de dados abertos na unidade" in html
        assert no_personal_data(html) and data_request.title not in html


@pytest.mark.parametrize(
    "who, sees_a, sees_unassigned",
    [
        ("data_editor_x", True, False),
        ("data_editor_x_other", False, False),
        ("admin_x", True, True),
    ],
)
def test_staff_list_scope(request, client_for, town_x, hidden, other, who, sees_a, sees_unassigned):
    client = client_for(request.getfixturevalue(who), town_x)
    response = client.get("/dados/gestao/pedidos/")
    assert response.status_code == 200
    html = response.content.decode()
    assert (hidden[0].protocol in html) is sees_a
    assert (other[0].protocol in html) is sees_unassigned


@pytest.mark.parametrize("who", ["citizen_a", "admin_y"])
def test_staff_list_404_for_non_staff(request, client_for, town_x, who):
    client = client_for(request.getfixturevalue(who), town_x)
    assert client.get("/dados/gestao/pedidos/").status_code == 404


def test_staff_list_403_with_reason_for_staff_without_the_role(client_for, town_x, plain_staff_x):
    response = client_for(plain_staff_x, town_x).get("/dados/gestao/pedidos/")
    assert response.status_code == 403
    assert "Você não tem o papel Editor de dados abertos" in response.content.decode()


def test_identity_visible_to_unit_when_not_hidden(
    client_for, town_x, unit_x_a, submit, data_editor_x
):
    data_request, _ = submit(town_x, hide_identity=False)
    actions.assign_unit(None, data_request, unit_x_a)
    html = (
        client_for(data_editor_x, town_x)
        .get(f"/dados/gestao/pedidos/{data_request.protocol}/")
        .content.decode()
    )
    assert EMAIL_A in html and "Identidade preservada" not in html


def test_only_admin_reveals_hidden_identity_with_reason(
    client_for, town_x, hidden, data_editor_x, admin_x
):
    data_request, _ = hidden
    url = f"/dados/gestao/pedidos/{data_request.protocol}/"
    editor = client_for(data_editor_x, town_x)
    assert "Ver identidade" not in editor.get(url).content.decode()
    refused = editor.post(url, {"acao": "reveal", "reveal-reason": "quero ver"})
    assert refused.status_code == 422 and no_personal_data(refused.content.decode())
    admin = client_for(admin_x, town_x)
    assert "Ver identidade" in admin.get(url).content.decode()
    assert no_personal_data(admin.get(url).content.decode())
    shown = admin.post(url, {"acao": "reveal", "reveal-reason": "Contato para esclarecer"})
    assert shown.status_code == 200 and EMAIL_A in shown.content.decode()
    # not remembered: the next visit hides it again
    assert no_personal_data(admin.get(url).content.decode())


def test_staff_answer_through_the_page(
    client_for, town_x, hidden, data_editor_x, data_editor_x_other, published_dataset
):
    data_request, _ = hidden
    url = f"/dados/gestao/pedidos/{data_request.protocol}/"
    form = {
        "acao": "answer",
        "answer-outcome": Outcome.GRANTED,
        "answer-dataset": str(published_dataset.pk),
        "answer-text": "Publicado.",
    }
    assert client_for(data_editor_x_other, town_x).post(url, form).status_code == 403
    assert DataRequest.objects.get(pk=data_request.pk).status == Status.IN_ANALYSIS
    response = client_for(data_editor_x, town_x).post(url, form)
    assert response.status_code == 302
    data_request = DataRequest.objects.get(pk=data_request.pk)
    assert data_request.status == Status.ANSWERED and data_request.dataset == published_dataset
    public = client_for(None, town_x).get(f"/dados/pedidos/{data_request.protocol}/")
    assert "/dataset/frota-combustivel/" in public.content.decode()


def test_staff_form_errors_are_shown(client_for, town_x, hidden, data_editor_x):
    data_request, _ = hidden
    url = f"/dados/gestao/pedidos/{data_request.protocol}/"
    response = client_for(data_editor_x, town_x).post(
        url, {"acao": "answer", "answer-outcome": Outcome.GRANTED, "answer-text": "Sem conjunto"}
    )
    assert response.status_code == 422
    assert "indique o conjunto" in response.content.decode()


def test_requester_appeals_through_tracking_page(client_for, town_x, hidden, data_editor_x):
    data_request, token = hidden
    actions.answer_request(data_editor_x, data_request, outcome=Outcome.DENIED, text="Não.")
    anon = client_for(None, town_x)
    url = f"/dados/pedidos/acompanhar/{token}/"
    assert "Recorrer da resposta" in anon.get(url).content.decode()
    response = anon.post(url, {"text": "A base é pública."})
    assert response.status_code == 302
    assert DataRequest.objects.get(pk=data_request.pk).status == Status.APPEALED
    again = anon.post(url, {"text": "De novo."})
    assert again.status_code == 422
    # the public never sees the appeal's text
    public = anon.get(f"/dados/pedidos/{data_request.protocol}/").content.decode()
    assert "A base é pública." not in public and "Recurso apresentado" in public
