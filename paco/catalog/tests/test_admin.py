import pytest

from paco.audit.models import AuditEntry
from paco.catalog.models import Audience, Service, ServiceVersion

from .conftest import add, detail

ADD_URL = "/gestao/catalog/service/add/"


def form_data(unit, **extra):
    data = {
        "name": "Poda de árvore",
        "slug": "poda-de-arvore",
        "acronym": "",
        "status": "published",
        "popular_names": "poda\ncorte de galho",
        "description": "O requerente deve protocolizar o pedido.",
        "unit": str(unit.pk),
        "contact": "",
        "audiences": [str(Audience.objects.get(slug="cidadaos").pk)],
        "keywords": "árvore",
        "legislation": "Lei 1/2000",
        "time_kind": "ate",
        "time_min": "",
        "time_max": "30",
        "time_unit": "dias-corridos",
        "time_description": "",
        "priority": "",
        "accessibility": "",
        "service_standards": "",
        "complaints": "",
        "digital_status": "presencial",
        "digital_url": "",
        "digitization_note": "",
        "digitization_planned_for": "",
        "last_reviewed": "",
        "requesters-TOTAL_FORMS": "1",
        "requesters-INITIAL_FORMS": "0",
        "requesters-0-kind": "Moradores",
        "requesters-0-requirements": "Morar na cidade",
        "steps-TOTAL_FORMS": "1",
        "steps-INITIAL_FORMS": "0",
        "steps-0-order": "1",
        "steps-0-title": "Pedir a poda",
        "steps-0-description": "Ligue para nós.",
        "steps-0-documents": "RG\nComprovante de endereço",
    }
    data.update(extra)
    return data


def test_catalog_editor_adds_with_inlines_and_version(
    town_x, unit_x_a, catalog_editor_x, client_for
):
    client = client_for(catalog_editor_x, town_x)
    assert client.get(ADD_URL).status_code == 200
    response = client.post(ADD_URL, form_data(unit_x_a))
    assert response.status_code == 302, response.content.decode()[:3000]
    service = Service.objects.get()
    assert service.municipality == town_x
    version = ServiceVersion.objects.get(service=service)
    # the version was taken after the inlines were saved
    assert version.data["solicitantes"]["solicitante"][0]["tipo"] == "Moradores"
    assert version.data["etapas"][0]["documentos"]["documentos"] == [
        {"nome": "RG"},
        {"nome": "Comprovante de endereço"},
    ]
    assert version.author == catalog_editor_x
    assert AuditEntry.objects.filter(action="service.create", actor=catalog_editor_x).exists()
    assert " pod" in service.search_document
    # the change form shows the plain-language hints (advisory only: it was saved)
    html = client.get(f"/gestao/catalog/service/{service.pk}/change/").content.decode()
    assert "Indicação de linguagem simples" in html
    assert "requerente" in html and "Jargão" in html
    assert "catalog/plainlanguage.js" in html


def test_change_creates_new_version_viewable_by_staff(
    town_x, unit_x_a, catalog_editor_x, plan_editor_x, client_for
):
    (service,) = add(town_x, detail("Vacinação", unit_x_a))
    client = client_for(catalog_editor_x, town_x)
    url = f"/gestao/catalog/service/{service.pk}/change/"
    step = service.steps.get()
    data = form_data(
        unit_x_a,
        name="Vacinação",
        slug=service.slug,
        description="Texto claro.",
        **{
            "requesters-TOTAL_FORMS": "0",
            "steps-INITIAL_FORMS": "1",
            "steps-0-id": str(step.pk),
            "steps-0-service": str(service.pk),
        },
    )
    assert client.post(url, data).status_code == 302
    assert list(service.versions.values_list("number", flat=True)) == [2, 1]
    assert service.versions.get(number=1).data["descricao"] == "Descrição do serviço Vacinação."
    staff = client_for(plan_editor_x, town_x)
    listing = staff.get(f"/gestao/catalog/serviceversion/?service__id__exact={service.pk}")
    assert listing.status_code == 200
    v1 = service.versions.get(number=1)
    page = staff.get(f"/gestao/catalog/serviceversion/{v1.pk}/change/")
    assert page.status_code == 200
    assert "Descrição do serviço Vacinação." in page.content.decode()


def test_plan_editor_cannot_add_or_change(town_x, unit_x_a, plan_editor_x, client_for):
    (service,) = add(town_x, detail("Vacinação", unit_x_a))
    client = client_for(plan_editor_x, town_x)
    assert client.get(ADD_URL).status_code == 403
    assert client.post(ADD_URL, form_data(unit_x_a)).status_code == 403
    url = f"/gestao/catalog/service/{service.pk}/change/"
    assert client.post(url, form_data(unit_x_a, name="Hackeado")).status_code == 403
    service.refresh_from_db()
    assert service.name == "Vacinação"


def test_unit_scoped_editor_cannot_change_other_unit(
    town_x, unit_x_a, unit_x_b, plain_staff_x, client_for
):
    (service,) = add(town_x, detail("Vacinação", unit_x_a))
    client = client_for(plain_staff_x, town_x)
    url = f"/gestao/catalog/service/{service.pk}/change/"
    assert client.post(url, form_data(unit_x_a, name="Outro")).status_code == 403
    assert Service.objects.get().name == "Vacinação"


@pytest.mark.parametrize("who", ["anonymous", "citizen_a", "admin_y"])
def test_outsiders_are_sent_to_login(request, who, town_x, unit_x_a, client_for):
    (service,) = add(town_x, detail("Vacinação", unit_x_a))
    user = None if who == "anonymous" else request.getfixturevalue(who)
    client = client_for(user, town_x)
    for url in (
        ADD_URL,
        "/gestao/catalog/service/",
        f"/gestao/catalog/service/{service.pk}/change/",
    ):
        response = client.get(url)
        assert response.status_code == 302
        assert "/login/" in response["Location"]
    assert client.post(ADD_URL, form_data(unit_x_a)).status_code == 302
    assert Service.objects.count() == 1


def test_admin_of_y_does_not_see_x_services_on_y_host(
    town_x, unit_x_a, admin_y, client_for, town_y
):
    (service,) = add(town_x, detail("Vacinação", unit_x_a))
    client = client_for(admin_y, town_y)
    assert client.get("/gestao/catalog/service/").status_code == 200
    assert client.get(f"/gestao/catalog/service/{service.pk}/change/").status_code == 302
    assert "Vacinação" not in client.get("/gestao/catalog/service/").content.decode()


def test_services_cannot_be_deleted_but_archived(town_x, unit_x_a, catalog_editor_x, client_for):
    (service,) = add(town_x, detail("Vacinação", unit_x_a))
    client = client_for(catalog_editor_x, town_x)
    assert client.get(f"/gestao/catalog/service/{service.pk}/delete/").status_code == 403
    response = client.post(
        "/gestao/catalog/service/",
        {"action": "archive", "_selected_action": [str(service.pk)]},
    )
    assert response.status_code == 302
    service.refresh_from_db()
    assert service.status == "archived"


def test_step_page_edits_costs_and_channels(town_x, unit_x_a, catalog_editor_x, client_for):
    (service,) = add(town_x, detail("Habite-se", unit_x_a))
    step = service.steps.get()
    channel = step.channels.get()
    client = client_for(catalog_editor_x, town_x)
    url = f"/gestao/catalog/step/{step.pk}/change/"
    assert client.get(url).status_code == 200
    data = {
        "order": "1",
        "title": "Pedir",
        "description": "Faça o pedido.",
        "documents": "RG",
        "costs-TOTAL_FORMS": "1",
        "costs-INITIAL_FORMS": "0",
        "costs-0-description": "Taxa de vistoria",
        "costs-0-value": "85.00",
        "channels-TOTAL_FORMS": "1",
        "channels-INITIAL_FORMS": "1",
        "channels-0-id": str(channel.pk),
        "channels-0-step": str(step.pk),
        "channels-0-kind": "presencial",
        "channels-0-description": "Praça 1",
        "channels-0-waiting_time": "",
    }
    response = client.post(url, data)
    assert response.status_code == 302, response.content.decode()[:2000]
    latest = service.versions.latest("number")
    assert latest.number == 2
    assert latest.data["etapas"][0]["custos"]["custos"][0]["valor"] == "85.00"
    assert latest.data["gratuito"] is False


def test_unit_choices_follow_the_editor_scope(
    town_x, unit_x_a, unit_x_b, plain_staff_x, catalog_editor_x, client_for
):
    scoped = client_for(plain_staff_x, town_x).get(ADD_URL)
    assert list(scoped.context["adminform"].form.fields["unit"].queryset) == [unit_x_b]
    full = client_for(catalog_editor_x, town_x).get(ADD_URL)
    assert set(full.context["adminform"].form.fields["unit"].queryset) >= {unit_x_a, unit_x_b}
