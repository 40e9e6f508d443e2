"""Which uploads are tables, and their IANA media types, by file name."""

from __future__ import annotations

from pathlib import PurePosixPath

#: extension → (media type, format label)
MEDIA_TYPES: dict[str, tuple[str, str]] = {
    ".csv": ("text/csv", "csv"),
    ".tsv": ("text/tab-separated-values", "tsv"),
    ".txt": ("text/plain", "txt"),
    ".xlsx": ("application/vnd.openxmlformats-officedocument.spreadsheetml.sheet", "xlsx"),
    ".ods": ("application/vnd.oasis.opendocument.spreadsheet", "ods"),
    ".json": ("application/json", "json"),
    ".geojson": ("application/geo+json", "geojson"),
    ".pdf": ("application/pdf", "pdf"),
    ".zip": ("application/zip", "zip"),
    ".xml": ("application/xml", "xml"),
    ".parquet": ("application/vnd.apache.parquet", "parquet"),
}

#: uploads that go through the tabular pipeline (sniff, infer, validate, screen, Parquet)
TABULAR = {".csv", ".tsv", ".txt", ".xlsx", ".ods", ".json"}


def extension(filename: str) -> str:
    return PurePosixPath(filename.replace("\\", "/")).suffix.lower()


def is_tabular(filename: str) -> bool:
    return extension(filename) in TABULAR


def media_type(filename: str) -> str:
    return MEDIA_TYPES.get(extension(filename), ("application/octet-stream", ""))[0]


def format_label(filename: str) -> str:
    ext = extension(filename)
    return MEDIA_TYPES.get(ext, ("", ext.lstrip(".")))[1]


def clean_filename(filename: str) -> str:
    """The base name of an uploaded file (browsers and scripts may send paths)."""
    name = PurePosixPath(filename.replace("\\", "/")).name.strip()
    return name[:250] or "arquivo"
