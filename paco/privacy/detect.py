"""The detectors: which spans of a text are personal data, and of which kind.

``context`` is what is known around the text: a column name, a JSON key, a form
field. It is folded (lower case, no accents) and read for labels; so are the 30
characters before each number (``CPF 123…``, ``"nis":"123…"``).

Numbers count only with valid check digits. A number written the way its kind is
written (``529.982.247-25``, ``123.45678.90-1``, ``898 0010 0066 3006``) is *strong*;
a bare run of digits (``52998224725``) is *weak* unless a label or the context names
its kind: random 11-digit codes pass the CPF check 1 time in 100, so the tabular
screening counts weak matches only when far more of a column's candidates pass
than chance would (``screen.py``). Free text masks them all.
"""

from __future__ import annotations

import re
import unicodedata
from dataclasses import dataclass

from .checks import cnpj_is_valid, cns_is_valid, cpf_is_valid, nis_is_valid
from .names import NAME_SPAN, find_names


@dataclass(frozen=True)
class Context:
    """What the context (column name, key, field) says the values are."""

    cpf: bool = False
    nis: bool = False
    cns: bool = False
    rg: bool = False
    phone: bool = False
    person: bool = False
    place: bool = False  # values name places and institutions: no names by value

    @property
    def any_number(self) -> bool:
        return self.cpf or self.nis or self.cns or self.rg or self.phone


def fold(text: str) -> str:
    """Lower case, no accents, ``_``/``-``/``.``/``/`` as spaces."""
    plain = unicodedata.normalize("NFKD", text).encode("ascii", "ignore").decode()
    return " ".join(re.sub(r"[_\-./:\"{}\[\],]", " ", plain.casefold()).split())


_CPF_LABEL = re.compile(r"\b(c ?p ?f|cpf|cpfs|documento|doc|cpf cnpj|cnpj cpf)\b")
_NIS_LABEL = re.compile(r"\b(nis|pis|pasep|nit|nis pis|pis pasep)\b")
_CNS_LABEL = re.compile(r"\b(cns|sus|cartao sus|cartao nacional de saude|cartao do sus)\b")
_RG_LABEL = re.compile(r"\b(rg|r g|identidade|registro geral|carteira de identidade)\b")
_PHONE_LABEL = re.compile(r"\b(telefone|telefones|fone|tel|celular|whatsapp|contato|cel)\b")
PERSON_LABEL = re.compile(
    r"\b(nome|nomes|servidor|servidora|paciente|beneficiari\w*|requerente|aluno|aluna|alunos|"
    r"mae|pai|responsavel|titular|contribuinte|interessad[oa]|cidadao|cidada|solicitante|"
    r"funcionari[oa]|empregad[oa]|morador|eleitor|professor|professora|candidat[oa]|"
    r"dependente|conjuge|segurad[oa]|estudante|pessoa|proprietari[oa]|vitima|denunciante|"
    r"favorecid[oa]|credor|autor|autora|declarante|assinante|portador)\b"
)
NOT_PERSON_LABEL = re.compile(
    r"\b(escola|unidade|empresa|fantasia|razao|orgao|secretaria|bairro|rua|logradouro|cnpj|"
    r"municipio|cidade|curso|produto|item|projeto|programa|fornecedor|estabelecimento|"
    r"entidade|instituicao|obra|servico|cargo|funcao|lotacao|departamento|setor|"
    r"arquivo|campo|evento|local|distrito|regiao|banco|agencia|plano|acao|uf|estado|pais)\b"
)
# Columns whose values name places and institutions (often after people): no names by value.
PLACE_LABEL = re.compile(
    r"\b(escola|unidade|bairro|rua|logradouro|endereco|municipio|cidade|curso|produto|"
    r"projeto|programa|estabelecimento|instituicao|obra|evento|local|distrito|regiao|"
    r"banco|agencia|orgao|secretaria|praca|avenida|loteamento|equipamento|homenagead[oa])\b"
)


def read_context(context: str) -> Context:
    folded = fold(context)
    if not folded:
        return Context()
    return Context(
        cpf=bool(_CPF_LABEL.search(folded)),
        nis=bool(_NIS_LABEL.search(folded)),
        cns=bool(_CNS_LABEL.search(folded)),
        rg=bool(_RG_LABEL.search(folded)),
        phone=bool(_PHONE_LABEL.search(folded)),
        person=bool(PERSON_LABEL.search(folded)) and not NOT_PERSON_LABEL.search(folded),
        place=bool(PLACE_LABEL.search(folded)) and not PERSON_LABEL.search(folded),
    )


@dataclass(frozen=True)
class Found:
    kind: str
    start: int
    end: int
    weak: bool = False


_B = r"(?<![\w./@-])(?<!\d,)"  # not glued to a longer number, word or address
_E = r"(?![\w/@]|[.,-]\d)"
_CPF = re.compile(_B + r"(\d{3})([. ]?)(\d{3})\2(\d{3})([-. ]?)(\d{2})" + _E)
_NIS = re.compile(_B + r"(\d{3})\.(\d{5})\.(\d{2})-(\d)" + _E)
_CNS = re.compile(_B + r"([1-9]\d{2})([ .]?)(\d{4})\2(\d{4})\2(\d{4})" + _E)
_SHORT = re.compile(_B + r"(\d{9,10})" + _E)  # a CPF that lost its leading zeros
_CNPJ = re.compile(_B + r"(\d{2})\.?(\d{3})\.?(\d{3})/?(\d{4})-?(\d{2})" + _E)
_CNPJ_BASE = re.compile(_B + r"(\d{2}\.\d{3}\.\d{3})[ \t]+(?=[A-ZÀ-Þ])")
_EMAIL = re.compile(r"[A-Za-z0-9._%+-]+@[A-Za-z0-9-]+(?:\.[A-Za-z0-9-]+)*\.[A-Za-z]{2,}")
_PHONE_DDD = re.compile(
    _B + r"(?:\+?55[ -]?)?(?:\(\d{2}\) ?|\d{2}[ -])(?:9 ?\d{4}|[2-5]\d{3})[ .-]?\d{4}" + _E
)
_PHONE_INTL = re.compile(r"(?<![\w.-])\+55 ?\d{10,11}" + _E)
_PHONE_MOBILE = re.compile(_B + r"9\d{4}-\d{4}" + _E)
_PHONE_LOCAL = re.compile(_B + r"(?:[2-5]\d{3}-\d{4}|(?:\d{2})?(?:9\d{8}|[2-5]\d{7}))" + _E)
_RG_AFTER_LABEL = re.compile(
    r"(?i)(?<![\w])(?:rg|r\.\s?g\.|identidade|registro geral)[\s:=\"'-]*(?:n[º°o.]*[\s:]*)?"
    r"((?:[A-Z]{2}[- ]?)?\d[\d.\- ]{3,14}[\dxX])(?![\w/]|[.-]\d)"
)
_RG_CELL = re.compile(r"\s*((?:[A-Za-z]{2}[- ]?)?\d[\d.\- ]{3,14}[\dxX])\s*(?:[A-Za-z/ -]{0,12})")
_LABEL_BEFORE = re.compile(
    r"(?i)\b(c\.?p\.?f|n\.?i\.?s|pis|pasep|nit|cns|sus|rg|r\.g\.|identidade|tel|fone|"
    r"telefone|celular|whatsapp|cel)\b\.?[^\d\n]{0,15}$"
)


def _label(text: str, start: int) -> str:
    m = _LABEL_BEFORE.search(text[max(0, start - 30) : start])
    return fold(m.group(1)).replace(" ", "") if m else ""


def _digits(text: str) -> str:
    return re.sub(r"\D", "", text)


def _numbers(text: str, ctx: Context) -> list[Found]:
    found: list[Found] = []
    for m in _NIS.finditer(text):
        if nis_is_valid(_digits(m.group(0))):
            found.append(Found("nis", m.start(), m.end()))
    for m in _CPF.finditer(text):
        found += _cpf_like(text, m, ctx)
    for m in _CNS.finditer(text):
        label = _label(text, m.start())
        if cns_is_valid(_digits(m.group(0))):
            bare = not m.group(2)
            weak = bare and not (ctx.cns or label in {"cns", "sus"})
            found.append(Found("cns", m.start(), m.end(), weak=weak))
    for m in _SHORT.finditer(text):
        labelled = ctx.cpf or _label(text, m.start()) == "cpf"
        if labelled and cpf_is_valid(m.group(1).zfill(11)):
            found.append(Found("cpf", m.start(), m.end()))
    return found


def _cpf_like(text: str, m: re.Match[str], ctx: Context) -> list[Found]:
    digits = "".join(m.group(1, 3, 4, 6))
    label = _label(text, m.start())
    bare = not m.group(2) and not m.group(5)
    nis_context = ctx.nis or label in {"nis", "pis", "pasep", "nit"}
    phone_context = ctx.phone or label in {"tel", "fone", "telefone", "celular", "whatsapp", "cel"}
    if nis_context and bare and nis_is_valid(digits):
        return [Found("nis", m.start(), m.end())]
    if not cpf_is_valid(digits):
        return []
    if bare and phone_context and not (ctx.cpf or label == "cpf"):
        return []  # a phone number that happens to pass the CPF check
    weak = bare and not (ctx.cpf or label == "cpf")
    return [Found("cpf", m.start(), m.end(), weak=weak)]


def _phones(text: str, ctx: Context) -> list[Found]:
    found = [
        Found("phone", m.start(), m.end())
        for pattern in (_PHONE_DDD, _PHONE_INTL, _PHONE_MOBILE)
        for m in pattern.finditer(text)
    ]
    for m in _PHONE_LOCAL.finditer(text):
        label = _label(text, m.start())
        if ctx.phone or label in {"tel", "fone", "telefone", "celular", "whatsapp", "cel"}:
            found.append(Found("phone", m.start(), m.end()))
    return found


def _rgs(text: str, ctx: Context) -> list[Found]:
    found = []
    for m in _RG_AFTER_LABEL.finditer(text):
        if 5 <= len(_digits(m.group(1))) <= 14:
            found.append(Found("rg", m.start(1), m.end(1)))
    if ctx.rg and not found:
        cell = _RG_CELL.fullmatch(text)
        if cell and 5 <= len(_digits(cell.group(1))) <= 14:
            found.append(Found("rg", cell.start(1), cell.end(1)))
    return found


def _people(text: str, ctx: Context) -> list[Found]:
    found = [Found("name", a, b) for a, b in find_names(text, person_context=ctx.person)]
    if ctx.person and not found:  # a column named like people: any name-shaped cell
        m = NAME_SPAN.fullmatch(text.strip())
        if m and not re.search(r"\d", text):
            offset = len(text) - len(text.lstrip())
            candidate = text.strip()
            if find_names(candidate, person_context=True) or _plain_name(candidate):
                found.append(Found("name", offset, offset + len(candidate)))
    return found


def _plain_name(text: str) -> bool:
    from .names import COMPANY_WORDS
    from .names import fold as fold_upper

    return not any(fold_upper(w).strip(".").lower() in COMPANY_WORDS for w in text.split())


def _individual_firms(text: str, names: list[Found]) -> list[Found]:
    """MEI: a CNPJ or CNPJ base (``12.345.678``) right before or after a person's name."""
    found = []
    starts = {n.start: n for n in names}
    for m in _CNPJ_BASE.finditer(text):
        name = starts.get(m.end())
        if name:
            found.append(Found("mei", m.start(), name.end))
    ends = {n.end: n for n in names}
    for m in _CNPJ.finditer(text):
        if not cnpj_is_valid(_digits(m.group(0))):
            continue
        before = re.search(r"[\s\-–,]*$", text[: m.start()])
        name = ends.get(before.start()) if before else None
        gap = re.match(r"[\s\-–,]*", text[m.end() :])
        follower = starts.get(m.end() + (gap.end() if gap else 0))
        if name:
            found.append(Found("mei", name.start, m.end()))
        elif follower:
            found.append(Found("mei", m.start(), follower.end))
    return found


PRIORITY = {"mei": 0, "cpf": 1, "nis": 2, "cns": 3, "rg": 4, "email": 5, "phone": 6, "name": 7}


def detect(text: str, context: str = "") -> list[Found]:
    """Every occurrence of personal data in ``text``, in order, never overlapping."""
    if not text:
        return []
    ctx = read_context(context)
    found: list[Found] = []
    has_digit = any(c.isdigit() for c in text)
    if has_digit:
        found += _numbers(text, ctx)
        found += _phones(text, ctx)
        found += _rgs(text, ctx)
    if "@" in text:
        found += [Found("email", m.start(), m.end()) for m in _EMAIL.finditer(text)]
    names = [] if ctx.place else _people(text, ctx)
    found += names
    if has_digit and names:
        found += _individual_firms(text, names)
    found.sort(key=lambda f: (f.start, -(f.end - f.start), PRIORITY[f.kind]))
    kept: list[Found] = []
    for item in found:
        if not kept or item.start >= kept[-1].end:
            kept.append(item)
    return kept
