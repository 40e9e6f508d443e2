"""People's names by their values: a real list of Brazilian given names (IBGE, Censo 2010).

``data/ibge-censos-prenomes.csv`` (provenance in ``data/PROVENANCE.md``) is read once
per process, lazily, and only the given names with at least ``MIN_BEARERS`` bearers
are kept, as a frozenset of folded (upper case, no accents) names: about 5,100
names, a few hundred KB.

A name is two or more capitalised words (particles ``da``, ``de``, ``dos``… allowed
between them) whose first word is a listed given name. Frequency and context are
weighed as the provenance note warns:

- given names that are also common words, places or saints' titles (Rosa, Paz, Luz,
  Vitória, Glória, Santa…, ``AMBIGUOUS``) start a name only when the next word is an
  unambiguous given name too (“Rosa Maria Souza”), or the column is named like people;
- a name right after a place or institution word (Rua, Avenida, Praça, EMEF, Escola,
  Hospital, UBS…) or a trade (Comercial, Farmácia…) names the place, not a person;
  so does a name followed by a company word (LTDA, ME, EIRELI…);
- names of public figures that mostly name places (Anita Garibaldi, João Pessoa,
  Getúlio Vargas…, ``HONOURED``) are not personal data.
"""

from __future__ import annotations

import csv
import re
import unicodedata
from functools import cache
from pathlib import Path

DATA = Path(__file__).parent / "data" / "ibge-censos-prenomes.csv"


def _words(text: str) -> frozenset[str]:
    return frozenset(text.split())


MIN_BEARERS = 2000

AMBIGUOUS = _words(
    """
    ROSA PAZ LUZ VITORIA GLORIA GRACA CLARA SANTA SANTO DIVINA SOCORRO DORES AURORA
    ESPERANCA NEVES BRANCA CELESTE FLOR PEDRA SILVA SOUZA JESUS CRUZ BELA JUNHO SALES JUSTO
    RAMOS FELIZ MAR SOL FE DIAS LIMA COSTA VALE VERA AMADO MOURA LEAL VITAL PRAZERES
    CONCEICAO ASSUNCAO APARECIDA FATIMA LOURDES PENHA GUIA PIEDADE NATIVIDADE ANUNCIACAO
    SALETE DIVINO ROSARIO REIS SANTOS BISPO
    """
)
PARTICLES = frozenset({"da", "de", "do", "das", "dos", "e", "di", "du", "del"})
PLACE_WORDS = _words(
    """
    rua r av avenida travessa tv trav alameda al praca pc largo estrada rodovia rod beco
    viela servidao ladeira vila jardim jd parque bairro conjunto residencial loteamento
    condominio edificio ed escola emef emei cmei ee eeef emeb creche colegio ubs usf posto
    hospital unidade centro ginasio estadio ponte viaduto instituto fundacao associacao
    cidade municipio distrito sao santa santo padre pe dom frei irma irmao presidente
    governador marechal general almirante brigadeiro coronel comercial farmacia
    distribuidora construtora papelaria transportes informatica madeireira panificadora
    laboratorio grafica mercado supermercado padaria auto loja restaurante hotel clinica
    drogaria academia oficina igreja paroquia capela biblioteca teatro museu cemiterio
    aeroporto terminal shopping galeria edif
    """
)
COMPANY_WORDS = _words(
    """
    ltda me epp eireli mei sa s/a cia comercio servicos industria associacao fundacao
    instituto cooperativa prefeitura secretaria municipio escola hospital banco empresa
    construtora distribuidora farmacia mercado supermercado posto padaria centro unidade
    conselho fundo camara tribunal governo estado uniao comercial transportes engenharia
    consultoria representacoes holding participacoes incorporadora editora grafica
    """
)
HONOURED = frozenset(
    {
        "ANITA GARIBALDI",
        "JOAO PESSOA",
        "SANTO ANDRE",
        "GETULIO VARGAS",
        "RUI BARBOSA",
        "SANTOS DUMONT",
        "DUQUE DE CAXIAS",
        "JOSE BONIFACIO",
        "CASTRO ALVES",
        "OSWALDO CRUZ",
        "OSVALDO CRUZ",
        "CARLOS GOMES",
        "DOM PEDRO",
        "PEDRO II",
        "JUSCELINO KUBITSCHEK",
        "TANCREDO NEVES",
        "ULYSSES GUIMARAES",
        "MACHADO DE ASSIS",
        "MONTEIRO LOBATO",
        "CHICO MENDES",
        "PAULO FREIRE",
        "ANISIO TEIXEIRA",
        "DARCY RIBEIRO",
        "CECILIA MEIRELES",
        "JOSE DE ALENCAR",
        "FLORIANO PEIXOTO",
        "BENJAMIN CONSTANT",
        "NILO PECANHA",
        "PRUDENTE DE MORAIS",
        "VITAL BRASIL",
        "IRMA DULCE",
        "MARIA QUITERIA",
        "ZUMBI DOS PALMARES",
        "LUIZ GONZAGA",
        "CARLOS DRUMMOND DE ANDRADE",
        "JOAQUIM NABUCO",
        "EUCLIDES DA CUNHA",
        "TEOTONIO VILELA",
        "MARIO COVAS",
        "ULISSES GUIMARAES",
    }
)

_UPPER = "A-ZÀ-ÖØ-Þ"
_LETTER = "A-Za-zÀ-ÖØ-öø-ÿ"
_WORD = f"[{_UPPER}][{_LETTER}'’]+"
_PARTICLE = r"(?:[dD][aAeEoO][sS]?|[eE]|[dD][iIuU]|[dD][eE][lL])"
NAME_SPAN = re.compile(
    rf"(?<![{_LETTER}\d'’.@_-])({_WORD})((?: +(?:{_PARTICLE} +)?{_WORD})+)"
    rf"(?![{_LETTER}\d@_])"
)
_TITLES = r"(?:(?:dr|dra|prof|profa|pe|sr|sra|dom|frei|irm[aã]|madre|m[ée]dico)\.?\s+)?"
_PREVIOUS_WORD = re.compile(rf"([{_LETTER}]+)\.?[\s“”\"'’«(\-–]*{_TITLES}$", re.IGNORECASE)
SAINTS = frozenset({"SANTA", "SANTO", "SAO", "NOSSA"})


def fold(text: str) -> str:
    """Upper case without accents."""
    plain = unicodedata.normalize("NFKD", text).encode("ascii", "ignore").decode()
    return plain.upper()


@cache
def given_names() -> frozenset[str]:
    """The listed given names (folded) with at least ``MIN_BEARERS`` bearers."""
    kept: set[str] = set()
    with DATA.open(encoding="utf-8", newline="") as stream:
        reader = csv.reader(stream)
        next(reader)
        for row in reader:
            if sum(int(x) for x in row[1:] if x) >= MIN_BEARERS:
                kept.add(row[0])
    return frozenset(kept)


def is_given_name(word: str, *, ambiguous_ok: bool = False) -> bool:
    folded = fold(word)
    return folded in given_names() and (ambiguous_ok or folded not in AMBIGUOUS)


def _trim_company(words: list[str]) -> list[str] | None:
    """The words before any company word; None if a company word follows the name."""
    for word in words:
        if fold(word).strip(".").lower() in COMPANY_WORDS:
            return None
    return words


def find_names(text: str, *, person_context: bool = False) -> list[tuple[int, int]]:
    """Spans ``(start, end)`` of people's names in ``text``."""
    spans: list[tuple[int, int]] = []
    for m in NAME_SPAN.finditer(text):
        words = m.group(0).split()
        if _trim_company(words) is None or _rest_is_company(text, m.end()):
            continue
        first = words[0]
        if not is_given_name(first, ambiguous_ok=True):
            continue
        following = [w for w in words[1:] if w.lower() not in PARTICLES]
        second_is_name = bool(following) and is_given_name(following[0])
        if fold(first) in AMBIGUOUS and not person_context and not second_is_name:
            continue
        if fold(first) in SAINTS:
            continue
        if fold(" ".join(words)) in HONOURED or _honour_prefix(words):
            continue
        before = _PREVIOUS_WORD.search(text[max(0, m.start() - 30) : m.start()])
        if before and fold(before.group(1)).lower() in PLACE_WORDS:
            continue
        spans.append((m.start(), m.end()))
    return spans


def _honour_prefix(words: list[str]) -> bool:
    folded = [fold(w) for w in words]
    return any(" ".join(folded[:size]) in HONOURED for size in range(2, len(folded)))


def _rest_is_company(text: str, end: int) -> bool:
    """A company word right after the name (“Maria Silva ME”, “José Souza - EPP”)."""
    after = re.match(rf"[\s\-–&,]*([{_LETTER}/.]+)", text[end : end + 20])
    return bool(after and fold(after.group(1)).strip(".").lower() in COMPANY_WORDS)
