"""Reading JSON that comes from outside (request bodies, JSON-valued parameters).

Python's parser recurses once per nesting level: 100 000 ``[`` in a request body
raise ``RecursionError`` (a 500 on every endpoint that parsed it), and a few
thousand levels that do parse can still blow the stack of whatever walks the
result later. Every JSON Paço receives goes through :func:`loads`:

- a size cap (``max_bytes``; request bodies are already capped by Django's
  ``DATA_UPLOAD_MAX_MEMORY_SIZE``);
- a nesting cap (:data:`MAX_DEPTH`), measured before parsing with a linear scan;
- errors as :class:`JSONInputError`, a ``ValueError`` whose message is pt-BR and
  names the line and column, for the caller to turn into its own 400 answer.
"""

from __future__ import annotations

import json
import re
from itertools import accumulate
from typing import Any

MAX_DEPTH = 64
MAX_BYTES = 10 * 1024 * 1024

_STRING = re.compile(r'"(?:[^"\\]|\\.)*"', re.DOTALL)
_BRACKETS = re.compile(r"[^\[\]{}]+")
_INNERMOST = re.compile(r"\[\]|\{\}")


class JSONInputError(ValueError):
    """JSON Paço will not read; ``str()`` is a pt-BR sentence for the client."""


def nesting_depth(text: str) -> int:
    """The deepest ``[``/``{`` nesting of ``text`` outside strings (linear time)."""
    if text.count("[") + text.count("{") <= MAX_DEPTH:
        return text.count("[") + text.count("{")
    brackets = _BRACKETS.sub("", _STRING.sub("", text))
    # Peel innermost pairs level by level (each pass is one C-speed substitution); what
    # is left after MAX_DEPTH passes is deep or unbalanced, and short: count it exactly.
    for level in range(MAX_DEPTH + 1):
        if not brackets:
            return level
        brackets = _INNERMOST.sub("", brackets)
    steps = (1 if c in "[{" else -1 for c in brackets)
    return MAX_DEPTH + 1 + max(accumulate(steps, initial=0))


def loads(
    raw: str | bytes, *, where: str = "no corpo da requisição", max_bytes: int = MAX_BYTES
) -> Any:
    """Parse ``raw`` within the limits above, or raise :class:`JSONInputError`."""
    if len(raw) > max_bytes:
        raise JSONInputError(f"JSON grande demais {where} (limite de {max_bytes} bytes).")
    if isinstance(raw, bytes):
        try:
            raw = raw.decode("utf-8")
        except UnicodeDecodeError as exc:
            raise JSONInputError(
                f"O JSON {where} não está em UTF-8 (byte {exc.start + 1})."
            ) from None
    if nesting_depth(raw) > MAX_DEPTH:
        raise JSONInputError(
            f"JSON aninhado demais {where}: no máximo {MAX_DEPTH} níveis de [ ] ou {{ }}."
        )
    try:
        return json.loads(raw)
    except json.JSONDecodeError as exc:
        raise JSONInputError(
            f"JSON inválido {where} (linha {exc.lineno}, coluna {exc.colno})."
        ) from None
    except RecursionError:  # the scan is a bound, the parser the judge
        raise JSONInputError(f"JSON aninhado demais {where}.") from None


def loads_object(raw: str | bytes, *, where: str = "no corpo da requisição") -> dict[str, Any]:
    """Like :func:`loads`, for places that take only an object (``{…}``)."""
    data = loads(raw, where=where)
    if not isinstance(data, dict):
        kind = {list: "uma lista", str: "um texto", bool: "um booleano", type(None): "null"}
        name = kind.get(type(data), "um número")
        raise JSONInputError(f"O JSON {where} deve ser um objeto ({{…}}), não {name}.")
    return data
