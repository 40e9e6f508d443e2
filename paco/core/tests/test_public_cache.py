"""The anonymous whole-page cache: hits, invalidation by actions, and what is never cached."""

import pytest

from paco.conftest import HOST_X
from paco.plans.actions import update_stage
from paco.plans.models import Plan, Stage


@pytest.fixture
def cached(settings):
    settings.PACO_PAGE_CACHE_SECONDS = 300


@pytest.fixture
def stage(town_x, unit_x_a):
    plan = Plan.objects.create(municipality=town_x, title="Plano X", slug="plano-x")
    return Stage.objects.create(
        municipality=town_x, plan=plan, number=1, description="Primeira etapa", unit=unit_x_a
    )


def test_second_anonymous_visit_is_a_hit(cached, anon_x, stage):
    first = anon_x.get("/cronograma/")
    second = anon_x.get("/cronograma/")
    assert first["X-Paco-Cache"] == "miss"
    assert second["X-Paco-Cache"] == "hit"
    assert first.content == second.content
    # Middleware headers are added to hits too.
    assert "script-src 'self'" in second["Content-Security-Policy"]


def test_a_committed_change_shows_on_the_next_visit(
    cached, anon_x, stage, admin_x, django_capture_on_commit_callbacks
):
    assert "Primeira etapa" in anon_x.get("/cronograma/").content.decode()
    with django_capture_on_commit_callbacks(execute=True):
        update_stage(admin_x, stage, description="Etapa reescrita")
    page = anon_x.get("/cronograma/")
    assert page["X-Paco-Cache"] == "miss"
    assert "Etapa reescrita" in page.content.decode()


def test_other_municipality_has_its_own_entries(cached, anon_x, stage, client_for, town_y):
    anon_x.get("/cronograma/")
    other = client_for(None, town_y).get("/cronograma/")
    assert other.get("X-Paco-Cache") != "hit"
    assert "Primeira etapa" not in other.content.decode()


def test_logged_in_staff_are_never_served_from_cache(cached, client_for, admin_x, town_x, stage):
    client = client_for(admin_x, town_x)
    client.get("/cronograma/")
    response = client.get("/cronograma/")
    assert "X-Paco-Cache" not in response


def test_contrast_preference_has_its_own_entry(cached, anon_x, stage):
    anon_x.get("/cronograma/")
    anon_x.cookies["contraste"] = "alto"
    response = anon_x.get("/cronograma/")
    assert response["X-Paco-Cache"] == "miss"
    assert 'class="alto-contraste"' in response.content.decode()


def test_pages_with_a_csrf_token_are_not_cached(cached, client_for, town_x):
    client = client_for(None, town_x)
    client.get("/conta/entrar/")
    response = client.get("/conta/entrar/")
    assert "X-Paco-Cache" not in response


def test_a_hit_carries_the_same_security_headers_as_the_miss(cached, anon_x, stage):
    miss = anon_x.get("/cronograma/")
    hit = anon_x.get("/cronograma/")
    assert hit["X-Paco-Cache"] == "hit"
    for header in (
        "Content-Security-Policy",
        "X-Frame-Options",
        "X-Content-Type-Options",
        "Referrer-Policy",
        "Content-Type",
    ):
        assert hit[header] == miss[header], header
    assert "Set-Cookie" not in hit


def test_unmarked_pages_are_never_cached(cached, anon_x, stage):
    anon_x.get("/acessibilidade/")
    assert "X-Paco-Cache" not in anon_x.get("/acessibilidade/")


# --- the hit path is first in the chain (issue 9 §4: throughput) -------------------------


def test_a_hit_runs_no_query_and_sends_a_length(cached, anon_x, stage, django_assert_num_queries):
    anon_x.get("/cronograma/")
    with django_assert_num_queries(0):
        hit = anon_x.get("/cronograma/")
    assert hit["X-Paco-Cache"] == "hit"
    assert hit["Content-Length"] == str(len(hit.content))


def test_a_hit_has_every_header_of_the_miss(cached, settings, anon_x, stage):
    settings.SECURE_HSTS_SECONDS = 3600
    miss = anon_x.get("/cronograma/", secure=True)
    hit = anon_x.get("/cronograma/", secure=True)
    assert (miss["X-Paco-Cache"], hit["X-Paco-Cache"]) == ("miss", "hit")
    own = {"date", "content-length", "x-paco-cache"}
    assert {k: v for k, v in hit.items() if k.lower() not in own} == {
        k: v for k, v in miss.items() if k.lower() not in own
    }
    assert hit["Strict-Transport-Security"].startswith("max-age=3600")


def test_plain_http_is_still_redirected_once_the_https_page_is_cached(
    cached, settings, anon_x, stage
):
    settings.SECURE_SSL_REDIRECT = True
    anon_x.get("/cronograma/", secure=True)
    assert anon_x.get("/cronograma/", secure=True)["X-Paco-Cache"] == "hit"
    response = anon_x.get("/cronograma/")
    assert response.status_code == 301
    assert response["Location"] == f"https://{HOST_X}/cronograma/"


def test_a_changed_security_setting_is_not_served_from_older_entries(
    cached, settings, anon_x, stage
):
    anon_x.get("/cronograma/")
    assert anon_x.get("/cronograma/")["X-Frame-Options"] == "DENY"
    settings.X_FRAME_OPTIONS = "SAMEORIGIN"
    response = anon_x.get("/cronograma/")
    assert response["X-Paco-Cache"] == "miss"
    assert response["X-Frame-Options"] == "SAMEORIGIN"


def test_a_hit_is_keyed_on_the_canonical_host_not_the_port_asked(cached, anon_x, stage):
    anon_x.get("/cronograma/")
    other_port = anon_x.get("/cronograma/", HTTP_HOST=f"{HOST_X}:8443")
    assert other_port["X-Paco-Cache"] == "hit"


def test_a_deactivated_town_stops_answering_at_once(
    cached, anon_x, stage, town_x, django_capture_on_commit_callbacks
):
    anon_x.get("/cronograma/")
    assert anon_x.get("/cronograma/")["X-Paco-Cache"] == "hit"
    with django_capture_on_commit_callbacks(execute=True):
        town_x.is_active = False
        town_x.save()
    response = anon_x.get("/cronograma/")
    assert response.status_code == 404
    assert "X-Paco-Cache" not in response


def test_static_files_skip_the_page_cache(cached, anon_x, stage):
    response = anon_x.get("/static/paco/nao-existe.css")
    assert response.status_code == 404
    assert "X-Paco-Cache" not in response
