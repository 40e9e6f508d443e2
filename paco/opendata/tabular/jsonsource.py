"""Streaming reader for JSON arrays of objects: one object decoded at a time.

The header is the union of the keys of the first 1000 objects, in order of
appearance. Values are rendered as the CSV path would see them (decimal
comma), nested values as compact JSON. Lines are physical lines of the file.
"""

from __future__ import annotations

import json
from collections.abc import Iterator
from pathlib import Path
from typing import Any

from .errors import TabularError

CHUNK_CHARS = 64 * 1024
MAX_OBJECT_CHARS = 1_000_000
HEADER_SAMPLE = 1000


def iter_objects(path: Path) -> Iterator[tuple[int, dict[str, Any]]]:
    """Yield ``(line, object)`` for each element of the top-level array."""
    decoder = json.JSONDecoder()
    with path.open(encoding="utf-8-sig") as stream:
        reader = _Buffer(stream)
        if reader.next_char() != "[":
            raise TabularError(
                "O JSON deve ser uma lista de objetos ([{…}, {…}]).", line=reader.line()
            )
        reader.pos += 1
        first = True
        while True:
            char = reader.next_char()
            if char == "]":
                return
            if not first:
                if char != ",":
                    raise TabularError(
                        "falta uma vírgula entre os objetos do JSON.", line=reader.line()
                    )
                reader.pos += 1
                reader.next_char()
            first = False
            line = reader.line()
            value = reader.decode(decoder)
            if not isinstance(value, dict):
                raise TabularError("cada item da lista JSON deve ser um objeto ({…}).", line=line)
            yield line, value


class _Buffer:
    def __init__(self, stream: Any) -> None:
        self.stream = stream
        self.buf = ""
        self.pos = 0
        self.lines_before = 0  # newlines in text already dropped from the buffer

    def _more(self) -> bool:
        try:
            chunk = self.stream.read(CHUNK_CHARS)
        except UnicodeDecodeError as exc:
            raise TabularError("O JSON deve estar codificado em UTF-8.", line=self.line()) from exc
        if not chunk:
            return False
        self.lines_before += self.buf.count("\n", 0, self.pos)
        self.buf = self.buf[self.pos :] + chunk
        self.pos = 0
        return True

    def line(self) -> int:
        return self.lines_before + self.buf.count("\n", 0, self.pos) + 1

    def next_char(self) -> str:
        while True:
            while self.pos < len(self.buf) and self.buf[self.pos].isspace():
                self.pos += 1
            if self.pos < len(self.buf):
                return self.buf[self.pos]
            if not self._more():
                raise TabularError("o JSON termina no meio da lista.", line=self.line())

    def decode(self, decoder: json.JSONDecoder) -> Any:
        while True:
            try:
                value, end = decoder.raw_decode(self.buf, self.pos)
            except json.JSONDecodeError as exc:
                if len(self.buf) - self.pos > MAX_OBJECT_CHARS:
                    raise TabularError(
                        "há um objeto JSON grande demais (mais de 1 MB).", line=self.line()
                    ) from exc
                if not self._more():
                    raise TabularError(f"JSON inválido ({exc.msg}).", line=self.line()) from exc
                continue
            if end == len(self.buf) and self._more():
                continue  # a number may continue in the next chunk
            self.pos = end
            return value


def json_header(path: Path) -> list[str]:
    keys: dict[str, None] = {}
    for seen, (_line, obj) in enumerate(iter_objects(path)):
        if seen >= HEADER_SAMPLE:
            break
        keys.update(dict.fromkeys(obj))
    return list(keys)


def json_records(path: Path, header: list[str], render: Any) -> Iterator[tuple[int, list[str]]]:
    known = set(header)
    for line, obj in iter_objects(path):
        cells = [_render(obj.get(key), render) for key in header]
        cells += [_render(value, render) for key, value in obj.items() if key not in known]
        yield line, cells


def _render(value: Any, render: Any) -> str:
    if isinstance(value, dict | list):
        return json.dumps(value, ensure_ascii=False, separators=(",", ":"))
    text: str = render(value)
    return text
