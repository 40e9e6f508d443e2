"""Advisory plain-language check for Portuguese text (Lei nº 13.460/2017, art. 5º, XIV;
Lei nº 15.263/2025). It only points things out; it never blocks saving."""

from __future__ import annotations

import re
from dataclasses import dataclass, field

from paco.catalog.search import unaccent

MAX_SENTENCE_WORDS = 25
LONG_WORD_LETTERS = 15

#: bureaucratic words and a plainer alternative (keys without accents, lowercase)
JARGON: dict[str, str] = {
    "outrossim": "também",
    "mediante": "com, por meio de",
    "supracitado": "citado acima",
    "supracitada": "citada acima",
    "protocolizar": "entregar, registrar",
    "protocolar": "entregar, registrar",
    "deferimento": "aprovação",
    "indeferimento": "recusa",
    "deferido": "aprovado",
    "indeferido": "recusado",
    "requerente": "você, quem pede",
    "munícipe": "morador, cidadão",
    "municipe": "morador, cidadão",
    "requerimento": "pedido",
    "doravante": "a partir de agora",
    "destarte": "assim",
    "ademais": "além disso",
    "haja vista": "porque",
    "no tocante a": "sobre",
    "nos termos de": "conforme",
    "em epígrafe": "citado",
    "retromencionado": "citado",
    "ensejar": "causar",
    "exarar": "emitir",
    "expedir": "emitir",
    "anuência": "acordo, permissão",
    "óbice": "impedimento",
    "precípuo": "principal",
    "tempestivamente": "no prazo",
    "in loco": "no local",
}

_SENTENCE = re.compile(r"(?<=[.!?;])\s+|\n+")
_WORD = re.compile(r"[^\W\d_]+", re.UNICODE)
_ACRONYM = re.compile(r"\b[A-ZÁÉÍÓÚÂÊÔÃÕÇ]{2,}[0-9]*\b")
_IGNORED_ACRONYMS = {"CPF", "RG", "CEP", "SUS", "PDF", "SMS"}


@dataclass
class Report:
    words: int = 0
    sentences: int = 0
    long_sentences: list[str] = field(default_factory=list)
    long_words: list[str] = field(default_factory=list)
    acronyms: list[str] = field(default_factory=list)
    jargon: list[tuple[str, str]] = field(default_factory=list)

    @property
    def ok(self) -> bool:
        return not (self.long_sentences or self.long_words or self.acronyms or self.jargon)

    def messages(self) -> list[str]:
        out = []
        for sentence in self.long_sentences:
            words = len(_WORD.findall(sentence))
            out.append(
                f"Frase longa ({words} palavras; prefira até {MAX_SENTENCE_WORDS}): "
                f"“{_short(sentence)}”"
            )
        if self.long_words:
            out.append("Palavras longas, talvez difíceis: " + ", ".join(self.long_words) + ".")
        for acronym in self.acronyms:
            out.append(f"Sigla sem explicação: {acronym}. Escreva o nome por extenso.")
        for term, plain in self.jargon:
            out.append(f"Jargão: “{term}”. Prefira: {plain}.")
        return out


def _short(text: str, limit: int = 80) -> str:
    return text if len(text) <= limit else text[: limit - 1].rstrip() + "…"


def _unique(items: list[str]) -> list[str]:
    return list(dict.fromkeys(items))


def _spelled_out(text: str, acronym: str) -> bool:
    """``Nome Por Extenso (NPE)`` or ``NPE (Nome Por Extenso)`` counts as explained."""
    return f"({acronym})" in text or bool(re.search(rf"\b{acronym}\s*\([^)]{{4,}}\)", text))


def analyze(text: str) -> Report:
    text = text or ""
    report = Report()
    sentences = [s.strip() for s in _SENTENCE.split(text) if s and s.strip()]
    report.sentences = len(sentences)
    report.words = len(_WORD.findall(text))
    report.long_sentences = [s for s in sentences if len(_WORD.findall(s)) > MAX_SENTENCE_WORDS]
    report.long_words = _unique(
        [w for w in _WORD.findall(text) if len(w) > LONG_WORD_LETTERS and not w.isupper()]
    )
    report.acronyms = _unique(
        [
            a
            for a in _ACRONYM.findall(text)
            if a not in _IGNORED_ACRONYMS and not _spelled_out(text, a)
        ]
    )
    plain = " " + unaccent(text.lower()) + " "
    for term, alternative in JARGON.items():
        key = unaccent(term)
        already = {unaccent(t) for t, _ in report.jargon}
        if key not in already and re.search(rf"(?<![^\W_]){re.escape(key)}(?![^\W_])", plain):
            report.jargon.append((term, alternative))
    return report
