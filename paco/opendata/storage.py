"""Where resource files live: Django's default storage, under ``opendata/``.

Layout: ``opendata/<municipality slug>/<resource id>/v<N>/original.<ext>`` and
``…/v<N>/data.parquet``. Names are written once and never overwritten; a version
is only referenced from the database after both files are complete.

DuckDB reads Parquet from a local path. With local storage that is the stored
file itself; with object storage (S3) the file is copied once into a local
cache under ``PACO_DATA_DIR/cache/opendata`` (versions are immutable, so the
cache never goes stale).
"""

from __future__ import annotations

import hashlib
import os
import shutil
import tempfile
from pathlib import Path, PurePosixPath
from typing import IO, TYPE_CHECKING

from django.conf import settings
from django.core.files import File
from django.core.files.storage import default_storage

if TYPE_CHECKING:
    from paco.opendata.models import ResourceVersion

ROOT = "opendata"


def version_dir(version: ResourceVersion) -> str:
    town = version.municipality.slug
    return str(PurePosixPath(ROOT, town, str(version.resource_id), f"v{version.number}"))


def original_name(version: ResourceVersion, filename: str) -> str:
    ext = PurePosixPath(filename).suffix.lower()[:10]
    return f"{version_dir(version)}/original{ext}"


def parquet_name(version: ResourceVersion) -> str:
    return f"{version_dir(version)}/data.parquet"


def save_file(name: str, source: IO[bytes]) -> str:
    """Store ``source`` under ``name`` (never overwriting) and return the stored name."""
    if default_storage.exists(name):
        default_storage.delete(name)  # a leftover of an interrupted attempt at the same version
    return default_storage.save(name, File(source))


def local_path(name: str) -> Path:
    """A local filesystem path holding the stored file ``name`` (for DuckDB)."""
    try:
        return Path(default_storage.path(name))
    except NotImplementedError:
        pass
    cache_root = Path(settings.DATA_DIR) / "cache"
    target = cache_root / name
    if not target.exists():
        target.parent.mkdir(parents=True, exist_ok=True)
        fd, tmp = tempfile.mkstemp(dir=target.parent, prefix=".part-")
        with os.fdopen(fd, "wb") as out, default_storage.open(name, "rb") as src:
            shutil.copyfileobj(src, out, 1024 * 1024)
        os.replace(tmp, target)
    return target


def sha256_of(fh: IO[bytes]) -> tuple[str, int]:
    """SHA-256 hex digest and size of a binary stream, read in 1 MB chunks."""
    digest = hashlib.sha256()
    size = 0
    while chunk := fh.read(1024 * 1024):
        digest.update(chunk)
        size += len(chunk)
    return digest.hexdigest(), size
