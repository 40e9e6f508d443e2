"""Open data in the back office (``/gestao/``), for data editors and administrators.

Datasets (with their resources inline), resources and the inventory of
databases are saved through :mod:`paco.opendata.actions`, so the back office
records the same audit entries as the API and the CLI. A data editor sees and
changes only the datasets of the units their role covers. Versions, API tokens
and themes are read-only here: versions come from the pipeline, tokens from the
token page, themes from the DCAT-BR vocabulary.
"""

from __future__ import annotations

from typing import Any

from django import forms
from django.contrib import admin, messages
from django.db import models
from django.db.models import QuerySet
from django.http import HttpRequest
from django.urls import reverse
from django.utils.html import format_html
from django.utils.safestring import SafeString

from paco.accounts.models import ApiToken, Role
from paco.core.admin import (
    FollowParentPermissions,
    PacoModelAdmin,
    ReadOnlyAdminMixin,
    TenantAdmin,
    TenantInline,
    request_municipality,
    site,
)
from paco.opendata import actions
from paco.opendata.models import (
    Dataset,
    DatasetState,
    InventoryItem,
    Resource,
    ResourceVersion,
    Theme,
)
from paco.workspace.reach import reach_for


def _covered(request: HttpRequest) -> set[int] | None:
    request_municipality(request)
    return reach_for(request).units(Role.DATA_EDITOR)


def _in_covered_units(request: HttpRequest, qs: QuerySet[Any], unit_path: str) -> QuerySet[Any]:
    covered = _covered(request)
    return qs if covered is None else qs.filter(**{f"{unit_path}__in": covered})


class DataEditorAdmin(TenantAdmin):
    """Visible to data editors; changes need the role in the record's unit."""

    role = Role.DATA_EDITOR
    view_role = Role.DATA_EDITOR
    #: path from the record to its unit id, to scope lists to the covered units
    unit_path = "unit_id"
    formfield_overrides = {models.URLField: {"assume_scheme": "https"}}

    def get_queryset(self, request: HttpRequest) -> QuerySet[Any]:
        return _in_covered_units(request, super().get_queryset(request), self.unit_path)

    def has_delete_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return False  # withdrawn (dataset state) or marked, never deleted from here

    def formfield_for_foreignkey(self, db_field: Any, request: HttpRequest, **kwargs: Any) -> Any:
        field = super().formfield_for_foreignkey(db_field, request, **kwargs)  # units: the base
        if db_field.name == "dataset" and field is not None and field.queryset is not None:
            field.queryset = _in_covered_units(request, field.queryset, "unit_id")
        return field


# --- datasets and their resources ------------------------------------------------


class DatasetForm(forms.ModelForm):
    keywords = forms.CharField(
        label="palavras-chave",
        required=False,
        help_text="Separadas por vírgula, por exemplo: despesas, empenho, fornecedores.",
    )

    class Meta:
        model = Dataset
        fields = [
            "title", "name", "description", "unit", "contact_name", "contact_email", "themes",
            "keywords", "license", "access_rights", "periodicity", "next_update_due",
            "temporal_start", "temporal_end", "spatial", "version",
        ]  # fmt: skip
        widgets = {"themes": forms.CheckboxSelectMultiple}

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        if not self.instance._state.adding and not self.is_bound:
            self.initial["keywords"] = ", ".join(self.instance.keywords)

    def clean_keywords(self) -> list[str]:
        return actions.clean_keywords(self.cleaned_data.get("keywords", ""))

    def clean_name(self) -> str:
        name: str = self.cleaned_data["name"]
        town = getattr(self, "town", None)
        taken = town is not None and Dataset.objects.for_municipality(town).filter(name=name)
        if self.instance._state.adding and taken and taken.exists():
            raise forms.ValidationError(f"Já existe um conjunto com o identificador “{name}”.")
        return name


def _https_urls(field: models.Field[Any, Any], **kwargs: Any) -> Any:
    if isinstance(field, models.URLField):
        kwargs.setdefault("assume_scheme", "https")
    return field.formfield(**kwargs)


class ResourceInlineForm(forms.ModelForm):
    class Meta:
        model = Resource
        formfield_callback = _https_urls
        fields = ["name", "title", "kind", "url", "format", "media_type", "position", "description"]

    def clean(self) -> dict[str, Any]:
        data = super().clean() or {}
        if not self.instance._state.adding:
            for fixed in ("name", "kind"):
                if fixed in self.changed_data:
                    self.add_error(fixed, "Não pode ser alterado depois de criado.")
        return data


class ResourceInline(FollowParentPermissions, TenantInline):
    model = Resource
    form = ResourceInlineForm
    fk_name = "dataset"
    can_delete = False
    show_change_link = True
    readonly_fields = ["published_version"]
    fields = [
        ("name", "title"),
        ("kind", "format", "media_type", "position"),
        "url",
        "description",
        "published_version",
    ]
    verbose_name_plural = "recursos (para enviar arquivos, use a página de envio de dados)"
    formfield_overrides = {models.URLField: {"assume_scheme": "https"}}

    def has_delete_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return False  # resources are never deleted from here

    @admin.display(description="versão publicada")
    def published_version(self, obj: Resource) -> str:
        version = obj.current_version if obj.pk else None
        return f"versão {version.number} ({version.rows or 0} linhas)" if version else "—"


class DatasetAdmin(DataEditorAdmin):
    form = DatasetForm
    inlines = [ResourceInline]
    list_display = [
        "title",
        "name",
        "unit",
        "state",
        "periodicity",
        "next_update_due",
        "modified_at",
    ]
    list_filter = ["state", "themes", "periodicity"]
    list_select_related = ["unit"]
    search_fields = ["title", "name", "description"]
    prepopulated_fields = {"name": ["title"]}
    actions = ["publish", "withdraw"]
    readonly_fields = ["state", "published_at", "created_at", "modified_at", "public_links"]
    fieldsets = [
        ("O conjunto", {"fields": ["title", "name", "description", "unit", "state"]}),
        ("Responsável (art. 29 da Lei 14.129)", {"fields": ["contact_name", "contact_email"]}),
        ("Classificação", {"fields": ["themes", "keywords", "license", "access_rights"]}),
        (
            "Atualização e cobertura",
            {
                "fields": [
                    "periodicity",
                    "next_update_due",
                    ("temporal_start", "temporal_end"),
                    "spatial",
                    "version",
                ]
            },
        ),
        (
            "Datas e endereços",
            {"fields": ["published_at", "created_at", "modified_at", "public_links"]},
        ),
    ]

    def get_readonly_fields(self, request: HttpRequest, obj: Any = None) -> Any:
        fields = list(super().get_readonly_fields(request, obj))
        return [*fields, "name"] if obj is not None else fields

    def get_prepopulated_fields(self, request: HttpRequest, obj: Any = None) -> dict[str, Any]:
        return {} if obj is not None else dict(self.prepopulated_fields)

    def get_form(
        self, request: HttpRequest, obj: Any = None, change: bool = False, **kwargs: Any
    ) -> Any:
        form = super().get_form(request, obj, change=change, **kwargs)
        form.town = request_municipality(request)  # type: ignore[attr-defined]
        return form

    @admin.display(description="endereços públicos")
    def public_links(self, obj: Dataset) -> SafeString:
        if not obj.pk or not obj.is_published:
            return format_html("{}", "Aparecem depois de publicar.")
        return format_html(
            '<a href="{}">DCAT-BR (Turtle)</a> · <a href="{}">datapackage.json</a>',
            reverse("dcat:dataset", args=[obj.name, "ttl"]),
            reverse("dcat:datapackage", args=[obj.name]),
        )

    def save_model(self, request: HttpRequest, obj: Any, form: Any, change: bool) -> None:
        user: Any = request.user
        data = form.cleaned_data
        themes = [t.key for t in data.get("themes", [])]
        if not change:
            fields = {k: data[k] for k in actions.DATASET_FIELDS if k in data and k != "unit"}
            saved = actions.create_dataset(
                user,
                request_municipality(request),
                title=fields.pop("title"),
                unit=data["unit"],
                name=data["name"],
                themes=themes,
                **fields,
            )
        else:
            original = Dataset.objects.get(pk=obj.pk)  # the form already changed ``obj``
            fields = {k: data[k] for k in form.changed_data if k in actions.DATASET_FIELDS}
            saved = actions.update_dataset(user, original, themes=themes, **fields)
        obj.pk, obj._state.adding, obj._state.db = saved.pk, False, saved._state.db
        form._paco_saved = saved

    def save_related(self, request: HttpRequest, form: Any, formsets: Any, change: bool) -> None:
        dataset: Dataset = form._paco_saved  # themes were saved by the action
        user: Any = request.user
        for formset in formsets:
            formset.new_objects, formset.changed_objects, formset.deleted_objects = [], [], []
            for inline_form in formset.forms:
                if not inline_form.has_changed() or not inline_form.cleaned_data:
                    continue
                data = inline_form.cleaned_data
                if inline_form.instance._state.adding:
                    created = actions.create_resource(
                        user,
                        dataset,
                        title=data["title"],
                        name=data.get("name") or "",
                        description=data.get("description", ""),
                        kind=data["kind"],
                        url=data.get("url", ""),
                        format=data.get("format", ""),
                        media_type=data.get("media_type", ""),
                    )
                    formset.new_objects.append(created)
                else:
                    original = Resource.objects.get(pk=inline_form.instance.pk)
                    changed = {
                        k: data[k] for k in inline_form.changed_data if k in actions.RESOURCE_FIELDS
                    }
                    if changed:
                        updated = actions.update_resource(user, original, **changed)
                        formset.changed_objects.append((updated, list(changed)))

    @admin.action(description="Publicar os conjuntos selecionados")
    def publish(self, request: HttpRequest, queryset: QuerySet[Dataset]) -> None:
        self._set_state(request, queryset, DatasetState.PUBLISHED)

    @admin.action(description="Retirar do ar (voltar a rascunho) os conjuntos selecionados")
    def withdraw(self, request: HttpRequest, queryset: QuerySet[Dataset]) -> None:
        self._set_state(request, queryset, DatasetState.DRAFT)

    def _set_state(self, request: HttpRequest, queryset: QuerySet[Dataset], state: str) -> None:
        count = 0
        for dataset in queryset.select_related("unit", "municipality"):
            actions.set_dataset_state(request.user, dataset, state)  # type: ignore[arg-type]
            count += 1
        self.message_user(request, f"{count} conjunto(s) atualizado(s).", messages.SUCCESS)


class ResourceAdmin(DataEditorAdmin):
    """Resources are added on the dataset page; here they are listed and described."""

    unit_path = "dataset__unit_id"
    list_display = ["title", "dataset", "kind", "format", "current_version", "modified_at"]
    list_filter = ["kind", "format"]
    list_select_related = ["dataset", "current_version"]
    search_fields = ["title", "name", "dataset__title"]
    fields = [
        "dataset", "name", "kind", "title", "description", "url", "format", "media_type",
        "position", "current_version",
    ]  # fmt: skip
    readonly_fields = ["dataset", "name", "kind", "current_version"]

    def record_unit(self, obj: Any) -> Any:
        return obj.dataset.unit

    def has_add_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return False

    def save_model(self, request: HttpRequest, obj: Any, form: Any, change: bool) -> None:
        original = Resource.objects.select_related("dataset__unit").get(pk=obj.pk)
        fields = {
            k: form.cleaned_data[k] for k in form.changed_data if k in actions.RESOURCE_FIELDS
        }
        if fields:
            actions.update_resource(request.user, original, **fields)  # type: ignore[arg-type]


class ResourceVersionAdmin(ReadOnlyAdminMixin, DataEditorAdmin):
    unit_path = "resource__dataset__unit_id"
    list_display = ["resource", "number", "status", "rows", "size", "created_at", "published_at"]
    list_filter = ["status"]
    list_select_related = ["resource"]
    search_fields = ["resource__title", "original_name"]
    exclude = ["stats", "progress", "heartbeat_at", "attempts", "attempt_process"]


class InventoryItemAdmin(DataEditorAdmin):
    list_display = ["name", "unit", "status", "planned_opening", "dataset"]
    list_filter = ["status"]
    list_select_related = ["unit", "dataset"]
    search_fields = ["name", "description", "system"]

    def save_model(self, request: HttpRequest, obj: Any, form: Any, change: bool) -> None:
        town = request_municipality(request)
        user: Any = request.user
        data = form.cleaned_data
        if change:
            original = InventoryItem.objects.get(pk=obj.pk)
            fields = {k: data[k] for k in form.changed_data if k in actions.INVENTORY_FIELDS}
            saved = actions.save_inventory_item(user, town, original, **fields)
        else:
            fields = {k: data[k] for k in actions.INVENTORY_FIELDS if k in data}
            saved = actions.save_inventory_item(user, town, None, **fields)
        obj.pk, obj._state.adding, obj._state.db = saved.pk, False, saved._state.db


class ApiTokenAdmin(ReadOnlyAdminMixin, TenantAdmin):
    """Tokens are created and revoked on the token page; administrators see all of them,
    data editors their own."""

    list_display = ["name", "user", "prefix", "created_at", "last_used_at", "revoked_at"]
    list_select_related = ["user"]
    exclude = ["digest"]
    readonly_fields = ["prefix", "created_at", "last_used_at", "revoked_at"]

    def has_view_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        town = getattr(request, "municipality", None)
        return town is not None and reach_for(request).has(Role.DATA_EDITOR)

    def get_queryset(self, request: HttpRequest) -> QuerySet[Any]:
        qs = super().get_queryset(request)
        if request_municipality(request) and reach_for(request).has(Role.ADMIN):
            return qs
        return qs.filter(user_id=request.user.pk)


class ThemeAdmin(ReadOnlyAdminMixin, PacoModelAdmin):
    """The DCAT-BR themes (shared by every municipality, from the vocabulary)."""

    list_display = ["label", "key", "uri"]
    search_fields = ["label", "key"]

    def has_view_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        town = getattr(request, "municipality", None)
        return town is not None and reach_for(request).has(Role.DATA_EDITOR)

    def has_module_permission(self, request: HttpRequest) -> bool:
        return self.has_view_permission(request)


site.register(Dataset, DatasetAdmin)
site.register(Resource, ResourceAdmin)
site.register(ResourceVersion, ResourceVersionAdmin)
site.register(InventoryItem, InventoryItemAdmin)
site.register(ApiToken, ApiTokenAdmin)
site.register(Theme, ThemeAdmin)
