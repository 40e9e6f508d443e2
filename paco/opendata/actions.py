"""Every write to the catalogue (datasets, resources, inventory) goes through here.

Each function runs in a transaction, checks the actor's role and records an
audit entry. ``actor=None`` is the system itself (CLI as installation admin,
demo, self-published datasets). Version uploads, screening and publishing live
in :mod:`paco.opendata.pipeline`.
"""

from __future__ import annotations

import datetime
import secrets
from typing import Any

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import IntegrityError, transaction
from django.utils import timezone
from django.utils.text import slugify

from paco.accounts.models import Role, User
from paco.accounts.permissions import require_role
from paco.audit.services import diff, record, snapshot
from paco.opendata import signals, vocab
from paco.opendata.models import (
    Dataset,
    DatasetState,
    InventoryItem,
    InventoryStatus,
    PseudonymKey,
    Resource,
    ResourceKind,
    Theme,
)
from paco.tenancy.models import Municipality, Unit

DATASET_FIELDS = (
    "title",
    "description",
    "unit",
    "contact_name",
    "contact_email",
    "keywords",
    "license",
    "access_rights",
    "periodicity",
    "next_update_due",
    "temporal_start",
    "temporal_end",
    "spatial",
    "version",
)


def _require_editor(actor: User | None, town: Municipality, unit: Unit) -> None:
    if actor is not None:
        require_role(actor, town, Role.DATA_EDITOR, unit)


def _refuse_unknown(fields: dict[str, Any], allowed: tuple[str, ...]) -> None:
    unknown = set(fields) - set(allowed)
    if unknown:
        raise TypeError(f"campos desconhecidos: {sorted(unknown)}")


def _check_unit(town: Municipality, unit: Unit) -> None:
    if unit.municipality_id != town.pk:
        raise PermissionDenied("A unidade não pertence a este município.")


def clean_keywords(values: Any) -> list[str]:
    """Keywords as a list of distinct, trimmed, lower-case strings."""
    if isinstance(values, str):
        values = values.replace(";", ",").split(",")
    seen: list[str] = []
    for value in values or []:
        word = " ".join(str(value).split()).lower()[:60]
        if word and word not in seen:
            seen.append(word)
    return seen


def next_due(periodicity: str, since: datetime.date) -> datetime.date | None:
    days = vocab.FREQUENCY_DAYS.get(periodicity)
    return since + datetime.timedelta(days=days) if days else None


def _theme_keys(dataset: Dataset) -> list[str]:
    return sorted(dataset.themes.values_list("key", flat=True))


@transaction.atomic
def create_dataset(
    actor: User | None,
    town: Municipality,
    *,
    title: str,
    unit: Unit,
    name: str = "",
    themes: list[str] | None = None,
    system_key: str = "",
    **fields: Any,
) -> Dataset:
    """Create a draft dataset in ``unit``."""
    _check_unit(town, unit)
    _require_editor(actor, town, unit)
    _refuse_unknown(fields, DATASET_FIELDS)
    fields["keywords"] = clean_keywords(fields.get("keywords", []))
    dataset = Dataset(
        municipality=town,
        unit=unit,
        title=title,
        name=name or slugify(title)[:100],
        system_key=system_key,
        **fields,
    )
    if Dataset.objects.for_municipality(town).filter(name=dataset.name).exists():
        raise ValidationError(
            {"name": f"Já existe um conjunto com o identificador “{dataset.name}”."}
        )
    dataset.full_clean()
    dataset.save()
    if themes:
        set_themes(dataset, themes)
    record(actor, "dataset.create", dataset, changes={"after": snapshot(dataset)})
    return dataset


def set_themes(dataset: Dataset, keys: list[str]) -> None:
    found = list(Theme.objects.filter(key__in=keys))
    missing = set(keys) - {t.key for t in found}
    if missing:
        raise ValidationError({"themes": f"Tema desconhecido: {', '.join(sorted(missing))}."})
    dataset.themes.set(found)


@transaction.atomic
def update_dataset(
    actor: User | None, dataset: Dataset, *, themes: list[str] | None = None, **fields: Any
) -> Dataset:
    """Change catalogue fields of a dataset (moving it to another unit needs both units)."""
    _require_editor(actor, dataset.municipality, dataset.unit)
    _refuse_unknown(fields, DATASET_FIELDS)
    if "unit" in fields:
        _check_unit(dataset.municipality, fields["unit"])
        _require_editor(actor, dataset.municipality, fields["unit"])
    before = {**snapshot(dataset), "themes": _theme_keys(dataset)}
    if "keywords" in fields:
        fields["keywords"] = clean_keywords(fields["keywords"])
    for key, value in fields.items():
        setattr(dataset, key, value)
    dataset.full_clean()
    dataset.save()
    if themes is not None:
        set_themes(dataset, themes)
    after = {**snapshot(dataset), "themes": _theme_keys(dataset)}
    record(actor, "dataset.update", dataset, changes=diff(before, after))
    if dataset.is_published:
        announce_change(dataset)
    return dataset


@transaction.atomic
def set_dataset_state(actor: User | None, dataset: Dataset, state: str) -> Dataset:
    """Publish or withdraw a dataset's catalogue entry (resources publish by version)."""
    _require_editor(actor, dataset.municipality, dataset.unit)
    if state not in DatasetState.values:
        raise ValidationError("Situação inválida.")
    before = dataset.state
    dataset.state = state
    if state == DatasetState.PUBLISHED and dataset.published_at is None:
        dataset.published_at = timezone.now()
    dataset.save()
    record(actor, f"dataset.{state}", dataset, changes={"state": [before, state]})
    if state == DatasetState.PUBLISHED and dataset.resources.public().exists():
        advance_inventory(dataset)
    announce_change(dataset)
    return dataset


def announce_change(dataset: Dataset) -> None:
    """Send ``signals.dataset_changed`` after commit (feeds, webhooks, data requests)."""
    transaction.on_commit(lambda: signals.dataset_changed.send(sender=Dataset, dataset=dataset))


def touch_dataset(dataset: Dataset) -> None:
    """Mark the dataset modified (``metadata_modified``) after a resource change."""
    Dataset.objects.filter(pk=dataset.pk).update(modified_at=timezone.now())


@transaction.atomic
def create_resource(
    actor: User | None,
    dataset: Dataset,
    *,
    title: str,
    name: str = "",
    description: str = "",
    kind: str = ResourceKind.FILE,
    url: str = "",
    format: str = "",
    media_type: str = "",
) -> Resource:
    _require_editor(actor, dataset.municipality, dataset.unit)
    resource = Resource(
        municipality=dataset.municipality,
        dataset=dataset,
        title=title,
        name=name or slugify(title)[:100] or "recurso",
        description=description,
        kind=kind,
        url=url,
        format=format.lower(),
        media_type=media_type,
        position=dataset.resources.count(),
    )
    if kind == ResourceKind.LINK and not url:
        raise ValidationError({"url": "Informe o endereço do link externo."})
    if dataset.resources.filter(name=resource.name).exists():
        raise ValidationError({"name": f"Já existe um recurso “{resource.name}” neste conjunto."})
    resource.full_clean(exclude=["current_version"])
    resource.save()
    touch_dataset(dataset)
    record(actor, "resource.create", resource, changes={"after": snapshot(resource)})
    return resource


RESOURCE_FIELDS = ("title", "description", "url", "format", "media_type", "position")


@transaction.atomic
def update_resource(actor: User | None, resource: Resource, **fields: Any) -> Resource:
    _require_editor(actor, resource.municipality, resource.dataset.unit)
    _refuse_unknown(fields, RESOURCE_FIELDS)
    before = snapshot(resource)
    for key, value in fields.items():
        setattr(resource, key, value)
    resource.full_clean(exclude=["current_version"])
    resource.save()
    touch_dataset(resource.dataset)
    record(actor, "resource.update", resource, changes=diff(before, snapshot(resource)))
    return resource


DICTIONARY_KEYS = ("title", "description", "unit", "type", "format", "constraints")


@transaction.atomic
def update_dictionary(
    actor: User | None, resource: Resource, entries: dict[str, dict[str, Any]]
) -> Resource:
    """Staff edits of the data dictionary (titles, descriptions, units, types, constraints)."""
    _require_editor(actor, resource.municipality, resource.dataset.unit)
    resource.refresh_from_db(fields=["current_version"])  # the columns of the table now
    types: dict[str, str] = {}
    if resource.current_version is not None:
        types = {f["name"]: f["type"] for f in resource.current_version.schema.get("fields", [])}
    cleaned: dict[str, dict[str, Any]] = {}
    for column, entry in entries.items():
        if types and column not in types:
            raise ValidationError(f"A coluna “{column}” não existe nesta tabela.")
        extra = set(entry) - set(DICTIONARY_KEYS)
        if extra:
            raise ValidationError(f"Campo de dicionário desconhecido: {', '.join(sorted(extra))}.")
        cleaned[column] = {k: v for k, v in entry.items() if v not in ("", None)}
        _check_constraints(column, cleaned[column], types.get(column))
    before = resource.dictionary
    resource.dictionary = cleaned
    resource.save(update_fields=["dictionary", "modified_at"])
    touch_dataset(resource.dataset)
    record(actor, "resource.dictionary", resource, changes={"dictionary": [before, cleaned]})
    return resource


def _check_constraints(column: str, entry: dict[str, Any], current_type: str | None) -> None:
    """Refuse constraint values the next import could not apply, in pt-BR, before saving.

    Without a processed table nor a chosen type there is nothing to check against yet:
    the next import reports them.
    """
    from paco.opendata.tabular.constraints import LABELS, active, inapplicable
    from paco.opendata.tabular.errors import TabularError
    from paco.opendata.tabular.values import type_label

    kind = entry.get("type") or current_type
    if kind is None:
        return
    spec = {"name": column, **entry, "type": kind}
    ignored = inapplicable(spec)
    if ignored:
        raise ValidationError(
            f"A restrição “{LABELS[ignored[0]]}” não vale para a coluna “{column}”, "
            f"do tipo {type_label(kind)}."
        )
    try:
        active(spec)
    except TabularError as exc:
        raise ValidationError(str(exc)) from exc


INVENTORY_FIELDS = (
    "name",
    "description",
    "unit",
    "system",
    "planned_opening",
    "status",
    "restriction_reason",
    "dataset",
    "stage",
)


@transaction.atomic
def save_inventory_item(
    actor: User | None, town: Municipality, item: InventoryItem | None = None, **fields: Any
) -> InventoryItem:
    """Create or change an entry of the inventory of databases."""
    _refuse_unknown(fields, INVENTORY_FIELDS)
    creating = item is None
    item = item or InventoryItem(municipality=town)
    if not creating:
        _require_editor(actor, town, item.unit)
    before = {} if creating else snapshot(item)
    for key, value in fields.items():
        setattr(item, key, value)
    _check_unit(town, item.unit)
    _require_editor(actor, town, item.unit)
    if item.dataset is not None and item.dataset.municipality_id != town.pk:
        raise PermissionDenied("O conjunto não pertence a este município.")
    if item.stage is not None and item.stage.municipality_id != town.pk:
        raise PermissionDenied("A etapa não pertence a este município.")
    item.full_clean()
    item.save()
    record(
        actor,
        "inventory.create" if creating else "inventory.update",
        item,
        changes=diff(before, snapshot(item)),
    )
    return item


def advance_inventory(dataset: Dataset) -> list[InventoryItem]:
    """Mark the dataset's inventory entries published and conclude their PDA stages.

    Runs as the system (the publisher may not hold the plan-editor role); the
    stage change goes through ``paco.plans.actions`` so its history is kept.
    """
    from paco.plans.actions import update_stage
    from paco.plans.models import Status

    changed = []
    items = InventoryItem.objects.for_municipality(dataset.municipality).filter(dataset=dataset)
    for item in items.select_related("stage", "unit"):
        if item.status != InventoryStatus.PUBLISHED:
            save_inventory_item(None, dataset.municipality, item, status=InventoryStatus.PUBLISHED)
            changed.append(item)
        # update_stage re-reads the stage: one shared by two entries changes (and logs) once
        if item.stage is not None and item.stage.status != Status.DONE:
            update_stage(None, item.stage, status=Status.DONE)
    return changed


def pseudonym_key(town: Municipality) -> str:
    """The municipality's pseudonymization key, created (and audited) on first use.

    A town that existed when the key became its own secret got the old derivation
    (migration ``0004_pseudonym_key``), so its published pseudonyms stay the same; a
    new town gets a random key. The value never goes to the audit trail.
    """
    found = PseudonymKey.objects.filter(municipality=town).values_list("key", flat=True).first()
    if found:
        return found
    try:
        with transaction.atomic():
            created = PseudonymKey.objects.create(
                municipality=town, key=secrets.token_hex(32), origin="random"
            )
            record(None, "opendata.pseudonym_key.create", created, changes={"origin": "random"})
    except IntegrityError:  # created meanwhile by a concurrent import
        pass
    return PseudonymKey.objects.get(municipality=town).key
