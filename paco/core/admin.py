"""The staff back office (``/gestao/``): Django's admin, in pt-BR, scoped to a municipality.

:class:`TenantAdmin` is the base of every back-office page for municipality data:
it lists only the request's municipality, offers only that municipality's units
in choices, and asks :mod:`paco.accounts.permissions` (not Django's model
permissions) whether the user may see or change anything. Subclasses save
through their app's ``actions`` module, so the admin, the API and the CLI share
one write path with its audit entry.
"""

from __future__ import annotations

from typing import Any

from django.contrib import admin
from django.db import models
from django.forms import ModelChoiceField
from django.http import HttpRequest, HttpResponse, HttpResponseBase
from django.shortcuts import redirect

from paco.accounts.otp import otp_satisfied
from paco.accounts.permissions import has_role, is_staff_of
from paco.tenancy.models import Municipality


class PacoAdminSite(admin.AdminSite):
    site_header = "Paço — área do servidor"
    site_title = "Paço"
    index_title = "Gestão"
    index_template = "core/admin/index.html"
    site_url = "/"
    enable_nav_sidebar = False

    def has_permission(self, request: HttpRequest) -> bool:
        town: Municipality | None = getattr(request, "municipality", None)
        user = request.user
        if not (user.is_active and user.is_authenticated):
            return False
        if not otp_satisfied(request):  # a second factor, if the user has one, is verified
            return False
        if user.is_superuser:
            return True
        return town is not None and is_staff_of(user, town)

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


site = PacoAdminSite(name="admin")


def request_municipality(request: HttpRequest) -> Municipality:
    town: Municipality | None = getattr(request, "municipality", None)
    if town is None:
        raise PermissionError("Requisição sem município.")
    return town


def _scoped_choices(db_field: Any, request: HttpRequest, kwargs: dict[str, Any]) -> None:
    """Offer only the request's municipality's records in foreign-key and many-to-many fields."""
    town = getattr(request, "municipality", None)
    related = db_field.related_model
    if town is None or related is None:
        return
    if related is Municipality:
        kwargs["queryset"] = Municipality.objects.filter(pk=town.pk)
    elif any(f.name == "municipality" for f in related._meta.get_fields()):
        base = kwargs.get("queryset", related._default_manager.all())
        kwargs["queryset"] = base.filter(municipality=town)


class TenantChoicesMixin:
    """Limits every choice list in a back-office form to the request's municipality."""

    def formfield_for_foreignkey(
        self, db_field: Any, request: HttpRequest, **kwargs: Any
    ) -> ModelChoiceField[Any] | None:
        _scoped_choices(db_field, request, kwargs)
        return super().formfield_for_foreignkey(db_field, request, **kwargs)  # type: ignore[misc]

    def formfield_for_manytomany(self, db_field: Any, request: HttpRequest, **kwargs: Any) -> Any:
        _scoped_choices(db_field, request, kwargs)
        return super().formfield_for_manytomany(db_field, request, **kwargs)  # type: ignore[misc]


class TenantAdmin(TenantChoicesMixin, admin.ModelAdmin):
    """Base admin for models with a ``municipality`` foreign key."""

    #: the role (``paco.accounts.models.Role``) that may change these records
    role: str = "admin"
    #: the role that may only read them; ``None`` means any staff of the municipality
    view_role: str | None = None

    def get_queryset(self, request: HttpRequest) -> models.QuerySet[Any]:
        return super().get_queryset(request).filter(municipality=request_municipality(request))

    def _can_change(self, request: HttpRequest) -> bool:
        town = getattr(request, "municipality", None)
        return town is not None and has_role(request.user, town, self.role)

    def has_module_permission(self, request: HttpRequest) -> bool:
        return self.has_view_permission(request)

    def has_view_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        town = getattr(request, "municipality", None)
        if town is None:
            return False
        if self.view_role is None:
            return is_staff_of(request.user, town)
        return has_role(request.user, town, self.view_role)

    def has_add_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return self._can_change(request)

    def has_change_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return self._can_change(request)

    def has_delete_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return self._can_change(request)

    def get_exclude(self, request: HttpRequest, obj: Any = None) -> Any:
        exclude = list(super().get_exclude(request, obj) or [])
        return [*exclude, "municipality"]

    def save_model(self, request: HttpRequest, obj: Any, form: Any, change: bool) -> None:
        if not change:
            obj.municipality = request_municipality(request)
        super().save_model(request, obj, form, change)


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


class TenantInline(TenantChoicesMixin, admin.StackedInline):
    """Inline whose choice lists are limited to the request's municipality."""

    extra = 0
