"""Sanitizing HTML written by staff (nh3, the Rust ``ammonia`` sanitizer).

Staff may format long texts with a small set of tags; everything else — scripts,
styles, event handlers, ``javascript:`` links — is removed when the text is
saved *and* again when it is rendered, so a row written before a rule change
can never inject markup.
"""

from __future__ import annotations

import functools
import html
from collections.abc import Callable
from typing import Any, TypeVar, cast

import nh3
from django.utils.safestring import SafeString, mark_safe

T = TypeVar("T")
F = TypeVar("F", bound=Callable[..., Any])

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


# --- machine-readable outputs -------------------------------------------------------
# Staff texts are shown as escaped text on Paço's pages, but harvesters, feed readers
# and CKAN clients render descriptions as HTML or Markdown. Every machine-readable
# output (Atom, CKAN package/organization/group dicts, DCAT literals, datapackage.json,
# schema.org JSON-LD, the BNSP export, the plan's JSON/iCalendar) therefore carries
# *plain text*: tags removed with their script/style content, entities decoded — until
# nothing changes, so an entity-encoded ``&lt;script&gt;`` cannot come back as a tag.
# Builders apply it to their whole result (:func:`plain_output`), not field by field,
# so a field added later is covered too. Table data (datastore rows) is not staff text
# and is never altered.
_PLAIN_ROUNDS = 5


def plain_text(value: str) -> str:
    """``value`` without any markup (a fast no-op for text without ``<``)."""
    text = value
    for _ in range(_PLAIN_ROUNDS):
        if "<" not in text:
            return text
        stripped = html.unescape(nh3.clean(text, tags=set(), attributes={}))
        if stripped == text:
            return text
        text = stripped
    return text.replace("<", "‹")


def plain_tree(value: T) -> T:
    """Every string inside ``value`` (dicts, lists, tuples) through :func:`plain_text`."""
    if isinstance(value, str):
        return plain_text(value)  # type: ignore[return-value]
    if isinstance(value, dict):
        return {k: plain_tree(v) for k, v in value.items()}  # type: ignore[return-value]
    if isinstance(value, list | tuple):
        return type(value)(plain_tree(v) for v in value)
    return value


def plain_output(builder: F) -> F:
    """Decorator for the builders of machine-readable documents: plain text throughout."""

    @functools.wraps(builder)
    def wrapper(*args: Any, **kwargs: Any) -> Any:
        return plain_tree(builder(*args, **kwargs))

    return cast(F, wrapper)
