"""The embeddable preview widget (/dados/embed/<resource>/): its own CSP, framable, no cookies."""

from __future__ import annotations

import pytest

from paco.opendata.testing import opendata_storage, publish_table  # noqa: F401

pytestmark = [pytest.mark.django_db, pytest.mark.usefixtures("opendata_storage")]


def directives(header):
    return {part.split()[0]: part.split()[1:] for part in header.split(";") if part.strip()}


def test_widget_shows_the_table_and_may_be_framed(town_x, unit_x_a, anon_x):
    resource = publish_table(town_x, unit_x_a, title="Despesas")
    response = anon_x.get(f"/dados/embed/{resource.pk}/")
    assert response.status_code == 200
    text = response.content.decode()
    assert "Papelaria Central Ltda" in text and "1.234,56" in text
    assert "linhas 1 a 5 de 5" in text
    assert 'href="http://x.paco.test/dataset/despesas/"' in text
    policy = directives(response["Content-Security-Policy"])
    assert policy["frame-ancestors"] == ["*"]
    assert policy["default-src"] == ["'none'"]
    assert policy["style-src"] == ["'self'"]
    assert "script-src" not in policy  # falls back to default-src 'none'
    assert "X-Frame-Options" not in response
    assert not response.cookies
    assert "<script" not in text and 'style="' not in text
    assert "/static/portal/embed.css" in text


def test_rest_of_the_site_keeps_frame_ancestors_none(town_x, unit_x_a, anon_x):
    resource = publish_table(town_x, unit_x_a)
    response = anon_x.get("/dataset/despesas/")
    assert directives(response["Content-Security-Policy"])["frame-ancestors"] == ["'none'"]
    assert response["X-Frame-Options"] == "DENY"
    # the dataset page offers the copy-paste snippet
    snippet = f"&lt;iframe src=&quot;http://x.paco.test/dados/embed/{resource.pk}/&quot;"
    assert snippet in response.content.decode()


def test_widget_pages_and_sorts(town_x, unit_x_a, anon_x):
    csv_text = "n;nome\n" + "".join(f"{i};item {i}\n" for i in range(1, 41))
    resource = publish_table(town_x, unit_x_a, csv_text=csv_text)
    text = anon_x.get(f"/dados/embed/{resource.pk}/", {"ordenar": "-n", "pagina": 2}).content
    text = text.decode()
    assert "linhas 16 a 30 de 40" in text
    assert '<td data-label="nome">item 25</td>' in text and ">item 40</td>" not in text


def test_widget_is_cacheable_and_keeps_its_policy_on_a_hit(town_x, unit_x_a, anon_x, settings):
    resource = publish_table(town_x, unit_x_a)
    settings.PACO_PAGE_CACHE_SECONDS = 60
    first = anon_x.get(f"/dados/embed/{resource.pk}/")
    second = anon_x.get(f"/dados/embed/{resource.pk}/")
    assert second["X-Paco-Cache"] == "hit"
    assert second["Content-Security-Policy"] == first["Content-Security-Policy"]
    assert "X-Frame-Options" not in second


def test_widget_only_for_published_tables(town_x, town_y, unit_x_a, anon_x, client_for):
    draft = publish_table(town_x, unit_x_a, dataset="rascunho", publish_dataset=False)
    assert anon_x.get(f"/dados/embed/{draft.pk}/").status_code == 404
    pdf = publish_table(town_x, unit_x_a, dataset="relatorio", filename="relatorio.pdf",
                        content=b"%PDF-1.4\n%%EOF\n")  # fmt: skip
    assert anon_x.get(f"/dados/embed/{pdf.pk}/").status_code == 404
    table = publish_table(town_x, unit_x_a)
    assert client_for(None, town_y).get(f"/dados/embed/{table.pk}/").status_code == 404
