"""Quoting for the SQL this library builds: every name and text goes through here."""

from __future__ import annotations

from pathlib import Path


def literal(text: str) -> str:
    """A SQL string literal."""
    return "'" + text.replace("'", "''") + "'"


def ident(name: str) -> str:
    """A quoted SQL identifier (column names come from the files)."""
    return '"' + name.replace('"', '""') + '"'


def copy_to_parquet(query: str, target: Path) -> str:
    """The statement writing the rows of ``query`` to the Parquet file ``target``."""
    return f"COPY ({query}) TO {literal(str(target))} (FORMAT parquet)"
