"""Imported once, by the fork server only: what every isolated child needs, loaded and warm.

The fork server (:mod:`paco.opendata.isolation`) imports this module before it
forks any child, so each child starts with DuckDB, the SQL sandbox and the
tabular library already imported, and with DuckDB's one-time reservations of
address space already made (``warm_up_duckdb``: ~600 MB of *virtual* space,
a few MB resident). The child then caps its address space above that, without
paying the ~0.1 s of a first DuckDB connection itself. DuckDB leaves no thread
behind after the warm-up, so forking stays safe.
"""

from __future__ import annotations

from paco.opendata.datastore import sandbox  # noqa: F401
from paco.opendata.isolation import warm_up_duckdb
from paco.opendata.tabular import convert  # noqa: F401

warm_up_duckdb()
WARMED = True
