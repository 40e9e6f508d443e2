"""Sanitizing HTML written by staff (nh3, the Rust ``ammonia`` sanitizer).

Staff may format long texts with a small set of tags; everything else — scripts,
styles, event handlers, ``javascript:`` links — is removed when the text is
saved *and* again when it is rendered, so a row written before a rule change
can never inject markup.
"""

from __future__ import annotations

import nh3
from django.utils.safestring import SafeString, mark_safe

ALLOWED_TAGS = {
    "p", "br", "strong", "em", "b", "i", "u", "ul", "ol", "li", "a", "h3", "h4", "blockquote",
    "abbr", "code",
}  # fmt: skip
ALLOWED_ATTRIBUTES = {"a": {"href", "title"}, "abbr": {"title"}}
URL_SCHEMES = {"http", "https", "mailto", "tel"}


def clean_html(value: str) -> str:
    """Return ``value`` with only the allowed tags and attributes; links get rel=noopener."""
    return nh3.clean(
        value or "",
        tags=ALLOWED_TAGS,
        attributes=ALLOWED_ATTRIBUTES,
        url_schemes=URL_SCHEMES,
        link_rel="noopener noreferrer",
    )


def render_html(value: str) -> SafeString:
    """Sanitize and mark safe for templates (see the ``sanitized`` filter)."""
    return mark_safe(clean_html(value))  # noqa: S308 - nh3 output is safe by construction
