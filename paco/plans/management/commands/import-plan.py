"""``paco import-plan``: alias with the hyphenated name the documentation uses."""

from paco.plans.management.commands.import_plan import Command

__all__ = ["Command"]
