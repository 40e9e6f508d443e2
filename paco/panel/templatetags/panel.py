"""Number formats of the panel's pages: decimal comma, "—" for no value."""

from __future__ import annotations

from django import template

register = template.Library()


@register.filter
def num(value: float | int | None, decimals: int = 1) -> str:
    if value is None:
        return "—"
    if isinstance(value, int):
        return f"{value:,}".replace(",", ".")
    return f"{value:,.{decimals}f}".replace(",", "X").replace(".", ",").replace("X", ".")


@register.filter
def pct(value: float | None) -> str:
    if value is None:
        return "—"
    return num(100 * value, 1) + "%"


@register.filter
def share(part: int, whole: int) -> str:
    return pct(part / whole) if whole else "—"
