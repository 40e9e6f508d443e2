import pytest

from paco.audit.models import AuditEntry
from paco.tenancy.actions import save_unit
from paco.tenancy.models import Unit


def test_unit_change_is_audited_with_before_and_after(admin_x, unit_x_a):
    unit_x_a.name = "Secretaria A renomeada"
    save_unit(admin_x, unit_x_a)
    entry = AuditEntry.objects.for_object(unit_x_a).first()
    assert entry is not None
    assert entry.actor == admin_x
    assert entry.action == "unit.update"
    assert entry.changes["name"] == ["Secretaria A", "Secretaria A renomeada"]


def test_audit_entries_cannot_be_edited_or_deleted(admin_x, unit_x_a):
    save_unit(admin_x, unit_x_a)
    entry = AuditEntry.objects.first()
    entry.action = "forjado"
    with pytest.raises(PermissionError):
        entry.save()
    with pytest.raises(PermissionError):
        entry.delete()
    with pytest.raises(PermissionError):
        AuditEntry.objects.all().update(action="forjado")


def test_audit_records_client_address(client_for, admin_x, town_x, unit_x_a):
    client = client_for(admin_x, town_x)
    response = client.post(
        f"/gestao/tenancy/unit/{unit_x_a.pk}/change/",
        {
            "name": "Secretaria A",
            "acronym": "SA",
            "slug": "sa",
            "parent": unit_x_a.parent_id,
            "email": "",
            "phone": "",
            "address": "Rua Nova, 1",
            "opening_hours": "",
        },
        REMOTE_ADDR="10.1.2.3",
    )
    assert response.status_code == 302, response.content.decode()[:2000]
    entry = AuditEntry.objects.for_object(unit_x_a).get(action="unit.update")
    assert entry.ip_address == "10.1.2.3"
    assert entry.changes == {"address": ["", "Rua Nova, 1"]}


def test_audit_log_is_readable_only_by_administrators(
    client_for, admin_x, catalog_editor_x, admin_y, town_x, unit_x_a
):
    save_unit(admin_x, unit_x_a)
    assert client_for(admin_x, town_x).get("/gestao/audit/auditentry/").status_code == 200
    assert client_for(catalog_editor_x, town_x).get("/gestao/audit/auditentry/").status_code == 403
    # Y's administrator on X's host is not staff of X at all: sent to the login page.
    assert client_for(admin_y, town_x).get("/gestao/audit/auditentry/").status_code == 302


def test_cross_municipality_parent_is_refused(admin_x, unit_x_a, unit_y):
    from django.core.exceptions import ValidationError

    unit_x_a.parent = unit_y
    with pytest.raises(ValidationError):
        save_unit(admin_x, unit_x_a)
    assert Unit.objects.get(pk=unit_x_a.pk).parent_id != unit_y.pk
