"""The DCAT-BR controlled vocabularies, read from the copies in ``data/dcat-br``.

Each vocabulary is a tuple of :class:`Term` (key stored in the database, URI
used in RDF, pt-BR label shown to people). Model fields use the ``*_choices``
callables, so the vocabulary files stay the single source of truth.
"""

from __future__ import annotations

import csv
from dataclasses import dataclass
from functools import cache
from pathlib import Path

VOCAB_DIR = Path(__file__).resolve().parent / "data" / "dcat-br" / "vocabularies"


@dataclass(frozen=True)
class Term:
    key: str
    uri: str
    label: str


def _rows(relative: str) -> list[tuple[str, str]]:
    """``(first column, label)`` of a two-column vocabulary file.

    The upstream files do not quote their labels, and some LAI labels carry commas
    (“Art. 6º, III, da Lei …”): everything after the first column is the label.
    """
    with (VOCAB_DIR / relative).open(encoding="utf-8", newline="") as fh:
        return [
            (row[0].strip(), ",".join(row[1:]).strip()) for row in csv.reader(fh) if len(row) >= 2
        ]


THEME_LABELS = {
    "abastecimento": "Abastecimento",
    "administracao": "Administração",
    "agropecuaria-pesca-e-extrativismo": "Agropecuária, pesca e extrativismo",
    "comunicacoes": "Comunicações",
    "comercio-e-servicos": "Comércio e serviços",
    "cultura": "Cultura",
    "defesa-nacional": "Defesa nacional",
    "economia-e-financas": "Economia e finanças",
    "educacao": "Educação",
    "energia": "Energia",
    "esporte-e-lazer": "Esporte e lazer",
    "habitacao": "Habitação",
    "industria": "Indústria",
    "infraestrutura-e-fomento": "Infraestrutura e fomento",
    "meio-ambiente": "Meio ambiente",
    "pesquisa-e-desenvolvimento": "Pesquisa e desenvolvimento",
    "planejamento-e-gestao": "Planejamento e gestão",
    "previdencia-social": "Previdência social",
    "protecao-social": "Proteção social",
    "relacoes-internacionais": "Relações internacionais",
    "saneamento": "Saneamento",
    "saude": "Saúde",
    "seguranca-e-ordem-publica": "Segurança e ordem pública",
    "trabalho": "Trabalho",
    "transportes": "Transportes",
    "urbanismo": "Urbanismo",
}

FREQUENCY_LABELS = {
    "ANUAL": "Anual",
    "DIARIA": "Diária",
    "MENSAL": "Mensal",
    "QUINZENAL": "Quinzenal",
    "SEMANAL": "Semanal",
    "SEMESTRAL": "Semestral",
    "TRIMESTRAL": "Trimestral",
    "QUADRIMESTRAL": "Quadrimestral",
    "SOB_DEMANDA": "Sob demanda",
    "OUTRAS": "Outras",
}

#: days until the next update is due, per periodicity (None: no due date)
FREQUENCY_DAYS: dict[str, int | None] = {
    "ANUAL": 365,
    "DIARIA": 1,
    "MENSAL": 31,
    "QUINZENAL": 15,
    "SEMANAL": 7,
    "SEMESTRAL": 183,
    "TRIMESTRAL": 92,
    "QUADRIMESTRAL": 123,
    "SOB_DEMANDA": None,
    "OUTRAS": None,
}

LICENSE_LABELS = {
    "cc-zero": "Creative Commons CC0 (domínio público)",
    "cc-by": "Creative Commons Atribuição 4.0 (CC-BY 4.0)",
    "odc-odbl": "Open Data Commons ODbL",
    "odc-pddl": "Open Data Commons PDDL (domínio público)",
}
DEFAULT_LICENSE = "cc-by"
DEFAULT_ACCESS_RIGHTS = "1"  # Público


@cache
def themes() -> tuple[Term, ...]:
    return tuple(
        Term(key, uri, THEME_LABELS.get(key, key)) for uri, key in _rows("themes/themes.csv")
    )


@cache
def frequencies() -> tuple[Term, ...]:
    return tuple(
        Term(key, uri, FREQUENCY_LABELS.get(key, key.title()))
        for uri, key in _rows("VCR-FR/freq.csv")
    )


@cache
def licenses() -> tuple[Term, ...]:
    return tuple(
        Term(key, uri, LICENSE_LABELS.get(key, key)) for uri, key in _rows("VCR-LU/licensa-uso.csv")
    )


@cache
def access_rights() -> tuple[Term, ...]:
    return tuple(Term(uri.rsplit("/", 1)[-1], uri, label) for uri, label in _rows("SEI/sei.csv"))


@cache
def formats() -> tuple[Term, ...]:
    """File formats (key: extension) with their IANA media-type URIs."""
    return tuple(Term(key, uri, key.upper()) for uri, key in _rows("formato/formatos.csv"))


def _choices(terms: tuple[Term, ...]) -> list[tuple[str, str]]:
    return [(t.key, t.label) for t in terms]


def theme_choices() -> list[tuple[str, str]]:
    return _choices(themes())


def frequency_choices() -> list[tuple[str, str]]:
    return _choices(frequencies())


def license_choices() -> list[tuple[str, str]]:
    return _choices(licenses())


def access_rights_choices() -> list[tuple[str, str]]:
    return _choices(access_rights())


def term(terms: tuple[Term, ...], key: str) -> Term | None:
    return next((t for t in terms if t.key == key), None)
