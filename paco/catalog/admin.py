"""The charter in the back office (``/gestao/``), for role ``catalog_editor``."""

from __future__ import annotations

import json
from typing import Any

from django import forms
from django.contrib import admin, messages
from django.db import models
from django.db.models import QuerySet
from django.http import HttpRequest, HttpResponse
from django.urls import URLPattern, path, reverse
from django.utils.html import format_html, format_html_join
from django.utils.safestring import SafeString

from paco.accounts.models import Role
from paco.catalog import actions, inventory, plainlanguage
from paco.catalog.models import (
    Category,
    Channel,
    Cost,
    LifeEvent,
    Requester,
    Service,
    ServiceVersion,
    Status,
    Step,
)
from paco.core.admin import (
    FollowParentPermissions,
    ReadOnlyAdminMixin,
    TenantAdmin,
    TenantInline,
    TenantTabularInline,
    request_municipality,
    site,
)


class TaxonomyAdmin(TenantAdmin):
    role = Role.CATALOG_EDITOR
    list_display = ["name", "slug"]
    search_fields = ["name"]
    prepopulated_fields = {"slug": ["name"]}

    def save_model(self, request: HttpRequest, obj: Any, form: Any, change: bool) -> None:
        if not change:
            obj.municipality = request_municipality(request)
        actions.save_taxonomy(request.user, obj)  # type: ignore[arg-type]

    def delete_model(self, request: HttpRequest, obj: Any) -> None:
        actions.delete_taxonomy(request.user, obj)  # type: ignore[arg-type]


site.register(Category, TaxonomyAdmin)
site.register(LifeEvent, TaxonomyAdmin)


class RequesterInline(FollowParentPermissions, TenantTabularInline):
    model = Requester
    extra = 0
    fields = ["kind", "requirements"]
    formfield_overrides = {
        Requester._meta.get_field("requirements").__class__: {
            "widget": forms.Textarea(attrs={"rows": 2, "cols": 60})
        }
    }


class StepInline(FollowParentPermissions, TenantInline):
    model = Step
    extra = 0
    fields = ["order", "title", "description", "documents"]
    show_change_link = True
    verbose_name_plural = (
        "etapas (depois de salvar, use “Alterar” em cada etapa para informar custos e canais)"
    )


class ServiceAdmin(TenantAdmin):
    role = Role.CATALOG_EDITOR
    inlines = [RequesterInline, StepInline]
    list_display = ["name", "unit", "status", "digital_status", "last_reviewed", "updated_at"]
    list_filter = ["status", "digital_status", "categories", "audiences"]
    list_select_related = ["unit"]
    search_fields = ["name", "popular_names", "keywords"]
    prepopulated_fields = {"slug": ["name"]}
    readonly_fields = ["plain_language", "version_links"]
    actions = ["publish", "archive"]
    change_list_template = "catalog/admin/service_change_list.html"
    formfield_overrides = {models.URLField: {"assume_scheme": "https"}}
    fieldsets = [
        (
            "O serviço",
            {
                "fields": [
                    "name",
                    "slug",
                    "acronym",
                    "status",
                    "popular_names",
                    "description",
                    "plain_language",
                    "unit",
                    "contact",
                ]
            },
        ),
        ("Para quem", {"fields": ["audiences", "categories", "life_events", "keywords"]}),
        (
            "Prazo",
            {
                "fields": [
                    "time_kind",
                    ("time_min", "time_max", "time_unit"),
                    "time_description",
                ]
            },
        ),
        (
            "Atendimento",
            {"fields": ["priority", "accessibility", "service_standards", "complaints"]},
        ),
        (
            "Digital",
            {
                "fields": [
                    "digital_status",
                    "digital_url",
                    "digitization_note",
                    "digitization_planned_for",
                ]
            },
        ),
        ("Legislação e revisão", {"fields": ["legislation", "last_reviewed", "version_links"]}),
    ]

    class Media:
        css = {"all": ["catalog/admin.css"]}
        js = ["catalog/plainlanguage.js"]

    def has_delete_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return False  # services are archived, not deleted

    def formfield_for_manytomany(self, db_field: Any, request: HttpRequest, **kwargs: Any) -> Any:
        town = request_municipality(request)
        if db_field.name in ("categories", "life_events"):
            kwargs["queryset"] = db_field.related_model.objects.for_municipality(town)
        kwargs["widget"] = forms.CheckboxSelectMultiple
        return super().formfield_for_manytomany(db_field, request, **kwargs)

    @admin.display(description="Indicação de linguagem simples")
    def plain_language(self, obj: Service) -> SafeString:
        report = plainlanguage.analyze(obj.description if obj.pk else "")
        if not obj.pk:
            return format_html('<span class="suave">{}</span>', "Aparece depois de salvar.")
        if report.ok:
            return format_html(
                '<p class="pl-ok">{}</p>', "Texto claro: nenhuma indicação de linguagem difícil."
            )
        items = format_html_join("", "<li>{}</li>", ((m,) for m in report.messages()))
        return format_html(
            '<div class="pl-relatorio"><p>{}</p><ul>{}</ul></div>',
            "Sugestões (não impedem salvar):",
            items,
        )

    @admin.display(description="Versões")
    def version_links(self, obj: Service) -> SafeString:
        if not obj.pk:
            return format_html("{}", "—")
        url = reverse("admin:catalog_serviceversion_changelist") + f"?service__id__exact={obj.pk}"
        count = obj.versions.count()
        return format_html('<a href="{}">Ver as {} versões salvas</a>', url, count)

    def save_model(self, request: HttpRequest, obj: Any, form: Any, change: bool) -> None:
        if not change:
            obj.municipality = request_municipality(request)
        actions.save_service(request.user, obj, is_new=not change)  # type: ignore[arg-type]

    def save_related(self, request: HttpRequest, form: Any, formsets: Any, change: bool) -> None:
        super().save_related(request, form, formsets, change)
        # every save keeps the whole service as a version (none when nothing changed)
        actions.record_service_version(request.user, form.instance)  # type: ignore[arg-type]

    def record_related(self, request: HttpRequest, obj: Any) -> None:
        """Inlines and categories are kept in a new version of the service, audited."""
        actions.record_service_version(request.user, obj)  # type: ignore[arg-type]

    @admin.action(description="Publicar os serviços selecionados")
    def publish(self, request: HttpRequest, queryset: QuerySet[Service]) -> None:
        self._set_status(request, queryset, Status.PUBLISHED)

    @admin.action(description="Arquivar (tirar do ar) os serviços selecionados")
    def archive(self, request: HttpRequest, queryset: QuerySet[Service]) -> None:
        self._set_status(request, queryset, Status.ARCHIVED)

    def _set_status(self, request: HttpRequest, queryset: QuerySet[Service], status: str) -> None:
        for service in queryset.select_related("unit", "municipality"):
            actions.set_status(request.user, service, status)  # type: ignore[arg-type]
        self.message_user(
            request, f"{queryset.count()} serviço(s) atualizado(s).", messages.SUCCESS
        )

    def get_urls(self) -> list[URLPattern]:
        extra = [
            path(
                "inventario/",
                self.admin_site.admin_view(self.inventory_view),
                name="catalog_inventory",
            ),
            path(
                "inventario.csv",
                self.admin_site.admin_view(self.inventory_csv),
                name="catalog_inventory_csv",
            ),
        ]
        return extra + super().get_urls()

    def inventory_view(self, request: HttpRequest) -> HttpResponse:
        return inventory.page(request, self.admin_site.each_context(request))

    def inventory_csv(self, request: HttpRequest) -> HttpResponse:
        return inventory.csv_response(request)


site.register(Service, ServiceAdmin)


class CostInline(FollowParentPermissions, TenantTabularInline):
    model = Cost
    extra = 0


class ChannelInline(FollowParentPermissions, TenantTabularInline):
    model = Channel
    extra = 0
    formfield_overrides = {
        Channel._meta.get_field("description").__class__: {
            "widget": forms.Textarea(attrs={"rows": 2, "cols": 50})
        }
    }


class StepAdmin(TenantAdmin):
    """One step with its costs and channels (reached from the service page)."""

    role = Role.CATALOG_EDITOR
    inlines = [CostInline, ChannelInline]
    fields = ["service", "order", "title", "description", "documents"]
    readonly_fields = ["service"]

    def get_queryset(self, request: HttpRequest) -> Any:
        town = request_municipality(request)
        return Step.objects.filter(service__municipality=town).select_related("service__unit")

    def get_exclude(self, request: HttpRequest, obj: Any = None) -> Any:
        return []

    def has_module_permission(self, request: HttpRequest) -> bool:
        return False

    def has_add_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return False

    def record_unit(self, obj: Any) -> Any:
        return obj.service.unit

    def has_delete_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return False  # steps are removed on the service page, which records a version

    def save_model(self, request: HttpRequest, obj: Any, form: Any, change: bool) -> None:
        actions.save_step(request.user, obj)  # type: ignore[arg-type]

    def save_related(self, request: HttpRequest, form: Any, formsets: Any, change: bool) -> None:
        super().save_related(request, form, formsets, change)
        # the step's own fields belong in the service's version too
        actions.record_service_version(request.user, form.instance.service)  # type: ignore[arg-type]

    def record_related(self, request: HttpRequest, obj: Any) -> None:
        """Costs and channels are kept in a new version of the service, audited."""
        actions.record_service_version(request.user, obj.service)  # type: ignore[arg-type]

    def response_change(self, request: HttpRequest, obj: Any) -> HttpResponse:
        response = super().response_change(request, obj)
        if "_continue" not in request.POST:
            response["Location"] = reverse("admin:catalog_service_change", args=[obj.service_id])
        return response


site.register(Step, StepAdmin)


class ServiceVersionAdmin(ReadOnlyAdminMixin, TenantAdmin):
    """Read-only history; any staff of the municipality may read it."""

    role = Role.CATALOG_EDITOR
    list_display = ["service", "number", "author_repr", "created_at"]
    list_filter = ["service"]
    fields = ["service", "number", "author_repr", "created_at", "pretty"]
    readonly_fields = ["service", "number", "author_repr", "created_at", "pretty"]

    def get_queryset(self, request: HttpRequest) -> Any:
        return super().get_queryset(request).select_related("service")

    @admin.display(description="conteúdo desta versão")
    def pretty(self, obj: ServiceVersion) -> SafeString:
        text = json.dumps(obj.data, ensure_ascii=False, indent=2)
        return format_html('<pre class="versao-json">{}</pre>', text)


site.register(ServiceVersion, ServiceVersionAdmin)
