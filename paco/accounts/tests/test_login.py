"""Login page (/conta/entrar/), logout (POST /conta/sair/) and the back office's login."""

from django.test import Client

from paco.accounts.tests.helpers import PASSWORD, login


def test_login_page_is_accessible_pt_br_form(anon_x):
    response = anon_x.get("/conta/entrar/")
    assert response.status_code == 200
    html = response.content.decode()
    assert '<html lang="pt-BR"' in html
    assert html.count("<h1") == 1
    assert 'name="csrfmiddlewaretoken"' in html
    assert '<label for="id_username"' in html
    assert '<label for="id_password"' in html
    assert '<label for="id_otp_token"' in html
    assert "style=" not in html
    assert "<script" not in html


def test_login_needs_csrf(town_x, admin_x):
    client = Client(HTTP_HOST="x.paco.test", enforce_csrf_checks=True)
    response = client.post("/conta/entrar/", {"username": "admin_x", "password": PASSWORD})
    assert response.status_code == 403


def test_good_password_logs_in_and_goes_to_back_office(anon_x, admin_x):
    response = login(anon_x, "admin_x", PASSWORD)
    assert response.status_code == 302
    assert response["Location"] == "/gestao/"
    assert anon_x.get("/gestao/").status_code == 200


def test_wrong_password_shows_pt_br_error_and_keeps_username(anon_x, admin_x):
    response = login(anon_x, "admin_x", "errada-errada-123")
    assert response.status_code == 200
    html = response.content.decode()
    assert "Usuário ou senha incorretos" in html
    assert 'value="admin_x"' in html
    assert "_auth_user_id" not in anon_x.session


def test_next_parameter_is_followed_only_on_site(anon_x, admin_x):
    response = login(anon_x, "admin_x", PASSWORD, next_url="/gestao/accounts/")
    assert response["Location"] == "/gestao/accounts/"
    anon_x.post("/conta/sair/")
    response = login(anon_x, "admin_x", PASSWORD, next_url="https://evil.example/")
    assert response["Location"] == "/gestao/"


def test_logout_is_post_only(anon_x, admin_x):
    login(anon_x, "admin_x", PASSWORD)
    assert anon_x.get("/conta/sair/").status_code == 405
    response = anon_x.post("/conta/sair/")
    assert response.status_code == 302
    assert anon_x.get("/gestao/").status_code == 302


def test_back_office_sends_anonymous_to_the_same_login_form(anon_x, admin_x):
    response = anon_x.get("/gestao/")
    assert response.status_code == 302
    assert response["Location"].startswith("/gestao/login/")
    page = anon_x.get(response["Location"])
    assert page.status_code == 200
    assert 'name="otp_token"' in page.content.decode()
    done = anon_x.post(
        "/gestao/login/?next=/gestao/", {"username": "admin_x", "password": PASSWORD}
    )
    assert done.status_code == 302
    assert done["Location"] == "/gestao/"
    assert anon_x.get("/gestao/").status_code == 200


def test_back_office_access_matrix(client_for, town_x, town_y, admin_x, admin_y, citizen_a):
    assert client_for(admin_x, town_x).get("/gestao/").status_code == 200
    assert client_for(admin_y, town_x).get("/gestao/").status_code == 302
    assert client_for(citizen_a, town_x).get("/gestao/").status_code == 302
    assert client_for(None, town_x).get("/gestao/").status_code == 302


def test_back_office_password_change_link_uses_the_audited_view(client_for, town_x, admin_x):
    response = client_for(admin_x, town_x).get("/gestao/password_change/")
    assert response.status_code == 302
    assert response["Location"] == "/conta/senha/"
