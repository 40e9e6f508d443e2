"""Write the odd-file corpus deterministically: ``python -m paco.opendata.tests.make_corpus``.

Small files are committed under ``corpus/``; the big ones (over 1 MB, or
depending on openpyxl's zip timestamps) are built by the tests in tmp_path
with the functions below.
"""

from __future__ import annotations

from pathlib import Path

CORPUS = Path(__file__).parent / "corpus"


def _rows(*lines: str, nl: str = "\n") -> str:
    return nl.join(lines) + nl


def _type_error_rows() -> str:
    lines = ["id,descricao,valor"]
    for i in range(1, 20):
        value = '"12,3,4"' if i == 16 else f'"{i},50"'
        lines.append(f"{i},item {i},{value}")
    return _rows(*lines)


SMALL: dict[str, bytes] = {
    "cp1252_semicolon.csv": _rows(
        "Órgão;Descrição;Valor;Data",
        "Secretaria de Saúde;Compra de “insumos” – lote 1;1.234,56;05/01/2025",
        "Secretaria de Educação;Merenda – março;-98,10;31/03/2025",
        "Gabinete;Café;0,50;15/12/2025",
        nl="\r\n",
    ).encode("cp1252"),
    "utf8_bom.csv": (
        "\ufeff" + _rows("município,população", "Açailândia,106550", "Óbidos,52163")
    ).encode(),
    "latin1.csv": _rows("nome;ação", "José;inscrição", "Conceição;revisão").encode("iso-8859-1"),
    "tab.csv": _rows("ano\tmes\ttotal", "2024\t1\t10", "2024\t2\t12", "2024\t3\t9").encode(),
    "pipe.csv": _rows(
        "codigo|nome|ativo", "001|Escola A|Sim", "002|Escola B|Não", "010|Escola C|S"
    ).encode(),
    "crlf.csv": _rows("a,b", "1,x", "2,y", nl="\r\n").encode(),
    "quoted_newlines.csv": _rows(
        "id;obs;valor",
        '1;"linha um\nlinha dois; com ponto e vírgula";10',
        '2;"disse ""olá"" e saiu";20',
        "3;simples;30",
    ).encode(),
    "title_rows.csv": _rows(
        "Prefeitura Municipal de Exemplo;;;",
        "Relatório de despesas 2025;;;",
        ";;;",
        "Credor;Empenho;Valor;Data",
        "Padaria Central;2025NE0001;1.500,00;10/02/2025",
        "Posto Bom;2025NE0002;320,75;11/02/2025",
    ).encode("cp1252"),
    "duplicate_headers.csv": _rows("nome,valor,valor", "a,1,2", "b,3,4").encode(),
    "blank_header.csv": _rows("nome,,total", "a,x,1", "b,y,2").encode(),
    "ragged.csv": _rows("a,b,c", "1,2,3", "4,5", "6,7,8,9", "10,11,12").encode(),
    "codes_leading_zeros.csv": _rows(
        "cpf;cnpj;cep;codigo;telefone",
        "012.345.678-90;00.394.460/0001-41;01001-000;00123;(11) 3333-4444",
        "123.456.789-09;12.345.678/0001-95;70040-010;00456;(61) 99999-0000",
    ).encode(),
    "codes_plain_digits.csv": _rows(
        "matricula;inscricao", "00012;0001", "00034;0002", "00056;0010"
    ).encode(),
    "money.csv": _rows(
        "item;valor", "a;R$ 1.234,56", "b;-1.234,56", "c;(10,00)", "d;R$ 0,99", "e;1.000.000,00"
    ).encode(),
    "percent.csv": _rows("indicador;taxa", "x;12,5%", "y;-3,0%", "z;100%").encode(),
    "dates_2digit.csv": _rows("evento;data", "a;01/02/25", "b;31/12/99", "c;15/06/68").encode(),
    "dates_dash.csv": _rows("evento;data", "a;01-02-2025", "b;28-02-2024").encode(),
    "dates_iso_datetime.csv": _rows(
        "quando,atualizado", "2025-01-31,2025-01-31 10:20:30", "2024-02-29,2024-02-29T08:00:00"
    ).encode(),
    "bad_date.csv": _rows(
        "evento;data", "a;01/02/2025", "b;31/02/2025", "c;03/04/2025", "d;04/05/2025"
    ).encode(),
    "booleans.csv": _rows("escola;possui_internet", "A;Sim", "B;Não", "C;sim", "D;N").encode(),
    "missing_markers.csv": _rows(
        "nome;valor;data", "a;N/D;01/01/2025", "b;NULL;-", "c;10,5;n/d", "d;—;"
    ).encode(),
    "empty.csv": b"",
    "whitespace_only.csv": b"\n\n   \n",
    "header_only.csv": _rows("nome;valor").encode(),
    "png_renamed.csv": b"\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR" + bytes(range(256)),
    "zip_renamed.csv": b"PK\x03\x04" + bytes(64),
    "utf16_bom_tab.csv": ("\ufeff" + _rows("nome\tvalor", "Ação\t1,5", "Três\t2")).encode(
        "utf-16-le"
    ),
    "utf16_nobom.csv": _rows("nome,valor", "a,1").encode("utf-16-le"),
    "formulas.csv": _rows(
        "nome,link",
        'a,"=HYPERLINK(""http://x"",""x"")"',
        "b,+SOMA(A1:A2)",
        "c,@cmd",
    ).encode(),
    "type_error.csv": _type_error_rows().encode(),
    "dot_decimal.csv": _rows("x,y", "1.5,10", "2.25,20", "1234.5,30").encode(),
    "trailing_delimiters.csv": _rows("a;b;c;", "1;2;3;", "4;5;6;").encode(),
    "blank_lines.csv": _rows("a,b", "1,2", "", "3,4", "").encode(),
    "single_column.csv": _rows("nome", "Ana", "Bia", "Caio").encode(),
    "control_chars.csv": bytes([1, 2, 3, 4, 5, 6, 7, 8, 14, 15, 16, 17] * 20),
    "array_of_objects.json": (
        b'[\n  {"nome": "Ana", "valor": 1234.5, "data": "01/02/2025", "ativo": true,'
        b' "cep": "01001-000"},\n'
        b'  {"nome": "Bia", "valor": 10, "data": "03/02/2025", "ativo": false, "cep": "70040-010",'
        b' "extra": {"a": [1, 2]}},\n'
        b'  {"nome": "Caio", "valor": null, "data": "N/D", "ativo": true, "cep": "01310-100"}\n]\n'
    ),
    "json_not_a_list.json": b'{"nome": "Ana"}\n',
    "json_truncated.json": b'[{"a": 1},\n {"a": 2},\n {"a": \n',
    "json_not_objects.json": b"[1, 2, 3]\n",
    "odd_column_names.csv": _rows(
        'Valor d\'água;"diz ""oi""";SELECT;Nome;nome', "1;2;3;Ana;Bia"
    ).encode(),
    "unclosed_quote.csv": _rows("a,b", '1,"abre', "2,3").encode(),
}


def huge_line_bytes() -> bytes:
    """More than 1 MB with no newline at all."""
    return b"x," * 600_000


def long_field_bytes() -> bytes:
    """A quoted field that never ends, spread over short lines (a bomb-like cell)."""
    return b'id,texto\n1,ok\n2,"' + b"aaaaaaaaaa\n" * 20_000 + b'"\n'


def late_bad_utf8_bytes() -> bytes:
    """ASCII for more than the 64 KB sample, then a Windows-1252 byte on line 3001."""
    body = "".join(f"{i},item {i:05d} abcdefghij\n" for i in range(1, 3000))
    return ("id,nome\n" + body + "3000,Jo\xe3o\n").encode("latin-1")


def write_xlsx(path: Path) -> None:
    from datetime import date

    import openpyxl

    book = openpyxl.Workbook()
    sheet = book.active
    assert sheet is not None
    sheet.title = "Despesas"
    sheet.append(["Prefeitura Municipal de Exemplo"])
    sheet.append([])
    sheet.append(["Credor", "Valor", "Data", "Dobro", "CNPJ"])
    sheet.append(["Padaria", 1234.5, date(2025, 2, 10), "=B4*2", "00394460000141"])
    sheet.append(["Posto", 10, date(2025, 3, 1), "=B5*2", "12345678000195"])
    other = book.create_sheet("Outra")
    other.append(["x", "y"])
    other.append([1, 2])
    book.save(path)


def main() -> None:
    CORPUS.mkdir(exist_ok=True)
    for name, content in SMALL.items():
        (CORPUS / name).write_bytes(content)


if __name__ == "__main__":
    main()
