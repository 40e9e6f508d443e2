"""What a receipt says, cleaned once, and the SHA-256 that seals it.

Texts come from citizens' forms and from staff, so they are cleaned before they
are stored (and hashed): Unicode NFC (an accent typed as a combining mark becomes
the one character a PDF font has), no control characters (PostgreSQL refuses a NUL
in text and JSON), no bidirectional overrides (they can make a printed line read
differently from what is stored), no lone surrogates, ``\\n`` line ends.

The digest is over a canonical JSON document — keys sorted, no spaces, UTF-8 — of
exactly what the receipt shows::

    {"como_calculado": [...], "emitido_em": "2026-03-02T17:05:09Z",
     "linhas": [[rótulo, valor], ...], "municipio_ibge": "4215000", "numero": "...",
     "tipo": "...", "titulo": "...", "versao": 1}

so anyone holding the receipt's data can recompute it (``docs/decisions.md``).
"""

from __future__ import annotations

import datetime
import hashlib
import json
import unicodedata
from collections.abc import Iterable, Mapping, Sequence
from typing import TypedDict

from django.core.exceptions import ValidationError

#: limits that keep a receipt a receipt (and its PDF a few pages at most)
MAX_LINES = 60
MAX_LABEL = 200
MAX_VALUE = 20_000
MAX_TOTAL = 40_000  # all values together
MAX_EXPLANATION_LINES = 30
MAX_EXPLANATION = 1_000
MAX_TITLE = 200
MAX_SUMMARY = 500
DIGEST_VERSION = 1

#: embedding, override and isolate controls of the bidirectional algorithm
BIDI_CONTROLS = frozenset("\u202a\u202b\u202c\u202d\u202e\u2066\u2067\u2068\u2069")


class Line(TypedDict):
    label: str
    value: str


def clean_text(value: object) -> str:
    """``value`` as text fit to store, hash and print (see the module's docstring)."""
    text = str(value).encode("utf-8", "replace").decode("utf-8")  # lone surrogates → "?"
    text = unicodedata.normalize("NFC", text.replace("\r\n", "\n").replace("\r", "\n"))
    kept = (
        ch
        for ch in text
        if ch in "\n\t" or (unicodedata.category(ch) != "Cc" and ch not in BIDI_CONTROLS)
    )
    return "".join(kept).strip()


def _limited(text: str, limit: int, what: str) -> str:
    if len(text) > limit:
        raise ValidationError(f"{what}: no máximo {limit} caracteres (tem {len(text)}).")
    return text


def clean_lines(lines: Iterable[Sequence[str] | Mapping[str, str]]) -> list[Line]:
    """``[(label, value), …]`` or ``[{"label", "value"}, …]`` → cleaned :class:`Line` list."""
    cleaned: list[Line] = []
    for line in lines:
        if isinstance(line, Mapping):
            label, value = line["label"], line["value"]
        else:
            label, value = line
        cleaned.append(
            Line(
                label=_limited(clean_text(label), MAX_LABEL, "Rótulo de linha do comprovante"),
                value=_limited(clean_text(value), MAX_VALUE, f"Linha «{clean_text(label)}»"),
            )
        )
    if not cleaned:
        raise ValidationError("Um comprovante precisa de ao menos uma linha.")
    if len(cleaned) > MAX_LINES:
        raise ValidationError(f"Um comprovante tem no máximo {MAX_LINES} linhas.")
    if sum(len(line["value"]) for line in cleaned) > MAX_TOTAL:
        raise ValidationError(f"O conteúdo de um comprovante tem no máximo {MAX_TOTAL} caracteres.")
    return cleaned


def clean_explanation(explanation: Iterable[str]) -> list[str]:
    cleaned = [clean_text(step) for step in explanation]
    cleaned = [_limited(step, MAX_EXPLANATION, "Passo do cálculo do prazo") for step in cleaned]
    cleaned = [step for step in cleaned if step]
    if len(cleaned) > MAX_EXPLANATION_LINES:
        raise ValidationError(
            f"O cálculo do prazo tem no máximo {MAX_EXPLANATION_LINES} passos no comprovante."
        )
    return cleaned


def utc_seconds(moment: datetime.datetime) -> str:
    """``2026-03-02T17:05:09Z``: the instant as hashed (aware datetimes only)."""
    if moment.tzinfo is None:
        raise ValueError("issued_at precisa de fuso horário (datetime aware).")
    return moment.astimezone(datetime.UTC).strftime("%Y-%m-%dT%H:%M:%SZ")


def canonical_document(
    *,
    ibge_code: str,
    kind: str,
    number: str,
    title: str,
    issued_at: datetime.datetime,
    lines: Sequence[Line],
    explanation: Sequence[str],
) -> bytes:
    """The receipt's content as the canonical JSON that :func:`digest` hashes."""
    document = {
        "versao": DIGEST_VERSION,
        "municipio_ibge": ibge_code,
        "tipo": kind,
        "numero": number,
        "titulo": title,
        "emitido_em": utc_seconds(issued_at),
        "linhas": [[line["label"], line["value"]] for line in lines],
        "como_calculado": list(explanation),
    }
    return json.dumps(document, ensure_ascii=False, sort_keys=True, separators=(",", ":")).encode()


def digest(document: bytes) -> str:
    """SHA-256 (hex) of a :func:`canonical_document`."""
    return hashlib.sha256(document).hexdigest()
