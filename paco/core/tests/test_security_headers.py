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


def test_contrast_toggle_is_a_get_form_without_csrf_token(anon_x):
    page = anon_x.get("/acessibilidade/").content.decode()
    assert 'class="contraste" method="get"' in page
    assert "csrfmiddlewaretoken" not in page
    assert anon_x.post("/contraste/", {"next": "/"}).status_code == 405


def test_contrast_toggle_sets_cookie_and_stays_on_site(anon_x):
    response = anon_x.get("/contraste/", {"next": "https://evil.example/"})
    assert response.status_code == 302
    assert response["Location"] == "/"
    assert response.cookies["contraste"].value == "alto"
    page = anon_x.get("/acessibilidade/")
    assert 'class="alto-contraste"' in page.content.decode()
