"""Quoting for the SQL this library builds: every name and text goes through here."""

from __future__ import annotations


def literal(text: str) -> str:
    """A SQL string literal."""
    return "'" + text.replace("'", "''") + "'"


def ident(name: str) -> str:
    """A quoted SQL identifier (column names come from the files)."""
    return '"' + name.replace('"', '""') + '"'
