"""Stored files during a restore: replaced last, and put back if anything fails.

Object storage has no transaction and no atomic rename, so the swap is made
undoable instead: before anything changes, every stored file the restore will
overwrite or remove is copied aside (identical files are left alone); the new
files are written just before the database commits; if writing them, or the
commit, fails, the files written are removed and the copies put back. If even
that fails, the copies are kept and the message says where.
"""

from __future__ import annotations

import hashlib
import shutil
import tempfile
from collections.abc import Iterator
from pathlib import Path

from django.conf import settings
from django.core.files.base import File
from django.core.files.storage import Storage

CHUNK = 1024 * 1024
# Storage folders that only hold transient files (the health check's probe).
TRANSIENT_DIRS = ("healthz",)


class FileSwapError(Exception):
    """The storage could not be put back as it was (a pt-BR message says where the copies are)."""


def list_storage(storage: Storage, folder: str = "") -> Iterator[str]:
    """Every file name in ``storage`` (recursive), through the storage API only."""
    try:
        dirs, files = storage.listdir(folder)
    except FileNotFoundError:
        return
    for name in sorted(files):
        yield f"{folder}/{name}" if folder else name
    for sub in sorted(dirs):
        if not folder and sub in TRANSIENT_DIRS:
            continue
        yield from list_storage(storage, f"{folder}/{sub}" if folder else sub)


def _sha256_stored(storage: Storage, name: str) -> str:
    digest = hashlib.sha256()
    with storage.open(name, "rb") as handle:
        for chunk in iter(lambda: handle.read(CHUNK), b""):
            digest.update(chunk)
    return digest.hexdigest()


def sha256_local(path: Path) -> str:
    digest = hashlib.sha256()
    with path.open("rb") as handle:
        for chunk in iter(lambda: handle.read(CHUNK), b""):
            digest.update(chunk)
    return digest.hexdigest()


class FileSwap:
    """Make ``storage`` hold exactly the files ``names`` found under ``source``, undoably."""

    def __init__(self, storage: Storage, source: Path, names: list[str]) -> None:
        self.storage = storage
        self.source = source
        self.names = names
        self.to_remove: list[str] = []
        self.to_write: list[str] = []
        self.saved: set[str] = set()
        self.touched: list[str] = []
        self.aside: Path | None = None

    def set_aside(self) -> None:
        """Decide what changes and copy aside what would be lost. Changes nothing."""
        existing = set(list_storage(self.storage))
        wanted = set(self.names)
        self.to_remove = sorted(existing - wanted)
        self.to_write = [
            name
            for name in self.names
            if name not in existing
            or self.storage.size(name) != (self.source / name).stat().st_size
            or _sha256_stored(self.storage, name) != sha256_local(self.source / name)
        ]
        self.aside = Path(tempfile.mkdtemp(prefix="restore-originais-", dir=settings.DATA_DIR))
        for name in [*self.to_remove, *(n for n in self.to_write if n in existing)]:
            target = self.aside / name
            target.parent.mkdir(parents=True, exist_ok=True)
            with self.storage.open(name, "rb") as handle, target.open("wb") as out:
                shutil.copyfileobj(handle, out, CHUNK)
            self.saved.add(name)

    def apply(self) -> None:
        for name in self.to_remove:
            self.touched.append(name)
            self.storage.delete(name)
        for name in self.to_write:
            self.touched.append(name)
            self._put(name, self.source / name)

    def _put(self, name: str, path: Path) -> None:
        if self.storage.exists(name):
            self.storage.delete(name)
        with path.open("rb") as handle:
            saved = self.storage.save(name, File(handle, name=name))
        if saved != name:
            self.storage.delete(saved)
            raise FileSwapError(f"O armazenamento renomeou {name!r} para {saved!r}.")

    def undo(self) -> None:
        """Put every touched file back as it was; keep the copies if that fails."""
        assert self.aside is not None or not self.touched
        try:
            for name in reversed(self.touched):
                if name in self.saved:
                    assert self.aside is not None
                    self._put(name, self.aside / name)
                elif self.storage.exists(name):
                    self.storage.delete(name)
        except Exception as exc:
            raise FileSwapError(
                "A restauração falhou e não foi possível devolver todos os arquivos ao estado "
                f"anterior ({exc}). As cópias dos arquivos originais estão em {self.aside}; "
                "o banco de dados não foi alterado."
            ) from exc
        self.touched = []
        self.done()

    def done(self) -> None:
        if self.aside is not None:
            shutil.rmtree(self.aside, ignore_errors=True)
            self.aside = None
