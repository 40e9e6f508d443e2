"""Staff build a service's form at /servicos/gestao/<slug>/formulario/ (formsets, no JS)."""

from __future__ import annotations

import pytest
from django.urls import reverse

from paco.accounts.models import Role
from paco.audit.models import AuditEntry
from paco.catalog.tests.conftest import add, detail
from paco.conftest import make_staff
from paco.requestforms import actions
from paco.requestforms.models import DocumentRequirement, FormField, ServiceForm

pytestmark = pytest.mark.django_db


@pytest.fixture
def service(town_x, unit_x_a):
    item = detail("Alvará de reforma", unit_x_a)
    item["etapas"][0]["documentos"] = {
        "documentos": [{"nome": "Planta da reforma"}, {"nome": "Alvará de construção anterior"}],
        "casos": [],
    }
    (service,) = add(town_x, item)
    return service


def url(service):
    return reverse("requestforms:staff_form", args=[service.slug])


def management(prefix, total, initial):
    return {f"{prefix}-TOTAL_FORMS": total, f"{prefix}-INITIAL_FORMS": initial,
            f"{prefix}-MIN_NUM_FORMS": 0, f"{prefix}-MAX_NUM_FORMS": 1000}  # fmt: skip


def test_the_charter_editor_page_links_to_the_form_builder(client_for, town_x, service, admin_x):
    page = client_for(admin_x, town_x).get(reverse("catalog:staff_edit", args=[service.slug]))
    assert url(service) in page.content.decode()


def test_create_then_build_a_form_with_a_conditional_question(client_for, town_x, service, admin_x):
    client = client_for(admin_x, town_x)
    assert "Criar o formulário" in client.get(url(service)).content.decode()
    client.post(url(service))
    form = ServiceForm.objects.get(service=service)
    assert not form.enabled
    docs = list(form.documents.all())
    assert [d.name for d in docs] == ["Planta da reforma", "Alvará de construção anterior"]
    assert [d.issued_by_town for d in docs] == [False, True]
    data = {
        "config-enabled": "on", "config-requires_location": "on",
        **management("perguntas", 2, 0),
        "perguntas-0-position": 1, "perguntas-0-key": "tem-arquiteto",
        "perguntas-0-label": "Tem arquiteto?",
        "perguntas-0-kind": "sim_nao", "perguntas-0-max_size_mb": 10,
        "perguntas-1-position": 2, "perguntas-1-key": "cau", "perguntas-1-label": "Registro no CAU",
        "perguntas-1-kind": "texto", "perguntas-1-required_if_key": "tem-arquiteto",
        "perguntas-1-required_if_value": "sim", "perguntas-1-max_size_mb": 10,
        **management("documentos", 2, 2),
        "documentos-0-id": docs[0].pk, "documentos-0-required": "on",
        "documentos-0-ask_online": "on",
        "documentos-0-file_types": "pdf", "documentos-0-max_size_mb": 5,
        "documentos-1-id": docs[1].pk, "documentos-1-issued_by_town": "on",
        "documentos-1-file_types": "pdf", "documentos-1-max_size_mb": 5,
    }  # fmt: skip
    response = client.post(url(service), data)
    assert response.status_code == 302, response.content.decode()[:2000]
    form.refresh_from_db()
    assert form.enabled and form.requires_location
    assert list(form.fields.values_list("key", "required_if_key")) == [
        ("tem-arquiteto", ""),
        ("cau", "tem-arquiteto"),
    ]
    assert DocumentRequirement.objects.get(pk=docs[0].pk).required
    assert AuditEntry.objects.filter(action="requestform.update").exists()
    # a document the town issues cannot be made required
    data["documentos-1-required"] = "on"
    refused = client.post(url(service), data)
    assert refused.status_code == 400
    assert "não pode ser exigido do cidadão" in refused.content.decode()
    # a condition about a question that does not exist
    data.pop("documentos-1-required")
    data["perguntas-2-required_if_key"] = "nao-existe"
    data.update({"perguntas-TOTAL_FORMS": 3, "perguntas-2-position": 3, "perguntas-2-key": "x",
                 "perguntas-2-label": "X", "perguntas-2-kind": "texto",
                 "perguntas-2-required_if_value": "a", "perguntas-2-max_size_mb": 10})  # fmt: skip
    page = client.post(url(service), data).content.decode()
    assert "Não há pergunta com este identificador." in page
    assert FormField.objects.count() == 2


def test_the_database_refuses_a_required_document_the_town_issues(service):
    from django.db import IntegrityError, transaction

    form = actions.create_form(None, service)
    doc = form.documents.get(issued_by_town=True)
    doc.required = True
    with pytest.raises(IntegrityError), transaction.atomic():
        doc.save()


def test_access_follows_the_charter_editor_role_of_the_unit(
    client_for, town_x, town_y, service, unit_x_b, admin_y
):
    other_unit = make_staff("carta_b", town_x, Role.CATALOG_EDITOR, unit_x_b)
    refused = client_for(other_unit, town_x).get(url(service))
    assert refused.status_code == 403 and "não está entre as unidades" in refused.content.decode()
    assert client_for(admin_y, town_y).get(url(service)).status_code == 404
    anonymous = client_for(None, town_x).get(url(service))
    assert anonymous.status_code == 302 and "/conta/entrar/" in anonymous["Location"]


def test_the_form_follows_the_carta_when_a_step_document_changes(service):
    form = actions.create_form(None, service)
    step = service.steps.get()
    step.documents = "Planta da reforma\nMemorial descritivo"
    step.save()
    actions.save_form(None, form)
    assert list(form.documents.values_list("name", flat=True)) == [
        "Planta da reforma",
        "Memorial descritivo",
    ]
