"""Editing a service on its task pages at /servicos/gestao/, without the admin."""

from __future__ import annotations

import pytest

from paco.accounts.models import Role
from paco.audit.models import AuditEntry
from paco.catalog.models import Channel, Service, Step
from paco.catalog.tests.conftest import add, detail
from paco.conftest import make_staff

LIST = "/servicos/gestao/"


@pytest.fixture
def service_a(town_x, unit_x_a):
    (service,) = add(town_x, detail("Poda de árvore", unit_x_a, situacao="draft"))
    return service


@pytest.fixture
def service_b(town_x, unit_x_b):
    (service,) = add(town_x, detail("Coleta de entulho", unit_x_b))
    return service


@pytest.fixture
def editor_a(town_x, unit_x_a):
    """Catalog editor of unit A (and below) in X."""
    return make_staff("carta_a", town_x, Role.CATALOG_EDITOR, unit_x_a)


@pytest.fixture
def editor_b(plain_staff_x):
    """Catalog editor of unit B in X: may not edit unit A's services."""
    return plain_staff_x


@pytest.fixture
def editor_y(town_y):
    return make_staff("carta_y", town_y, Role.CATALOG_EDITOR)


@pytest.fixture
def as_a(client_for, editor_a, town_x):
    return client_for(editor_a, town_x)


def _edit(service):
    return f"/servicos/gestao/{service.slug}/"


def _step_url(service, step):
    return f"/servicos/gestao/{service.slug}/etapas/{step.pk}/"


def _section(service, key, **fields):
    """The section's current values (as the page would post them), with ``fields`` changed."""
    from paco.catalog.forms import SECTION_BY_KEY

    form = SECTION_BY_KEY[key].form(instance=service, prefix=key)
    data = {"secao": key}
    for bound in form:
        value = bound.value()
        if value is None:
            continue
        if isinstance(value, list):
            data[bound.html_name] = [str(v) for v in value]
        elif isinstance(value, bool):
            if value:
                data[bound.html_name] = "on"
        else:
            data[bound.html_name] = str(value)
    for name, value in fields.items():
        data[f"{key}-{name}"] = value
    return data


def _formset(prefix, rows, extra=None):
    """POST data of an inline formset: existing ``rows`` (dicts with ``id``) and one extra row."""
    data = {
        f"{prefix}-TOTAL_FORMS": str(len(rows) + 1),
        f"{prefix}-INITIAL_FORMS": str(len(rows)),
        f"{prefix}-MIN_NUM_FORMS": "0",
        f"{prefix}-MAX_NUM_FORMS": "1000",
    }
    for i, row in enumerate([*rows, extra or {}]):
        for name, value in row.items():
            data[f"{prefix}-{i}-{name}"] = value
    return data


# --- who may reach the pages ---------------------------------------------------------------


def test_anonymous_is_sent_to_sign_in(anon_x, service_a):
    for url in (LIST, _edit(service_a)):
        response = anon_x.get(url)
        assert response.status_code == 302 and "/conta/" in response["Location"]


def test_editor_of_the_unit_may_edit(as_a, service_a):
    response = as_a.get(_edit(service_a))
    assert response.status_code == 200
    html = response.content.decode()
    for title in ("O que é", "Quem pode pedir", "Etapas", "Prazo", "Situação", "Histórico"):
        assert title in html


def test_editor_of_another_unit_is_told_why(client_for, editor_b, town_x, service_a):
    response = client_for(editor_b, town_x).get(_edit(service_a))
    assert response.status_code == 403
    step = service_a.steps.get()
    assert client_for(editor_b, town_x).get(_step_url(service_a, step)).status_code == 403


def test_staff_without_the_charter_role_gets_403(client_for, data_editor_x, town_x, service_a):
    client = client_for(data_editor_x, town_x)
    assert client.get(LIST).status_code == 403
    assert client.get(_edit(service_a)).status_code == 403


def test_another_towns_service_is_404(client_for, editor_y, town_y, service_a):
    client = client_for(editor_y, town_y)
    assert client.get(_edit(service_a)).status_code == 404
    step = service_a.steps.get()
    assert client.get(_step_url(service_a, step)).status_code == 404


def test_a_step_of_another_service_is_404(
    client_for, catalog_editor_x, town_x, service_a, service_b
):
    step_b = service_b.steps.get()
    response = client_for(catalog_editor_x, town_x).get(_step_url(service_a, step_b))
    assert response.status_code == 404


# --- the list --------------------------------------------------------------------------------


def test_list_shows_only_the_units_services(as_a, service_a, service_b):
    html = as_a.get(LIST).content.decode()
    assert service_a.name in html and service_b.name not in html
    assert 'class="stack"' in html and 'data-label="Situação"' in html


def test_list_searches_and_filters(client_for, catalog_editor_x, town_x, service_a, service_b):
    client = client_for(catalog_editor_x, town_x)
    html = client.get(LIST, {"q": "entulho"}).content.decode()
    assert service_b.name in html and service_a.name not in html
    html = client.get(LIST, {"unidade": "sa"}).content.decode()
    assert service_a.name in html and service_b.name not in html
    html = client.get(LIST, {"situacao": "draft"}).content.decode()
    assert service_a.name in html and service_b.name not in html


def test_list_queries_do_not_grow_with_services(
    client_for, catalog_editor_x, town_x, unit_x_a, django_assert_max_num_queries
):
    add(town_x, *[detail(f"Serviço {n}", unit_x_a) for n in range(30)])
    client = client_for(catalog_editor_x, town_x)
    with django_assert_max_num_queries(12):
        response = client.get(LIST)
    assert response.content.decode().count('data-label="Serviço"') == 30


# --- editing ---------------------------------------------------------------------------------


def test_a_section_is_saved_audited_and_versioned(as_a, editor_a, service_a):
    versions = service_a.versions.count()
    data = _section(service_a, "o-que-e", description="Corte de galhos em via pública.")
    response = as_a.post(_edit(service_a), data)
    assert response.status_code == 302 and response["Location"].endswith("#o-que-e")
    service_a.refresh_from_db()
    assert service_a.description == "Corte de galhos em via pública."
    assert service_a.versions.count() == versions + 1
    entry = AuditEntry.objects.for_object(service_a).filter(action="service.update").last()
    assert entry.actor == editor_a and "description" in entry.changes
    page = as_a.get(_edit(service_a)).content.decode()
    assert "Histórico" in page and "carta_a" in page
    assert "Partes: o que é" in page


def test_bad_input_shows_errors_in_portuguese_and_keeps_what_was_typed(as_a, service_a):
    data = _section(
        service_a, "prazo", time_kind="entre", time_min="", time_max="10",
        time_unit="dias-uteis", time_description="Depende da vistoria.",
    )  # fmt: skip
    response = as_a.post(_edit(service_a), data)
    assert response.status_code == 200
    html = response.content.decode()
    assert "Informe a quantidade mínima do prazo." in html
    assert "Depende da vistoria." in html
    service_a.refresh_from_db()
    assert service_a.time_description == ""


def test_model_rules_across_sections_come_back_as_errors(as_a, service_a):
    data = _section(service_a, "digital", digital_status="digital", digital_url="")
    html = as_a.post(_edit(service_a), data).content.decode()
    assert "Informe o link do serviço digital." in html


def test_audiences_and_categories_are_saved(as_a, service_a):
    from paco.catalog.models import Audience, Category

    other = Category.objects.create(municipality=service_a.municipality, name="Obras", slug="obras")
    empresas = Audience.objects.get(slug="empresas")
    data = _section(service_a, "para-quem")
    data["para-quem-categories"] = [str(other.pk)]
    data["para-quem-audiences"] = [str(empresas.pk)]
    assert as_a.post(_edit(service_a), data).status_code == 302
    assert list(service_a.categories.all()) == [other]
    assert list(service_a.audiences.all()) == [empresas]


def test_cannot_move_a_service_to_a_unit_one_does_not_edit(as_a, service_a, unit_x_b):
    data = _section(service_a, "onde", unit=str(unit_x_b.pk))
    response = as_a.post(_edit(service_a), data)
    assert response.status_code == 200
    assert "Faça uma escolha válida" in response.content.decode()
    service_a.refresh_from_db()
    assert service_a.unit.slug == "sa"


def test_a_step_is_added_with_the_empty_row(as_a, service_a):
    step = service_a.steps.get()
    rows = [
        {
            "id": str(step.pk),
            "order": "1",
            "title": step.title,
            "description": "",
            "documents": "RG",
        }
    ]
    extra = {"order": "2", "title": "Receber a autorização", "documents": "Protocolo"}
    data = {"secao": "etapas", **_formset("etapas", rows, extra)}
    assert as_a.post(_edit(service_a), data).status_code == 302
    titles = list(service_a.steps.values_list("title", flat=True))
    assert titles == ["Pedir", "Receber a autorização"]
    assert AuditEntry.objects.for_object(service_a).filter(action="service.version").exists()


def test_an_untouched_empty_row_adds_nothing(as_a, service_a):
    data = {"secao": "solicitantes", **_formset("solicitantes", [])}
    assert as_a.post(_edit(service_a), data).status_code == 302
    assert not service_a.requesters.exists()


def test_a_step_is_removed(as_a, service_a):
    step = service_a.steps.get()
    rows = [{"id": str(step.pk), "order": "1", "title": step.title, "DELETE": "on"}]
    data = {"secao": "etapas", **_formset("etapas", rows, {"order": "2"})}  # as the page shows it
    assert as_a.post(_edit(service_a), data).status_code == 302
    assert not service_a.steps.exists()


def test_step_page_changes_the_waiting_time_and_adds_a_cost(as_a, service_a):
    step = service_a.steps.get()
    channel = step.channels.get()
    data = {
        "etapa-order": "1",
        "etapa-title": "Pedir",
        "etapa-description": "Faça o pedido.",
        "etapa-documents": "RG",
        **_formset(
            "canais",
            [
                {
                    "id": str(channel.pk),
                    "step": str(step.pk),
                    "kind": "presencial",
                    "description": "Praça 1",
                    "waiting_time": "até 15 minutos",
                }
            ],
        ),
        **_formset("custos", [], {"description": "Taxa de vistoria", "value": "12,50"}),
    }
    response = as_a.post(_step_url(service_a, step), data)
    assert response.status_code == 302
    assert Channel.objects.get(pk=channel.pk).waiting_time == "até 15 minutos"
    assert [str(c.value) for c in step.costs.all()] == ["12.50"]


def test_step_page_keeps_what_was_typed_on_error(as_a, service_a):
    step = service_a.steps.get()
    data = {
        "etapa-order": "1",
        "etapa-title": "",
        "etapa-description": "Texto novo da etapa.",
        **_formset("canais", [], {"kind": "telefone", "description": "", "waiting_time": "5 min"}),
        **_formset("custos", []),
    }
    response = as_a.post(_step_url(service_a, step), data)
    assert response.status_code == 200
    html = response.content.decode()
    assert "Este campo é obrigatório." in html
    assert "Texto novo da etapa." in html and "5 min" in html
    assert Step.objects.get(pk=step.pk).description == "Faça o pedido."


def test_publishing_reaches_the_public_page_at_once(as_a, anon_x, service_a):
    assert anon_x.get(f"/servicos/{service_a.slug}/").status_code == 404
    response = as_a.post(_edit(service_a), {"secao": "situacao", "situacao-status": "published"})
    assert response.status_code == 302
    assert Service.objects.get(pk=service_a.pk).status == "published"
    assert anon_x.get(f"/servicos/{service_a.slug}/").status_code == 200
    data = _section(Service.objects.get(pk=service_a.pk), "o-que-e", description="Texto novo.")
    as_a.post(_edit(service_a), data)
    assert "Texto novo." in anon_x.get(f"/servicos/{service_a.slug}/").content.decode()
    assert "Ver como o cidadão vê" in as_a.get(_edit(service_a)).content.decode()


def test_reserved_path_is_never_a_service_slug(town_x, unit_x_a):
    (service,) = add(town_x, detail("Gestão", unit_x_a, slug="gestao"))
    assert service.slug != "gestao"
