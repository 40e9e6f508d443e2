"""Reading plans the way municipalities publish them: pasted text, CSV or XLSX.

Every format is first turned into numbered rows of cells; one parser then reads
the header (which may repeat on every page), joins rows broken across a page
break, reads dates and infers each stage's status. Nothing is written here:
:func:`parse_file` returns a :class:`ParsedPlan` with pt-BR errors (with line
numbers) that :mod:`paco.plans.actions` refuses to import.
"""

from __future__ import annotations

import csv
import datetime
import io
import re
import zipfile
from collections.abc import Iterable
from dataclasses import dataclass, field
from pathlib import Path

from paco.plans.dates import parse_date, plain
from paco.plans.models import Status

Cell = str | datetime.date
Row = tuple[int, list[Cell]]

COLUMN_NAMES = {
    "etapa": "number",
    "numero": "number",
    "n": "number",
    "descricao": "description",
    "prazo": "duration",
    "duracao": "duration",
    "prazo final": "deadline",
    "data final": "deadline",
    "inicio": "start",
    "data de inicio": "start",
    "observacao": "observation",
    "observacoes": "observation",
    "situacao": "status",
    "status": "status",
}
REQUIRED = {"number": "Etapa", "description": "Descrição", "deadline": "Prazo final"}
DATE_FIELDS = {"deadline": "Prazo final", "start": "Início"}

_NUMBER = re.compile(r"^(\d{1,4})\s*[.ºª°)]?$")
_TAGS = re.compile(r"<[^>]+>|\*+")
_UPDATED = re.compile(r"atualizado em\s*:?\s*(\d{1,2}[/-]\d{1,2}[/-]\d{4})")
_NOTE = re.compile(r"^\**\s*observa[cç][aã]o\s*:?\s*\**\s*:?\s*(.*)$", re.IGNORECASE)

STATUS_WORDS = {plain(label): code for code, label in Status.choices} | {
    code: code for code in Status.values
}
# Order matters: an observation that reports an obstacle is suspended even if it
# says the work had started; "não iniciada" must be tested before "iniciada".
STATUS_KEYWORDS: list[tuple[tuple[str, ...], str]] = [
    (
        (
            "suspens",
            "paralisad",
            "interromp",
            "cancelad",
            "todavia",
            "entretanto",
            "nao possui",
            "impossibilidade",
            "nao foi possivel",
        ),
        Status.SUSPENDED,
    ),
    (("nao iniciad", "a iniciar", "pendente"), Status.NOT_STARTED),
    (("conclu", "finalizad", "realizad"), Status.DONE),
    (("constru", "andamento", "iniciad", "execucao", "em implanta"), Status.IN_PROGRESS),
]


class ImportFailed(Exception):
    def __init__(self, errors: list[str]) -> None:
        super().__init__("\n".join(errors))
        self.errors = errors


@dataclass
class ParsedStage:
    line: int
    number: int
    description: str
    duration: str
    deadline: datetime.date | None
    start: datetime.date | None
    status: str
    observation: str


@dataclass
class ParsedPlan:
    title: str = ""
    updated_on: datetime.date | None = None
    note: str = ""
    stages: list[ParsedStage] = field(default_factory=list)
    errors: list[str] = field(default_factory=list)
    warnings: list[str] = field(default_factory=list)


def infer_status(status_text: str, observation: str) -> str | None:
    """A status from an explicit column, else from keywords in the observation."""
    explicit = plain(status_text)
    if explicit in STATUS_WORDS:
        return STATUS_WORDS[explicit]
    for text in (explicit, plain(observation)):
        for words, code in STATUS_KEYWORDS:
            if any(word in text for word in words):
                return code
    return None


# --- reading each format into rows -------------------------------------------
def _decode(data: bytes) -> str:
    try:
        return data.decode("utf-8-sig")
    except UnicodeDecodeError:
        return data.decode("cp1252", errors="strict")


def _text_rows(text: str) -> list[Row]:
    rows: list[Row] = []
    for n, line in enumerate(text.splitlines(), start=1):
        rows.append((n, list[Cell](line.split("\t"))))
    return rows


def _csv_rows(text: str) -> list[Row]:
    first = next((line for line in text.splitlines() if line.strip()), "")
    delimiter = max((";", ",", "\t"), key=first.count)
    reader = csv.reader(io.StringIO(text), delimiter=delimiter)
    rows: list[Row] = []
    for cells in reader:
        rows.append((reader.line_num, list(cells)))
    return rows


def _xlsx_rows(data: bytes) -> list[Row]:
    from openpyxl import load_workbook

    book = load_workbook(io.BytesIO(data), read_only=True, data_only=True)
    sheet = book.worksheets[0]
    rows: list[Row] = []
    for n, values in enumerate(sheet.iter_rows(values_only=True), start=1):
        cells: list[Cell] = []
        for value in values:
            if isinstance(value, datetime.date):
                cells.append(value if not isinstance(value, datetime.datetime) else value.date())
            elif isinstance(value, float) and value.is_integer():
                cells.append(str(int(value)))
            else:
                cells.append("" if value is None else str(value))
        rows.append((n, cells))
    book.close()
    return rows


def read_rows(data: bytes, filename: str) -> list[Row]:
    """Rows of cells from the file's bytes; raises ImportFailed on unreadable files."""
    if not data.strip():
        raise ImportFailed(["O arquivo está vazio."])
    suffix = Path(filename).suffix.lower()
    if suffix in (".xlsx", ".xlsm") or data[:2] == b"PK":
        try:
            return _xlsx_rows(data)
        except (zipfile.BadZipFile, KeyError, OSError, ValueError) as exc:
            raise ImportFailed(
                ["O arquivo não é uma planilha XLSX válida (não foi possível abri-lo)."]
            ) from exc
    if b"\x00" in data:
        raise ImportFailed(
            ["O arquivo parece ser binário; envie um arquivo de texto, CSV ou XLSX."]
        )
    try:
        text = _decode(data)
    except UnicodeDecodeError as exc:
        raise ImportFailed(
            [
                "Não foi possível ler o texto do arquivo (codificação).",
            ]
        ) from exc
    if suffix != ".csv" and "\t" in text:
        return _text_rows(text)
    return _csv_rows(text)


# --- one parser for every format ---------------------------------------------
def _clean(cell: Cell) -> Cell:
    if isinstance(cell, datetime.date):
        return cell
    return _TAGS.sub("", cell).replace("\xa0", " ").strip()


def _header(cells: list[Cell]) -> dict[str, int] | None:
    names = [plain(c) if isinstance(c, str) else "" for c in cells]
    columns = {COLUMN_NAMES[n]: i for i, n in enumerate(names) if n in COLUMN_NAMES}
    return columns if "number" in columns and "description" in columns else None


def _join(old: Cell, new: Cell) -> Cell:
    if isinstance(old, datetime.date) or isinstance(new, datetime.date):
        return new if old == "" else old
    if not new:
        return old
    if not old or old.endswith(("-", "/")):
        return old + new
    return f"{old} {new}"


class _Parser:
    def __init__(self) -> None:
        self.plan = ParsedPlan()
        self.columns: dict[str, int] | None = None
        self.pending: list[tuple[int, dict[str, Cell]]] = []

    def error(self, line: int, message: str) -> None:
        self.plan.errors.append(f"Linha {line}: {message}")

    def feed(self, line: int, raw: list[Cell]) -> None:
        cells = [_clean(c) for c in raw]
        filled = [c for c in cells if c != ""]
        if not filled:
            return
        if self._marker(line, cells, filled):
            return
        header = _header(cells)
        if header is not None:
            if self.columns is None:
                self.columns = header
            return
        if self.columns is None:
            if len(filled) == 1:
                self.plan.title = self.plan.title or str(filled[0])
                return
            self.error(line, "dados encontrados antes da linha de cabeçalho (Etapa, Descrição…).")
            return
        self._data(line, cells)

    def _marker(self, line: int, cells: list[Cell], filled: list[Cell]) -> bool:
        if len(filled) != 1 or not isinstance(filled[0], str):
            return False
        text = filled[0]
        updated = _UPDATED.search(plain(text))
        if updated:
            try:
                self.plan.updated_on = parse_date(updated.group(1))
            except ValueError:
                self.error(line, f"data de atualização inválida: “{updated.group(1)}”.")
            return True
        note = _NOTE.match(text)
        if note:
            self.plan.note = note.group(1).strip()
            return True
        return plain(text) == "cronograma"

    def _value(self, cells: list[Cell], name: str) -> Cell:
        assert self.columns is not None
        index = self.columns.get(name)
        if index is None or index >= len(cells):
            return ""
        return cells[index]

    def _data(self, line: int, cells: list[Cell]) -> None:
        values = {name: self._value(cells, name) for name in COLUMN_NAMES.values()}
        number = values["number"]
        if number == "" and self.pending:
            _, previous = self.pending[-1]
            for name, value in values.items():
                previous[name] = _join(previous[name], value)
            return
        numbered = _NUMBER.match(number) if isinstance(number, str) else None
        if numbered:
            values["number"] = numbered.group(1)
            self.pending.append((line, values))
            return
        shown = " | ".join(str(c) for c in cells if c != "")[:120]
        self.error(line, f"não foi possível ler a linha (etapa sem número): “{shown}”.")

    def finish(self) -> ParsedPlan:
        if self.columns is None:
            missing = ", ".join(REQUIRED.values())
            self.plan.errors.append(
                f"Cabeçalho não encontrado: o arquivo precisa das colunas {missing}."
            )
            return self.plan
        missing_cols = [label for key, label in REQUIRED.items() if key not in self.columns]
        if missing_cols:
            self.plan.errors.append(
                "Colunas obrigatórias ausentes: " + ", ".join(missing_cols) + "."
            )
            return self.plan
        seen: set[int] = set()
        for line, values in self.pending:
            stage = self._stage(line, values)
            if stage is None:
                continue
            if stage.number in seen:
                self.error(line, f"a etapa {stage.number} aparece mais de uma vez.")
            seen.add(stage.number)
            self.plan.stages.append(stage)
        if not self.pending and not self.plan.errors:
            self.plan.errors.append("Nenhuma etapa encontrada no arquivo.")
        return self.plan

    def _stage(self, line: int, values: dict[str, Cell]) -> ParsedStage | None:
        dates: dict[str, datetime.date | None] = {}
        ok = True
        for name, label in DATE_FIELDS.items():
            try:
                dates[name] = parse_date(values[name])
            except ValueError:
                self.error(line, f"data inválida em “{label}”: “{values[name]}” (use dd-mm-aaaa).")
                ok = False
        description = str(values["description"])
        if not description:
            self.error(line, "a descrição da etapa está vazia.")
            ok = False
        if not ok:
            return None
        observation = str(values["observation"])
        status = infer_status(str(values["status"]), observation)
        if status is None:
            status = Status.NOT_STARTED
            self.plan.warnings.append(
                f"Linha {line}: situação não reconhecida; etapa importada como “Não iniciada”."
            )
        return ParsedStage(
            line=line,
            number=int(str(values["number"])),
            description=description,
            duration=str(values["duration"]),
            deadline=dates["deadline"],
            start=dates["start"],
            status=status,
            observation=observation,
        )


def parse_rows(rows: Iterable[Row]) -> ParsedPlan:
    parser = _Parser()
    for line, cells in rows:
        parser.feed(line, cells)
    return parser.finish()


def parse_file(data: bytes, filename: str) -> ParsedPlan:
    """Parse a plan file; never raises for bad content, errors go in ``.errors``."""
    try:
        rows = read_rows(data, filename)
    except ImportFailed as exc:
        return ParsedPlan(errors=exc.errors)
    return parse_rows(rows)
