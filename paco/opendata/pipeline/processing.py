"""The background job: turn a queued version's original into Parquet, screened and validated.

:func:`run_version` is the body of the ``process_version`` task (and what the
CLI runs in-process). It never touches ``Resource.current_version`` except
through :func:`.actions.publish_version` at the very end, so a failure at any
point — an unreadable file, a crash, the worker killed — leaves what is
published as it was.

Isolation: the reading, conversion, screening and Parquet writing run in a
child process (:func:`paco.opendata.isolation.run_child`) whose address space
is capped at ``PACO_IMPORT_MEMORY_MB`` above its start-up size. If the reader
aborts, segfaults, runs out of memory or is killed, only the child dies: this
process records the version as FAILED, naming the signal, and does **not**
retry it (the same file would crash the same way); staff retry deliberately
(:func:`.actions.retry_version`).

Liveness: while a version is PROCESSING, ``attempt_process`` names the process
running the attempt (host, boot, pid and start time) and ``heartbeat_at`` moves
(progress, plus a small thread every :data:`HEARTBEAT_SECONDS`).
:func:`recover_stale_versions` — run when the worker starts, and before each
import — takes over every PROCESSING version whose process is gone (on this
machine it checks the process at once; for another machine it waits for the
heartbeat to be :data:`STALE_AFTER` old). Such an attempt died with its worker
(a restart, a deploy, a kill), not by its own crash, which the worker would have
recorded: it is queued again once, and marked FAILED if it was already resumed
(:data:`MAX_ATTEMPTS`).
"""

from __future__ import annotations

import datetime
import logging
import shutil
import tempfile
import threading
import time
from collections.abc import Callable
from pathlib import Path
from typing import IO, Any

from django.conf import settings
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import connection, transaction
from django.utils import timezone

from paco.audit.services import record
from paco.opendata import isolation, storage
from paco.opendata.models import UNFINISHED, Resource, ResourceVersion, VersionStatus
from paco.opendata.pipeline import actions
from paco.opendata.tabular.errors import TabularError
from paco.opendata.work import notify_awaiting

logger = logging.getLogger("paco.opendata.pipeline")

HEARTBEAT_SECONDS = 15.0
#: a version processed on another machine is taken over when its heartbeat is this old
STALE_AFTER = datetime.timedelta(minutes=5)
#: the first attempt plus one resumption after its worker died
MAX_ATTEMPTS = 2
DEFAULT_IMPORT_MEMORY_MB = 1536
#: at most one progress write per this many seconds
PROGRESS_EVERY = 1.0

ProgressEcho = Callable[[int, str], None]


def _own_attempt(version_id: int, attempt: int) -> Any:
    """The version while this attempt still owns it (a resumed attempt takes it over)."""
    return ResourceVersion.objects.filter(
        pk=version_id, status=VersionStatus.PROCESSING, attempts=attempt
    )


class Progress:
    """The callback handed to ``to_parquet``: throttled writes of progress and heartbeat."""

    def __init__(self, version: ResourceVersion, echo: ProgressEcho | None = None) -> None:
        self.version_id = version.pk
        self.attempt = version.attempts
        self.echo = echo
        self.last = 0.0
        self.percent = 0

    def __call__(self, done: int, total: int) -> None:
        percent = min(99, int(done * 100 / total)) if total else self.percent
        now = time.monotonic()
        if now - self.last < PROGRESS_EVERY and percent < 99:
            return
        self.last = now
        self.percent = percent
        self.set(percent, "Lendo, validando e convertendo os dados")

    def set(self, percent: int, message: str) -> None:
        self.percent = percent
        _own_attempt(self.version_id, self.attempt).update(
            progress=percent, progress_message=message, heartbeat_at=timezone.now()
        )
        if self.echo is not None:
            self.echo(percent, message)


class Heartbeat(threading.Thread):
    """Moves ``heartbeat_at`` while a long step (DuckDB COPY) reports no progress."""

    def __init__(self, version: ResourceVersion) -> None:
        super().__init__(name=f"paco-heartbeat-{version.pk}", daemon=True)
        self.version_id = version.pk
        self.attempt = version.attempts
        self.stopping = threading.Event()

    def run(self) -> None:
        try:
            while not self.stopping.wait(HEARTBEAT_SECONDS):
                _own_attempt(self.version_id, self.attempt).update(heartbeat_at=timezone.now())
        except Exception:  # the main job decides the outcome; a missed beat is not fatal
            logger.warning("Falha ao registrar o sinal de vida da versão %s", self.version_id)
        finally:
            connection.close()

    def stop(self) -> None:
        self.stopping.set()
        self.join(HEARTBEAT_SECONDS + 5)


SCHEMA_KEYS = ("type", "constraints")  # what the data dictionary changes in the reading


def dictionary_overrides(version: ResourceVersion) -> dict[str, dict[str, Any]]:
    """Types and constraints staff set in the data dictionary, applied to every new version.

    Titles, descriptions and units only describe the columns: they are merged
    at display time (``ResourceVersion.effective_schema``).
    """
    entries = version.resource.dictionary or {}
    out: dict[str, dict[str, Any]] = {}
    for name, entry in entries.items():
        picked = {key: entry[key] for key in SCHEMA_KEYS if entry.get(key)}
        if picked:
            out[name] = picked
    return out


def import_memory_mb() -> int:
    return max(128, int(getattr(settings, "PACO_IMPORT_MEMORY_MB", DEFAULT_IMPORT_MEMORY_MB)))


def _convert(version: ResourceVersion, source: Path, target: Path, progress: Progress) -> Any:
    """``to_parquet`` in a capped child process; its result, or TabularError when refused."""
    kind, payload = isolation.run_child(
        isolation.IMPORT_TARGET,
        {
            "source": str(source),
            "target": str(target),
            "sheet": version.sheet or None,
            "schema_override": dictionary_overrides(version) or None,
        },
        memory_mb=import_memory_mb(),
        on_message=lambda done_total: progress(*done_total),
    )
    if kind == "rejected":
        message, line, column = payload
        raise TabularError(message, line=line, column=column)
    return payload


def abnormal_end_message(exc: isolation.AbnormalExit) -> str:
    """pt-BR: the import's child process died (killed, crashed or out of memory)."""
    limit = import_memory_mb()
    if exc.memory:
        cause = f"o arquivo precisou de mais memória do que o limite de {limit} MB"
    else:
        cause = (
            f"o processo terminou de forma anormal ({exc.describe()}), por falta de memória "
            f"(limite de {limit} MB), por um defeito ao ler o arquivo ou porque foi encerrado"
        )
    return (
        f"A importação foi interrompida: {cause}. Nada foi publicado: a versão publicada "
        "continua a anterior. A importação não será repetida automaticamente; confira o "
        "arquivo e envie-o novamente, ou peça à equipe para tentar outra vez."
    )


def _start(version_id: int) -> ResourceVersion | None:
    with transaction.atomic():
        version = ResourceVersion.objects.select_for_update().filter(pk=version_id).first()
        if version is None or version.status not in UNFINISHED:
            return None
        version.status = VersionStatus.PROCESSING
        version.attempts += 1
        version.heartbeat_at = timezone.now()
        version.progress = 0
        version.progress_message = "Iniciando o processamento"
        version.error = ""
        version.attempt_process = isolation.process_identity()
        version.save(
            update_fields=[
                "status",
                "attempts",
                "heartbeat_at",
                "progress",
                "progress_message",
                "error",
                "attempt_process",
            ]
        )
        return version


def _finish(version: ResourceVersion, attempt: int, **fields: Any) -> bool:
    """Store the outcome unless another attempt took the version over meanwhile."""
    with transaction.atomic():
        locked = ResourceVersion.objects.select_for_update().get(pk=version.pk)
        if locked.status != VersionStatus.PROCESSING or locked.attempts != attempt:
            return False
        fields.setdefault("processed_at", timezone.now())
        fields.setdefault("heartbeat_at", timezone.now())
        for key, value in fields.items():
            setattr(version, key, value)
        version.save(update_fields=list(fields))
        notify_awaiting(version)  # the unit's servants are told on commit
        record(
            None,
            "version.process",
            version,
            changes={
                "status": [VersionStatus.PROCESSING, version.status],
                "rows": [None, version.rows],
                "error_count": [None, (version.report or {}).get("error_count", 0)],
                "personal_data": [None, [p.get("column") for p in version.personal_data]],
                "error": [None, version.error or None],
            },
        )
    return True


def _table_outcome(version: ResourceVersion, result: Any, parquet: str) -> dict[str, Any]:
    report = result.report.as_dict()
    personal = list(result.personal_data)
    stats = report.pop("stats", {})
    report["options"] = actions.options(version)
    return {
        "status": VersionStatus.NEEDS_REVIEW if personal else VersionStatus.READY,
        "parquet": parquet,
        "schema": result.schema,
        "stats": stats,
        "report": report,
        "rows": result.rows,
        "personal_data": personal,
        "progress": 100,
        "progress_message": "Concluído",
    }


def _rejected(version: ResourceVersion, exc: TabularError) -> dict[str, Any]:
    message = exc.describe()
    return {
        "status": VersionStatus.REJECTED,
        "error": message,
        "report": {
            "rows": 0,
            "error_count": 1,
            "errors": [message],
            "options": actions.options(version),
        },
        "progress": 100,
        "progress_message": "Arquivo rejeitado",
    }


def run_version(version_id: int, *, echo: ProgressEcho | None = None) -> ResourceVersion | None:
    """Process one version: PROCESSING → READY / NEEDS_REVIEW / REJECTED / FAILED (→ PUBLISHED)."""
    version = _start(version_id)
    if version is None:
        return ResourceVersion.objects.filter(pk=version_id).first()
    attempt = version.attempts
    progress = Progress(version, echo)
    beat = None if connection.in_atomic_block else Heartbeat(version)
    if beat is not None:
        beat.start()
    try:
        if not version.original:
            raise RuntimeError("versão sem arquivo original")
        progress.set(0, "Lendo o arquivo")
        with tempfile.TemporaryDirectory(prefix="paco-import-", dir=actions.work_dir()) as tmp:
            source = _local_original(version, Path(tmp))
            target = Path(tmp) / "data.parquet"
            result = _convert(version, source, target, progress)
            progress.set(99, "Gravando os dados normalizados")
            with target.open("rb") as fh:
                parquet = storage.save_file(storage.parquet_name(version), fh)
        outcome = _table_outcome(version, result, parquet)
    except TabularError as exc:
        outcome = _rejected(version, exc)
    except isolation.AbnormalExit as exc:
        logger.error("A importação da versão %s terminou de forma anormal: %s", version_id, exc)
        outcome = {
            "status": VersionStatus.FAILED,
            "error": abnormal_end_message(exc),
            "progress_message": "Falhou",
        }
    except Exception as exc:
        logger.exception("Falha no processamento da versão %s", version_id)
        outcome = _failed(exc)
    finally:
        if beat is not None:
            beat.stop()
    try:
        # The outcome and the automatic publication commit together: nobody reading the
        # version in between (a status poll on another node) sees it finished but
        # "ready" when it is about to be published.
        with transaction.atomic():
            if _finish(version, attempt, **outcome):
                _auto_publish(version)
    except Exception as exc:  # storing the outcome failed: never leave the version processing
        logger.exception("Falha ao registrar o resultado da versão %s", version_id)
        version.refresh_from_db()
        _finish(version, attempt, **_failed(exc))
    version.refresh_from_db()
    return version


def _failed(exc: BaseException) -> dict[str, Any]:
    name = exc.type_name if isinstance(exc, isolation.ChildFailed) else type(exc).__name__
    return {
        "status": VersionStatus.FAILED,
        "error": f"Falha inesperada no processamento ({name}). "
        "Envie o arquivo novamente; se o erro persistir, avise o suporte.",
        "progress_message": "Falhou",
    }


def _local_original(version: ResourceVersion, tmp: Path) -> Path:
    """A local path of the original with its extension (the tabular library reads by name)."""
    path = storage.local_path(version.original)
    if path.suffix.lower() == Path(version.original_name).suffix.lower():
        return path
    copy = tmp / f"original{Path(version.original_name).suffix.lower()}"
    shutil.copyfile(path, copy)
    return copy


def _auto_publish(version: ResourceVersion) -> None:
    wanted = actions.options(version)
    if not wanted["auto_publish"] or version.status != VersionStatus.READY:
        return
    errors = int((version.report or {}).get("error_count") or 0)
    if errors and not wanted["accept_errors"]:
        return
    try:
        actions.publish_version(
            version.created_by, version, accept_errors=wanted["accept_errors"], automatic=True
        )
    except (PermissionDenied, ValidationError) as exc:
        logger.info("Versão %s não publicada automaticamente: %s", version.pk, exc)


def import_now(
    resource: Resource,
    fileobj: IO[bytes],
    filename: str,
    *,
    legal_basis: str = "",
    accept_errors: bool = True,
    publish_dataset: bool = True,
) -> ResourceVersion:
    """Import a file as the system, in this process: submit, process, publish.

    For the demo, the self-published datasets and the test helper. Personal
    data found by the screening is published only with ``legal_basis``; the
    version is returned PUBLISHED, or as it stopped (needs review, rejected…).
    """
    version = actions.submit_version(None, resource, fileobj, filename, enqueue=False)
    if version.status == VersionStatus.QUEUED:
        version = run_version(version.pk) or version
    if version.status == VersionStatus.NEEDS_REVIEW and legal_basis:
        version = actions.decide_lgpd(None, version, legal_basis=legal_basis)
    if version.status == VersionStatus.READY:
        version = actions.publish_version(
            None,
            version,
            accept_errors=accept_errors,
            publish_dataset=publish_dataset,
            automatic=not legal_basis,  # without a recorded decision, the rule applies
        )
    return version


def _attempt_ended(version: ResourceVersion, limit: datetime.datetime) -> bool:
    """Whether the attempt's process is gone (checked directly, else by its heartbeat)."""
    alive = isolation.process_alive(version.attempt_process)
    if alive is not None:
        return not alive
    beat = version.heartbeat_at or version.created_at
    return beat < limit


def interrupted_message(attempts: int) -> str:
    return (
        "A importação foi interrompida: o processo que a executava terminou antes do fim "
        f"({attempts} tentativas; por exemplo, o servidor foi reiniciado ou encerrado). Nada foi "
        "publicado: a versão publicada continua a anterior. Envie o arquivo novamente, ou "
        "peça à equipe para tentar outra vez."
    )


def recover_stale_versions(
    *, older_than: datetime.timedelta | None = None, enqueue: bool = True
) -> list[ResourceVersion]:
    """Queue again once (or fail) versions whose attempt's process ended without an outcome.

    An attempt whose process ran on this machine is judged at once; one from
    another machine (or with no process recorded) when its heartbeat is older
    than ``older_than`` (default :data:`STALE_AFTER`).
    """
    limit = timezone.now() - (STALE_AFTER if older_than is None else older_than)
    touched = []
    candidates = ResourceVersion.objects.filter(status=VersionStatus.PROCESSING)
    for version_id in list(candidates.values_list("pk", flat=True)):
        with transaction.atomic():
            version = ResourceVersion.objects.select_for_update().get(pk=version_id)
            if version.status != VersionStatus.PROCESSING or not _attempt_ended(version, limit):
                continue
            if version.attempts < MAX_ATTEMPTS:
                version.status = VersionStatus.QUEUED
                version.progress_message = "Retomando após uma interrupção"
                action = "version.resume"
            else:
                version.status = VersionStatus.FAILED
                version.error = interrupted_message(version.attempts)
                version.progress_message = "Falhou"
                action = "version.fail"
            version.save(update_fields=["status", "progress_message", "error"])
            record(
                None,
                action,
                version,
                changes={"status": [VersionStatus.PROCESSING, version.status]},
            )
            if version.status == VersionStatus.QUEUED and enqueue:
                actions.enqueue_on_commit(version.pk)
        touched.append(version)
    return touched


def recover_on_worker_start() -> None:
    """Called when the task worker starts (and before each import); never raises."""
    try:
        found = recover_stale_versions()
        if found:
            logger.info("Importações interrompidas retomadas ou encerradas: %s", len(found))
    except Exception:
        logger.exception("Falha ao verificar importações interrompidas")
