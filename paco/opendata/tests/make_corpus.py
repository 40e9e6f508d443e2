"""Write the odd-file corpus deterministically: ``python -m paco.opendata.tests.make_corpus``.

Small files are committed under ``corpus/``; the big ones (over 1 MB, or
depending on openpyxl's zip timestamps) are built by the tests in tmp_path
with the functions below.
"""

from __future__ import annotations

import io
import zipfile
from datetime import date
from pathlib import Path
from xml.sax.saxutils import escape

CORPUS = Path(__file__).parent / "corpus"


def _rows(*lines: str, nl: str = "\n") -> str:
    return nl.join(lines) + nl


def _type_error_rows() -> str:
    lines = ["id,descricao,valor"]
    for i in range(1, 20):
        value = '"12,3,4"' if i == 16 else f'"{i},50"'
        lines.append(f"{i},item {i},{value}")
    return _rows(*lines)


# ODS, built by hand (stored zip entries, fixed timestamps) so the bytes are reproducible.
_ODS_NS = (
    'xmlns:office="urn:oasis:names:tc:opendocument:xmlns:office:1.0" '
    'xmlns:table="urn:oasis:names:tc:opendocument:xmlns:table:1.0" '
    'xmlns:text="urn:oasis:names:tc:opendocument:xmlns:text:1.0" '
    'xmlns:of="urn:oasis:names:tc:opendocument:xmlns:of:1.2" office:version="1.2"'
)
_ODS_MANIFEST = (
    '<?xml version="1.0" encoding="UTF-8"?>\n'
    '<manifest:manifest xmlns:manifest="urn:oasis:names:tc:opendocument:xmlns:manifest:1.0" '
    'manifest:version="1.2">'
    '<manifest:file-entry manifest:full-path="/" manifest:version="1.2" '
    'manifest:media-type="application/vnd.oasis.opendocument.spreadsheet"/>'
    '<manifest:file-entry manifest:full-path="content.xml" manifest:media-type="text/xml"/>'
    "</manifest:manifest>"
)


def _ods_cell(value: object) -> str:
    if value is None:
        return "<table:table-cell/>"
    if isinstance(value, tuple):  # (formula, cached value)
        formula, cached = value
        inner = _ods_cell(cached)
        return inner.replace("<table:table-cell", f'<table:table-cell table:formula="{formula}"', 1)
    if isinstance(value, bool):
        word = "true" if value else "false"
        return (
            f'<table:table-cell office:value-type="boolean" office:boolean-value="{word}">'
            f"<text:p>{'VERDADEIRO' if value else 'FALSO'}</text:p></table:table-cell>"
        )
    if isinstance(value, int | float):
        shown = f"{value:.2f}".replace(".", ",")
        return (
            f'<table:table-cell office:value-type="float" office:value="{value}">'
            f"<text:p>{shown}</text:p></table:table-cell>"
        )
    if isinstance(value, date):
        return (
            f'<table:table-cell office:value-type="date" office:date-value="{value.isoformat()}">'
            f"<text:p>{value:%d/%m/%Y}</text:p></table:table-cell>"
        )
    return (
        f'<table:table-cell office:value-type="string"><text:p>{escape(str(value))}</text:p>'
        "</table:table-cell>"
    )


def ods_bytes(sheets: dict[str, list[list[object]]]) -> bytes:
    tables = "".join(
        f'<table:table table:name="{escape(name)}">'
        + "".join(
            "<table:table-row>" + "".join(_ods_cell(c) for c in row) + "</table:table-row>"
            for row in rows
        )
        + "</table:table>"
        for name, rows in sheets.items()
    )
    return ods_raw(tables)


def ods_raw(tables: str) -> bytes:
    """An ODS holding the ``<table:table>`` elements ``tables``, as written."""
    content = (
        f'<?xml version="1.0" encoding="UTF-8"?>\n<office:document-content {_ODS_NS}>'
        f"<office:body><office:spreadsheet>{tables}</office:spreadsheet></office:body>"
        "</office:document-content>"
    )
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w", zipfile.ZIP_STORED) as archive:
        for name, data in [
            ("mimetype", "application/vnd.oasis.opendocument.spreadsheet"),
            ("META-INF/manifest.xml", _ODS_MANIFEST),
            ("content.xml", content),
        ]:
            archive.writestr(zipfile.ZipInfo(name, date_time=(2025, 1, 1, 0, 0, 0)), data)
    return buffer.getvalue()


_ODS_DESPESAS: list[list[object]] = [
    ["Prefeitura Municipal de Exemplo"],
    ["Despesas pagas em 2025"],
    [],
    ["Credor", "Valor", "Data", "Código", "Pago"],
    ["Padaria Central", 1234.5, date(2025, 2, 10), "00123", True],
    ["Posto Bom", 10, date(2025, 3, 1), "00456", False],
    ["Gráfica Sul", 99.99, date(2025, 3, 15), "01000", True],
]


def _ods_formulas() -> bytes:
    return ods_bytes(
        {
            "Planilha1": [
                ["item", "quantidade", "preco", "total", "rotulo"],
                ["caneta", 3, 1.5, ("of:=[.B2]*[.C2]", 4.5), ("of:=UPPER([.A2])", "CANETA")],
                ["papel", 10, 0.25, ("of:=[.B3]*[.C3]", 2.5), ("of:=UPPER([.A3])", "PAPEL")],
                ["total", 13, None, ("of:=SUM([.D2:.D3])", 7.0), None],
            ]
        }
    )


def _valid_cpf(base: int) -> str:
    digits = [int(d) for d in f"{base:09d}"]
    for size in (9, 10):
        total = sum(d * (size + 1 - i) for i, d in enumerate(digits[:size]))
        digits.append(total * 10 % 11 % 10)
    text = "".join(map(str, digits))
    return f"{text[:3]}.{text[3:6]}.{text[6:9]}-{text[9:]}"


def _cpf_rows(valid: bool) -> str:
    lines = ["beneficio;documento;valor"]
    for i in range(1, 41):
        cpf = _valid_cpf(123_456_000 + i * 7919)
        if not valid:  # break the second check digit
            cpf = cpf[:-1] + str((int(cpf[-1]) + 1) % 10)
        lines.append(f"Auxílio {i % 3};{cpf};{100 + i},00")
    return _rows(*lines)


_FIRST = ["Maria", "José", "Ana", "João", "Francisca", "Antônio", "Adriana", "Carlos"]
_LAST = ["da Silva", "dos Santos", "Oliveira", "de Souza", "Pereira", "Lima", "Ferreira"]


def _people(n: int) -> list[str]:
    return [f"{_FIRST[i % len(_FIRST)]} {_LAST[(i * 3) % len(_LAST)]}" for i in range(n)]


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
    # Spreadsheets (ODS): title rows, formulas as cached values, named sheets.
    "despesas.ods": ods_bytes({"Despesas": _ODS_DESPESAS}),
    "abas.ods": ods_bytes(
        {"Resumo": [["Relatório"], ["ver a aba Receitas"]], "Receitas": _ODS_DESPESAS[3:]}
    ),
    "formulas.ods": _ods_formulas(),
    "empty_sheet.ods": ods_bytes({"Vazia": [[]]}),
    "damaged.ods": b"PK\x03\x04" + bytes(40),
    # LGPD screening: what counts as personal data and what does not.
    "pd_cpf_valid.csv": _cpf_rows(valid=True).encode(),
    "pd_cpf_invalid.csv": _cpf_rows(valid=False).encode(),
    "pd_cnpj_only.csv": _rows(
        "fornecedor;cnpj;valor",
        *[f"Empresa {i} LTDA;{10 + i}.345.678/0001-{i:02d};{i},00" for i in range(1, 21)],
    ).encode(),
    "pd_contacts.csv": _rows(
        "protocolo;email;telefone;assunto",
        *[
            f"2025{i:04d};pessoa{i}@exemplo.com.br;(11) 9{8000 + i}-{1000 + i};iluminação"
            for i in range(1, 21)
        ],
    ).encode(),
    "pd_names_addresses.csv": _rows(
        "nome_requerente;endereco;bairro;servico",
        *[
            f"{name};Rua das Flores, {10 + i};Centro;poda de árvore"
            for i, name in enumerate(_people(20))
        ],
    ).encode("cp1252"),
    "pd_public_addresses.csv": _rows(
        "unidade;endereco;telefone_unidade",
        *[f"UBS {i};Av. Brasil, {100 + i};" for i in range(1, 11)],
    ).encode(),
    "pd_birth_dates.csv": _rows(
        "aluno;data_nascimento;turma",
        *[f"{name};{1 + i % 28:02d}/0{1 + i % 9}/2015;3A" for i, name in enumerate(_people(15))],
    ).encode(),
}


# Screening evasions (issue 8): personal data the screening once missed, one file each, and
# hard negatives it must not flag. Expected findings in corpus_expectations.EVASIONS.
def _processes(n: int) -> list[str]:
    return [f"{23000 + i % 7}.{i:06d}/2025-{i % 97:02d}" for i in range(n)]


_WORDS_NOT_NAMES = [
    "Rosa vermelha",
    "Paz e Luz",
    "Vitória da Conquista",
    "Farmácia Santa Rita EIRELI",
]
EVASIONS: dict[str, bytes] = {
    # A CPF inside free text (1 row in 8).
    "ev_cpf_free_text.csv": _rows(
        "empenho;historico;valor",
        *[f"2025NE{i:04d};Aquisição de material de consumo – lote {i};{i}0,00" for i in range(7)],
        "2025NE0007;Pagamento a Fulano CPF 123.456.789-09 referente a diárias;150,00",
    ).encode(),
    # Inside nested JSON (a key names it), bare digits.
    "ev_cpf_nested.json": (
        b'[\n  {"id": 1, "pagamento": {"valor": 10.5, '
        b'"beneficiario": {"doc": "00394460000141"}}},\n'
        b'  {"id": 2, "pagamento": {"valor": 20.5, "beneficiario": {"doc": "52998224725"}}},\n'
        b'  {"id": 3, "pagamento": {"valor": 30.5, "beneficiario": null}},\n'
        b'  {"id": 4, "pagamento": {"valor": 40.5, "beneficiario": {"doc": "12345678"}}}\n]\n'
    ),
    # Written with spaces.
    "ev_cpf_spaces.csv": _rows(
        "documento;valor", "529 982 247 25;1", "111 444 777 35;2", "-;3", "11.222.333/0001-81;4"
    ).encode(),
    # One CPF in 1000 rows (0.1%, far under the old 20% threshold), among process numbers.
    "ev_cpf_rare.csv": _rows(
        "processo;interessado_doc",
        *[f"{p};{'111.444.777-35' if i == 640 else '-'}" for i, p in enumerate(_processes(1000))],
    ).encode(),
    # Zero-padded: an integer column where the CPF 012.345.678-90 lost its leading zero.
    "ev_cpf_zero_padded.csv": _rows(
        "documento;valor", "1234567890;10", "52998224725;20", "4567;30", "98765;40"
    ).encode(),
    # Split over two adjacent columns: 9-digit base and check digits.
    "ev_cpf_split.csv": _rows(
        "cpf_base;cpf_dv;valor", "529982247;25;1", "111444777;35;2", "123456789;09;3"
    ).encode(),
    "ev_nis.csv": _rows(
        "nis;beneficio;valor",
        "17033259504;Bolsa Família;600,00",
        "469.40840.69-1;Bolsa Família;600,00",
        "12345678901;Auxílio Gás;100,00",
    ).encode(),
    "ev_cns.csv": _rows(
        "atendimento;cartao_sus;observacao",
        "1;911172752274760;consulta",
        "2;103381068700007;paciente com Cartão SUS 231 9749 7407 0007 de outro município",
        "3;123456789012345;curativo",
    ).encode(),
    "ev_rg.csv": _rows(
        "requerimento;rg;observacao",
        "1;12.345.678-9;ok",
        "2;MG-14.532.876;ok",
        "3;1234567;ok",
        "4;-;identidade 98.765.432-1 apresentada",
    ).encode(),
    # Names under a column the old name regex missed, found by their values.
    "ev_favorecido.csv": _rows(
        "favorecido;valor",
        "Maria Aparecida dos Santos;100,00",
        "JOSE CARLOS DE SOUZA;200,00",
        "Comercial São José Ltda;300,00",
        "12.345.678 ANTONIO FERREIRA LIMA;400,00",
    ).encode(),
    # Hard negatives: none of this is personal data (2 of the 60 bare 11-digit codes pass the
    # CPF check, as chance would have it: not a finding).
    "ev_negatives.csv": _rows(
        "processo;nup;cnpj;valor;data;codigo;logradouro;unidade;descricao",
        *[
            f"{p};00001.{i:06d}/2025-{i % 90 + 10};11.222.333/0001-81;1.234.567,{i % 90 + 10};"
            f"{i % 28 + 1:02d}/03/2024;{40000000000 + i * 7923};"
            f"{['Rua João Pessoa, 12', 'Av. Getúlio Vargas, 1500', 'Praça Rui Barbosa'][i % 3]};"
            f"{['EMEF Anita Garibaldi', 'UBS Dr. Carlos Chagas', 'Escola Maria Clara'][i % 3]};"
            f"{_WORDS_NOT_NAMES[i % 4]}"
            for i, p in enumerate(_processes(60))
        ],
    ).encode(),
}
SMALL.update(EVASIONS)


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


# Hostile spreadsheet dimensions (issue 8): a few KB that ask calamine for a rectangle of
# 16,384 × 1,048,576 cells. Built by hand with fixed timestamps, so the bytes are stable.
_XLSX_PARTS = {
    "[Content_Types].xml": (
        '<?xml version="1.0" encoding="UTF-8" standalone="yes"?>\n'
        '<Types xmlns="http://schemas.openxmlformats.org/package/2006/content-types">'
        '<Default Extension="rels" '
        'ContentType="application/vnd.openxmlformats-package.relationships+xml"/>'
        '<Default Extension="xml" ContentType="application/xml"/>'
        '<Override PartName="/xl/workbook.xml" ContentType="application/'
        'vnd.openxmlformats-officedocument.spreadsheetml.sheet.main+xml"/>'
        '<Override PartName="/xl/worksheets/sheet1.xml" ContentType="application/'
        'vnd.openxmlformats-officedocument.spreadsheetml.worksheet+xml"/>'
        "</Types>"
    ),
    "_rels/.rels": (
        '<?xml version="1.0" encoding="UTF-8" standalone="yes"?>\n'
        '<Relationships xmlns="http://schemas.openxmlformats.org/package/2006/relationships">'
        '<Relationship Id="rId1" Type="http://schemas.openxmlformats.org/officeDocument/2006/'
        'relationships/officeDocument" Target="xl/workbook.xml"/></Relationships>'
    ),
    "xl/workbook.xml": (
        '<?xml version="1.0" encoding="UTF-8" standalone="yes"?>\n'
        '<workbook xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main" '
        'xmlns:r="http://schemas.openxmlformats.org/officeDocument/2006/relationships">'
        '<sheets><sheet name="Plan1" sheetId="1" r:id="rId1"/></sheets></workbook>'
    ),
    "xl/_rels/workbook.xml.rels": (
        '<?xml version="1.0" encoding="UTF-8" standalone="yes"?>\n'
        '<Relationships xmlns="http://schemas.openxmlformats.org/package/2006/relationships">'
        '<Relationship Id="rId1" Type="http://schemas.openxmlformats.org/officeDocument/2006/'
        'relationships/worksheet" Target="worksheets/sheet1.xml"/></Relationships>'
    ),
}


def xlsx_bytes(sheet_data: str, dimension: str = "A1") -> bytes:
    """A minimal XLSX whose only sheet, “Plan1”, holds ``sheet_data`` (<row>… elements)."""
    sheet = (
        '<?xml version="1.0" encoding="UTF-8" standalone="yes"?>\n'
        '<worksheet xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main">'
        f'<dimension ref="{dimension}"/><sheetData>{sheet_data}</sheetData></worksheet>'
    )
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w", zipfile.ZIP_DEFLATED) as archive:
        for name, data in [*_XLSX_PARTS.items(), ("xl/worksheets/sheet1.xml", sheet)]:
            info = zipfile.ZipInfo(name, date_time=(2025, 1, 1, 0, 0, 0))
            info.compress_type = zipfile.ZIP_DEFLATED
            archive.writestr(info, data)
    return buffer.getvalue()


def _inline(ref: str, text: str) -> str:
    return f'<c r="{ref}" t="inlineStr"><is><t>{text}</t></is></c>'


HOSTILE_XLSX = xlsx_bytes(
    f'<row r="1">{_inline("A1", "nome")}</row><row r="1048576">{_inline("XFD1048576", "x")}</row>',
    dimension="A1:XFD1048576",
)


def hostile_xlsx_implicit() -> bytes:
    """The same rectangle without one cell reference (positions are implicit, as calamine
    counts them) and a lying declared dimension; ~2 KB zipped, 6 MB of XML."""
    return xlsx_bytes(
        '<row><c t="inlineStr"><is><t>nome</t></is></c></row>'
        + "<row/>" * 1_048_574
        + "<row>"
        + '<c t="inlineStr"><is><t>x</t></is></c>' * 16_384
        + "</row>",
        dimension="A1:A2",
    )


# One filled cell repeated over 16,384 columns and 1,048,575 rows (LibreOffice writes
# repeats for empty cells all the time; here the repeated cell holds a value).
HOSTILE_ODS = ods_raw(
    '<table:table table:name="Plan1">'
    '<table:table-row><table:table-cell office:value-type="string"><text:p>nome</text:p>'
    "</table:table-cell></table:table-row>"
    '<table:table-row table:number-rows-repeated="1048575">'
    '<table:table-cell office:value-type="string" table:number-columns-repeated="16384">'
    "<text:p>x</text:p></table:table-cell></table:table-row></table:table>"
)
# The import cases people actually hit (issue 8, §6).
SMALL["totals_label.csv"] = _rows(
    "secretaria;valor;data",
    "Saúde;100,00;05/01/2026",
    "Educação;50,00;06/01/2026",
    "TOTAL;150,00;",
    "Obras;10,00;07/01/2026",
    ";Total geral:;160,00",
).encode("cp1252")
SMALL["totals_sum.csv"] = _rows(
    "item;quantidade;valor",
    "caneta;1;10,00",
    "papel;2;20,50",
    "grampo;3;5,25",
    "clipe;4;1,00",
    ";10;36,75",
).encode()
SMALL["impossible_dates.csv"] = _rows(
    "evento;data",
    *[f"e{i};{i:02d}/01/2026" for i in range(1, 21)],
    "x;31/02/2026",
    "y;29/02/2025",
    "z;15/13/2026",
).encode()
SMALL["mixed_dates.csv"] = _rows(
    "evento;data",
    *[f"e{i};{i:02d}/03/2026" for i in range(1, 21)],
    "x;2026-03-21",
).encode()
SMALL["mixed_dates_half.csv"] = _rows(
    "evento;data",
    *[f"e{i};{i:02d}/03/2026" for i in range(1, 6)],
    *[f"f{i};2026-04-{i:02d}" for i in range(1, 6)],
).encode()
SMALL["blank_rows.csv"] = _rows(
    "nome;valor", "a;1", ";", "b;2", "", "  ;  ", "c;3", nl="\r\n"
).encode()
SMALL["text_reason.csv"] = _rows(
    "item;valor",
    *[f"i{i};{i},50" for i in range(1, 8)],
    "j;sem valor",
    "k;a definir",
    "l;9,00",
).encode()
SMALL["nan_infinity.csv"] = _rows(
    "id;valor",
    "1;1,5",
    "2;NaN",
    "3;Infinity",
    "4;-Infinito",
    "5;2,5",
    "6;nan",
    "7;3",
    "8;" + "9" * 320,
).encode()
SMALL["hostile_dimensions.xlsx"] = HOSTILE_XLSX
SMALL["hostile_repeated.ods"] = HOSTILE_ODS


if __name__ == "__main__":
    main()
