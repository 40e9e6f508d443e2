"""Back-office pages for plans and stages; saves go through :mod:`paco.plans.actions`."""

from __future__ import annotations

from typing import Any

from django.contrib import admin
from django.db.models import QuerySet
from django.http import HttpRequest

from paco.accounts.models import Role
from paco.core.admin import TenantAdmin, TenantTabularInline, request_municipality, site
from paco.plans import actions
from paco.plans.models import Plan, Stage, StageChange


class PlanAdmin(TenantAdmin):
    role = Role.ADMIN
    list_display = ("title", "kind", "updated_on", "is_public")
    search_fields = ("title",)
    prepopulated_fields = {"slug": ("title",)}

    def save_model(self, request: HttpRequest, obj: Any, form: Any, change: bool) -> None:
        if not change:
            obj.municipality = request_municipality(request)
        actions.save_plan(request.user, obj)  # type: ignore[arg-type]

    def delete_model(self, request: HttpRequest, obj: Any) -> None:
        actions.delete_plan(request.user, obj)  # type: ignore[arg-type]


class StageChangeInline(TenantTabularInline):
    model = StageChange
    extra = 0
    can_delete = False
    fields = ("changed_at", "field", "old_value", "new_value", "actor_repr")
    readonly_fields = fields
    verbose_name_plural = "histórico de alterações"

    def has_add_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return False

    def has_change_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return False

    def has_view_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return True


class PlanFilter(admin.SimpleListFilter):
    """Filter by plan, offering only the request's municipality plans."""

    title = "cronograma"
    parameter_name = "plano"

    def lookups(self, request: HttpRequest, model_admin: Any) -> list[tuple[str, str]]:
        town = request_municipality(request)
        return [(str(p.pk), p.title) for p in Plan.objects.for_municipality(town)]

    def queryset(self, request: HttpRequest, queryset: QuerySet[Any]) -> QuerySet[Any]:
        value = self.value()
        return queryset.filter(plan_id=value) if value and value.isdigit() else queryset


class StageAdmin(TenantAdmin):
    role = Role.PLAN_EDITOR
    list_display = ("number", "short_description", "plan", "deadline", "status", "unit")
    list_filter = (PlanFilter, "status")
    search_fields = ("description", "observation")
    list_select_related = ("plan", "unit")
    inlines = [StageChangeInline]
    exclude = ("ref_key",)

    @admin.display(description="descrição")
    def short_description(self, obj: Stage) -> str:
        return obj.description[:90]

    def save_model(self, request: HttpRequest, obj: Any, form: Any, change: bool) -> None:
        user: Any = request.user
        if not change:
            obj.municipality = request_municipality(request)
            actions.create_stage(user, obj)
            return
        fields = {
            name: form.cleaned_data[name]
            for name in form.changed_data
            if name in actions.TRACKED_FIELDS
        }
        actions.update_stage(user, obj, **fields)

    def delete_model(self, request: HttpRequest, obj: Any) -> None:
        actions.delete_stage(request.user, obj)  # type: ignore[arg-type]


site.register(Plan, PlanAdmin)
site.register(Stage, StageAdmin)
