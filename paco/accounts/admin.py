from __future__ import annotations

from typing import Any

from django.contrib import admin
from django.http import HttpRequest

from paco.accounts import actions
from paco.accounts.models import StaffMembership
from paco.core.admin import TenantAdmin, site


@admin.register(StaffMembership, site=site)
class StaffMembershipAdmin(TenantAdmin):
    role = "admin"
    view_role = "admin"
    list_display = ["user", "role", "unit"]
    list_filter = ["role"]

    def save_model(self, request: HttpRequest, obj: Any, form: Any, change: bool) -> None:
        town = request.municipality  # type: ignore[attr-defined]
        if change:
            old = StaffMembership.objects.get(pk=obj.pk)
            actions.revoke_role(request.user, old)  # type: ignore[arg-type]
        created = actions.grant_role(request.user, town, obj.user, obj.role, obj.unit)  # type: ignore[arg-type]
        obj.pk = created.pk

    def delete_model(self, request: HttpRequest, obj: Any) -> None:
        actions.revoke_role(request.user, obj)  # type: ignore[arg-type]
