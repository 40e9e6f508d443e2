from __future__ import annotations

from typing import Any

from django.contrib import admin
from django.http import HttpRequest

from paco.audit.models import AuditEntry
from paco.core.admin import TenantAdmin, site


@admin.register(AuditEntry, site=site)
class AuditEntryAdmin(TenantAdmin):
    """Administrators read the trail; nobody edits it."""

    role = "admin"
    view_role = "admin"
    list_display = ["at", "actor_repr", "ip_address", "action", "object_repr"]
    list_filter = ["action", "object_type"]
    search_fields = ["actor_repr", "object_repr", "action"]
    date_hierarchy = "at"
    readonly_fields = [f.name for f in AuditEntry._meta.fields]

    def has_add_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return False

    def has_change_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return False

    def has_delete_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return False
