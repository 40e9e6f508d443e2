def test_public_pages_send_strict_security_headers(anon_x):
    response = anon_x.get("/acessibilidade/")
    assert response.status_code == 200
    csp = response["Content-Security-Policy"]
    assert "script-src 'self'" in csp
    assert "'unsafe-inline'" not in csp
    assert "frame-ancestors 'none'" in csp
    assert response["X-Content-Type-Options"] == "nosniff"
    assert response["Referrer-Policy"] == "strict-origin-when-cross-origin"
    assert response["X-Frame-Options"] == "DENY"


def test_contrast_toggle_needs_csrf(town_x):
    from django.test import Client

    client = Client(HTTP_HOST="x.paco.test", enforce_csrf_checks=True)
    assert client.post("/contraste/", {"next": "/"}).status_code == 403


def test_contrast_toggle_sets_cookie_and_stays_on_site(anon_x):
    response = anon_x.post("/contraste/", {"next": "https://evil.example/"})
    assert response.status_code == 302
    assert response["Location"] == "/"
    assert response.cookies["contraste"].value == "alto"
    page = anon_x.get("/acessibilidade/")
    assert 'class="alto-contraste"' in page.content.decode()
