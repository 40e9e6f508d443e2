"""Staff pages at ``/dados/gestao/``: datasets, uploads and API tokens.

Sign-in required; a signed-in user without the data-editor role (anywhere in
the municipality) gets a 404, as do datasets outside the units they cover
(``paco.opendata.access``). Version review and publishing are in :mod:`.review`.
"""

from __future__ import annotations

from collections.abc import Callable
from functools import partial
from typing import Any, TypeVar

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import Http404, HttpRequest, HttpResponse, JsonResponse
from django.middleware.csrf import CsrfViewMiddleware
from django.shortcuts import redirect, render
from django.urls import reverse
from django.views.decorators.csrf import csrf_exempt
from django.views.decorators.http import require_http_methods, require_POST

from paco.accounts import tokens
from paco.accounts.models import ApiToken, Role, User
from paco.accounts.permissions import refuse
from paco.opendata import actions
from paco.opendata.access import editor_units, staff_dataset, staff_datasets
from paco.opendata.models import Dataset, Resource, ResourceKind, ResourceVersion
from paco.opendata.pipeline import uploads
from paco.opendata.pipeline.actions import submit_version
from paco.opendata.pipeline.forms import (
    NEW_RESOURCE,
    DatasetForm,
    TokenForm,
    UploadForm,
    unit_queryset,
)
from paco.tenancy.access import current_municipality
from paco.tenancy.models import Municipality

T = TypeVar("T")

NOT_YOUR_UNIT = "Você não edita dados desta unidade."
#: version fields the dataset page does not show (reports may list 1000 problems each)
VERSION_DETAILS = ("schema", "stats", "report", "personal_data", "lgpd_decision")


def editor_town(request: HttpRequest) -> Municipality:
    """The request's municipality, if the user edits open data somewhere in it.

    Else 403 with the reason for the town's own staff, 404 for everyone else."""
    town = current_municipality(request)
    if editor_units(request) == set():
        refuse(request.user, town, Role.DATA_EDITOR)
    return town


def _user(request: HttpRequest) -> User:
    assert isinstance(request.user, User)
    return request.user


def version_url(version: ResourceVersion) -> str:
    return reverse("pipeline:version", args=[version.resource_id, version.number])


def _form_errors(form: Any, exc: ValidationError) -> None:
    if hasattr(exc, "error_dict"):
        for field, errors in exc.message_dict.items():
            form.add_error(field if field in form.fields else None, errors)
    else:
        form.add_error(None, exc.messages)


def attempt(
    form: Any, action: Callable[[], T], denied: str, *, denied_field: str | None = None
) -> T | None:
    """Run a write for a valid form; its refusals become form errors (``None`` returned)."""
    try:
        return action()
    except ValidationError as exc:
        _form_errors(form, exc)
    except PermissionDenied:
        form.add_error(denied_field, denied)
    return None


@login_required
def home(request: HttpRequest) -> HttpResponse:
    editor_town(request)
    datasets = staff_datasets(request).select_related("unit").order_by("-modified_at")
    return render(request, "pipeline/home.html", {"datasets": datasets})


@login_required
@require_http_methods(["GET", "POST"])
def dataset_create(request: HttpRequest) -> HttpResponse:
    town = editor_town(request)
    units = unit_queryset(town, editor_units(request))
    form = DatasetForm(request.POST or None, instance=Dataset(municipality=town), units=units)
    if request.method == "POST" and form.is_valid():
        create = partial(
            actions.create_dataset,
            _user(request),
            town,
            title=form.cleaned_data["title"],
            name=form.cleaned_data.get("name") or "",
            themes=form.theme_keys(),
            **form.catalogue_fields(),
        )
        dataset = attempt(form, create, NOT_YOUR_UNIT, denied_field="unit")
        if dataset is not None:
            messages.success(request, "Conjunto criado como rascunho. Agora envie os dados.")
            return redirect("pipeline:dataset", dataset.name)
    return render(request, "pipeline/dataset_form.html", {"form": form, "dataset": None})


@login_required
@require_http_methods(["GET", "POST"])
def dataset_edit(request: HttpRequest, name: str) -> HttpResponse:
    town = editor_town(request)
    dataset = staff_dataset(request, name)
    units = unit_queryset(town, editor_units(request))
    form = DatasetForm(request.POST or None, instance=dataset, units=units)
    if request.method == "POST" and form.is_valid():
        fresh = Dataset.objects.get(pk=dataset.pk)  # the form mutated ``dataset`` already
        update = partial(
            actions.update_dataset,
            _user(request),
            fresh,
            themes=form.theme_keys(),
            title=form.cleaned_data["title"],
            **form.catalogue_fields(),
        )
        if attempt(form, update, NOT_YOUR_UNIT, denied_field="unit") is not None:
            messages.success(request, "Catálogo atualizado.")
            return redirect("pipeline:dataset", fresh.name)
    return render(request, "pipeline/dataset_form.html", {"form": form, "dataset": dataset})


@login_required
def dataset_detail(request: HttpRequest, name: str) -> HttpResponse:
    town = editor_town(request)
    dataset = staff_dataset(request, name)
    resources = list(
        Resource.objects.for_municipality(town)
        .filter(dataset=dataset)
        .select_related("current_version")
        .order_by("position", "created_at")
    )
    versions = (
        ResourceVersion.objects.for_municipality(town)
        .filter(resource__dataset=dataset)
        .defer(*VERSION_DETAILS)  # the table shows none of the big JSON documents
        .order_by("resource_id", "-number")
    )
    by_resource: dict[Any, list[ResourceVersion]] = {}
    for version in versions:
        by_resource.setdefault(version.resource_id, []).append(version)
    rows = [(r, by_resource.get(r.pk, [])) for r in resources]
    return render(request, "pipeline/dataset.html", {"dataset": dataset, "rows": rows})


def _checked_view(request: HttpRequest) -> HttpResponse:
    """What ``process_view`` is told it guards: a view without ``csrf_exempt``."""
    return HttpResponse()


def _csrf_refusal(request: HttpRequest) -> HttpResponse | None:
    """The CSRF check of ``CsrfViewMiddleware``, run by hand (it reads ``request.POST``)."""
    refusal = CsrfViewMiddleware(_checked_view).process_view(request, _checked_view, (), {})
    return refusal if isinstance(refusal, HttpResponse) else None


# Exempt from the middleware only because its check reads the body, which must come after
# the on-disk upload handler is installed; the view runs the same check right after that.
@csrf_exempt
@login_required
@require_http_methods(["GET", "POST"])
def upload(request: HttpRequest, name: str) -> HttpResponse:
    editor_town(request)
    dataset = staff_dataset(request, name)
    resources = list(dataset.resources.filter(kind=ResourceKind.FILE).order_by("position"))
    too_big = False
    if request.method == "POST":
        if uploads.declared_too_big(request):  # nothing read, nothing written: no check needed
            too_big = True
            form = UploadForm(resources=resources)
        else:
            handler = uploads.prepare(request)
            refusal = _csrf_refusal(request)
            if refusal is not None:
                return refusal
            form = UploadForm(request.POST, request.FILES, resources=resources)
            too_big = handler.exceeded
    else:
        form = UploadForm(resources=resources)
    if too_big:
        form.add_error(None, uploads.too_big_message())
    elif request.method == "POST" and form.is_valid():
        version = _submit(request, dataset, resources, form)
        if version is not None:
            if request.headers.get("Accept", "").startswith("application/json"):
                return JsonResponse({"version_url": version_url(version)}, status=202)
            messages.success(request, "Arquivo recebido. O processamento começou.")
            return redirect(version_url(version))
    status = 413 if too_big else 200
    context = {"dataset": dataset, "form": form, "limit_mb": uploads.limit_bytes() // 2**20}
    return render(request, "pipeline/upload.html", context, status=status)


def _submit(
    request: HttpRequest, dataset: Dataset, resources: list[Resource], form: UploadForm
) -> ResourceVersion | None:
    data = form.cleaned_data
    user = _user(request)

    def send() -> ResourceVersion:
        if data["resource"] == NEW_RESOURCE:
            resource = actions.create_resource(user, dataset, title=data["new_title"].strip())
        else:
            resource = next(r for r in resources if str(r.pk) == data["resource"])
        return submit_version(
            user,
            resource,
            data["file"],
            data["file"].name,
            sheet=data.get("sheet") or "",
            auto_publish=bool(data.get("auto_publish")),
            accept_errors=False,
        )

    try:
        return attempt(form, send, "Você não pode enviar dados para este conjunto.")
    finally:
        data["file"].close()


@login_required
@require_http_methods(["GET", "POST"])
def token_list(request: HttpRequest) -> HttpResponse:
    town = editor_town(request)
    user = _user(request)
    form = TokenForm(request.POST or None)
    secret = None
    if request.method == "POST" and form.is_valid():
        try:
            _, secret = tokens.create_token(user, town, user, form.cleaned_data["name"])
        except (PermissionDenied, ValueError) as exc:
            form.add_error(None, str(exc))
        else:
            form = TokenForm()
    mine = ApiToken.objects.for_municipality(town).filter(user=user)
    context = {"form": form, "tokens": mine, "secret": secret}
    return render(request, "pipeline/tokens.html", context)


@login_required
@require_POST
def token_revoke(request: HttpRequest, pk: int) -> HttpResponse:
    town = editor_town(request)
    token = ApiToken.objects.for_municipality(town).filter(pk=pk, user=request.user).first()
    if token is None:
        raise Http404("Token não encontrado.")
    tokens.revoke_token(_user(request), token)
    messages.success(request, f"Token “{token.name}” revogado.")
    return redirect("pipeline:tokens")
