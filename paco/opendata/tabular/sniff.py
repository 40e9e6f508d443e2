"""Sniffing: encoding, delimiter, line ending and the header row of a CSV sample.

UTF-16 files with a byte-order mark (Excel's "Texto Unicode") are decoded;
without a BOM their NUL bytes make them look binary and they are rejected.
"""

from __future__ import annotations

import codecs
import csv
import io
from collections import Counter
from dataclasses import dataclass, field
from pathlib import Path

from .errors import TabularError
from .values import parse_number

SAMPLE_BYTES = 64 * 1024
SAMPLE_ROWS = 50
DELIMITERS = [",", ";", "\t", "|"]

_CP1252_UNDEFINED = {0x81, 0x8D, 0x8F, 0x90, 0x9D}
_BINARY_MAGIC = {
    b"\x89PNG": "uma imagem PNG",
    b"%PDF": "um documento PDF",
    b"\xff\xd8\xff": "uma imagem JPEG",
    b"GIF8": "uma imagem GIF",
    b"PK\x03\x04": "um arquivo compactado (ZIP, XLSX ou ODS)",
}


@dataclass
class Dialect:
    encoding: str
    delimiter: str
    newline: str


@dataclass
class Header:
    index: int  # 0-based record index of the header inside the sample
    names: list[str]
    issues: list[str] = field(default_factory=list)


def detect_encoding(sample: bytes) -> str:
    """Return a Python codec name for the sample, or raise TabularError for binary data."""
    for magic, what in _BINARY_MAGIC.items():
        if sample.startswith(magic):
            raise TabularError(f"O arquivo não é uma tabela de texto: parece ser {what}.")
    if sample.startswith(b"\xef\xbb\xbf"):
        return "utf-8-sig"
    if sample.startswith((b"\xff\xfe", b"\xfe\xff")):
        return "utf-16"
    if b"\x00" in sample:
        raise TabularError("O arquivo não é uma tabela de texto: contém bytes binários (NUL).")
    try:
        sample.decode("utf-8")
        return "utf-8"
    except UnicodeDecodeError as exc:
        if exc.start >= len(sample) - 3 and exc.reason.startswith("unexpected end"):
            return "utf-8"  # the sample cut a multi-byte character in half
    c1 = {b for b in sample if 0x80 <= b <= 0x9F}
    if c1 and not c1 & _CP1252_UNDEFINED:
        return "cp1252"
    return "iso-8859-1"


SCAN_CHUNK = 1024 * 1024
_NOT_C1 = bytes(b for b in range(256) if not 0x80 <= b <= 0x9F)


def settle_encoding(path: Path, guess: str, sample: bytes) -> str:
    """The encoding of the whole file, when the sample alone cannot tell.

    A sample without a byte above 0x7F says nothing: the first accent of a
    Windows-1252 or Latin-1 file may come 10 MB in, or on the last line. A
    Latin-1-looking sample (no byte in 0x80–0x9F) may meet “ ” – later, which
    only Windows-1252 has. The file is then read once more, 1 MB at a time (never
    whole): UTF-8 is validated with an incremental decoder (a character split
    across two chunks is carried over), and the bytes in 0x80–0x9F are collected.
    A file that is valid UTF-8 to the end is UTF-8; one whose first non-ASCII
    byte is not UTF-8 is single-byte — Windows-1252 when its 0x80–0x9F bytes are
    all defined there, else Latin-1. A file with UTF-8 text and then a byte that
    is not (two encodings glued together) stays UTF-8, and the reading names the
    line of the bad byte.
    """
    ascii_sample = guess == "utf-8" and sample.isascii()
    if not ascii_sample and guess != "iso-8859-1":
        return guess  # the sample decided: UTF-8 with accents, Windows-1252, BOMs
    decoder = codecs.getincrementaldecoder("utf-8")() if ascii_sample else None
    seen_utf8 = False  # a valid non-ASCII UTF-8 character was met
    c1: set[int] = set()
    with path.open("rb") as raw:
        while chunk := raw.read(SCAN_CHUNK):
            if decoder is not None:
                if chunk.isascii() and not decoder.getstate()[0]:
                    continue
                try:
                    decoder.decode(chunk)
                    seen_utf8 = True
                    continue
                except UnicodeDecodeError as exc:
                    if seen_utf8 or not chunk[: max(exc.start, 0)].isascii():
                        return "utf-8"
                    decoder = None
            c1.update(chunk.translate(None, _NOT_C1))
            if c1 & _CP1252_UNDEFINED:
                return "iso-8859-1"
    if decoder is not None:
        try:
            decoder.decode(b"", final=True)
            return "utf-8"
        except UnicodeDecodeError:
            if seen_utf8:
                return "utf-8"
    return "cp1252" if c1 else "iso-8859-1"


def check_text(text: str) -> None:
    controls = sum(1 for ch in text if ord(ch) < 32 and ch not in "\t\r\n")
    if text and controls > max(2, len(text) // 100):
        raise TabularError(
            "O arquivo não é uma tabela de texto: contém caracteres de controle binários."
        )


def _complete_lines(text: str, truncated: bool) -> str:
    if truncated and "\n" in text:
        return text[: text.rindex("\n") + 1]
    return text


def parse_sample(text: str, delimiter: str) -> list[list[str]]:
    rows: list[list[str]] = []
    try:
        for row in csv.reader(io.StringIO(text, newline=""), delimiter=delimiter):
            rows.append(row)
            if len(rows) >= SAMPLE_ROWS * 4:
                break
    except csv.Error:
        return []
    return rows


def _score(rows: list[list[str]]) -> tuple[float, int]:
    counts = [len(r) for r in rows if any(c.strip() for c in r)]
    if not counts:
        return (0.0, 0)
    modal, hits = Counter(counts).most_common(1)[0]
    if modal < 2:
        return (0.0, modal)
    return (hits / len(counts), modal)


def detect_delimiter(text: str) -> str:
    best, best_score = ",", (0.0, 0)
    for delimiter in DELIMITERS:
        score = _score(parse_sample(text, delimiter))
        if score > best_score:
            best, best_score = delimiter, score
    return best


def detect_newline(text: str) -> str:
    return "\r\n" if "\r\n" in text else "\n"


def _looks_like_header(row: list[str]) -> bool:
    filled = [c.strip() for c in row if c.strip()]
    if len(filled) * 2 < len(row):
        return False
    textual = [c for c in filled if parse_number(c) is None and not c[:1].isdigit()]
    return len(textual) * 5 >= len(filled) * 4


def detect_header(rows: list[list[str]]) -> Header:
    nonblank = [r for r in rows if any(c.strip() for c in r)]
    if not nonblank:
        raise TabularError("O arquivo está vazio.")
    modal = Counter(len(r) for r in nonblank).most_common(1)[0][0]
    index = next(
        (i for i, r in enumerate(rows) if len(r) == modal and _looks_like_header(r)),
        next(i for i, r in enumerate(rows) if any(c.strip() for c in r)),
    )
    return normalize_header(index, rows[index])


def normalize_header(index: int, raw: list[str]) -> Header:
    names: list[str] = []
    issues: list[str] = []
    taken: set[str] = set()
    for position, cell in enumerate(raw, start=1):
        name = " ".join(cell.split())
        if not name:
            name = f"coluna_{position}"
            issues.append(f"A coluna {position} está sem nome no cabeçalho; foi chamada “{name}”.")
        if name.casefold() in taken:  # DuckDB and most tools ignore case in column names
            suffix = 2
            while f"{name}_{suffix}".casefold() in taken:
                suffix += 1
            new = f"{name}_{suffix}"
            issues.append(
                f"O nome de coluna “{name}” está repetido; a repetição foi chamada “{new}”."
            )
            name = new
        taken.add(name.casefold())
        names.append(name)
    return Header(index=index, names=names, issues=issues)


def sniff_bytes(sample: bytes, truncated: bool) -> tuple[Dialect, str]:
    """Return the dialect and the decoded sample (whole lines only)."""
    if not sample.strip():
        raise TabularError("O arquivo está vazio.")
    encoding = detect_encoding(sample)
    text = sample.decode(encoding, errors="replace")  # bad bytes are reported later, by line
    if truncated and "\n" not in text:
        raise TabularError(
            "A primeira linha é longa demais (mais de 64 KB sem quebra de linha); "
            "o arquivo não parece ser uma tabela.",
            line=1,
        )
    text = _complete_lines(text, truncated)
    check_text(text)
    dialect = Dialect(
        encoding=encoding, delimiter=detect_delimiter(text), newline=detect_newline(text)
    )
    return dialect, text
