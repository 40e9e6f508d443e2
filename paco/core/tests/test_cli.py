"""The ``paco`` entry point: hyphenated command names come from one translation (paco/cli.py)."""

from __future__ import annotations

from pathlib import Path

import pytest
from django.core.management import get_commands

from paco import cli
from paco.core import clidocs

ROOT = Path(__file__).resolve().parents[3]


def test_no_alias_modules_with_hyphens():
    """Every command module has a Python name; the hyphenated spelling is cli.py's job."""
    hyphenated = sorted(
        str(p.relative_to(ROOT)) for p in (ROOT / "paco").glob("*/management/commands/*-*.py")
    )
    assert hyphenated == []
    assert not [name for name in get_commands() if "-" in name]


@pytest.mark.parametrize("typed", clidocs.COMMANDS)
def test_every_documented_name_reaches_its_command(typed, capsys):
    assert cli.command_name(typed) in get_commands()
    with pytest.raises(SystemExit) as exit_:
        cli.main([typed, "--help"])
    assert exit_.value.code == 0
    assert f"usage: paco {typed}" in capsys.readouterr().out


def test_the_translation_is_generic():
    """Any ``a-b`` whose ``a_b`` is a command, Django's and the libraries' included."""
    assert cli.command_name("db-worker") == "db_worker"
    assert cli.command_name("import-resource") == "import_resource"
    assert cli.command_name("import_resource") == "import_resource"  # still accepted
    assert cli.command_name("migrate") == "migrate"
    assert cli.command_name("nao-existe") == "nao-existe"


def test_help_lists_hyphenated_names(capsys):
    cli.main(["help"])
    out = capsys.readouterr().out
    listed = {line.strip() for line in out.splitlines() if line.startswith("    ")}
    assert {"import-resource", "import-plan", "import-services", "publish-self"} <= listed
    assert "db-worker" in listed and "migrate" in listed
    assert not [name for name in listed if "_" in name]


def test_help_of_one_command_by_its_hyphenated_name(capsys):
    cli.main(["help", "import-plan"])
    assert "usage: paco import-plan" in capsys.readouterr().out


def test_unknown_command_is_refused(capsys):
    with pytest.raises(SystemExit) as exit_:
        cli.main(["importar-tudo"])
    assert exit_.value.code == 1
    assert "Unknown command: 'importar-tudo'" in capsys.readouterr().err


@pytest.mark.django_db
def test_a_hyphenated_command_runs_through_the_entry_point(town_x, capsys):
    with pytest.raises(SystemExit) as exit_:
        cli.main(["publish-self", "--municipality", "nao-existe"])
    assert exit_.value.code == 1
    assert "nao-existe" in capsys.readouterr().err
