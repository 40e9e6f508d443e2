"""Heavy libraries imported on first use, so an idle web process does not carry them.

``paco serve`` preloads Paço once in the gunicorn master and forks the web
processes from it (see :mod:`paco.core.server`); every module imported by the
URL configuration is therefore in every process. DuckDB (~30 MB resident) is
needed only by the data store, imports and exports, so the modules that use it
write::

    if TYPE_CHECKING:
        import duckdb
    else:
        duckdb = lazy_module("duckdb")

and ``duckdb.connect(...)`` imports the real module the first time it runs
(:func:`importlib.import_module`, which is thread-safe); the type checker still
sees the real module.
"""

from __future__ import annotations

import importlib
import types
from typing import Any


class _LazyModule(types.ModuleType):
    def __getattr__(self, attribute: str) -> Any:
        value = getattr(importlib.import_module(self.__name__), attribute)
        setattr(self, attribute, value)  # the next look-up is a plain attribute
        return value


def lazy_module(name: str) -> types.ModuleType:
    """A stand-in for module ``name`` that imports it on the first attribute look-up."""
    return _LazyModule(name)
