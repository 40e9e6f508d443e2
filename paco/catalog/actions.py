"""Every write to the Carta de Serviços goes through these functions.

Saving a service is two steps, so the back office can save its inlines in
between: :func:`save_service` (the service's own fields) and
:func:`record_service_version` (search index, a new :class:`ServiceVersion`
with the full service, and the audit entry).
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.db.models import Max
from django.utils.text import slugify

from paco.accounts.models import Role, User
from paco.accounts.permissions import require_role
from paco.audit.services import diff, record, snapshot
from paco.catalog import bnsp, search
from paco.catalog.importer import ItemError, ServiceData, items_of, parse
from paco.catalog.models import (
    Audience,
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
from paco.tenancy.models import Municipality

SNAPSHOT_EXCLUDE = ["search_document", "search_name", "categories", "life_events", "audiences"]


def _check(actor: User | None, service: Service) -> None:
    if actor is not None:
        require_role(actor, service.municipality, Role.CATALOG_EDITOR, service.unit)


#: path segments of /servicos/ that are pages, not services
RESERVED_SLUGS = {"gestao", "categoria", "publico", "evento", "unidade"}


def _unique_slug(service: Service) -> str:
    base = slugify(service.slug or service.name)[:110] or "servico"
    if base in RESERVED_SLUGS:
        base = f"{base}-servico"
    others = Service.objects.for_municipality(service.municipality).exclude(pk=service.pk)
    slug, n = base, 2
    while others.filter(slug=slug).exists():
        slug, n = f"{base}-{n}", n + 1
    return slug


@transaction.atomic
def save_service(actor: User | None, service: Service, *, is_new: bool | None = None) -> Service:
    """Create or update a service's own fields (call :func:`record_service_version` after)."""
    creating = service.pk is None if is_new is None else is_new
    before: dict[str, Any] = {}
    if not creating:
        old = Service.objects.get(pk=service.pk, municipality=service.municipality)
        _check(actor, old)  # may change a service of a unit one covers…
        before = snapshot(old, exclude=SNAPSHOT_EXCLUDE)
    _check(actor, service)  # …and only move it to such a unit
    if service.unit.municipality_id != service.municipality_id:
        raise ValidationError("A unidade responsável deve ser deste município.")
    service.slug = _unique_slug(service)
    service.full_clean(exclude=["categories", "life_events", "audiences"])
    service.save()
    record(
        actor,
        "service.create" if creating else "service.update",
        service,
        changes=diff(before, snapshot(service, exclude=SNAPSHOT_EXCLUDE)),
    )
    return service


def refresh_search(service: Service) -> None:
    steps = list(service.steps.all())
    names = (service.name, service.acronym, service.popular_names)
    service.search_name = search.build_document(*names)
    service.search_document = search.build_document(
        *names,
        service.keywords,
        service.description,
        " ".join(c.name for c in service.categories.all()),
        " ".join(e.name for e in service.life_events.all()),
        " ".join(f"{s.title} {s.description} {s.documents}" for s in steps),
        service.unit.name,
        service.unit.acronym,
    )
    Service.objects.filter(pk=service.pk).update(
        search_name=service.search_name, search_document=service.search_document
    )


@transaction.atomic
def record_service_version(actor: User | None, service: Service) -> ServiceVersion | None:
    """After a save (with inlines): reindex and keep the full service as a new version.

    Returns ``None`` when nothing changed since the last version.
    """
    _check(actor, service)
    fresh = Service.objects.for_detail().get(pk=service.pk)
    refresh_search(fresh)
    data = bnsp.detail(fresh)
    last = fresh.versions.order_by("-number").first()
    if last is not None and last.data == data:
        return None
    number = (fresh.versions.aggregate(n=Max("number"))["n"] or 0) + 1
    version = ServiceVersion.objects.create(
        municipality=fresh.municipality,
        service=fresh,
        number=number,
        author=actor,
        author_repr=str(actor) if actor else "sistema",
        data=data,
    )
    changes = diff(last.data if last else {}, data)
    record(actor, "service.version", fresh, changes={"versao": [None, number], **changes})
    return version


@transaction.atomic
def update_service(
    actor: User | None, service: Service, *, related: dict[str, Any] | None = None
) -> ServiceVersion | None:
    """Save a service edited on its staff page, and keep a version.

    ``service`` carries the new values of its own fields; ``related`` maps a
    many-to-many field (``categories``, ``life_events``, ``audiences``) to its new
    objects. Audited as ``service.update`` (fields) and ``service.version`` (the rest).
    """
    save_service(actor, service, is_new=False)
    for name, objects in (related or {}).items():
        if name not in ("categories", "life_events", "audiences"):
            raise ValueError(f"Lista desconhecida: {name}")
        getattr(service, name).set(objects)
    return record_service_version(actor, service)


@transaction.atomic
def save_service_lists(
    actor: User | None, service: Service, *formsets: Any, step: Step | None = None
) -> ServiceVersion | None:
    """Save the edited lists of a service and keep a version (audited as ``service.version``).

    ``formsets`` are validated inline formsets of the service (who may ask, its
    steps) or of one of its ``step``'s (costs, channels); with ``step``, the step's
    own fields are saved first (``step.update``).
    """
    _check(actor, service)
    if step is not None:
        if step.service_id != service.pk:
            raise ValidationError("A etapa não é deste serviço.")
        save_step(actor, step)
    for formset in formsets:
        owner = formset.instance
        ours = (isinstance(owner, Service) and owner.pk == service.pk) or (
            isinstance(owner, Step) and step is not None and owner.pk == step.pk
        )
        if not ours:
            raise ValidationError("Lista de outro serviço.")
        formset.save()
    return record_service_version(actor, service)


@transaction.atomic
def set_status(actor: User | None, service: Service, status: str) -> Service:
    """Publish, send back to draft or archive (services are archived, never deleted)."""
    if status not in Status.values:
        raise ValidationError("Situação inválida.")
    _check(actor, service)
    before = service.status
    service.status = status
    service.save(update_fields=["status", "updated_at"])
    record(actor, "service.status", service, changes={"status": [before, status]})
    record_service_version(actor, service)
    return service


@transaction.atomic
def save_step(actor: User | None, step: Step) -> Step:
    """Save one step (its costs and channels are saved next; then record a version)."""
    service = Service.objects.select_related("unit", "municipality").get(pk=step.service_id)
    _check(actor, service)
    creating = step.pk is None
    before = {} if creating else snapshot(Step.objects.get(pk=step.pk))
    step.full_clean()
    step.save()
    record(
        actor,
        "step.create" if creating else "step.update",
        step,
        municipality=service.municipality,
        changes=diff(before, snapshot(step)),
    )
    return step


@transaction.atomic
def save_taxonomy(actor: User | None, obj: Category | LifeEvent) -> Category | LifeEvent:
    """Create or update a category or a life event (town-wide: a town-wide editor only)."""
    if actor is not None:
        require_role(actor, obj.municipality, Role.CATALOG_EDITOR, None)
    creating = obj.pk is None
    before = {} if creating else snapshot(type(obj).objects.get(pk=obj.pk))
    if not obj.slug:
        obj.slug = slugify(obj.name)[:80]
    obj.full_clean()
    obj.save()
    label = obj._meta.model_name
    record(
        actor,
        f"{label}.create" if creating else f"{label}.update",
        obj,
        changes=diff(before, snapshot(obj)),
    )
    return obj


@transaction.atomic
def delete_taxonomy(actor: User | None, obj: Category | LifeEvent) -> None:
    """Delete a category or a life event (its services stay, without it)."""
    if actor is not None:
        require_role(actor, obj.municipality, Role.CATALOG_EDITOR, None)
    services = list(obj.services.all())
    label = obj._meta.model_name
    record(
        actor,
        f"{label}.delete",
        obj,
        changes={**diff(snapshot(obj), {}), "servicos": [[str(s) for s in services], []]},
    )
    obj.delete()
    for service in services:  # their search text named the deleted entry
        refresh_search(service)


# --- import (CLI, demo) --------------------------------------------------------------------


@dataclass
class ImportResult:
    created: list[str] = field(default_factory=list)
    updated: list[str] = field(default_factory=list)
    errors: list[str] = field(default_factory=list)


class ImportFailed(Exception):
    def __init__(self, errors: list[str]) -> None:
        super().__init__("\n".join(errors))
        self.errors = errors


def _taxonomy(
    actor: User | None, town: Municipality, model: type[Category] | type[LifeEvent], name: str
) -> Any:
    slug = slugify(name)[:80]
    obj = model.objects.for_municipality(town).filter(slug=slug).first()
    if obj is None:
        obj = save_taxonomy(actor, model(municipality=town, name=name, slug=slug))
    return obj


def _apply(actor: User | None, town: Municipality, data: ServiceData) -> tuple[Service, bool]:
    qs = Service.objects.for_municipality(town)
    service = (
        qs.filter(slug=data.fields["slug"]).first()
        or qs.filter(name__iexact=data.fields["name"]).first()
    )
    creating = service is None
    if service is None:
        service = Service(municipality=town)
    for key, value in data.fields.items():
        if key == "slug" and not creating:
            continue
        setattr(service, key, value)
    save_service(actor, service, is_new=creating)
    service.categories.set([_taxonomy(actor, town, Category, n) for n in data.categories])
    service.life_events.set([_taxonomy(actor, town, LifeEvent, n) for n in data.life_events])
    service.audiences.set(Audience.objects.filter(slug__in=data.audiences))
    service.requesters.all().delete()
    Requester.objects.bulk_create(Requester(service=service, **r) for r in data.requesters)
    service.steps.all().delete()
    for order, step_data in enumerate(data.steps, start=1):
        step = Step.objects.create(
            service=service,
            order=order,
            title=step_data.title,
            description=step_data.description,
            documents=step_data.documents,
        )
        Cost.objects.bulk_create(Cost(step=step, **c) for c in step_data.costs)
        Channel.objects.bulk_create(Channel(step=step, **c) for c in step_data.channels)
    record_service_version(actor, service)
    return service, creating


@transaction.atomic
def import_services(actor: User | None, town: Municipality, payload: Any) -> ImportResult:
    """Import services in the BNSP detail shape; all or nothing.

    Raises :class:`ImportFailed` (with one pt-BR message per problem, naming the
    item) and changes nothing if any item is invalid.
    """
    if actor is not None:
        require_role(actor, town, Role.CATALOG_EDITOR)
    try:
        raw_items = items_of(payload)
    except ItemError as exc:
        raise ImportFailed([f"Arquivo: {exc}."]) from exc
    parsed: list[ServiceData] = []
    errors: list[str] = []
    seen: dict[str, int] = {}
    for index, raw in enumerate(raw_items, start=1):
        label = raw.get("nome") if isinstance(raw, dict) else None
        where = f"Item {index}" + (f" (“{label}”)" if label else "")
        try:
            data = parse(town, raw)
        except ItemError as exc:
            errors.append(f"{where}: {exc}.")
            continue
        slug = data.fields["slug"]
        if slug in seen:
            errors.append(f"{where}: repete o serviço do item {seen[slug]}.")
            continue
        seen[slug] = index
        parsed.append(data)
    if errors:
        raise ImportFailed(errors)
    result = ImportResult()
    try:
        for data in parsed:
            service, created = _apply(actor, town, data)
            (result.created if created else result.updated).append(service.name)
    except (ValidationError, PermissionDenied) as exc:
        raise ImportFailed([f"Serviço “{data.fields['name']}”: {_message(exc)}"]) from exc
    return result


def _message(exc: Exception) -> str:
    if isinstance(exc, ValidationError):
        return "; ".join(exc.messages)
    return str(exc)
