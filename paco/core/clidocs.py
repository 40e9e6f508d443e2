"""Generates ``docs/cli.md`` from the commands' own help (``make docs``).

``paco/core/tests/test_docs.py`` fails when the file drifts from the code, so the
reference cannot go stale.
"""

from __future__ import annotations

import os

#: Paço's own commands, in the order the reference lists them.
COMMANDS = [
    "serve",
    "demo",
    "import-plan",
    "import-services",
    "import-resource",
    "publish-self",
    "notifications-scan",
    "backup",
    "restore",
    "audit",
]


def render() -> str:
    from django.core.management import get_commands, load_command_class

    from paco.cli import command_name

    os.environ["COLUMNS"] = "100"  # argparse wraps help to the terminal width
    lines = [
        "# The `paco` command",
        "",
        "Generated from the code by `make docs`; a test fails when this file drifts.",
        "`paco help` lists every command, Django's included (`paco migrate`,",
        "`paco createsuperuser`, `paco check --deploy`, `paco db-worker`…).",
        "",
    ]
    available = get_commands()
    for name in COMMANDS:
        module = command_name(name)
        command = load_command_class(available[module], module)
        text = command.create_parser("paco", name).format_help().rstrip()
        lines += [f"## `paco {name}`", "", "```text", text, "```", ""]
    return "\n".join(lines)


if __name__ == "__main__":
    import django

    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "paco.settings")
    django.setup()
    print(render(), end="")
