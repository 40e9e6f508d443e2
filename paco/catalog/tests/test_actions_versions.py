import pytest
from django.core.exceptions import PermissionDenied

from paco.audit.models import AuditEntry
from paco.catalog import actions
from paco.catalog.models import Requester, Service, ServiceVersion, Status

from .conftest import add, detail


def new_service(town, unit, **fields):
    service = Service(
        municipality=town, unit=unit, name="Poda de árvore", description="Pedimos a poda.", **fields
    )
    return service


def test_save_and_version_records_snapshot_and_audit(town_x, unit_x_a, catalog_editor_x):
    service = actions.save_service(catalog_editor_x, new_service(town_x, unit_x_a))
    assert service.slug == "poda-de-arvore"
    version = actions.record_service_version(catalog_editor_x, service)
    assert version.number == 1
    assert version.author == catalog_editor_x
    assert version.data["nome"] == "Poda de árvore"
    assert AuditEntry.objects.filter(action="service.create", object_id=str(service.pk)).exists()
    assert AuditEntry.objects.filter(action="service.version", object_id=str(service.pk)).exists()
    service.refresh_from_db()
    assert " arvor" in service.search_document


def test_each_change_keeps_previous_version(town_x, unit_x_a, catalog_editor_x):
    service = actions.save_service(catalog_editor_x, new_service(town_x, unit_x_a))
    actions.record_service_version(catalog_editor_x, service)
    Requester.objects.create(service=service, kind="Moradores")
    service.description = "Texto novo."
    actions.save_service(catalog_editor_x, service)
    v2 = actions.record_service_version(catalog_editor_x, service)
    assert v2.number == 2
    v1 = ServiceVersion.objects.get(service=service, number=1)
    assert v1.data["descricao"] == "Pedimos a poda."
    assert v2.data["descricao"] == "Texto novo."
    assert v2.data["solicitantes"]["solicitante"] == [{"tipo": "Moradores", "requisitos": ""}]
    entry = AuditEntry.objects.filter(action="service.update").latest("id")
    assert entry.changes["description"] == ["Pedimos a poda.", "Texto novo."]
    # nothing changed → no new version
    assert actions.record_service_version(catalog_editor_x, service) is None
    assert service.versions.count() == 2


def test_slugs_are_unique_per_municipality(town_x, unit_x_a, town_y, unit_y):
    a = actions.save_service(None, new_service(town_x, unit_x_a))
    b = actions.save_service(None, new_service(town_x, unit_x_a))
    c = actions.save_service(None, new_service(town_y, unit_y))
    assert a.slug == "poda-de-arvore"
    assert b.slug == "poda-de-arvore-2"
    assert c.slug == "poda-de-arvore"


@pytest.mark.parametrize("who", ["plan_editor_x", "admin_y", "citizen_a"])
def test_without_catalog_role_cannot_save(request, who, town_x, unit_x_a):
    user = request.getfixturevalue(who)
    with pytest.raises(PermissionDenied):
        actions.save_service(user, new_service(town_x, unit_x_a))
    assert not Service.objects.exists()


def test_unit_scoped_editor_only_in_own_unit(town_x, unit_x_a, unit_x_b, plain_staff_x):
    # plain_staff_x edits the charter only in unit B
    actions.save_service(plain_staff_x, new_service(town_x, unit_x_b))
    with pytest.raises(PermissionDenied):
        actions.save_service(plain_staff_x, new_service(town_x, unit_x_a))
    service = Service.objects.get()
    service.unit = unit_x_a
    with pytest.raises(PermissionDenied):
        actions.save_service(plain_staff_x, service)


def test_admin_of_town_may_save(town_x, unit_x_a, admin_x):
    assert actions.save_service(admin_x, new_service(town_x, unit_x_a)).pk


def test_archive_instead_of_delete(town_x, unit_x_a, catalog_editor_x):
    (service,) = add(town_x, detail("Vacinação", unit_x_a))
    actions.set_status(catalog_editor_x, service, Status.ARCHIVED)
    assert not Service.objects.for_municipality(town_x).published().exists()
    assert service.versions.latest("number").data["situacao"] == "archived"
    assert AuditEntry.objects.filter(action="service.status").exists()


def test_unit_from_other_town_is_refused(town_x, unit_y):
    from django.core.exceptions import ValidationError

    with pytest.raises(ValidationError):
        actions.save_service(None, new_service(town_x, unit_y))


@pytest.mark.parametrize(
    ("fields", "field"),
    [
        ({"time_kind": "ate", "time_unit": "dias"}, "time_max"),
        ({"time_kind": "ate", "time_max": 3}, "time_unit"),
        ({"time_kind": "entre", "time_min": 9, "time_max": 3, "time_unit": "dias"}, "time_min"),
        ({"digital_status": "digital"}, "digital_url"),
    ],
)
def test_invalid_time_or_digital_link_is_refused(town_x, unit_x_a, fields, field):
    from django.core.exceptions import ValidationError

    with pytest.raises(ValidationError) as info:
        actions.save_service(None, new_service(town_x, unit_x_a, **fields))
    assert field in info.value.message_dict
    assert not Service.objects.exists()
