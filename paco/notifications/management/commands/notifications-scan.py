"""``paco notifications-scan``: alias with the hyphenated name the documentation uses."""

from paco.notifications.management.commands.notifications_scan import Command

__all__ = ["Command"]
