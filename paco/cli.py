"""The ``paco`` console command: a thin wrapper around Django management.

``paco serve``, ``paco migrate``, ``paco demo``, ``paco backup FILE`` … are all
management commands; ``paco help`` lists them.

Command names are typed with hyphens (``paco import-resource``, ``paco db-worker``)
and translated here, in one place, to the module names Python allows
(``import_resource``): :func:`command_name`. There are no alias modules; the
underscored names keep working too.
"""

from __future__ import annotations

import os
import sys
from typing import Any


def command_name(typed: str) -> str:
    """The management command a typed name means: ``a-b`` is ``a_b`` when that exists."""
    from django.core.management import get_commands

    commands = get_commands()
    if typed in commands or "-" not in typed:
        return typed
    underscored = typed.replace("-", "_")
    return underscored if underscored in commands else typed


def shown_name(command: str) -> str:
    """The name ``paco help`` and the documentation show: underscores become hyphens."""
    return command.replace("_", "-")


def call(typed: str, *args: Any, **options: Any) -> Any:
    """``call_command`` by the name a person types (for scripts and tests)."""
    from django.core.management import call_command

    return call_command(command_name(typed), *args, **options)


def _utility(argv: list[str]) -> Any:
    from django.core.management import ManagementUtility, get_commands

    class Utility(ManagementUtility):
        def fetch_command(self, subcommand: str) -> Any:
            return super().fetch_command(command_name(subcommand))

        def main_help_text(self, commands_only: bool = False) -> str:
            text = super().main_help_text(commands_only)
            names = {name: shown_name(name) for name in get_commands() if "_" in name}
            lines = []
            for line in text.splitlines():
                key = line.strip()
                if key in names:
                    line = line.replace(key, names[key])
                lines.append(line)
            return "\n".join(lines)

    return Utility(argv)


def main(argv: list[str] | None = None) -> None:
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "paco.settings")
    _utility(["paco", *(sys.argv[1:] if argv is None else argv)]).execute()


if __name__ == "__main__":
    main()
