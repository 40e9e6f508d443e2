from __future__ import annotations

from typing import Any

from django.contrib import admin
from django.http import HttpRequest

from paco.core.admin import TenantAdmin, site
from paco.tenancy import actions
from paco.tenancy.models import Municipality, Unit


@admin.register(Municipality, site=site)
class MunicipalityAdmin(admin.ModelAdmin):
    list_display = ["name", "uf", "ibge_code", "cnpj", "is_active"]
    search_fields = ["name", "ibge_code"]

    def get_queryset(self, request: HttpRequest) -> Any:
        qs = super().get_queryset(request)
        if request.user.is_superuser:
            return qs
        return qs.filter(pk=getattr(request.municipality, "pk", None))  # type: ignore[attr-defined]

    def has_module_permission(self, request: HttpRequest) -> bool:
        return self.has_view_permission(request)

    def has_view_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        from paco.accounts.permissions import has_role

        town = getattr(request, "municipality", None)
        return bool(request.user.is_superuser) or (
            town is not None and has_role(request.user, town, "admin")
        )

    def has_change_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return self.has_view_permission(request, obj)

    def has_add_permission(self, request: HttpRequest) -> bool:
        return bool(request.user.is_superuser)

    def has_delete_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return False

    def save_model(self, request: HttpRequest, obj: Any, form: Any, change: bool) -> None:
        if change:
            fields = {name: form.cleaned_data[name] for name in form.changed_data}
            fresh = Municipality.objects.get(pk=obj.pk)
            actions.update_municipality(request.user, fresh, **fields)  # type: ignore[arg-type]
            obj.refresh_from_db()
        else:
            data = {f: form.cleaned_data[f] for f in form.cleaned_data}
            created = actions.create_municipality(request.user, **data)  # type: ignore[arg-type]
            obj.pk = created.pk


@admin.register(Unit, site=site)
class UnitAdmin(TenantAdmin):
    role = "admin"
    list_display = ["name", "acronym", "parent"]
    search_fields = ["name", "acronym"]
    prepopulated_fields = {"slug": ["acronym"]}

    def save_model(self, request: HttpRequest, obj: Any, form: Any, change: bool) -> None:
        if not change:
            obj.municipality = request.municipality  # type: ignore[attr-defined]
        actions.save_unit(request.user, obj, is_new=not change)  # type: ignore[arg-type]
