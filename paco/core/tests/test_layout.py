"""The shared layout (base.html): header, footer links, contrast toggle, skip link."""

import re

from django.core.files.base import ContentFile

SVG = (
    b'<svg xmlns="http://www.w3.org/2000/svg" viewBox="0 0 1 1"><rect width="1" height="1"/></svg>'
)


def footer(html: str) -> str:
    return html[html.index('<footer class="rodape">') :]


def test_footer_links_to_national_portals(anon_x, town_x, settings):
    town_x.open_data_portal_url = "https://dados.gov.br/dados/organizacoes/visualizar/town-x"
    town_x.save()
    html = footer(anon_x.get("/acessibilidade/").content.decode())
    assert f'href="{settings.PACO_NATIONAL_SERVICES_PORTAL}"' in html
    assert 'href="https://dados.gov.br/dados/organizacoes/visualizar/town-x"' in html
    assert 'href="mailto:contato@x.paco.test"' in html


def test_footer_omits_open_data_link_when_not_set(anon_x, town_x):
    html = footer(anon_x.get("/acessibilidade/").content.decode())
    assert "Portal Brasileiro de Dados Abertos" not in html


def test_header_shows_name_and_logo_when_present(anon_x, town_x):
    html = anon_x.get("/acessibilidade/").content.decode()
    assert "Prefeitura Municipal de Xanxerê do Teste" in html
    assert "marca-logo" not in html
    town_x.logo.save("brasao.svg", ContentFile(SVG))
    from django.core.cache import cache

    cache.clear()
    html = anon_x.get("/acessibilidade/").content.decode()
    assert re.search(r'<img class="marca-logo" src="[^"]*brasao[^"]*\.svg" alt=""', html)


def test_skip_link_comes_first_and_targets_main(anon_x):
    html = anon_x.get("/acessibilidade/").content.decode()
    body = html[html.index("<body>") :]
    first_link = re.search(r"<a [^>]*>", body).group(0)
    assert 'href="#conteudo"' in first_link
    assert '<main id="conteudo" tabindex="-1">' in body


def test_contrast_button_reflects_state(anon_x):
    html = anon_x.get("/acessibilidade/").content.decode()
    assert 'aria-pressed="false"' in html
    assert 'name="next" value="/acessibilidade/"' in html
    anon_x.get("/contraste/", {"next": "/acessibilidade/"})
    html = anon_x.get("/acessibilidade/").content.decode()
    assert 'aria-pressed="true"' in html
    assert '<html lang="pt-BR" class="alto-contraste">' in html


def test_not_found_page_is_in_portuguese(anon_x):
    response = anon_x.get("/nao-existe/")
    assert response.status_code == 404
    html = response.content.decode()
    assert "<h1>Página não encontrada</h1>" in html
    assert html.count("<h1") == 1


def test_favicon_ico_points_to_the_svg_icon(anon_x):
    response = anon_x.get("/favicon.ico")
    assert response.status_code == 301
    assert response["Location"].endswith("paco/favicon.svg")
