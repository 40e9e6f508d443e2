"""``paco publish-self``: alias with the hyphenated name the documentation uses."""

from paco.opendata.management.commands.publish_self import Command

__all__ = ["Command"]
