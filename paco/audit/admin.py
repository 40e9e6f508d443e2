from __future__ import annotations

from django.contrib import admin

from paco.audit.models import AuditEntry
from paco.core.admin import ReadOnlyAdminMixin, TenantAdmin, site


@admin.register(AuditEntry, site=site)
class AuditEntryAdmin(ReadOnlyAdminMixin, TenantAdmin):
    """Administrators read the trail; nobody edits it."""

    role = "admin"
    view_role = "admin"
    list_display = ["at", "actor_repr", "ip_address", "action", "object_repr"]
    list_filter = ["action", "object_type"]
    search_fields = ["actor_repr", "object_repr", "action"]
    date_hierarchy = "at"
    readonly_fields = [f.name for f in AuditEntry._meta.fields]
