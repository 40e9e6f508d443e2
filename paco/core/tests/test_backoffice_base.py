"""The back office's base classes: town-scoped choices and filters, writes through actions.

Reproductions (issue 8): back-office list filters listed other towns' records by
name (service versions, categories), drafts included; bulk role revocation and
deleting a category, life event or unit wrote no audit entry and left cached
pages stale.
"""

from __future__ import annotations

from typing import Any

import pytest
from django.contrib import admin
from django.contrib.contenttypes.models import ContentType
from django.core.exceptions import ImproperlyConfigured, PermissionDenied
from django.test import RequestFactory

from paco.accounts.models import StaffMembership
from paco.audit.models import AuditEntry
from paco.catalog import actions as catalog
from paco.catalog.models import Category, Service, Status
from paco.conftest import HOST_X
from paco.core.admin import PacoAdminSite, TenantAdmin, site
from paco.core.cache import content_version
from paco.plans.models import Stage, StageChange
from paco.tenancy.actions import save_unit
from paco.tenancy.models import Unit

pytestmark = pytest.mark.django_db


def _request(user: Any, town: Any) -> Any:
    request = RequestFactory(HTTP_HOST=HOST_X).get("/gestao/")
    request.user = user
    request.municipality = town  # type: ignore[attr-defined]
    return request


@pytest.fixture
def draft_of_y(town_y, unit_y):
    category = catalog.save_taxonomy(
        None, Category(municipality=town_y, name="Categoria Secreta Y")
    )
    service = Service(
        municipality=town_y, name="Rascunho Secreto Y", description="x", unit=unit_y,
        status=Status.DRAFT,
    )  # fmt: skip
    catalog.save_service(None, service, is_new=True)
    service.categories.set([category])
    catalog.record_service_version(None, service)
    return service


@pytest.mark.parametrize("page", ["catalog/serviceversion/", "catalog/service/"])
def test_reproduction_list_filters_name_no_other_towns_records(
    client_for, admin_x, town_x, draft_of_y, page
):
    html = client_for(admin_x, town_x).get(f"/gestao/{page}?_facets=1").content.decode()
    assert "Rascunho Secreto Y" not in html
    assert "Categoria Secreta Y" not in html


def test_the_site_refuses_a_page_not_built_on_the_base_classes():
    other = PacoAdminSite(name="outro")
    with pytest.raises(ImproperlyConfigured, match="PacoModelAdmin"):
        other.register(StageChange, admin.ModelAdmin)

    class PlainInline(admin.TabularInline):
        model = StageChange

    class WithPlainInline(TenantAdmin):
        inlines = [PlainInline]

    with pytest.raises(ImproperlyConfigured, match="PacoInline"):
        other.register(Stage, WithPlainInline)


def test_a_page_without_action_backed_writes_refuses_them(admin_x, town_x, unit_x_a):
    class Bare(TenantAdmin):
        """A new page that forgot to route its writes through actions."""

    page = Bare(StageChange, site)
    request = _request(admin_x, town_x)
    assert not page.has_add_permission(request)
    assert not page.has_change_permission(request)
    assert not page.has_delete_permission(request)
    with pytest.raises(PermissionDenied):
        page.save_model(request, StageChange(), None, False)
    with pytest.raises(PermissionDenied):
        page.delete_queryset(request, StageChange.objects.none())


def test_raw_id_labels_name_only_this_towns_records(admin_x, town_x, unit_x_a, unit_y):
    class RawUnit(TenantAdmin):
        raw_id_fields = ["unit"]

    page = RawUnit(Stage, site)
    field = page.formfield_for_foreignkey(Stage._meta.get_field("unit"), _request(admin_x, town_x))
    widget = field.widget
    assert widget.label_and_url_for_value(unit_y.pk) == ("", "")
    assert "Secretaria A" in widget.label_and_url_for_value(unit_x_a.pk)[0]
    assert not field.queryset.filter(pk=unit_y.pk).exists()


def test_view_on_site_reaches_only_this_towns_records(client_for, admin_x, town_x, draft_of_y):
    ct = ContentType.objects.get_for_model(Service)
    response = client_for(admin_x, town_x).get(f"/gestao/r/{ct.pk}/{draft_of_y.pk}/")
    assert response.status_code == 404


# --- audit gaps -------------------------------------------------------------------------------


def test_bulk_role_revocation_is_audited_and_refreshes_pages(
    client_for, admin_x, town_x, plan_editor_x, data_editor_x, django_capture_on_commit_callbacks
):
    ids = list(
        StaffMembership.objects.filter(user__in=[plan_editor_x, data_editor_x]).values_list(
            "pk", flat=True
        )
    )
    version = content_version(town_x.pk)
    with django_capture_on_commit_callbacks(execute=True):
        response = client_for(admin_x, town_x).post(
            "/gestao/accounts/staffmembership/",
            {"action": "delete_selected", "_selected_action": ids, "post": "yes"},
        )
    assert response.status_code == 302
    assert not StaffMembership.objects.filter(pk__in=ids).exists()
    revoked = AuditEntry.objects.filter(action="membership.revoke", actor=admin_x)
    assert sorted(int(e.object_id) for e in revoked) == sorted(ids)
    assert content_version(town_x.pk) != version


def test_deleting_a_unit_is_audited_and_refreshes_pages(
    client_for, admin_x, town_x, django_capture_on_commit_callbacks
):
    unit = save_unit(None, Unit(municipality=town_x, name="Setor Extinto", slug="extinto"))
    version = content_version(town_x.pk)
    with django_capture_on_commit_callbacks(execute=True):
        response = client_for(admin_x, town_x).post(
            f"/gestao/tenancy/unit/{unit.pk}/delete/", {"post": "yes"}
        )
    assert response.status_code == 302
    assert AuditEntry.objects.get(action="unit.delete", object_id=str(unit.pk)).actor == admin_x
    assert content_version(town_x.pk) != version


def test_a_bulk_delete_audits_each_record(client_for, admin_x, town_x):
    mine = catalog.save_taxonomy(None, Category(municipality=town_x, name="Uma"))
    other = catalog.save_taxonomy(None, Category(municipality=town_x, name="Outra"))
    client = client_for(admin_x, town_x)
    response = client.post(
        "/gestao/catalog/category/",
        {"action": "delete_selected", "_selected_action": [mine.pk, other.pk], "post": "yes"},
    )
    assert response.status_code == 302
    assert not Category.objects.filter(pk__in=[mine.pk, other.pk]).exists()
    assert AuditEntry.objects.filter(action="category.delete").count() == 2
