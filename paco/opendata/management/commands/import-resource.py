"""``paco import-resource``: alias with the hyphenated name the documentation uses."""

from paco.opendata.management.commands.import_resource import Command

__all__ = ["Command"]
