"""A citizen requests a service on a 360 px phone without JavaScript: errors next to the
fields, a hostile file refused, the draft kept, the CEP button, the protocol at the end."""

from __future__ import annotations

import os
from pathlib import Path
from typing import Any

import pytest

from paco.browser_tests.conftest import DemoSite
from paco.browser_tests.support import PageReport, Visitor, listing, run_axe

pytestmark = pytest.mark.browser
FORM = "/servicos/conserto-de-buraco-na-rua-tapa-buraco/solicitar/"


def _check(visitor: Visitor, label: str, problems: dict[str, list[str]]) -> None:
    found = [v.describe() for v in run_axe(visitor.page)]
    overflow = visitor.page.evaluate("document.scrollingElement.scrollWidth - window.innerWidth")
    if overflow > 1:
        found.append(f"{overflow}px de rolagem horizontal a 360 px")
    if found:
        problems[label] = found
    shots = os.environ.get("PACO_SCREENSHOTS_DIR")
    if shots:
        visitor.collect(PageReport(url=visitor.page.url, path=FORM), axe=False, shot_suffix=label)


def _submit(page: Any, name: str) -> None:
    with page.expect_navigation(wait_until="load"):
        page.get_by_role("button", name=name, exact=True).click()


def test_request_a_service_on_a_phone_without_javascript(
    browser: Any, demo_site: DemoSite, tmp_path: Path
) -> None:
    phone = Visitor(browser, demo_site.base_url, width=360, height=740, javascript=False)
    checker = Visitor(browser, demo_site.base_url, width=360, height=740)
    problems: dict[str, list[str]] = {}
    try:
        page = phone.page
        page.goto(phone.url(FORM))
        page.get_by_label("Descreva o seu pedido").fill("Buraco grande perto da escola.")
        page.get_by_label("Sim", exact=True).check()
        hostile = tmp_path / "foto.png"
        hostile.write_bytes(b"MZ\x90\x00 not an image at all")
        page.get_by_label("Foto do buraco").set_input_files(str(hostile))
        _submit(page, "Enviar o pedido")
        main = page.locator("main").inner_text()
        assert "O pedido ainda não foi enviado" in main
        assert "Informe seu nome." in page.locator("#id_nome_error").inner_text()
        assert "não é JPEG ou PNG" in page.locator("#id_campo_foto_error").inner_text()
        assert page.get_by_label("Descreva o seu pedido").input_value().startswith("Buraco grande")
        # the CEP button fills the street, the draft keeps everything
        page.get_by_label("CEP").fill("89990-020")
        _submit(page, "Buscar o endereço pelo CEP")
        address = page.get_by_label("Endereço ou ponto de referência").input_value()
        assert address.startswith("Rua XV de Novembro")
        page.get_by_label("Endereço ou ponto de referência").fill("Rua XV de Novembro, 120")
        page.get_by_label("Não", exact=True).check()
        page.get_by_label("Seu nome").fill("Ana Teste")
        _submit(page, "Salvar rascunho")
        assert "Rascunho salvo" in page.locator("main").inner_text()
        page.goto(phone.url(FORM))
        assert "Você tem um rascunho" in page.locator("main").inner_text()
        assert page.get_by_label("Seu nome").input_value() == "Ana Teste"
        _submit(page, "Enviar o pedido")
        text = page.locator("main").inner_text()
        assert "Pedido enviado" in text and "Número do protocolo" in text, text
        assert "Código de acesso" in text
    finally:
        phone.close()
    # axe and the 360 px layout of the form's states, in a browser with JavaScript
    try:
        checker.page.goto(checker.url(FORM))
        _check(checker, "-vazio", problems)
        page = checker.page
        page.get_by_role("button", name="Enviar o pedido", exact=True).click()
        page.wait_for_load_state("load")
        _check(checker, "-erros", problems)
    finally:
        checker.close()
    assert not problems, "Formulário de pedido a 360 px:" + listing(problems)
