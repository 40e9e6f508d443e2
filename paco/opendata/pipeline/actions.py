"""Every write of the import pipeline: upload a version, retry it, decide on personal data,
publish it, store its CSV export figures.

Reads stay elsewhere (QuerySets, :mod:`paco.opendata.datastore`); the worker's own
bookkeeping while it processes a version (progress, outcome, resuming an attempt
whose worker died) lives with the job in :mod:`.processing`, which calls
:func:`publish_version` for auto-publication. This module never imports the job
or its tasks: queuing a version sends ``signals.version_queued`` on commit, and
:mod:`.tasks` enqueues the job (no import cycle).

Each function checks the data-editor role on the dataset's unit (``actor=None``
is the system: CLI, demo, tests) and records an audit entry. The heavy work
(reading the file, Parquet, screening) runs in :mod:`.processing`, in the
background worker, never in a web request.

Auto-publication (``auto_publish=True``): a processed version is published at
once when it has no personal data and either no validation errors or the caller
accepted them (``accept_errors=True``, art. 32: inconsistencies do not block
opening; the report is published alongside). The CLI and the token API accept
errors by default; the staff form's "publicar automaticamente" only publishes
clean versions, so staff read the report first. The choice travels with the
version in ``report["options"]`` so a resumed job honours it.
"""

from __future__ import annotations

import logging
import os
import tempfile
from pathlib import Path
from typing import IO, Any

from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import transaction
from django.db.models import Max
from django.utils import timezone

from paco.accounts.models import Role, User
from paco.accounts.permissions import require_role
from paco.audit.services import record
from paco.opendata import actions as dataset_actions
from paco.opendata import signals, storage
from paco.opendata.datastore.exports import csv_export_figures
from paco.opendata.models import (
    PUBLISHABLE,
    DatasetState,
    Resource,
    ResourceKind,
    ResourceVersion,
    VersionStatus,
)
from paco.opendata.pipeline import formats
from paco.opendata.tabular.treat import apply_treatments, treated_schema
from paco.tenancy.models import Municipality

logger = logging.getLogger("paco.opendata.pipeline")

TREATMENTS = {"drop": "excluir a coluna", "mask": "mascarar", "hash": "pseudonimizar (hash)"}

STATUS_REFUSALS = {
    VersionStatus.QUEUED: "A versão ainda está na fila de processamento.",
    VersionStatus.PROCESSING: "A versão ainda está sendo processada.",
    VersionStatus.NEEDS_REVIEW: (
        "A versão contém dados pessoais: registre a base legal ou escolha um tratamento "
        "para as colunas antes de publicar (LGPD)."
    ),
    VersionStatus.REJECTED: "A versão foi rejeitada (o motivo está na página da versão).",
    VersionStatus.FAILED: "O processamento desta versão falhou: envie o arquivo novamente.",
}


def hash_secret(town: Municipality) -> str:
    """The key of the "hash" treatment: the town's own persisted secret (``PseudonymKey``).

    Not Django's ``SECRET_KEY``: pseudonyms survive its rotation and a backup/restore.
    """
    return dataset_actions.pseudonym_key(town)


#: why a version with personal data never publishes itself (form, token API, CLI)
HELD_FOR_REVIEW = (
    "Não publicada automaticamente: a triagem encontrou dados pessoais (LGPD). A versão "
    "aguarda a decisão da equipe (base legal ou tratamento das colunas) e a publicação manual."
)


def held_for_review(version: ResourceVersion) -> str:
    """Why ``version`` may not publish itself ("" when it may): THE auto-publication rule.

    Any finding of the screening (or an LGPD decision already recorded) means a
    person must decide and publish: automatic publication from the staff form's
    "publicar automaticamente", the token API and ``paco import-resource`` all go
    through :func:`publish_version` with ``automatic=True``, which applies it.
    """
    return HELD_FOR_REVIEW if version.personal_data_flagged else ""


def require_editor(actor: User | None, resource: Resource) -> None:
    if actor is not None:
        require_role(actor, resource.municipality, Role.DATA_EDITOR, resource.dataset.unit)


def work_dir() -> Path:
    """Scratch space on disk (not /tmp, which may live in memory) for big files."""
    path = Path(settings.DATA_DIR) / "tmp"
    path.mkdir(parents=True, exist_ok=True)
    return path


def options(version: ResourceVersion) -> dict[str, bool]:
    found = (version.report or {}).get("options") or {}
    return {
        "auto_publish": bool(found.get("auto_publish")),
        "accept_errors": bool(found.get("accept_errors")),
    }


def submit_version(
    actor: User | None,
    resource: Resource,
    fileobj: IO[bytes],
    filename: str,
    *,
    sheet: str = "",
    auto_publish: bool = False,
    accept_errors: bool = False,
    enqueue: bool = True,
) -> ResourceVersion:
    """Store an upload as the next version of ``resource`` and queue its processing.

    The original is stored first (outside any long transaction, it may be big);
    tables are processed by the worker (``enqueue=False``: the caller runs
    :func:`.processing.run_version` itself, as the CLI does). Other files (PDF,
    ZIP, GeoJSON…) are kept as they are and are READY at once.
    """
    require_editor(actor, resource)
    if resource.kind == ResourceKind.LINK:
        raise ValidationError("Este recurso é um link externo: ele não recebe arquivos.")
    filename = formats.clean_filename(filename)
    tabular = formats.is_tabular(filename)
    with transaction.atomic():
        locked = Resource.objects.select_for_update().get(pk=resource.pk)
        number = (locked.versions.aggregate(n=Max("number"))["n"] or 0) + 1
        version = ResourceVersion.objects.create(
            municipality=resource.municipality,
            resource=resource,
            number=number,
            status=VersionStatus.QUEUED,
            original_name=filename,
            sheet=sheet[:120],
            media_type=formats.media_type(filename),
            created_by=actor,
            report={"options": {"auto_publish": auto_publish, "accept_errors": accept_errors}},
        )
    try:
        fileobj.seek(0)
        version.sha256, version.size = storage.sha256_of(fileobj)
        fileobj.seek(0)
        version.original = storage.save_file(storage.original_name(version, filename), fileobj)
    except Exception:
        logger.exception("Falha ao gravar o arquivo original da versão %s", version.pk)
        ResourceVersion.objects.filter(pk=version.pk).update(
            status=VersionStatus.FAILED, error="Não foi possível gravar o arquivo enviado."
        )
        raise
    with transaction.atomic():
        if not tabular:
            version.status = VersionStatus.READY
            version.processed_at = timezone.now()
            version.progress = 100
        version.save()
        record(
            actor,
            "version.submit",
            version,
            changes={
                "file": [None, filename],
                "size": [None, version.size],
                "sha256": [None, version.sha256],
                "auto_publish": [None, auto_publish],
            },
        )
        if not tabular and auto_publish:
            publish_version(actor, version, automatic=True)
        elif tabular and enqueue:
            enqueue_on_commit(version.pk)
    return version


def enqueue_on_commit(version_id: int) -> None:
    """Once the transaction commits, announce the version is queued (:mod:`.tasks` runs it)."""
    transaction.on_commit(
        lambda: signals.version_queued.send(sender=ResourceVersion, version_id=version_id)
    )


def retry_version(actor: User | None, version: ResourceVersion) -> ResourceVersion:
    """Queue a FAILED version again: the deliberate retry, by staff (never automatic)."""
    require_editor(actor, version.resource)
    with transaction.atomic():
        locked = ResourceVersion.objects.select_for_update().get(pk=version.pk)
        if locked.status != VersionStatus.FAILED:
            raise ValidationError("Só uma versão que falhou pode ser processada de novo.")
        before = locked.error
        locked.status = VersionStatus.QUEUED
        locked.attempts = 0
        locked.error = ""
        locked.progress = 0
        locked.progress_message = "Na fila: nova tentativa pedida pela equipe"
        locked.save(update_fields=["status", "attempts", "error", "progress", "progress_message"])
        record(
            actor,
            "version.retry",
            locked,
            changes={"status": [VersionStatus.FAILED, VersionStatus.QUEUED], "error": [before, ""]},
        )
        enqueue_on_commit(locked.pk)
    return locked


#: statuses a version can be refused from by staff (processed, not published)
REFUSABLE = (VersionStatus.NEEDS_REVIEW, VersionStatus.READY)


def reject_version(actor: User | None, version: ResourceVersion, *, reason: str) -> ResourceVersion:
    """Refuse a processed version that was never published: it can no longer be published.

    For a file that should not be published at all (wrong file, personal data with no
    legal basis and no treatment that would do). The original stays, reachable by
    staff only, for the record; the reason is kept on the version and in the trail.
    """
    require_editor(actor, version.resource)
    reason = reason.strip()
    if len(reason) < 10:
        raise ValidationError("Diga por que a versão foi recusada (ao menos 10 caracteres).")
    with transaction.atomic():
        locked = ResourceVersion.objects.select_for_update().get(pk=version.pk)
        if locked.published_at is not None or locked.status not in REFUSABLE:
            raise ValidationError(
                "Só uma versão processada e ainda não publicada pode ser recusada."
            )
        before = locked.status
        locked.status = VersionStatus.REJECTED
        locked.error = f"Recusada pela equipe: {reason}"
        locked.save(update_fields=["status", "error"])
        record(
            actor,
            "version.reject",
            locked,
            changes={"status": [before, VersionStatus.REJECTED], "motivo": [None, reason]},
        )
    return locked


def _column_names(version: ResourceVersion) -> list[str]:
    return [f["name"] for f in version.schema.get("fields", [])]


def _check_decision(
    version: ResourceVersion, legal_basis: str, treatments: dict[str, str] | None
) -> dict[str, str]:
    if version.published_at is not None or version.status not in (
        VersionStatus.NEEDS_REVIEW,
        VersionStatus.READY,
    ):
        raise ValidationError("Só é possível decidir sobre dados pessoais antes da publicação.")
    if not version.personal_data and not treatments:
        raise ValidationError("Nenhum dado pessoal foi encontrado nesta versão.")
    chosen = {k: v for k, v in (treatments or {}).items() if v}
    if bool(legal_basis.strip()) == bool(chosen):
        raise ValidationError(
            "Registre a base legal da publicação ou escolha o tratamento das colunas "
            "(uma das duas)."
        )
    if legal_basis.strip() and len(legal_basis.strip()) < 10:
        raise ValidationError(
            "Descreva a base legal (por exemplo, o artigo da lei que a autoriza)."
        )
    columns = _column_names(version)
    for column, treatment in chosen.items():
        if column not in columns:
            raise ValidationError(f"A coluna “{column}” não existe nesta versão.")
        if treatment not in TREATMENTS:
            raise ValidationError(f"Tratamento desconhecido para “{column}”: {treatment}.")
    if chosen and all(t == "drop" for t in chosen.values()) and len(chosen) == len(columns):
        raise ValidationError("Não é possível excluir todas as colunas da tabela.")
    return chosen


def decide_lgpd(
    actor: User | None,
    version: ResourceVersion,
    *,
    legal_basis: str = "",
    treatments: dict[str, str] | None = None,
) -> ResourceVersion:
    """Record the legal basis for publishing personal data, or treat the flagged columns.

    Treatments (``{"coluna": "drop" | "mask" | "hash"}``) write a new Parquet
    that replaces the unpublished one; the decision goes into the audit trail and
    the version becomes READY.
    """
    require_editor(actor, version.resource)
    chosen = _check_decision(version, legal_basis, treatments)
    new_name = ""
    if chosen:
        source = storage.local_path(version.parquet)
        fd, tmp = tempfile.mkstemp(dir=work_dir(), suffix=".parquet")
        os.close(fd)
        try:
            apply_treatments(source, Path(tmp), chosen, hash_secret(version.municipality))
            with open(tmp, "rb") as fh:
                new_name = storage.save_file(
                    f"{storage.version_dir(version)}/data-tratado-{version.attempts}"
                    f"-{timezone.now():%Y%m%d%H%M%S}.parquet",
                    fh,
                )
        finally:
            Path(tmp).unlink(missing_ok=True)
    old_parquet = version.parquet
    with transaction.atomic():
        locked = ResourceVersion.objects.select_for_update().get(pk=version.pk)
        if locked.published_at is not None or locked.parquet != old_parquet:
            raise ValidationError("A versão mudou enquanto a decisão era registrada; recarregue.")
        before = {"status": locked.status, "lgpd_decision": locked.lgpd_decision}
        decision: dict[str, Any] = {
            "decided_by": str(actor) if actor else "sistema",
            "decided_at": timezone.now().isoformat(),
        }
        if chosen:
            decision["treatments"] = chosen
            version.parquet = new_name
            version.schema = treated_schema(version.schema, chosen)
            version.stats = {
                k: v for k, v in (version.stats or {}).items() if chosen.get(k) != "drop"
            }
        else:
            decision["legal_basis"] = legal_basis.strip()
        version.lgpd_decision = decision
        version.status = VersionStatus.READY
        version.save(update_fields=["parquet", "schema", "stats", "lgpd_decision", "status"])
        record(
            actor,
            "version.lgpd",
            version,
            changes={
                "status": [before["status"], version.status],
                "lgpd_decision": [before["lgpd_decision"], decision],
            },
        )
        if chosen and old_parquet:
            transaction.on_commit(lambda: _delete_quietly(old_parquet))
    return version


def _delete_quietly(name: str) -> None:
    try:
        storage.default_storage.delete(name)
    except Exception:  # a leftover file is harmless; never fail the decision for it
        logger.warning("Não foi possível apagar %s", name)


def _refuse(version: ResourceVersion, accept_errors: bool) -> None:
    if version.status not in PUBLISHABLE:
        message = STATUS_REFUSALS.get(
            VersionStatus(version.status), "Esta versão não pode ser publicada."
        )
        raise ValidationError(message)
    errors = int((version.report or {}).get("error_count") or 0)
    if errors and not accept_errors:
        raise ValidationError(
            f"A versão tem {errors} problema(s) no relatório de validação. Para publicar mesmo "
            "assim, confirme “publicar mesmo com erros” (o relatório será publicado junto)."
        )


@transaction.atomic
def publish_version(
    actor: User | None,
    version: ResourceVersion,
    *,
    accept_errors: bool = False,
    publish_dataset: bool = False,
    automatic: bool = False,
) -> ResourceVersion:
    """Make ``version`` the current one of its resource, in one transaction.

    ``automatic``: nobody looked at the version (auto-publication after an upload);
    refused when :func:`held_for_review` says a person must decide first.

    Also: dataset modified and next update due, the dataset itself published when
    ``publish_dataset`` (drafts stay drafts otherwise), and — once the dataset is
    public — its inventory entries marked published and their Plano de Dados
    Abertos stages concluded. ``signals.version_published`` is sent on commit (its
    receiver in :mod:`.tasks` measures the CSV export of a table).
    """
    resource = (
        Resource.objects.select_for_update().select_related("dataset").get(pk=version.resource_id)
    )
    require_editor(actor, resource)
    version = ResourceVersion.objects.select_for_update().get(pk=version.pk)
    _refuse(version, accept_errors)
    if automatic and held_for_review(version):
        raise ValidationError(held_for_review(version))
    now = timezone.now()
    previous = resource.current_version_id
    previous_number = (
        ResourceVersion.objects.filter(pk=previous).values_list("number", flat=True).first()
    )
    if version.published_at is None:
        version.published_at = now
    version.status = VersionStatus.PUBLISHED
    version.save(update_fields=["status", "published_at"])
    resource_fields: dict[str, Any] = {"current_version": version, "modified_at": now}
    label = formats.format_label(version.original_name)
    if label:
        resource_fields.update(format=label, media_type=version.media_type)
    Resource.objects.filter(pk=resource.pk).update(**resource_fields)
    dataset = resource.dataset
    was_public = dataset.state == DatasetState.PUBLISHED
    if publish_dataset and not was_public:
        # publishing the dataset also advances its inventory entries (set_dataset_state)
        dataset_actions.set_dataset_state(actor, dataset, DatasetState.PUBLISHED)
        dataset.refresh_from_db()
    due = dataset_actions.next_due(dataset.periodicity, timezone.localdate())
    type(dataset).objects.filter(pk=dataset.pk).update(
        modified_at=now, next_update_due=due or dataset.next_update_due
    )
    record(
        actor,
        "version.publish",
        version,
        changes={
            "current_version": [previous_number, version.number],
            "accept_errors": [None, accept_errors],
            "error_count": [None, int((version.report or {}).get("error_count") or 0)],
        },
    )
    if was_public:
        dataset_actions.advance_inventory(dataset)
    resource.refresh_from_db()
    transaction.on_commit(
        lambda: signals.version_published.send(sender=Resource, resource=resource, version=version)
    )
    return version


def record_csv_export(version: ResourceVersion) -> ResourceVersion:
    """Store the CSV export's hash and size on a tabular version, once (versions never change).

    Run by the worker after publication; ``datapackage.json`` also runs it for a
    version published before the figures were stored. No audit entry: derived data.
    """
    if not version.parquet or version.csv_sha256:
        return version
    digest, size = csv_export_figures(version)
    # the Parquet of an unpublished version may still be replaced (LGPD treatment)
    ResourceVersion.objects.filter(pk=version.pk, parquet=version.parquet).update(
        csv_sha256=digest, csv_bytes=size
    )
    version.csv_sha256, version.csv_bytes = digest, size
    return version
