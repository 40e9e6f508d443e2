"""Accent-, case- and word-form-insensitive search that works the same on SQLite and PostgreSQL.

Each service keeps a ``search_document``: a space-separated list of tokens built
from its texts (lowercased, without accents, plus Snowball Portuguese stems). A
query matches when every query word is the start of some token. Both sides are
built by :func:`tokens`, so "alvará" finds "Alvarás" and "iluminacao" finds
"Iluminação" on any database.
"""

from __future__ import annotations

import re
import threading
import unicodedata
from functools import lru_cache

import snowballstemmer

_WORD = re.compile(r"[^\W_]+", re.UNICODE)
_PLURALS = (("ões", "ão"), ("ães", "ão"), ("ãos", "ão"))
_local = threading.local()


def _stem(word: str) -> str:
    """Snowball's stemmers keep state while they work: one per thread (web threads share
    this module; a shared stemmer answered IndexError under concurrent requests)."""
    stemmer = getattr(_local, "stemmer", None)
    if stemmer is None:
        stemmer = _local.stemmer = snowballstemmer.stemmer("portuguese")
    return str(stemmer.stemWord(word))


def unaccent(text: str) -> str:
    decomposed = unicodedata.normalize("NFKD", text)
    return "".join(c for c in decomposed if not unicodedata.combining(c))


@lru_cache(maxsize=4096)
def word_forms(word: str) -> tuple[str, ...]:
    """The forms of one word that go into documents and queries (unaccented, lowercase)."""
    word = word.lower()
    for plural, singular in _PLURALS:
        if word.endswith(plural):
            word = word[: -len(plural)] + singular
    plain = unaccent(word)
    forms = {plain, unaccent(_stem(word)), _stem(plain)}
    return tuple(sorted(f for f in forms if f))


def words(text: str) -> list[str]:
    return _WORD.findall(text or "")


def tokens(text: str) -> list[str]:
    out: list[str] = []
    seen: set[str] = set()
    for word in words(text):
        for form in word_forms(word):
            if form not in seen:
                seen.add(form)
                out.append(form)
    return out


def build_document(*texts: str) -> str:
    """`` tok1 tok2 … `` with surrounding spaces, so a query matches at token starts."""
    toks = tokens(" ".join(texts))
    return f" {' '.join(toks)} " if toks else ""


def query_terms(query: str) -> list[tuple[str, ...]]:
    """One tuple of alternative prefixes per query word (words of one letter ignored)."""
    terms = []
    for word in words(query):
        if len(word) < 2:
            continue
        forms = word_forms(word)
        # the shortest forms are enough: a longer form starting with a shorter one adds nothing
        minimal = tuple(f for f in forms if not any(o != f and f.startswith(o) for o in forms))
        terms.append(minimal)
    return terms
