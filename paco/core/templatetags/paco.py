from __future__ import annotations

import re
from collections.abc import Iterable, Sequence
from typing import Any

from django import template
from django.utils.html import escape, strip_tags
from django.utils.safestring import SafeString, mark_safe
from django.utils.text import capfirst

from paco.core.sanitize import render_html

register = template.Library()


@register.filter
def sanitized(value: str) -> SafeString:
    """``{{ service.description|sanitized }}``: staff HTML with only safe tags kept."""
    return render_html(value)


_FIRST_CELL = re.compile(r"^(\s*<t[dh])\b")


@register.filter
def labelled_cells(cells: Iterable[str], headers: Sequence[dict[str, Any]]) -> list[SafeString]:
    """The admin's rendered cells of one row, each ``<td>`` given its column's ``data-label``.

    ``{% for item in result|labelled_cells:result_headers %}`` in the change list: the
    cells come rendered by Django, so the label is added to the opening tag here.
    """
    labelled = []
    for cell, header in zip(cells, headers, strict=False):
        label = capfirst(strip_tags(str(header.get("text", ""))).strip())
        html = str(cell)
        if label and "data-label=" not in html.split(">", 1)[0]:
            start = _FIRST_CELL.match(html)
            if start is not None:
                attribute = f' data-label="{escape(label)}"'
                html = start.group(1) + attribute + html[start.end() :]
        labelled.append(mark_safe(html))  # noqa: S308 (Django's own cell, one escaped attribute)
    return labelled
