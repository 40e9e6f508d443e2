"""The one exception of the tabular pipeline, with a pt-BR message for people."""

from __future__ import annotations


class TabularError(Exception):
    """A file that cannot be imported; ``message`` is shown to staff as is (pt-BR)."""

    def __init__(self, message: str, *, line: int | None = None, column: str | None = None) -> None:
        self.message = message
        self.line = line
        self.column = column
        super().__init__(self.describe())

    def describe(self) -> str:
        where = []
        if self.line is not None:
            where.append(f"Linha {self.line}")
        if self.column is not None:
            where.append(f"coluna “{self.column}”")
        prefix = ", ".join(where)
        return f"{prefix}: {self.message}" if prefix else self.message
