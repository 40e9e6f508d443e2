from __future__ import annotations

from django import template
from django.utils.safestring import SafeString

from paco.core.sanitize import render_html

register = template.Library()


@register.filter
def sanitized(value: str) -> SafeString:
    """``{{ service.description|sanitized }}``: staff HTML with only safe tags kept."""
    return render_html(value)
