"""The size of a spreadsheet's sheet, measured before anything is materialized.

calamine (``sheets.py``) allocates the whole rectangle from the first to the last
filled cell, empty cells included: a 1.9 KB XLSX with cells at A1 and XFD1048576
asked for 16,384 × 1,048,576 cells (512 GB) and aborted the process. This module
streams the sheet's XML out of the zip (never the whole of it in memory) and finds
the rectangle calamine would build — cell references and implicit positions in XLSX,
repeated rows and columns in ODS — and refuses it past :data:`MAX_SHEET_CELLS`.

XLS (BIFF) cannot exceed 65,536 × 256 cells by its format; XLSB is not measured
(binary records) and is refused past the same limit only by calamine's own checks.
"""

from __future__ import annotations

import posixpath
import pyexpat
import re
import zipfile
from collections.abc import Iterator
from pathlib import Path
from typing import Any
from xml.etree import ElementTree

from .errors import TabularError

#: cells of the rectangle calamine allocates (about 32 bytes each, empty ones too):
#: 10 million is ~320 MB — a full Excel sheet of 1,048,576 rows × 9 columns.
MAX_SHEET_CELLS = 10_000_000
#: the small XML parts read whole (workbook, relationships)
MAX_PART_BYTES = 8 * 1024 * 1024
CHUNK = 1024 * 1024

_TAG = re.compile(rb"<(?:\w+:)?(row|c)(?=[\s/>])([^>]*)>")
_REF = re.compile(rb"""\sr=["']([A-Z]*)([0-9]*)["']""")
# ElementTree never fetches external entities, and expat ≥ 2.4 stops entity amplification
# (billion laughs) by itself: the small parts and content.xml are parsed with the stdlib.
_XML_SAFE = pyexpat.version_info >= (2, 4, 0)
_ODS = "urn:oasis:names:tc:opendocument:xmlns:table:1.0"
_OFFICE = "urn:oasis:names:tc:opendocument:xmlns:office:1.0"


def _thousands(number: int) -> str:
    return f"{number:,}".replace(",", ".")


def check_sheet_size(path: Path, sheet: str | None) -> None:
    """Raise TabularError (pt-BR) when a sheet spans more than MAX_SHEET_CELLS cells.

    XLSX: the sheet ``sheet`` (calamine reads one sheet at a time; None: nothing to do
    yet). ODS: every table, whatever ``sheet`` is — calamine reads them all on opening.
    """
    suffix = path.suffix.lower()
    if not _XML_SAFE:  # pragma: no cover - every supported Python bundles a newer expat
        raise TabularError("Planilhas não podem ser lidas com esta versão do Python (expat).")
    try:
        if suffix in {".xlsx", ".xlsm"} and sheet is not None:
            extent = _xlsx_extent(path, sheet)
            found = [(sheet, *extent)] if extent else []
        elif suffix == ".ods":
            found = _ods_extents(path)
        else:
            return
    except (zipfile.BadZipFile, KeyError, ElementTree.ParseError, OSError, ValueError):
        return  # damaged: calamine's own reading reports it
    for name, columns, rows in found:
        if columns * rows > MAX_SHEET_CELLS:
            raise TabularError(
                f"A planilha declara {_thousands(columns)} colunas × {_thousands(rows)} linhas "
                f"na aba “{name}” ({_thousands(columns * rows)} células, contando as vazias "
                "entre a primeira e a última preenchida); o limite é "
                f"{_thousands(MAX_SHEET_CELLS)} de células. Apague as células preenchidas "
                "longe dos dados (confira a última célula com Ctrl+End) ou salve a aba como "
                "CSV e envie de novo."
            )


# XLSX -----------------------------------------------------------------------


def _column_number(letters: bytes) -> int:
    number = 0
    for letter in letters:
        number = number * 26 + letter - 64
    return number


def _read_part(archive: zipfile.ZipFile, name: str) -> bytes:
    with archive.open(name) as part:
        data = part.read(MAX_PART_BYTES + 1)
    if len(data) > MAX_PART_BYTES:
        raise ValueError(name)
    return data


def _xlsx_sheet_part(archive: zipfile.ZipFile, sheet: str) -> str | None:
    book = ElementTree.fromstring(_read_part(archive, "xl/workbook.xml"))  # noqa: S314
    rels = ElementTree.fromstring(  # noqa: S314 (see _XML_SAFE)
        _read_part(archive, "xl/_rels/workbook.xml.rels")
    )
    rel_id = None
    for element in book.iter():
        if element.tag.endswith("}sheet") and element.get("name") == sheet:
            rel_id = next((v for k, v in element.attrib.items() if k.endswith("}id")), None)
    for element in rels.iter():
        if element.tag.endswith("}Relationship") and element.get("Id") == rel_id:
            target = element.get("Target", "")
            if target.startswith("/"):
                return target.lstrip("/")
            return posixpath.normpath(posixpath.join("xl", target))
    return None


def _chunks(archive: zipfile.ZipFile, name: str) -> Iterator[bytes]:
    with archive.open(name) as part:
        tail = b""
        while chunk := part.read(CHUNK):
            data = tail + chunk
            cut = data.rfind(b"<")  # a tag may straddle two chunks: keep it for the next
            if cut <= 0:
                tail = data
                continue
            tail = data[cut:]
            yield data[:cut]
        if tail:
            yield tail


def _xlsx_extent(path: Path, sheet: str) -> tuple[int, int] | None:
    """Columns × rows of the rectangle from the first to the last filled cell (as calamine)."""
    with zipfile.ZipFile(path) as archive:
        name = _xlsx_sheet_part(archive, sheet)
        if name is None:
            return None
        box = _Box()
        for chunk in _chunks(archive, name):
            if not _fast_chunk(chunk, box):
                return _xlsx_extent_exact(archive, name)
    return box.extent()


class _Box:
    def __init__(self) -> None:
        self.low_row: int | None = None
        self.low_col: int | None = None
        self.high_row = 0
        self.high_col = 0

    def add(self, row: int, column: int) -> None:
        self.low_row = row if self.low_row is None else min(self.low_row, row)
        self.low_col = column if self.low_col is None else min(self.low_col, column)
        self.high_row, self.high_col = max(self.high_row, row), max(self.high_col, column)

    def extent(self) -> tuple[int, int] | None:
        if self.low_row is None or self.low_col is None:
            return None
        return self.high_col - self.low_col + 1, self.high_row - self.low_row + 1


# A filled cell with its reference (self-closing <c r="…"/> cells are empty: calamine
# skips them). One C-level findall per chunk; the per-cell work is done by builtins.
_CELL_LETTERS = re.compile(rb'<c r="([A-Z]{1,3})[0-9]{1,7}"[^>/]*>')
_CELL_DIGITS = re.compile(rb'<c r="[A-Z]{1,3}([0-9]{1,7})"[^>/]*>')


def _extreme(digits: tuple[bytes, ...], pick: Any) -> int:
    """min or max of decimal numbers written as bytes (same length: byte order)."""
    lengths = set(map(len, digits))
    length = pick(lengths)
    if len(lengths) == 1:
        return int(pick(digits))
    return int(pick(d for d in digits if len(d) == length))


def _fast_chunk(chunk: bytes, box: _Box) -> bool:
    """Widen ``box`` with the chunk's cells; False when a cell has no plain reference."""
    cells = chunk.count(b"<c ") + chunk.count(b"<c>") + chunk.count(b"<c/>")
    if cells != chunk.count(b'<c r="') or b":c " in chunk or b":c>" in chunk:
        return False  # implicit positions or prefixed tags: the exact reading
    letters = set(_CELL_LETTERS.findall(chunk))
    if not letters:
        return True  # no cell, or only empty ones
    digits = tuple(_CELL_DIGITS.findall(chunk))
    columns = [_column_number(c) for c in letters]
    box.add(_extreme(digits, min), min(columns))
    box.add(_extreme(digits, max), max(columns))
    return True


def _xlsx_extent_exact(archive: zipfile.ZipFile, name: str) -> tuple[int, int] | None:
    """Tag by tag, counting implicit positions (cells and rows without ``r``)."""
    box = _Box()
    row = 0
    column = 0
    for chunk in _chunks(archive, name):
        for match in _TAG.finditer(chunk):
            ref = _REF.search(match.group(2))
            if match.group(1) == b"row":
                row = int(ref.group(2)) if ref and ref.group(2) else row + 1
                column = 0
                continue
            if ref and ref.group(1):
                column = _column_number(ref.group(1))
                if ref.group(2):
                    row = int(ref.group(2))
            else:
                column += 1
            if not match.group(2).endswith(b"/"):  # <c …/>: an empty cell
                box.add(row, column)
    return box.extent()


# ODS ------------------------------------------------------------------------


def _ods_extents(path: Path) -> list[tuple[str, int, int]]:
    """(name, columns, rows) of every table: repeated rows and columns multiply."""
    table_tag, row_tag = f"{{{_ODS}}}table", f"{{{_ODS}}}table-row"
    cell_tags = {f"{{{_ODS}}}table-cell", f"{{{_ODS}}}covered-table-cell"}
    value_type = f"{{{_OFFICE}}}value-type"
    rows_repeated = f"{{{_ODS}}}number-rows-repeated"
    cols_repeated = f"{{{_ODS}}}number-columns-repeated"
    found: list[tuple[str, int, int]] = []
    with zipfile.ZipFile(path) as archive, archive.open("content.xml") as content:
        name = ""
        box = _Box()
        row = 1  # 1-based index of the current row
        row_repeat = 1
        column = 1
        events = ElementTree.iterparse(content, ("start", "end"))  # noqa: S314
        for event, element in events:
            tag = element.tag
            if tag == table_tag:
                if event == "start":
                    name, box, row = element.get(f"{{{_ODS}}}name") or "", _Box(), 1
                else:
                    extent = box.extent()
                    if extent is not None:
                        found.append((name, *extent))
                        if extent[0] * extent[1] > MAX_SHEET_CELLS:
                            return found  # no need to read further
                    element.clear()
            elif tag == row_tag:
                if event == "start":
                    row_repeat, column = int(element.get(rows_repeated) or 1), 1
                else:
                    row += row_repeat
                    element.clear()
            elif tag in cell_tags and event == "end":
                repeat = int(element.get(cols_repeated) or 1)
                if element.get(value_type) is not None or len(element):
                    box.add(row, column)
                    box.add(row + row_repeat - 1, column + repeat - 1)
                column += repeat
                element.clear()
    return found
