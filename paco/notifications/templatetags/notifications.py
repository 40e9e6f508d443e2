"""``{% notification_counter %}``: the servant's unread notices, linking to ``/gestao/avisos/``.

One query (a COUNT on an index). Renders nothing for visitors who are not signed
in or outside a town. Usage in a staff template::

    {% load notifications %}{% notification_counter %}
"""

from __future__ import annotations

from typing import Any

from django import template
from django.urls import reverse

from paco.notifications.models import Notification

register = template.Library()


def unread_count(request: Any) -> int | None:
    user = getattr(request, "user", None)
    town = getattr(request, "municipality", None)
    if user is None or town is None or not user.is_authenticated:
        return None
    return Notification.objects.filter(
        municipality=town, recipient=user, read_at__isnull=True
    ).count()


@register.inclusion_tag("notifications/_counter.html", takes_context=True)
def notification_counter(context: dict[str, Any]) -> dict[str, Any]:
    count = unread_count(context.get("request"))
    if count is None:
        return {"hidden": True}
    return {"count": count, "url": reverse("notifications:list")}
