"""The staff back office (``/gestao/``): Django's admin, in pt-BR, scoped to a municipality.

Two guarantees hold for every page registered on :data:`site`, by construction:

**Nothing of another town.** Every related choice (foreign-key and many-to-many
selects, list filters, the labels of raw id fields, autocompletes) comes from
:func:`paco.tenancy.scoping.scoped_queryset`, in :class:`PacoModelAdmin` and
:class:`PacoInline`; :class:`TenantAdmin` lists only the request's
municipality. The site refuses to register an admin or inline that does not
derive from them.

**No write outside the actions.** The admin's default writes (``save_model``,
``delete_model``, the bulk delete, inlines and many-to-many saves) are refused
(403) unless the page provides an implementation that calls its app's
``actions`` module, which checks the role, records the audit entry and makes
cached pages stale. Pages say so by overriding ``save_model`` /
``delete_model`` (the bulk delete then goes through ``delete_model`` one record
at a time, in one transaction) and ``record_related`` (called after inlines
and many-to-many fields are saved, to record them).

Permissions come from :mod:`paco.accounts.permissions`, not Django's model
permissions; a record without a unit takes a town-wide role
(:meth:`TenantAdmin.record_unit`).
"""

from __future__ import annotations

from typing import Any

from django.contrib import admin
from django.contrib.admin.filters import (
    AllValuesFieldListFilter,
    RelatedFieldListFilter,
)
from django.contrib.admin.utils import get_fields_from_path, reverse_field_path
from django.contrib.admin.widgets import ForeignKeyRawIdWidget
from django.core.exceptions import ImproperlyConfigured, PermissionDenied, ValidationError
from django.db import models, transaction
from django.db.models import ForeignObjectRel
from django.forms import ModelChoiceField
from django.http import Http404, HttpRequest, HttpResponse, HttpResponseBase
from django.shortcuts import redirect
from django.template.response import TemplateResponse
from django.urls import URLPattern, URLResolver, path

from paco.accounts.otp import otp_satisfied
from paco.accounts.permissions import ANYWHERE
from paco.tenancy.models import Municipality, Unit
from paco.tenancy.scoping import scoped_queryset
from paco.workspace.reach import reach_for

REFUSED_WRITE = (
    "Esta alteração não pode ser feita pelo painel: ela não passa pelas regras e pela "
    "trilha de auditoria do Paço."
)


class PacoAdminSite(admin.AdminSite):
    site_header = "Paço — área do servidor"
    site_title = "Paço"
    index_title = "Gestão"
    index_template = "workspace/home.html"
    site_url = "/"
    enable_nav_sidebar = False

    def index(self, request: HttpRequest, extra_context: Any = None) -> TemplateResponse:
        """``/gestao/``: "Minha mesa" (the servant's work by deadline, then the tools)."""
        from paco.workspace.mywork import context as my_work

        app_list = self.get_app_list(request)
        context = {
            **self.each_context(request),
            "title": "Minha mesa",
            "app_list": app_list,
            **my_work(request, app_list),
            **(extra_context or {}),
        }
        request.current_app = self.name
        return TemplateResponse(request, self.index_template, context)

    def has_permission(self, request: HttpRequest) -> bool:
        town: Municipality | None = getattr(request, "municipality", None)
        user = request.user
        if not (user.is_active and user.is_authenticated):
            return False
        if not otp_satisfied(request):  # a second factor, if the user has one, is verified
            return False
        if user.is_superuser:
            return True
        return town is not None and reach_for(request).is_staff

    def login(self, request: HttpRequest, extra_context: Any = None) -> HttpResponse:
        """The site's login page (lockout, second factor) also guards the back office."""
        from paco.accounts.views import LoginView

        response = LoginView.as_view()(request)
        assert isinstance(response, HttpResponse)
        return response

    def password_change(  # type: ignore[override]
        self, request: HttpRequest, extra_context: Any = None
    ) -> HttpResponseBase:
        return redirect("accounts:password_change")

    def get_urls(self) -> list[URLPattern | URLResolver]:
        """Django's URLs, with "view on site" limited to the request's municipality."""
        urls = super().get_urls()
        scoped = path(
            "r/<path:content_type_id>/<path:object_id>/",
            self.admin_view(self.view_on_site),
            name="view_on_site",
        )
        return [scoped if getattr(u, "name", None) == "view_on_site" else u for u in urls]

    def view_on_site(
        self, request: HttpRequest, content_type_id: str, object_id: str
    ) -> HttpResponseBase:
        from django.contrib.contenttypes.models import ContentType
        from django.contrib.contenttypes.views import shortcut

        content_type = ContentType.objects.filter(pk=content_type_id).first()
        model = content_type.model_class() if content_type is not None else None
        town = _town(request)
        try:
            ours = (
                model is not None
                and town is not None
                and scoped_queryset(model, town).filter(pk=object_id).exists()
            )
        except (ValueError, TypeError, ValidationError):
            ours = False
        if not ours:
            raise Http404("Registro não encontrado neste município.")
        return shortcut(request, content_type_id, object_id)

    def register(self, model_or_iterable: Any, admin_class: Any = None, **options: Any) -> None:
        """Only pages built on :class:`PacoModelAdmin` (and inlines on :class:`PacoInline`)."""
        if admin_class is None or not issubclass(admin_class, PacoModelAdmin):
            raise ImproperlyConfigured(
                f"{admin_class!r}: as páginas da gestão derivam de PacoModelAdmin "
                "(escolhas do município, gravações pelas ações)."
            )
        for inline in admin_class.inlines:
            if not issubclass(inline, PacoInline):
                raise ImproperlyConfigured(
                    f"{inline!r}: os inlines da gestão derivam de PacoInline."
                )
        super().register(model_or_iterable, admin_class, **options)


site = PacoAdminSite(name="admin")


def request_municipality(request: HttpRequest) -> Municipality:
    town: Municipality | None = getattr(request, "municipality", None)
    if town is None:
        raise PermissionError("Requisição sem município.")
    return town


def _town(request: HttpRequest) -> Municipality | None:
    return getattr(request, "municipality", None)


def _scoped_choices(db_field: Any, request: HttpRequest, kwargs: dict[str, Any]) -> None:
    """Offer only the request's municipality's records in foreign-key and many-to-many fields."""
    town = _town(request)
    related = db_field.related_model
    if related is None:
        return
    if town is None:
        kwargs["queryset"] = related._default_manager.none()
        return
    scoped = scoped_queryset(related, town)
    base = kwargs.get("queryset")
    kwargs["queryset"] = scoped if base is None else base.filter(pk__in=scoped.values("pk"))


class TownRawIdWidget(ForeignKeyRawIdWidget):
    """A raw id field that names only records of the request's municipality."""

    town: Municipality | None = None

    def label_and_url_for_value(self, value: Any) -> tuple[str, str]:
        key = self.rel.get_related_field().name
        if self.town is None or value in (None, ""):
            return "", ""
        try:
            visible = scoped_queryset(self.rel.model, self.town).filter(**{key: value}).exists()
        except (ValueError, TypeError):
            return "", ""
        return super().label_and_url_for_value(value) if visible else ("", "")


class TenantChoicesMixin:
    """Limits every choice list in a back-office form to the request's municipality."""

    def formfield_for_foreignkey(
        self, db_field: Any, request: HttpRequest, **kwargs: Any
    ) -> ModelChoiceField[Any] | None:
        _scoped_choices(db_field, request, kwargs)
        field = super().formfield_for_foreignkey(db_field, request, **kwargs)  # type: ignore[misc]
        widget = getattr(field, "widget", None)
        inner = getattr(widget, "widget", widget)  # inside RelatedFieldWidgetWrapper
        if isinstance(inner, ForeignKeyRawIdWidget) and not isinstance(inner, TownRawIdWidget):
            inner.__class__ = TownRawIdWidget
        if isinstance(inner, TownRawIdWidget):
            inner.town = _town(request)
        return field

    def formfield_for_manytomany(self, db_field: Any, request: HttpRequest, **kwargs: Any) -> Any:
        _scoped_choices(db_field, request, kwargs)
        return super().formfield_for_manytomany(db_field, request, **kwargs)  # type: ignore[misc]


# --- list filters ----------------------------------------------------------------------


def _choice_key(field: Any) -> str:
    target = getattr(field, "target_field", None)
    return str(target.attname) if target is not None else "pk"


class TownRelatedFilter(RelatedFieldListFilter):
    """A related-field filter listing only the request's municipality's records."""

    def field_choices(self, field: Any, request: HttpRequest, model_admin: Any) -> Any:
        town = _town(request)
        related = field.related_model
        if town is None or related is None:
            return []
        qs = scoped_queryset(related, town)
        ordering = self.field_admin_ordering(field, request, model_admin)
        if ordering:
            qs = qs.order_by(*ordering)
        key = _choice_key(field)
        return [(getattr(obj, key), str(obj)) for obj in qs]


class TownAllValuesFilter(AllValuesFieldListFilter):
    """A values filter across a relation (``service__name``): values of this town only."""

    def __init__(
        self,
        field: Any,
        request: HttpRequest,
        params: Any,
        model: Any,
        model_admin: Any,
        field_path: str,
    ) -> None:
        super().__init__(field, request, params, model, model_admin, field_path)
        parent_model, _ = reverse_field_path(model, field_path)
        if parent_model != model:
            town = _town(request)
            qs = (
                scoped_queryset(parent_model, town)
                if town is not None
                else parent_model._default_manager.none()
            )
            self.lookup_choices = (
                qs.distinct().order_by(field.name).values_list(field.name, flat=True)
            )


def _scoped_filter(model: Any, entry: Any) -> Any:
    """``entry`` of ``list_filter`` with its choices limited to the request's town."""
    if isinstance(entry, str):
        name, given = entry, None
    elif isinstance(entry, tuple | list) and len(entry) == 2 and isinstance(entry[0], str):
        name, given = entry[0], entry[1]
    else:
        return entry  # a SimpleListFilter: its own lookups (checked by the walk test)
    fields = get_fields_from_path(model, name)
    last = fields[-1]
    relational = last.is_relation or isinstance(last, ForeignObjectRel)
    if given is not None and not (
        isinstance(given, type)
        and issubclass(given, RelatedFieldListFilter | AllValuesFieldListFilter)
    ):
        return entry  # a choices, date, boolean or empty filter: no records named
    if relational:
        return (name, TownRelatedFilter)
    if len(fields) > 1 or (given is not None and issubclass(given, AllValuesFieldListFilter)):
        return (name, TownAllValuesFilter)
    return entry


# --- the base of every back-office page ------------------------------------------------------


def _overrides(obj: Any, name: str, base: type) -> bool:
    return getattr(type(obj), name) is not getattr(base, name)


class PacoModelAdmin(TenantChoicesMixin, admin.ModelAdmin):
    """Base of every page of :data:`site`: scoped choices and action-backed writes only."""

    def get_list_filter(self, request: HttpRequest) -> Any:
        return [_scoped_filter(self.model, entry) for entry in super().get_list_filter(request)]

    # -- writes: refused unless the page routes them through its app's actions --

    def writes_routed(self, kind: str) -> bool:
        """Whether this page saves (``"save"``) or deletes (``"delete"``) through actions."""
        if kind == "save":
            return _overrides(self, "save_model", PacoModelAdmin)
        return _overrides(self, "delete_model", PacoModelAdmin)

    def save_model(self, request: HttpRequest, obj: Any, form: Any, change: bool) -> None:
        raise PermissionDenied(REFUSED_WRITE)

    def delete_model(self, request: HttpRequest, obj: Any) -> None:
        raise PermissionDenied(REFUSED_WRITE)

    def delete_queryset(self, request: HttpRequest, queryset: models.QuerySet[Any]) -> None:
        """The bulk delete: each record through :meth:`delete_model`, all or nothing."""
        if not self.writes_routed("delete"):
            raise PermissionDenied(REFUSED_WRITE)
        with transaction.atomic():
            for obj in queryset:
                if not self.has_delete_permission(request, obj):
                    raise PermissionDenied(f"Você não pode excluir “{obj}”.")
                self.delete_model(request, obj)

    def record_related(self, request: HttpRequest, obj: Any) -> None:
        """Record (through an action) what inlines and many-to-many fields just saved."""
        raise PermissionDenied(REFUSED_WRITE)

    def save_related(self, request: HttpRequest, form: Any, formsets: Any, change: bool) -> None:
        m2m = {f.name for f in self.model._meta.many_to_many}
        changed = bool(m2m & set(form.changed_data)) or any(fs.has_changed() for fs in formsets)
        if not changed:
            for formset in formsets:  # what Django's change message reads
                formset.new_objects, formset.changed_objects, formset.deleted_objects = [], [], []
            return
        if not _overrides(self, "record_related", PacoModelAdmin):
            raise PermissionDenied(REFUSED_WRITE)
        super().save_related(request, form, formsets, change)
        self.record_related(request, form.instance)


class PacoInline(TenantChoicesMixin):
    """Base of every inline: scoped choices (writes follow the page's ``record_related``)."""


class TenantAdmin(PacoModelAdmin):
    """Base admin for models with a ``municipality`` foreign key."""

    #: the role (``paco.accounts.models.Role``) that may change these records
    role: str = "admin"
    #: the role that may only read them; ``None`` means any staff of the municipality
    view_role: str | None = None

    def get_queryset(self, request: HttpRequest) -> models.QuerySet[Any]:
        return super().get_queryset(request).filter(municipality=request_municipality(request))

    def record_unit(self, obj: Any) -> Any:
        """The unit whose role a change of ``obj`` takes (``None``: a town-wide record)."""
        return getattr(obj, "unit", None)

    def _can_change(self, request: HttpRequest, obj: Any = None) -> bool:
        town = _town(request)
        if town is None:
            return False
        where = ANYWHERE if obj is None else self.record_unit(obj)
        return reach_for(request).has(self.role, where)

    def has_module_permission(self, request: HttpRequest) -> bool:
        return self.has_view_permission(request)

    def has_view_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        town = _town(request)
        if town is None:
            return False
        if self.view_role is None:
            return reach_for(request).is_staff
        return reach_for(request).has(self.view_role)

    def has_add_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return self.writes_routed("save") and self._can_change(request)

    def has_change_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return self.writes_routed("save") and self._can_change(request, obj)

    def has_delete_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return self.writes_routed("delete") and self._can_change(request, obj)

    def get_exclude(self, request: HttpRequest, obj: Any = None) -> Any:
        exclude = list(super().get_exclude(request, obj) or [])
        return [*exclude, "municipality"]

    def formfield_for_foreignkey(
        self, db_field: Any, request: HttpRequest, **kwargs: Any
    ) -> ModelChoiceField[Any] | None:
        """A unit field offers the units the user's role covers; "no unit" needs the role
        town-wide (the actions refuse it anyway)."""
        field = super().formfield_for_foreignkey(db_field, request, **kwargs)
        town = _town(request)
        if db_field.name == "unit" and db_field.related_model is Unit and field is not None:
            covered = reach_for(request).units(self.role) if town else set()
            if covered is not None:
                field.queryset = field.queryset.filter(pk__in=covered)  # type: ignore[union-attr]
                field.required = True
        return field


class ReadOnlyAdminMixin:
    """Records nobody edits through the application (audit trail, versions, history)."""

    def has_add_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return False

    def has_change_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return False

    def has_delete_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return False


class FollowParentPermissions:
    """Inline permissions follow the page's own (roles, not Django model permissions)."""

    admin_site: admin.AdminSite
    parent_model: Any

    def _parent(self) -> Any:
        return self.admin_site._registry[self.parent_model]

    def has_view_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return bool(self._parent().has_view_permission(request, obj))

    def has_add_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return bool(self._parent().has_change_permission(request, obj))

    def has_change_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return bool(self._parent().has_change_permission(request, obj))

    def has_delete_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return bool(self._parent().has_change_permission(request, obj))


class TenantInline(PacoInline, admin.StackedInline):
    """Inline whose choice lists are limited to the request's municipality."""

    extra = 0


class TenantTabularInline(PacoInline, admin.TabularInline):
    """Tabular inline whose choice lists are limited to the request's municipality."""

    extra = 0
