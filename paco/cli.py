"""The ``paco`` console command: a thin wrapper around Django management.

``paco serve``, ``paco migrate``, ``paco demo``, ``paco backup FILE`` … are all
management commands; ``paco help`` lists them.
"""

from __future__ import annotations

import os
import sys


def main(argv: list[str] | None = None) -> None:
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "paco.settings")
    from django.core.management import execute_from_command_line

    execute_from_command_line(["paco", *(sys.argv[1:] if argv is None else argv)])


if __name__ == "__main__":
    main()
