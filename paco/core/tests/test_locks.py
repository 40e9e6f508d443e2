"""The install locks (requirements/*.lock, `make lock`) agree with pyproject.toml."""

from __future__ import annotations

import re
import tomllib
from pathlib import Path

import pytest
from packaging.requirements import Requirement
from packaging.utils import canonicalize_name

ROOT = Path(__file__).resolve().parents[3]
PIN = re.compile(r"^([A-Za-z0-9][A-Za-z0-9._-]*)(?:\[[^\]]*\])?==([^\s;\\]+)")


def project() -> dict:
    return tomllib.loads((ROOT / "pyproject.toml").read_text())["project"]


def locked(name: str) -> dict[str, tuple[str, int]]:
    """``{package: (version, number of hashes)}`` of one lock file."""
    found: dict[str, tuple[str, int]] = {}
    current = ""
    for line in (ROOT / "requirements" / f"{name}.lock").read_text().splitlines():
        match = PIN.match(line)
        if match:
            current = canonicalize_name(match.group(1))
            found[current] = (match.group(2), 0)
        elif line.strip().startswith("--hash=sha256:") and current:
            version, hashes = found[current]
            found[current] = (version, hashes + 1)
    return found


def direct(extras: tuple[str, ...]) -> list[Requirement]:
    meta = project()
    specs = list(meta["dependencies"])
    for extra in extras:
        specs += meta["optional-dependencies"][extra]
    # "paco[s3,redis]" in the dev extra names Paço's own extras, which the lock lists by their
    # packages, not as a pin of Paço itself
    return [r for r in map(Requirement, specs) if canonicalize_name(r.name) != "paco"]


@pytest.mark.parametrize(("lock", "extras"), [("run", ()), ("dev", ("dev",))])
def test_every_direct_dependency_is_pinned_in_the_lock(lock, extras):
    pins = locked(lock)
    stale = []
    for requirement in direct(extras):
        name = canonicalize_name(requirement.name)
        version = pins.get(name, ("", 0))[0]
        if not version or not requirement.specifier.contains(version, prereleases=True):
            stale.append(f"{requirement} (lock: {version or 'ausente'})")
    assert not stale, f"requirements/{lock}.lock desatualizado, rode `make lock`: {stale}"


@pytest.mark.parametrize("lock", ["run", "dev"])
def test_every_locked_package_has_hashes(lock):
    pins = locked(lock)
    assert len(pins) > 10
    assert not [name for name, (_, hashes) in pins.items() if hashes == 0]


def test_the_runtime_lock_holds_no_test_or_benchmark_tools():
    runtime = set(locked("run"))
    dev_only = {canonicalize_name(r.name) for r in direct(("dev",))} - {
        canonicalize_name(r.name) for r in direct(())
    }
    assert dev_only, "the dev extra is empty?"
    assert not runtime & dev_only
    assert {"pytest", "playwright", "ckanapi", "pyshacl", "frictionless"} <= dev_only


def test_the_dev_lock_includes_the_runtime_lock():
    run, dev = locked("run"), locked("dev")
    assert {name: version for name, (version, _) in run.items()} == {
        name: dev[name][0] for name in run
    }
