"""Back office for staff: the municipality's servants and their roles."""

from __future__ import annotations

from typing import Any

from django import forms
from django.contrib import admin, messages
from django.contrib.auth.password_validation import validate_password
from django.core.exceptions import PermissionDenied
from django.db.models import QuerySet
from django.http import HttpRequest

from paco.accounts import actions
from paco.accounts.models import Role, StaffMembership, User
from paco.core.admin import PacoModelAdmin, TenantAdmin, request_municipality, site
from paco.tenancy.models import Unit
from paco.workspace.reach import reach_for


def staff_of(request: HttpRequest) -> QuerySet[User]:
    town = request_municipality(request)
    return User.objects.filter(memberships__municipality=town).distinct()


@admin.register(StaffMembership, site=site)
class StaffMembershipAdmin(TenantAdmin):
    role = "admin"
    view_role = "admin"
    list_display = ["user", "role", "unit"]
    list_filter = ["role"]

    def formfield_for_foreignkey(self, db_field: Any, request: HttpRequest, **kwargs: Any) -> Any:
        if db_field.name == "user":
            kwargs["queryset"] = staff_of(request)
        return super().formfield_for_foreignkey(db_field, request, **kwargs)

    def save_model(self, request: HttpRequest, obj: Any, form: Any, change: bool) -> None:
        town = request_municipality(request)
        actor: Any = request.user
        if change:
            actions.revoke_role(actor, StaffMembership.objects.get(pk=obj.pk))
        obj.municipality = town
        obj.pk = actions.grant_role(actor, town, obj.user, obj.role, obj.unit).pk

    def delete_model(self, request: HttpRequest, obj: Any) -> None:
        actor: Any = request.user
        actions.revoke_role(actor, obj)


class NewStaffForm(forms.ModelForm):
    """A new servant: identity, a first password (strength-checked) and a first role."""

    password = forms.CharField(
        label="Senha inicial",
        widget=forms.PasswordInput(attrs={"autocomplete": "new-password"}),
        help_text="Pelo menos 12 caracteres; o servidor pode trocá-la em /conta/senha/.",
    )
    role = forms.ChoiceField(label="Papel", choices=Role.choices)
    unit = forms.ModelChoiceField(
        label="Unidade",
        queryset=Unit.objects.none(),
        required=False,
        help_text="Em branco: o papel vale para todo o município.",
    )

    class Meta:
        model = User
        fields = ["username", "first_name", "last_name", "email"]

    def clean_password(self) -> str:
        password: str = self.cleaned_data["password"]
        candidate = User(
            username=self.cleaned_data.get("username", ""),
            email=self.cleaned_data.get("email", ""),
            first_name=self.cleaned_data.get("first_name", ""),
            last_name=self.cleaned_data.get("last_name", ""),
        )
        validate_password(password, candidate)
        return password


@admin.register(User, site=site)
class StaffUserAdmin(PacoModelAdmin):
    """Servants of the request's municipality; administrators add and edit them.

    The identity of a servant who also serves another town (or of a superuser) is
    read-only here: only they or the installation superuser change it.
    """

    list_display = ["username", "first_name", "last_name", "email", "roles"]
    search_fields = ["username", "first_name", "last_name", "email"]
    fields = ["username", "first_name", "last_name", "email"]
    readonly_fields = ["username"]
    actions = ["reset_second_factor"]

    def get_queryset(self, request: HttpRequest) -> QuerySet[User]:
        town = request_municipality(request)
        return staff_of(request).prefetch_related(_memberships_in(town))

    @admin.display(description="Papéis")
    def roles(self, obj: User) -> str:
        return "; ".join(
            f"{m.get_role_display()}" + (f" ({m.unit})" if m.unit else "")
            for m in getattr(obj, "town_memberships", [])
        )

    @admin.action(description="Desativar a verificação em duas etapas (celular perdido)")
    def reset_second_factor(self, request: HttpRequest, queryset: QuerySet[User]) -> None:
        town = request_municipality(request)
        actor: Any = request.user
        for user in queryset:
            try:
                removed = actions.reset_second_factor(actor, town, user)
            except PermissionDenied as exc:
                self.message_user(request, f"{user}: {exc}", level=messages.ERROR)
                continue
            if removed:
                self.message_user(
                    request, f"{user}: verificação em duas etapas desativada.", messages.SUCCESS
                )
            else:
                self.message_user(request, f"{user}: já estava sem verificação em duas etapas.")

    def _is_admin(self, request: HttpRequest) -> bool:
        town = getattr(request, "municipality", None)
        return town is not None and reach_for(request).has(Role.ADMIN)

    def has_module_permission(self, request: HttpRequest) -> bool:
        return self._is_admin(request)

    def has_view_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return self._is_admin(request)

    def has_add_permission(self, request: HttpRequest) -> bool:
        return self._is_admin(request)

    def has_change_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        if obj is None or not self._is_admin(request):
            return self._is_admin(request)
        actor: Any = request.user
        return actions.may_manage_identity(actor, request_municipality(request), obj)

    def has_delete_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return False  # servants leave by losing their roles (audited), never by deletion

    def get_form(
        self, request: HttpRequest, obj: Any = None, change: bool = False, **kwargs: Any
    ) -> Any:
        if obj is None:
            kwargs["form"] = NewStaffForm
            form = super().get_form(request, obj, change=change, **kwargs)
            form.base_fields["unit"].queryset = Unit.objects.for_municipality(  # type: ignore[attr-defined]
                request_municipality(request)
            )
            return form
        return super().get_form(request, obj, change=change, **kwargs)

    def get_fields(self, request: HttpRequest, obj: Any = None) -> Any:
        if obj is None:
            return ["username", "first_name", "last_name", "email", "password", "role", "unit"]
        return self.fields

    def get_readonly_fields(self, request: HttpRequest, obj: Any = None) -> Any:
        return self.readonly_fields if obj is not None else []

    def save_model(self, request: HttpRequest, obj: Any, form: Any, change: bool) -> None:
        town = request_municipality(request)
        actor: Any = request.user
        data = form.cleaned_data
        if change:
            fields = {f: data[f] for f in form.changed_data if f in self.fields}
            actions.update_staff_user(actor, town, User.objects.get(pk=obj.pk), **fields)
            return
        user = actions.create_staff_user(
            actor,
            town,
            username=data["username"],
            password=data["password"],
            email=data["email"],
            first_name=data["first_name"],
            last_name=data["last_name"],
        )
        actions.grant_role(actor, town, user, data["role"], data["unit"])
        obj.pk = user.pk


def _memberships_in(town: Any) -> Any:
    from django.db.models import Prefetch

    return Prefetch(
        "memberships",
        queryset=StaffMembership.objects.filter(municipality=town).select_related("unit"),
        to_attr="town_memberships",
    )
