from __future__ import annotations

from typing import Any

from django.contrib import admin
from django.db.models import QuerySet
from django.http import HttpRequest

from paco.audit.labels import action_name
from paco.audit.models import AuditEntry
from paco.core.admin import ReadOnlyAdminMixin, TenantAdmin, site


class ActionFilter(admin.SimpleListFilter):
    """Filter by action, named in pt-BR (the codes stay in the URL)."""

    title = "ação"
    parameter_name = "action"

    def lookups(self, request: HttpRequest, model_admin: Any) -> list[tuple[str, str]]:
        codes = model_admin.get_queryset(request).values_list("action", flat=True).distinct()
        return sorted(((code, action_name(code)) for code in set(codes)), key=lambda c: c[1])

    def queryset(self, request: HttpRequest, queryset: QuerySet[Any]) -> QuerySet[Any]:
        value = self.value()
        return queryset.filter(action=value) if value else queryset


@admin.register(AuditEntry, site=site)
class AuditEntryAdmin(ReadOnlyAdminMixin, TenantAdmin):
    """Administrators read the trail; nobody edits it."""

    role = "admin"
    view_role = "admin"
    list_display = ["at", "actor_repr", "what", "ip_address", "seq"]
    list_filter = [ActionFilter, "object_type"]
    search_fields = ["actor_repr", "object_repr", "action"]
    date_hierarchy = "at"
    readonly_fields = ["what", *(f.name for f in AuditEntry._meta.fields)]

    @admin.display(description="o que foi feito", ordering="action")
    def what(self, entry: AuditEntry) -> str:
        return entry.description
