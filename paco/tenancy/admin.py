from __future__ import annotations

from typing import Any

from django import forms
from django.contrib import admin
from django.http import HttpRequest

from paco.core.admin import PacoModelAdmin, TenantAdmin, site
from paco.tenancy import actions
from paco.tenancy.models import Municipality, Unit
from paco.workspace.reach import reach_for


class MunicipalityForm(forms.ModelForm):
    hosts = forms.CharField(
        label="endereços (hosts)",
        required=False,
        widget=forms.Textarea(attrs={"rows": 3, "cols": 50}),
        help_text="Um nome de host por linha, por exemplo servicos.exemplo.sp.gov.br; cada "
        "nome pertence a um só município. Numa instalação com um só município, pode ficar "
        "em branco.",
    )

    class Meta:
        model = Municipality
        fields = [
            "name", "slug", "uf", "ibge_code", "cnpj", "site_url", "logo", "address", "phone",
            "email", "ombudsman_url", "open_data_portal_url", "is_active",
        ]  # fmt: skip

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        if "hosts" in self.fields and self.instance.pk is not None:
            self.initial.setdefault("hosts", self.instance.hosts)

    def _post_clean(self) -> None:
        if "hosts" in self.cleaned_data:  # checked (format, another town) by the model
            self.instance.hosts = self.cleaned_data["hosts"]
        super()._post_clean()  # type: ignore[misc]


@admin.register(Municipality, site=site)
class MunicipalityAdmin(PacoModelAdmin):
    """A town's administrator edits its public data; what says which town a request is
    and whether it is served (addresses, identifier, IBGE code, active) is the
    installation superuser's."""

    form = MunicipalityForm
    list_display = ["name", "uf", "ibge_code", "cnpj", "is_active"]
    search_fields = ["name", "ibge_code"]

    def get_queryset(self, request: HttpRequest) -> Any:
        qs = super().get_queryset(request)
        if request.user.is_superuser:
            return qs
        return qs.filter(pk=getattr(request.municipality, "pk", None))  # type: ignore[attr-defined]

    def get_readonly_fields(self, request: HttpRequest, obj: Any = None) -> Any:
        if request.user.is_superuser:
            return []
        return [*actions.INSTALLATION_FIELDS, "host_names_display"]

    def get_fields(self, request: HttpRequest, obj: Any = None) -> Any:
        fields = list(super().get_fields(request, obj))
        if not request.user.is_superuser:
            fields = [f for f in fields if f not in ("hosts", "host_names_display")]
            fields.append("host_names_display")
        return fields

    @admin.display(description="endereços (hosts)")
    def host_names_display(self, obj: Municipality) -> str:
        return ", ".join(obj.host_list()) or "—"

    def has_module_permission(self, request: HttpRequest) -> bool:
        return self.has_view_permission(request)

    def has_view_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        town = getattr(request, "municipality", None)
        return bool(request.user.is_superuser) or (
            town is not None and reach_for(request).has("admin")
        )

    def has_change_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return self.has_view_permission(request, obj)

    def has_add_permission(self, request: HttpRequest) -> bool:
        return bool(request.user.is_superuser)

    def has_delete_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return False

    def save_model(self, request: HttpRequest, obj: Any, form: Any, change: bool) -> None:
        data = form.cleaned_data
        if change:
            fields = {name: data[name] for name in form.changed_data if name in data}
            fresh = Municipality.objects.get(pk=obj.pk)
            actions.update_municipality(request.user, fresh, **fields)  # type: ignore[arg-type]
            obj._pending_hosts = None
            obj.refresh_from_db()
        else:
            created = actions.create_municipality(request.user, **data)  # type: ignore[arg-type]
            obj.pk, obj._state.adding, obj._state.db = created.pk, False, created._state.db


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

    def delete_model(self, request: HttpRequest, obj: Any) -> None:
        actions.delete_unit(request.user, obj)  # type: ignore[arg-type]
