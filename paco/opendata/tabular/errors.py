"""The one exception of the tabular pipeline, with a pt-BR message for people."""

from __future__ import annotations

NO_ROWS = "O arquivo não tem linhas de dados abaixo do cabeçalho."


class TabularError(Exception):
    """A file that cannot be imported; ``message`` is shown to staff as is (pt-BR)."""

    def __init__(self, message: str, *, line: int | None = None, column: str | None = None) -> None:
        self.message = message
        self.line = line
        self.column = column
        super().__init__(self.describe())

    def describe(self) -> str:
        return located(self.message, self.line, self.column)


def located(message: str, line: int | None, column: str | None) -> str:
    """``message`` prefixed with where it happened: “Linha 4, coluna “valor”: …”."""
    where = [f"Linha {line}"] if line is not None else []
    if column is not None:
        where.append(f"coluna “{column}”")
    return f"{', '.join(where)}: {message}" if where else message
