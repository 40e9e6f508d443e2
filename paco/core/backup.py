"""Backup and restore of a whole Paço instance: database + stored files, one archive.

The archive is a ``.tar.gz`` with:

``manifest.json``
    format name and version, Paço version, date, database vendor, the applied
    migrations, and the SHA-256 and size of every other member;
``database.json``
    every row, in Django's JSON serialization (``dumpdata --natural-foreign``,
    primary keys kept), so the same archive restores on SQLite or PostgreSQL;
``media/<name>``
    every file of the default storage (local directory or S3), listed through
    Django's storage API;
``manifest.sig``
    an HMAC-SHA256 of ``manifest.json`` with the backup key, which is kept out of
    the archive (``paco.core.backup_signing``): an archive edited after the fact,
    checksums recomputed or not, is refused.

Consistency while the server runs:

* SQLite: the live file is never copied; the sqlite3 online backup API
  (``Connection.backup``) writes a consistent snapshot to a temporary file, and
  the JSON is read from that snapshot;
* PostgreSQL: the JSON is read inside one ``REPEATABLE READ, READ ONLY``
  transaction, so every table comes from the same snapshot.

Restore checks the whole archive (signature, format, checksums, migrations
known to this version) *before* touching anything, then is all-or-nothing:

* the database — schema migrated to the archive's state, rows replaced, schema
  migrated forward again — changes inside ONE transaction (PostgreSQL and SQLite
  both roll DDL back; on SQLite foreign-key enforcement is switched off for the
  connection before the transaction begins, as Django's schema editor needs, and
  every constraint is checked before the commit);
* the stored files change last, still inside that transaction, after the files
  they replace or remove were copied aside; if writing them or the commit fails,
  the copies are put back and the transaction rolls back.

A failure at any step leaves database, schema and files as they were.
"""

from __future__ import annotations

import gzip
import hashlib
import io
import json
import os
import tarfile
import tempfile
import zlib
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from importlib import metadata
from pathlib import Path, PurePosixPath
from typing import IO, Any

from django.apps import apps
from django.core.files.storage import Storage, default_storage
from django.core.management import call_command
from django.core.management.color import no_style
from django.core.management.sql import emit_post_migrate_signal
from django.db import DEFAULT_DB_ALIAS, connections, transaction
from django.db.migrations.executor import MigrationExecutor
from django.db.migrations.recorder import MigrationRecorder
from django.db.utils import load_backend
from django.utils import timezone

from paco.audit import triggers
from paco.core import backup_signing
from paco.core.backup_files import FileSwap, FileSwapError, list_storage, sha256_local

FORMAT = "paco-backup"
FORMAT_VERSION = 2  # 2: signed (manifest.sig)
MANIFEST = "manifest.json"
DATABASE = "database.json"
MEDIA_PREFIX = "media/"
CHUNK = 1024 * 1024
# Rebuilt by ``migrate`` (post_migrate) or transient: not part of the backup.
EXCLUDED_MODELS = ("contenttypes.ContentType", "auth.Permission", "sessions.Session")
# Backed up (rows point at them), but loaded by ``migrate`` itself: not a sign of data.
REFERENCE_MODELS = ("catalog.Audience", "opendata.Theme")


class BackupError(Exception):
    """A clear pt-BR message for the operator; nothing was changed."""


@dataclass(frozen=True)
class BackupSummary:
    path: Path
    rows: int
    files: int
    size: int


@dataclass(frozen=True)
class RestoreSummary:
    rows: int
    files: int
    key_adopted: bool = False


# --- Storage ------------------------------------------------------------------
def _safe_member_name(name: str) -> bool:
    path = PurePosixPath(name)
    return not path.is_absolute() and ".." not in path.parts and name == str(path)


# --- Database snapshot --------------------------------------------------------
@contextmanager
def _snapshot_alias(using: str) -> Iterator[str]:
    """A database alias whose reads all come from one consistent snapshot."""
    connection = connections[using]
    if connection.vendor == "sqlite":
        with tempfile.TemporaryDirectory(prefix="paco-backup-") as tmp:
            target = Path(tmp) / "snapshot.sqlite3"
            connection.ensure_connection()
            import sqlite3

            dest = sqlite3.connect(target)
            try:
                connection.connection.backup(dest)  # online backup API
            finally:
                dest.close()
            alias = "paco_backup_snapshot"
            config = dict(connections.settings[using])
            config.update(NAME=str(target), OPTIONS={}, CONN_MAX_AGE=0, TEST={})
            # Registered as a connection only (not in settings): a private, temporary alias.
            snapshot = load_backend(config["ENGINE"]).DatabaseWrapper(config, alias)
            connections[alias] = snapshot
            try:
                yield alias
            finally:
                snapshot.close()
                del connections[alias]
    else:
        with transaction.atomic(using=using):
            with connection.cursor() as cursor:
                if connection.vendor == "postgresql":
                    cursor.execute("SET TRANSACTION ISOLATION LEVEL REPEATABLE READ, READ ONLY")
            yield using


def _applied_migrations(using: str) -> list[list[str]]:
    recorder = MigrationRecorder(connections[using])
    return sorted([app, name] for app, name in recorder.applied_migrations())


def _dump_database(alias: str, out: Path) -> int:
    call_command(
        "dumpdata",
        database=alias,
        natural_foreign=True,
        exclude=list(EXCLUDED_MODELS),
        output=str(out),
        verbosity=0,
    )
    with out.open("rb") as handle:
        return len(json.load(handle))


# --- Backup -------------------------------------------------------------------
def _paco_version() -> str:
    try:
        return metadata.version("paco")
    except metadata.PackageNotFoundError:
        return "desconhecida"


def _add_bytes(tar: tarfile.TarFile, name: str, data: bytes) -> None:
    info = tarfile.TarInfo(name)
    info.size = len(data)
    info.mtime = int(timezone.now().timestamp())
    tar.addfile(info, io.BytesIO(data))


def create_backup(
    target: Path, *, using: str = DEFAULT_DB_ALIAS, storage: Storage | None = None
) -> BackupSummary:
    """Write the instance (database + stored files) to ``target`` (a .tar.gz)."""
    storage = storage or default_storage
    target = Path(target)
    partial = target.with_name(target.name + ".partial")
    try:
        key = backup_signing.installation_key(create=True)
    except backup_signing.SignatureError as exc:
        raise BackupError(str(exc)) from exc
    assert key is not None
    members: dict[str, dict[str, Any]] = {}
    with tempfile.TemporaryDirectory(prefix="paco-backup-") as tmp:
        dump = Path(tmp) / DATABASE
        with _snapshot_alias(using) as alias:
            rows = _dump_database(alias, dump)
            migrations = _applied_migrations(alias)
        try:
            _write_archive(partial, dump, storage, members, rows, migrations, using, key)
        except BaseException:
            partial.unlink(missing_ok=True)
            raise
    os.replace(partial, target)
    files = sum(1 for name in members if name.startswith(MEDIA_PREFIX))
    return BackupSummary(target, rows, files, target.stat().st_size)


def _write_archive(
    partial: Path,
    dump: Path,
    storage: Storage,
    members: dict[str, dict[str, Any]],
    rows: int,
    migrations: list[list[str]],
    using: str,
    key: bytes,
) -> None:
    with tarfile.open(partial, "w:gz") as tar:
        tar.add(dump, arcname=DATABASE)
        members[DATABASE] = {"sha256": sha256_local(dump), "size": dump.stat().st_size}
        for name in list_storage(storage):
            members[MEDIA_PREFIX + name] = _add_stored_file(tar, storage, name)
        manifest = {
            "format": FORMAT,
            "format_version": FORMAT_VERSION,
            "paco_version": _paco_version(),
            "created_at": timezone.now().isoformat(),
            "database_vendor": connections[using].vendor,
            "rows": rows,
            "migrations": migrations,
            "members": members,
        }
        manifest_bytes = json.dumps(manifest, indent=1).encode()
        _add_bytes(tar, MANIFEST, manifest_bytes)
        _add_bytes(tar, backup_signing.SIGNATURE, backup_signing.sign(manifest_bytes, key))


def _add_stored_file(tar: tarfile.TarFile, storage: Storage, name: str) -> dict[str, Any]:
    """Stream one stored file into the archive, hashing it on the way."""
    info = tarfile.TarInfo(MEDIA_PREFIX + name)
    info.size = storage.size(name)
    info.mtime = int(timezone.now().timestamp())
    digest = hashlib.sha256()

    class Hashing(io.RawIOBase):
        def __init__(self, raw: IO[bytes]) -> None:
            self.raw = raw

        def read(self, size: int = -1) -> bytes:
            chunk = self.raw.read(size)
            digest.update(chunk)
            return chunk

    with storage.open(name, "rb") as handle:
        tar.addfile(info, Hashing(handle))
    return {"sha256": digest.hexdigest(), "size": info.size}


# --- Restore ------------------------------------------------------------------
def _extract_verified(archive: Path, into: Path, key: bytes | None) -> dict[str, Any]:
    """Extract every member into ``into``; check the signature, then every checksum."""
    if not archive.is_file():
        raise BackupError(f"Arquivo não encontrado: {archive}.")
    digests: dict[str, tuple[str, int]] = {}
    manifest_bytes: bytes | None = None
    signature: bytes | None = None
    try:
        # Read the whole gzip stream first: its CRC catches damage anywhere, even
        # past a header that tarfile would silently take for the end of the archive.
        with gzip.open(archive, "rb") as stream:
            while stream.read(CHUNK):
                pass
        with tarfile.open(archive, "r:gz") as tar:
            for info in tar:
                if not info.isfile() or not _safe_member_name(info.name):
                    raise BackupError(f"Conteúdo inesperado na cópia: {info.name!r}.")
                source = tar.extractfile(info)
                assert source is not None
                if info.name == MANIFEST:
                    manifest_bytes = source.read()
                    continue
                if info.name == backup_signing.SIGNATURE:
                    signature = source.read()
                    continue
                digests[info.name] = _copy_hashing(source, into / info.name)
    except (tarfile.TarError, EOFError, zlib.error, OSError) as exc:
        raise BackupError(
            "A cópia de segurança está corrompida ou incompleta (não foi possível ler o "
            f"arquivo: {exc.__class__.__name__}). Nada foi alterado."
        ) from exc
    manifest = _parse_manifest(manifest_bytes)
    assert manifest_bytes is not None
    try:
        backup_signing.check(manifest_bytes, signature, key)
    except backup_signing.SignatureError as exc:
        raise BackupError(f"{exc} Nada foi alterado.") from exc
    expected = manifest["members"]
    if set(expected) != set(digests):
        raise BackupError(
            "A cópia de segurança está incompleta: faltam ou sobram arquivos em relação ao "
            "manifesto. Nada foi alterado."
        )
    for name, (digest, size) in digests.items():
        if expected[name].get("sha256") != digest or expected[name].get("size") != size:
            raise BackupError(
                f"Soma de verificação incorreta em {name!r}: a cópia está corrompida. "
                "Nada foi alterado."
            )
    return manifest


def _copy_hashing(source: IO[bytes], dest: Path) -> tuple[str, int]:
    dest.parent.mkdir(parents=True, exist_ok=True)
    digest = hashlib.sha256()
    size = 0
    with dest.open("wb") as out:
        for chunk in iter(lambda: source.read(CHUNK), b""):
            digest.update(chunk)
            size += len(chunk)
            out.write(chunk)
    return digest.hexdigest(), size


def _parse_manifest(raw: bytes | None) -> dict[str, Any]:
    foreign = BackupError(
        "Este arquivo não é uma cópia de segurança do Paço (manifesto ausente ou inválido). "
        "Nada foi alterado."
    )
    if raw is None:
        raise foreign
    try:
        manifest = json.loads(raw)
    except ValueError as exc:
        raise foreign from exc
    if not isinstance(manifest, dict) or manifest.get("format") != FORMAT:
        raise foreign
    if manifest.get("format_version") == 1:
        raise BackupError(
            "Esta cópia está no formato 1, sem assinatura, de uma versão anterior do Paço: "
            "restaure-a com aquela versão e faça uma cópia nova. Nada foi alterado."
        )
    if manifest.get("format_version") != FORMAT_VERSION:
        raise BackupError(
            f"Versão de formato {manifest.get('format_version')!r} não suportada por esta "
            "versão do Paço. Nada foi alterado."
        )
    if not isinstance(manifest.get("members"), dict) or DATABASE not in manifest["members"]:
        raise foreign
    return manifest


def _check_migrations(manifest: dict[str, Any], using: str) -> list[tuple[str, str]]:
    """The archive's latest migration per app, refusing migrations this version lacks."""
    graph = MigrationExecutor(connections[using]).loader.graph
    applied = {(str(app), str(name)) for app, name in manifest.get("migrations", [])}
    unknown = sorted(key for key in applied if key not in graph.nodes)
    if unknown:
        listed = ", ".join(f"{app}.{name}" for app, name in unknown[:5])
        raise BackupError(
            "A cópia de segurança foi feita por uma versão mais nova do Paço (migrações "
            f"desconhecidas: {listed}). Atualize o Paço antes de restaurar. Nada foi alterado."
        )
    latest: dict[str, tuple[str, str]] = {}
    for key in applied:
        # The applied migration with the longest history is the app's state.
        if key[0] not in latest or len(graph.forwards_plan(key)) > len(
            graph.forwards_plan(latest[key[0]])
        ):
            latest[key[0]] = key
    return sorted(latest.values())


def _data_tables(using: str) -> list[str]:
    connection = connections[using]
    skip = {apps.get_model(label)._meta.db_table for label in EXCLUDED_MODELS[:2]}
    skip.add(MigrationRecorder.Migration._meta.db_table)
    return [
        t for t in connection.introspection.django_table_names(only_existing=True) if t not in skip
    ]


def instance_is_empty(using: str = DEFAULT_DB_ALIAS, storage: Storage | None = None) -> bool:
    """No data rows (besides rebuilt tables, reference data and sessions) and no stored files."""
    storage = storage or default_storage
    connection = connections[using]
    existing = set(connection.introspection.table_names())
    for model in apps.get_models():
        if model._meta.label in (*EXCLUDED_MODELS, *REFERENCE_MODELS):
            continue
        if model._meta.db_table not in existing:
            continue
        if model._default_manager.using(using).exists():
            return False
    return next(iter(list_storage(storage)), None) is None


def restore_backup(
    archive: Path,
    *,
    force: bool = False,
    using: str = DEFAULT_DB_ALIAS,
    storage: Storage | None = None,
    key_file: Path | None = None,
) -> RestoreSummary:
    storage = storage or default_storage
    try:
        if key_file is not None:
            key: bytes | None = backup_signing.read_key_file(key_file)
        else:
            key = backup_signing.installation_key(create=False)
    except backup_signing.SignatureError as exc:
        raise BackupError(f"{exc} Nada foi alterado.") from exc
    with tempfile.TemporaryDirectory(prefix="paco-restore-") as tmp:
        root = Path(tmp)
        manifest = _extract_verified(Path(archive), root, key)
        targets = _check_migrations(manifest, using)
        if not force and not instance_is_empty(using, storage):
            raise BackupError(
                "O banco de dados ou o armazenamento de arquivos já têm dados. Restaure numa "
                "instalação vazia ou use --force para substituir tudo. Nada foi alterado."
            )
        names = [n[len(MEDIA_PREFIX) :] for n in manifest["members"] if n.startswith(MEDIA_PREFIX)]
        swap = FileSwap(storage, root / MEDIA_PREFIX.rstrip("/"), names)
        try:
            swap.set_aside()
            _replace(root / DATABASE, targets, using, swap)
        except BaseException as exc:
            _undo(swap, exc)
            raise
        swap.done()
    adopted = backup_signing.adopt_key(key) if key_file is not None and key else False
    return RestoreSummary(rows=int(manifest.get("rows", 0)), files=len(names), key_adopted=adopted)


def _undo(swap: FileSwap, exc: BaseException) -> None:
    """Put the files back after a failure, and say in pt-BR what happened."""
    try:
        swap.undo()
    except FileSwapError as undo_exc:
        raise BackupError(str(undo_exc)) from exc
    if isinstance(exc, BackupError) or not isinstance(exc, Exception):
        return
    raise BackupError(
        f"A restauração falhou ({exc.__class__.__name__}: {exc}). Nada foi alterado: o banco "
        "de dados, o esquema e os arquivos estão como antes."
    ) from exc


def _replace(dump: Path, targets: list[tuple[str, str]], using: str, swap: FileSwap) -> None:
    """Schema back, rows, schema forward, files, commit: one transaction.

    The caller puts the set-aside files back if anything here raises, the commit
    included.
    """
    connection = connections[using]
    # SQLite cannot switch foreign-key enforcement inside a transaction, and its
    # schema editor needs it off: switch it off for the whole restore, check every
    # constraint before committing, switch it on again after.
    connection.disable_constraint_checking()
    try:
        with transaction.atomic(using=using):
            # The audit trail's triggers refuse the DELETE that empties it: lifted
            # for this transaction only, and back before it commits.
            with triggers.suspended(connection):
                _migrate_to(targets, using)
                _flush(using)
                call_command("loaddata", str(dump), database=using, verbosity=0)
                _constraints_now(using)
                _migrate_to_latest(using)
            connection.check_constraints()
            swap.apply()
    finally:
        connection.enable_constraint_checking()


def _constraints_now(using: str) -> None:
    """PostgreSQL: check the deferred foreign keys now; a later ALTER TABLE needs it."""
    connection = connections[using]
    if connection.vendor == "postgresql":
        with connection.cursor() as cursor:
            cursor.execute("SET CONSTRAINTS ALL IMMEDIATE")


def _migrate_to(targets: list[tuple[str, str]], using: str) -> None:
    """Bring the schema to the archive's state (the data is loaded, then migrated on)."""
    executor = MigrationExecutor(connections[using])
    executor.migrate(targets)
    emit_post_migrate_signal(0, False, using)  # content types and permissions


def _migrate_to_latest(using: str) -> None:
    executor = MigrationExecutor(connections[using])
    executor.migrate(executor.loader.graph.leaf_nodes())
    emit_post_migrate_signal(0, False, using)


def _flush(using: str) -> None:
    connection = connections[using]
    tables = _data_tables(using)
    statements = connection.ops.sql_flush(
        no_style(), tables, reset_sequences=True, allow_cascade=True
    )
    with connection.cursor() as cursor:
        for sql in statements:
            cursor.execute(sql)


__all__ = [
    "BackupError",
    "create_backup",
    "instance_is_empty",
    "list_storage",
    "restore_backup",
]
