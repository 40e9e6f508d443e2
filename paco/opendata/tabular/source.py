"""Reading a file as a header plus a stream of ``(line, cells)`` records.

CSV is read line by line with a cap on line and field size, so memory stays
bounded whatever the file size. Spreadsheets (XLSX, ODS…) are read with
python-calamine (``sheets.py``), formulas as their cached values; cells are
rendered to the same text the CSV path would see (decimal comma, ISO dates)
so one inference serves every format.
"""

from __future__ import annotations

import csv
import io
from collections.abc import Iterator
from dataclasses import dataclass, field
from pathlib import Path
from typing import BinaryIO

from .errors import NO_ROWS, TabularError
from .jsonsource import json_header, json_records
from .sheets import SUFFIXES as SHEET_SUFFIXES
from .sheets import cell_text, sheet_name, sheet_rows
from .sheetsize import check_sheet_size
from .sniff import (
    SAMPLE_BYTES,
    Dialect,
    Header,
    detect_header,
    normalize_header,
    parse_sample,
    settle_encoding,
    sniff_bytes,
)

MAX_LINE_BYTES = 1_000_000
#: Python's csv field limit (its default), set before every reading: it is process-global,
#: and importing frictionless raises it (a 220 KB field was then accepted, test order).
MAX_FIELD_BYTES = 131_072
Record = tuple[int, list[str]]


@dataclass
class Table:
    """A sniffed table: where the header is and how to read the rest."""

    path: Path
    kind: str  # "csv", "xlsx" or "json"
    header: Header
    header_line: int  # 1-based line (CSV) or row (XLSX) of the header
    dialect: Dialect | None = None
    sheet: str | None = None
    issues: list[str] = field(default_factory=list)
    bytes_read: int = 0  # CSV: how far the last records() pass got, for progress reports

    def records(self) -> Iterator[Record]:
        """Data records after the header, with their 1-based line numbers."""
        if self.kind == "json":
            yield from json_records(self.path, self.header.names, cell_text)
            return
        rows = _csv_rows(self) if self.kind == "csv" else sheet_rows(self.path, self.sheet or "")
        for line, cells in rows:
            if line > self.header_line:
                yield line, cells


def open_table(path: Path, *, sheet: str | None = None) -> Table:
    if path.suffix.lower() in SHEET_SUFFIXES:
        return _open_sheet(path, sheet)
    if path.suffix.lower() == ".json":
        return _open_json(path)
    return _open_csv(path)


# CSV -----------------------------------------------------------------------


class _Lines:
    """Yield decoded physical lines of at most MAX_LINE_BYTES, counting them.

    Lines are split on the raw bytes and decoded one by one, so a bad byte is
    reported on its own line (TextIOWrapper decodes 8 KB blocks at a time).
    UTF-16 cannot be split on b"\\n", so it goes through TextIOWrapper.
    """

    def __init__(self, raw: BinaryIO, encoding: str) -> None:
        self.raw = raw
        self.encoding = encoding
        self.count = 0
        self.size = 0

    def __iter__(self) -> Iterator[str]:
        if self.encoding == "utf-16":
            text = io.TextIOWrapper(self.raw, encoding=self.encoding, newline="")
            try:
                for line in iter(lambda: text.readline(MAX_LINE_BYTES + 1), ""):
                    self._count(line)
                    yield line
            except UnicodeDecodeError as exc:
                raise bad_bytes(self.encoding, self.count + 1) from exc
            return
        if self.encoding == "utf-8-sig":
            self.raw.read(3)
        for chunk in iter(lambda: self.raw.readline(MAX_LINE_BYTES + 1), b""):
            self._count(chunk)
            try:
                yield chunk.decode(self.encoding)
            except UnicodeDecodeError as exc:
                raise bad_bytes(self.encoding, self.count) from exc

    def _count(self, chunk: str | bytes) -> None:
        if len(chunk) > MAX_LINE_BYTES:
            message = "a linha é longa demais (mais de 1 MB)."
            raise TabularError(message, line=self.count + 1)
        self.count += 1
        self.size += len(chunk)


def bad_bytes(encoding: str, line: int) -> TabularError:
    """The error of a byte that ``encoding`` cannot decode, on physical ``line``."""
    return TabularError(
        f"há bytes inválidos para a codificação detectada ({encoding}); "
        "salve o arquivo em UTF-8 e envie de novo.",
        line=line,
    )


def _csv_rows(table: Table) -> Iterator[Record]:
    assert table.dialect is not None
    csv.field_size_limit(MAX_FIELD_BYTES)
    with table.path.open("rb") as raw:
        lines = _Lines(raw, table.dialect.encoding)
        reader = csv.reader(lines, delimiter=table.dialect.delimiter, strict=True)
        start = 1
        while True:
            try:
                row = next(reader)
            except StopIteration:
                return
            except csv.Error as exc:
                raise TabularError(_csv_message(exc), line=start) from exc
            table.bytes_read = lines.size
            yield start, row
            start = lines.count + 1


def _csv_message(exc: csv.Error) -> str:
    if "field larger than field limit" in str(exc):
        limit = MAX_FIELD_BYTES // 1024
        return f"há um campo longo demais (mais de {limit} KB); confira as aspas."
    if "unexpected end of data" in str(exc):
        return "há aspas abertas que não se fecham até o fim do arquivo."
    if "expected after" in str(exc):
        return 'há aspas no meio de um campo entre aspas; use aspas duplas ("") dentro do campo.'
    return f"a linha não pôde ser lida como CSV ({exc})."


def _open_csv(path: Path) -> Table:
    with path.open("rb") as raw:
        sample = raw.read(SAMPLE_BYTES + 1)
    truncated = len(sample) > SAMPLE_BYTES
    dialect, text = sniff_bytes(sample[:SAMPLE_BYTES], truncated)
    if truncated:  # the sample was not the whole file: it may not tell the encoding
        dialect.encoding = settle_encoding(path, dialect.encoding, sample[:SAMPLE_BYTES])
    rows = parse_sample(text, dialect.delimiter)
    header = detect_header(rows)
    table = Table(path=path, kind="csv", header=header, header_line=1, dialect=dialect)
    # The header's physical line: the same parser yields the same records in order.
    for position, (line, _cells) in enumerate(_csv_rows(table)):
        if position == header.index:
            table.header_line = line
            break
    return table


# Spreadsheets ---------------------------------------------------------------


def _open_sheet(path: Path, sheet: str | None) -> Table:
    # Before calamine allocates a sheet's rectangle (ODS: every sheet, on opening).
    check_sheet_size(path, None)
    name = sheet_name(path, sheet)
    check_sheet_size(path, name)
    table = Table(path=path, kind="xlsx", header=Header(0, []), header_line=1, sheet=name)
    sample: list[Record] = []
    for record in sheet_rows(path, name):
        sample.append(record)
        if len(sample) >= 200:
            break
    rows = [cells for _, cells in sample]
    width = max((i + 1 for r in rows for i, c in enumerate(r) if c.strip()), default=0)
    if not width:
        raise TabularError(f"A aba “{name}” da planilha está vazia.")
    header = detect_header([r[:width] for r in rows])
    table.header = header
    table.header_line = sample[header.index][0]
    return table


# JSON ----------------------------------------------------------------------


def _open_json(path: Path) -> Table:
    names = json_header(path)
    if not names:
        raise TabularError(NO_ROWS)
    return Table(path=path, kind="json", header=normalize_header(0, names), header_line=1)
