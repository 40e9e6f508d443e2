"""The open-data staff pages (``/dados/gestao/``) in chromium, signed in as a data editor.

- every staff page passes axe-core (no serious or critical violation), the CSP and the
  document checks, on a desktop and on a 360 px phone without sideways scrolling;
- their forms work with JavaScript off (create and edit a dataset, upload, LGPD decision,
  publish, data dictionary, API tokens, a request to open a database);
- the whole flow with JavaScript on: a CSV with a CPF column is sent through the upload
  form (the progress-bar path), the review page shows the personal-data finding, the
  editor chooses "mascarar" and publishes, and the public dataset page shows masked CPFs.

The editor covers the demo's root unit; the module adds its own datasets (all named
``…-navegador``) and removes their files afterwards.
"""

from __future__ import annotations

import io
import re
from collections.abc import Iterator
from dataclasses import dataclass
from typing import Any

import pytest
from playwright.sync_api import FilePayload

from paco.browser_tests.conftest import DemoSite
from paco.browser_tests.support import PageReport, Visitor, listing, problems_of, run_axe

pytestmark = pytest.mark.browser

USERNAME = "dados_navegador"
PASSWORD = "Senha-do-navegador-2025"  # noqa: S105 (a test account of the demo town)
#: a table with valid CPFs (check digits right): the screening flags the column
CPF_CSV = (
    "programa;cpf;valor\n"
    "Bolsa atleta;529.982.247-25;400,00\n"
    "Auxílio transporte;111.444.777-35;150,00\n"
    "Bolsa atleta;935.411.347-80;400,00\n"
    "Auxílio transporte;248.438.034-80;150,00\n"
)
RAW_CPFS = ("529.982.247-25", "111.444.777-35", "935.411.347-80", "248.438.034-80")
CPF_FILE: FilePayload = {
    "name": "bolsistas.csv",
    "mimeType": "text/csv",
    "buffer": CPF_CSV.encode(),
}
MASKED_CPFS = ("***.982.247-**", "***.444.777-**", "***.411.347-**", "***.438.034-**")
PLAIN_CSV = "mes;valor\n01/2025;1.000,00\n02/2025;1.250,50\n03/2025;980,00\n"
OVERFLOW = "document.scrollingElement.scrollWidth - window.innerWidth"
WIDEST = """Array.from(document.querySelectorAll('body *'))
  .filter((e) => e.getBoundingClientRect().right > window.innerWidth + 1)
  .slice(0, 4)
  .map((e) => `${e.tagName}.${e.className} ${Math.round(e.getBoundingClientRect().right)}`)"""


@dataclass
class StaffData:
    """What the module adds to the demo town: paths of the pages in each state."""

    published: str  # dataset with a published table
    dictionary: str  # its resource's data-dictionary editor
    review: str  # version waiting for the LGPD decision
    ready: str  # version processed, not published (the publish form)
    queued: str  # version still in the queue (the progress bar)
    empty: str  # draft dataset without resources, for the uploads of the tests
    empty_js: str
    request: str  # request to open a database, assigned to a unit the editor covers
    appealed: str  # the demo's appealed request (the appeal decision form)


@pytest.fixture(scope="module")
def staff_data(demo_site: DemoSite, django_db_blocker: Any) -> Iterator[StaffData]:
    from django.core.files.storage import default_storage

    from paco.accounts.actions import create_staff_user, grant_role
    from paco.accounts.models import Role
    from paco.datarequests import actions as request_actions
    from paco.datarequests import notify
    from paco.datarequests.models import DataRequest, Status
    from paco.opendata import actions
    from paco.opendata.models import ResourceVersion
    from paco.opendata.pipeline.actions import submit_version
    from paco.opendata.pipeline.processing import import_now, run_version
    from paco.opendata.testing import publish_table
    from paco.tenancy.models import Municipality, Unit

    def resource_in(town: Municipality, unit: Unit, name: str, title: str) -> Any:
        dataset = actions.create_dataset(None, town, title=title, unit=unit, name=name)
        return actions.create_resource(None, dataset, title="Tabela", name="tabela")

    def version_path(version: Any) -> str:
        return f"/dados/gestao/recursos/{version.resource_id}/v{version.number}/"

    with django_db_blocker.unblock():
        town = Municipality.objects.get(slug="santa-rita-do-paco")
        units = Unit.objects.for_municipality(town)
        root, works = units.get(acronym="GAB"), units.get(acronym="SEOB")
        editor = create_staff_user(
            None, town, username=USERNAME, password=PASSWORD, first_name="Dora",
            last_name="Dados", email="dora@santaritadopaco.sc.gov.br",
        )  # fmt: skip
        grant_role(None, town, editor, Role.DATA_EDITOR, root)
        published = publish_table(town, works, dataset="receitas-do-navegador",
                                  title="Receitas do navegador")  # fmt: skip
        review = import_now(
            resource_in(town, works, "bolsas-do-navegador", "Bolsas do navegador"),
            io.BytesIO(CPF_CSV.encode()),
            "bolsistas.csv",
        )
        assert review.status == "needs_review", review.personal_data
        ready_resource = resource_in(town, works, "gastos-do-navegador", "Gastos do navegador")
        ready = submit_version(None, ready_resource, io.BytesIO(PLAIN_CSV.encode()), "gastos.csv",
                               enqueue=False)  # fmt: skip
        ready = run_version(ready.pk) or ready
        assert ready.status == "ready", ready.error
        queued_resource = resource_in(town, works, "fila-do-navegador", "Fila do navegador")
        queued = submit_version(None, queued_resource, io.BytesIO(PLAIN_CSV.encode()),
                                "fila.csv", enqueue=False)  # fmt: skip
        for name, title in (("envios-do-navegador", "Envios do navegador"),
                            ("envios-js-do-navegador", "Envios com JS do navegador")):  # fmt: skip
            actions.create_dataset(None, town, title=title, unit=works, name=name)
        with notify.muted():
            data_request, _token = request_actions.submit_request(
                town, title="Podas de árvores por bairro", description="Data e endereço.",
                name="Pessoa de Teste", email="teste@exemplo.org",
            )  # fmt: skip
            request_actions.assign_unit(None, data_request, works)
        appealed = DataRequest.objects.for_municipality(town).filter(status=Status.APPEALED)
        appeal = appealed.first()
        assert appeal is not None, "a demonstração deveria ter um pedido em recurso"
        data = StaffData(
            published="/dados/gestao/conjuntos/receitas-do-navegador/",
            dictionary=f"/dados/gestao/recursos/{published.pk}/dicionario/",
            review=version_path(review),
            ready=version_path(ready),
            queued=version_path(queued),
            empty="/dados/gestao/conjuntos/envios-do-navegador/",
            empty_js="/dados/gestao/conjuntos/envios-js-do-navegador/",
            request=f"/dados/gestao/pedidos/{data_request.protocol}/",
            appealed=f"/dados/gestao/pedidos/{appeal.protocol}/",
        )
    try:
        yield data
    finally:
        with django_db_blocker.unblock():
            ours = ResourceVersion.objects.filter(resource__dataset__name__endswith="navegador")
            for version in ours:
                for name in (version.original, version.parquet):
                    if name and default_storage.exists(name):
                        default_storage.delete(name)


def log_in(visitor: Visitor) -> None:
    page = visitor.page
    visitor.goto(visitor.url("/conta/entrar/?next=/dados/gestao/"))
    page.locator("#id_username").fill(USERNAME)
    page.locator("#id_password").fill(PASSWORD)
    with page.expect_navigation(wait_until="load"):
        page.get_by_role("button", name="Entrar", exact=True).click()
    assert page.url.endswith("/dados/gestao/"), f"o login levou a {page.url}"


@pytest.fixture(scope="module")
def editor(browser: Any, demo_site: DemoSite, staff_data: StaffData) -> Iterator[Visitor]:
    visitor = Visitor(browser, demo_site.base_url)
    log_in(visitor)
    yield visitor
    visitor.close()


@pytest.fixture
def editor_without_js(
    browser: Any, demo_site: DemoSite, staff_data: StaffData
) -> Iterator[Visitor]:
    visitor = Visitor(browser, demo_site.base_url, javascript=False)
    log_in(visitor)
    yield visitor
    visitor.close()


def staff_paths(data: StaffData) -> list[str]:
    return [
        "/dados/gestao/",
        "/dados/gestao/conjuntos/novo/",
        data.published,
        data.published + "editar/",
        data.published + "enviar/",
        data.review,
        data.ready,
        data.queued,
        data.dictionary,
        "/dados/gestao/tokens/",
        "/dados/gestao/portal-nacional/",
        "/dados/gestao/pedidos/",
        "/dados/gestao/pedidos/?ver=todos",
        data.request,
        data.appealed,
        "/gestao/avisos/",  # the servant's notices (the request above told the editor)
        "/gestao/avisos/preferencias/",
    ]


def submit(visitor: Visitor, button: str) -> None:
    page = visitor.page
    with page.expect_navigation(wait_until="load"):
        page.get_by_role("button", name=button, exact=True).click()


def messages(visitor: Visitor) -> str:
    box = visitor.page.locator("main .mensagens")
    return box.inner_text() if box.count() else ""


# --- every page -----------------------------------------------------------------------
def test_staff_pages_are_accessible(editor: Visitor, staff_data: StaffData) -> None:
    problems = {}
    for path in staff_paths(staff_data):
        found = problems_of(editor.visit(path))
        if found:
            problems[path] = found
    assert not problems, "Problemas nas páginas de gestão de dados:" + listing(problems)


def test_staff_pages_show_what_each_state_needs(editor: Visitor, staff_data: StaffData) -> None:
    page = editor.page
    editor.goto(editor.url(staff_data.published + "enviar/"))
    progress = page.locator("#barra-envio")
    assert progress.count() == 1 and not progress.is_visible()  # shown once the upload starts
    assert page.get_by_label("Envio do arquivo").count() == 1
    editor.goto(editor.url(staff_data.queued))
    assert page.get_by_label("Processamento").get_attribute("max") == "100"
    editor.goto(editor.url(staff_data.review))
    findings = page.locator("table", has=page.locator("caption", has_text="dados pessoais"))
    assert "cpf" in findings.inner_text()
    assert page.get_by_role("group", name="Decisão").count() == 1
    editor.goto(editor.url(staff_data.ready))
    assert page.get_by_role("button", name="Publicar a versão 1").count() == 1


def test_staff_pages_fit_a_phone(browser: Any, demo_site: DemoSite, staff_data: StaffData) -> None:
    """At 360 px nothing but the tables' own scrollable regions scrolls sideways."""
    phone = Visitor(browser, demo_site.base_url, width=360, height=740)
    problems: dict[str, list[str]] = {}
    try:
        log_in(phone)
        for path in staff_paths(staff_data):
            report = phone.visit(path, check_skip_link=False)
            found = [v.describe() for v in report.blocking]
            if report.status != 200 or report.error:
                found.append(f"status {report.status} {report.error}")
            overflow = phone.page.evaluate(OVERFLOW)
            if overflow > 0:
                found.append(f"{overflow}px de rolagem horizontal: {phone.page.evaluate(WIDEST)}")
            if found:
                problems[path] = found
    finally:
        phone.close()
    assert not problems, "Gestão de dados num celular de 360 px:" + listing(problems)


def test_staff_pages_in_high_contrast(
    browser: Any, demo_site: DemoSite, staff_data: StaffData
) -> None:
    contrast = Visitor(browser, demo_site.base_url)
    problems: dict[str, list[str]] = {}
    try:
        log_in(contrast)
        contrast.goto(contrast.url("/dados/gestao/"))
        submit(contrast, "Alto contraste")
        assert "alto-contraste" in (contrast.page.get_attribute("html", "class") or "")
        for path in ("/dados/gestao/", "/dados/gestao/conjuntos/novo/", staff_data.review,
                     staff_data.queued, staff_data.request):  # fmt: skip
            report = PageReport(url=contrast.url(path), path=path)
            contrast.goto(report.url)
            contrast.collect(report, shot_suffix="-alto-contraste")
            if report.blocking:
                problems[path] = [v.describe() for v in report.blocking]
    finally:
        contrast.close()
    assert not problems, "Gestão de dados em alto contraste:" + listing(problems)


# --- the whole flow with JavaScript ------------------------------------------------------
def test_upload_errors_come_back_in_the_page(editor: Visitor, staff_data: StaffData) -> None:
    """Sent by the script without a file, the form comes back with its errors, accessible."""
    page = editor.page
    editor.goto(editor.url(staff_data.empty_js + "enviar/"))
    page.locator("#id_resource").select_option(label="Novo recurso…")
    with page.expect_response(lambda r: r.request.method == "POST"):
        page.get_by_role("button", name="Enviar", exact=True).click()
    error = page.locator("#id_file_error")
    error.wait_for()
    assert "obrigatório" in error.inner_text()
    assert page.locator("#id_new_title_error").count() == 1
    blocking = [v.describe() for v in run_axe(page) if v.impact in ("serious", "critical")]
    assert not blocking, blocking


def test_upload_mask_and_publish_in_the_browser(editor: Visitor, staff_data: StaffData) -> None:
    page = editor.page
    editor.goto(editor.url(staff_data.empty_js + "enviar/"))
    page.get_by_label("Título do novo recurso").fill("Bolsistas")
    page.locator("#id_file").set_input_files(files=[CPF_FILE])
    with (
        page.expect_request(lambda r: r.method == "POST") as sent,
        page.expect_navigation(url=re.compile(r"/v1/$"), wait_until="load"),
    ):
        page.get_by_role("button", name="Enviar", exact=True).click()
    # the script sent it (with the progress bar), asking for JSON, not the plain form post
    assert sent.value.resource_type == "xhr"
    assert sent.value.headers.get("accept") == "application/json"

    findings = page.locator("table", has=page.locator("caption", has_text="dados pessoais"))
    assert findings.locator("tbody th").all_inner_texts() == ["cpf"]
    page.get_by_label("Tratar as colunas com dados pessoais antes de publicar").check()
    page.get_by_label("Coluna “cpf”").select_option(label="Mascarar")
    submit(editor, "Registrar decisão")
    assert "Decisão registrada" in messages(editor)
    assert "cpf (mask)" in page.locator("main").inner_text()

    assert page.get_by_label("Publicar também o conjunto de dados").is_checked()
    submit(editor, "Publicar a versão 1")
    assert "Versão 1 publicada." in messages(editor)

    report = editor.visit("/dataset/envios-js-do-navegador/")
    assert report.status == 200 and not report.blocking, [v.describe() for v in report.blocking]
    preview = page.locator("main table").first.inner_text()
    assert all(masked in preview for masked in MASKED_CPFS), preview
    assert not any(raw in page.content() for raw in RAW_CPFS)


# --- the forms without JavaScript --------------------------------------------------------
def test_dataset_forms_work_without_javascript(editor_without_js: Visitor) -> None:
    visitor, page = editor_without_js, editor_without_js.page
    visitor.goto(visitor.url("/dados/gestao/conjuntos/novo/"))
    page.get_by_label("Título").fill("Convênios do navegador")
    page.get_by_label("Identificador").fill("convenios-firmados-navegador")
    page.get_by_label("Unidade").select_option(
        label="Secretaria de Obras e Serviços Urbanos (SEOB)"
    )
    page.get_by_label("Urbanismo").check()
    submit(visitor, "Criar rascunho")
    edit = "/dados/gestao/conjuntos/convenios-firmados-navegador/"
    assert page.url.endswith(edit), page.url
    assert "Conjunto criado como rascunho" in messages(visitor)

    visitor.goto(visitor.url(edit + "editar/"))
    assert page.get_by_label("Identificador").is_disabled()  # the address does not change
    page.get_by_label("Descrição").fill("Convênios firmados pela Prefeitura, por ano.")
    page.get_by_label("Palavras-chave").fill("convênios, repasses")
    submit(visitor, "Salvar")
    assert "Catálogo atualizado." in messages(visitor)
    visitor.goto(visitor.url(edit + "editar/"))
    assert page.get_by_label("Palavras-chave").input_value() == "convênios, repasses"


def test_upload_decision_and_publish_work_without_javascript(
    editor_without_js: Visitor, staff_data: StaffData
) -> None:
    visitor, page = editor_without_js, editor_without_js.page
    visitor.goto(visitor.url(staff_data.empty + "enviar/"))
    page.get_by_label("Título do novo recurso").fill("Bolsistas")
    page.locator("#id_file").set_input_files(files=[CPF_FILE])
    submit(visitor, "Enviar")
    assert re.search(r"/v1/$", page.url), page.locator("main").inner_text()
    assert "Arquivo recebido" in messages(visitor)
    assert "Dados pessoais (LGPD)" in page.locator("main").inner_text()

    page.get_by_label("Publicar como está, com base legal registrada").check()
    page.get_by_role("textbox", name="Base legal").fill(
        "Lei nº 12.527/2011, art. 8º (bolsas pagas)."
    )
    submit(visitor, "Registrar decisão")
    assert "Decisão registrada" in messages(visitor)
    submit(visitor, "Publicar a versão 1")
    assert "Versão 1 publicada." in messages(visitor)
    assert "é a versão publicada agora" in page.locator("main").inner_text()


def test_dictionary_works_without_javascript(
    editor_without_js: Visitor, staff_data: StaffData
) -> None:
    visitor, page = editor_without_js, editor_without_js.page
    visitor.goto(visitor.url(staff_data.dictionary))
    column = page.get_by_role("group", name=re.compile("Coluna “valor”"))
    column.get_by_label("Título").fill("Valor pago")
    column.get_by_label("Unidade de medida").fill("R$")
    submit(visitor, "Salvar o dicionário")
    assert "Dicionário de dados salvo." in messages(visitor)
    column = page.get_by_role("group", name=re.compile("Coluna “valor”"))
    assert column.get_by_label("Título").input_value() == "Valor pago"


def test_tokens_work_without_javascript(editor_without_js: Visitor) -> None:
    visitor, page = editor_without_js, editor_without_js.page
    visitor.goto(visitor.url("/dados/gestao/tokens/"))
    page.get_by_label("Nome do token").fill("Exportação do navegador")
    submit(visitor, "Criar token")
    assert page.get_by_label("Token", exact=True).input_value()
    with page.expect_navigation(wait_until="load"):
        page.get_by_role("button", name="Revogar o token Exportação do navegador").click()
    assert "revogado" in messages(visitor)


def test_request_staff_form_works_without_javascript(
    editor_without_js: Visitor, staff_data: StaffData
) -> None:
    visitor, page = editor_without_js, editor_without_js.page
    visitor.goto(visitor.url(staff_data.request))
    page.get_by_label("Unidade responsável").select_option(
        label="Secretaria de Meio Ambiente (SEMA)"
    )
    submit(visitor, "Encaminhar")
    assert "Pedido encaminhado a" in messages(visitor)
    assert "Secretaria de Meio Ambiente" in page.locator("main").inner_text()


# --- who is told (the administrator's overview of notices) ---------------------------------
ADMIN_USERNAME = "admin_navegador"


def test_notices_overview_for_the_administrator(
    browser: Any, demo_site: DemoSite, staff_data: StaffData, django_db_blocker: Any
) -> None:
    """The administrator's page of who is told of what: axe clean on a desktop and at 360 px
    (only the table's own region may scroll sideways)."""
    from paco.accounts.actions import create_staff_user, grant_role
    from paco.accounts.models import Role, User
    from paco.tenancy.models import Municipality

    with django_db_blocker.unblock():
        if not User.objects.filter(username=ADMIN_USERNAME).exists():
            town = Municipality.objects.get(slug="santa-rita-do-paco")
            admin = create_staff_user(
                None, town, username=ADMIN_USERNAME, password=PASSWORD, first_name="Alda",
                last_name="Administradora", email="alda@santaritadopaco.sc.gov.br",
            )  # fmt: skip
            grant_role(None, town, admin, Role.ADMIN)
    problems: dict[str, list[str]] = {}
    for width, height in ((1280, 900), (360, 740)):
        visitor = Visitor(browser, demo_site.base_url, width=width, height=height)
        try:
            page = visitor.page
            visitor.goto(visitor.url("/conta/entrar/?next=/gestao/avisos/quem-recebe/"))
            page.locator("#id_username").fill(ADMIN_USERNAME)
            page.locator("#id_password").fill(PASSWORD)
            with page.expect_navigation(wait_until="load"):
                page.get_by_role("button", name="Entrar", exact=True).click()
            report = visitor.visit("/gestao/avisos/quem-recebe/", check_skip_link=False)
            found = problems_of(report)
            assert "Quem recebe o quê" in page.locator("h1").inner_text()
            overflow = page.evaluate(OVERFLOW)
            if overflow > 0:
                found.append(f"{overflow}px de rolagem horizontal: {page.evaluate(WIDEST)}")
            if found:
                problems[f"{width}px"] = found
        finally:
            visitor.close()
    assert not problems, "Quem recebe os avisos:" + listing(problems)
