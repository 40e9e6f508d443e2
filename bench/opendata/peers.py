"""Datasette + sqlite-utils, the peers of the benchmark, in their own venv.

``bench/.venv-peers`` (git-ignored) is created with the base Python and filled
from ``bench/opendata/requirements-peers.txt``, so their dependencies never touch
the application's venv. It is rebuilt when the requirements file changes.
"""

from __future__ import annotations

import hashlib
import subprocess
import sys
from pathlib import Path

HERE = Path(__file__).resolve().parent
VENV = HERE.parent / ".venv-peers"
REQUIREMENTS = HERE / "requirements-peers.txt"


def base_python() -> str:
    """The interpreter the app venv was made from (a venv inside a venv nests badly)."""
    return getattr(sys, "_base_executable", None) or sys.executable


def ensure_venv() -> Path:
    stamp = VENV / ".requirements-sha256"
    wanted = hashlib.sha256(REQUIREMENTS.read_bytes()).hexdigest()
    if stamp.exists() and stamp.read_text() == wanted and (VENV / "bin" / "datasette").exists():
        return VENV / "bin"
    print(f"preparando {VENV} (Datasette, sqlite-utils) …", flush=True)
    subprocess.run([base_python(), "-m", "venv", "--clear", str(VENV)], check=True)
    pip = [str(VENV / "bin" / "python"), "-m", "pip", "install", "--quiet"]
    subprocess.run([*pip, "--upgrade", "pip"], check=True)
    subprocess.run([*pip, "-r", str(REQUIREMENTS)], check=True)
    stamp.write_text(wanted)
    return VENV / "bin"


def version(bin_dir: Path, tool: str) -> str:
    out = subprocess.run([str(bin_dir / tool), "--version"], capture_output=True, text=True)
    return out.stdout.strip() or out.stderr.strip()


def load_command(bin_dir: Path, database: Path, csv_path: Path) -> list[str]:
    """sqlite-utils loading the UTF-8 CSV exported by DuckDB (4.x detects column types)."""
    return [
        str(bin_dir / "sqlite-utils"),
        "insert",
        str(database),
        "despesas",
        str(csv_path),
        "--csv",
    ]


def serve_command(bin_dir: Path, database: Path, port: int) -> list[str]:
    """Datasette read-only (``-i``), facet suggestions off, time limit raised so the
    unindexed filtered sort answers instead of failing at the default 1 s, and no
    100 MB cap on CSV downloads (``max_csv_mb 0``) so the whole table streams."""
    return [
        str(bin_dir / "datasette"),
        "serve",
        "-i",
        str(database),
        "-h",
        "127.0.0.1",
        "-p",
        str(port),
        "--setting",
        "sql_time_limit_ms",
        "120000",
        "--setting",
        "suggest_facets",
        "off",
        "--setting",
        "max_csv_mb",
        "0",
    ]
