"""Expected outcome of every file in ``corpus/`` (see make_corpus.py).

Accepted files: detected encoding/delimiter/header line, row count, column
types, a few exact values (row index, column) read back from the Parquet,
the exact list of report messages and of LGPD findings
(column, kind, count; none unless listed). Rejected files: the pt-BR
message and the line it names (None when the whole file is at fault).
"sheet" is passed to ``to_parquet`` for spreadsheets.
"""

from datetime import date, datetime

HOSTILE_DIMENSIONS = (
    "A planilha declara 16.384 colunas × 1.048.576 linhas na aba “Plan1” "
    "(17.179.869.184 células, contando as vazias entre a primeira e a última preenchida); "
    "o limite é 10.000.000 de células. Apague as células preenchidas longe dos dados "
    "(confira a última célula com Ctrl+End) ou salve a aba como CSV e envie de novo."
)

EXPECTED: dict[str, dict] = {
    "cp1252_semicolon.csv": {
        "encoding": "cp1252",
        "delimiter": ";",
        "rows": 3,
        "types": {"Órgão": "string", "Descrição": "string", "Valor": "number", "Data": "date"},
        "values": {
            (0, "Valor"): 1234.56,
            (0, "Descrição"): "Compra de “insumos” – lote 1",
            (1, "Valor"): -98.1,
            (1, "Data"): date(2025, 3, 31),
        },
    },
    "utf8_bom.csv": {
        "encoding": "utf-8-sig",
        "delimiter": ",",
        "rows": 2,
        "types": {"município": "string", "população": "integer"},
        "values": {(0, "município"): "Açailândia", (1, "população"): 52163},
    },
    # No byte in 0x80–0x9F: Latin-1 and Windows-1252 decode it identically.
    "latin1.csv": {
        "encoding": "iso-8859-1",
        "delimiter": ";",
        "rows": 2,
        "types": {"nome": "string", "ação": "string"},
        "values": {(1, "nome"): "Conceição", (0, "ação"): "inscrição"},
    },
    "tab.csv": {
        "delimiter": "\t",
        "rows": 3,
        "types": {"ano": "integer", "mes": "integer", "total": "integer"},
        "values": {(2, "total"): 9},
    },
    "pipe.csv": {
        "delimiter": "|",
        "rows": 3,
        "types": {"codigo": "string", "nome": "string", "ativo": "boolean"},
        "values": {(0, "codigo"): "001", (1, "ativo"): False, (2, "ativo"): True},
    },
    "crlf.csv": {"rows": 2, "types": {"a": "integer", "b": "string"}, "values": {(1, "b"): "y"}},
    "quoted_newlines.csv": {
        "delimiter": ";",
        "rows": 3,
        "types": {"id": "integer", "obs": "string", "valor": "integer"},
        "values": {
            (0, "obs"): "linha um\nlinha dois; com ponto e vírgula",
            (1, "obs"): 'disse "olá" e saiu',
            (2, "valor"): 30,
        },
    },
    "title_rows.csv": {
        "encoding": "iso-8859-1",
        "delimiter": ";",
        "header_line": 4,
        "rows": 2,
        "types": {"Credor": "string", "Empenho": "string", "Valor": "number", "Data": "date"},
        "values": {(0, "Valor"): 1500.0, (1, "Data"): date(2025, 2, 11)},
    },
    "duplicate_headers.csv": {
        "rows": 2,
        "types": {"nome": "string", "valor": "integer", "valor_2": "integer"},
        "values": {(0, "valor_2"): 2},
        "errors": [
            "Linha 1: O nome de coluna “valor” está repetido; a repetição foi chamada “valor_2”."
        ],
    },
    "blank_header.csv": {
        "rows": 2,
        "types": {"nome": "string", "coluna_2": "string", "total": "integer"},
        "errors": ["Linha 1: A coluna 2 está sem nome no cabeçalho; foi chamada “coluna_2”."],
    },
    "ragged.csv": {
        "rows": 4,
        "types": {"a": "integer", "b": "integer", "c": "integer"},
        "values": {(1, "c"): None, (2, "c"): 8},
        "errors": [
            "Linha 3: faltam células (esperadas 3, encontradas 2).",
            "Linha 4: há células a mais (esperadas 3, encontradas 4).",
        ],
    },
    "codes_leading_zeros.csv": {
        "delimiter": ";",
        "rows": 2,
        "types": {
            "cpf": "string",
            "cnpj": "string",
            "cep": "string",
            "codigo": "string",
            "telefone": "string",
        },
        "values": {
            (0, "cpf"): "012.345.678-90",
            (0, "cnpj"): "00.394.460/0001-41",
            (0, "cep"): "01001-000",
            (0, "codigo"): "00123",
        },
        # 012.345.678-90 and 123.456.789-09 both have valid check digits.
        "personal": [("cpf", "cpf", 2), ("telefone", "phone", 2)],
    },
    "codes_plain_digits.csv": {
        "delimiter": ";",
        "rows": 3,
        "types": {"matricula": "string", "inscricao": "string"},
        "values": {(2, "inscricao"): "0010"},
    },
    "money.csv": {
        "delimiter": ";",
        "rows": 5,
        "types": {"item": "string", "valor": "number"},
        "values": {
            (0, "valor"): 1234.56,
            (1, "valor"): -1234.56,
            (2, "valor"): -10.0,
            (4, "valor"): 1000000.0,
        },
    },
    "percent.csv": {
        "delimiter": ";",
        "rows": 3,
        "types": {"indicador": "string", "taxa": "number"},
        "percent": ["taxa"],
        "values": {(0, "taxa"): 12.5, (1, "taxa"): -3.0, (2, "taxa"): 100.0},
    },
    "dates_2digit.csv": {
        "delimiter": ";",
        "rows": 3,
        "types": {"evento": "string", "data": "date"},
        "formats": {"data": "%d/%m/%y"},
        "values": {
            (0, "data"): date(2025, 2, 1),
            (1, "data"): date(1999, 12, 31),
            (2, "data"): date(2068, 6, 15),
        },
    },
    "dates_dash.csv": {
        "delimiter": ";",
        "rows": 2,
        "types": {"data": "date"},
        "formats": {"data": "%d-%m-%Y"},
        "values": {(1, "data"): date(2024, 2, 28)},
    },
    "dates_iso_datetime.csv": {
        "rows": 2,
        "types": {"quando": "date", "atualizado": "datetime"},
        "values": {
            (0, "quando"): date(2025, 1, 31),
            (1, "atualizado"): datetime(2024, 2, 29, 8, 0, 0),
        },
    },
    "bad_date.csv": {
        "delimiter": ";",
        "rows": 4,
        "types": {"data": "date"},
        "values": {(1, "data"): None, (3, "data"): date(2025, 5, 4)},
        "errors": [
            "Linha 3, coluna “data”: “31/02/2025” não é uma data que existe "
            "(fevereiro de 2025 não tem dia 31)."
        ],
    },
    "booleans.csv": {
        "delimiter": ";",
        "rows": 4,
        "types": {"possui_internet": "boolean"},
        "values": {
            (0, "possui_internet"): True,
            (1, "possui_internet"): False,
            (2, "possui_internet"): True,
        },
    },
    "missing_markers.csv": {
        "delimiter": ";",
        "rows": 4,
        "types": {"nome": "string", "valor": "number", "data": "date"},
        "values": {
            (0, "valor"): None,
            (1, "valor"): None,
            (2, "valor"): 10.5,
            (3, "valor"): None,
            (2, "data"): None,
        },
    },
    "formulas.csv": {
        "rows": 3,
        "types": {"link": "string"},
        "values": {(0, "link"): '=HYPERLINK("http://x","x")', (1, "link"): "+SOMA(A1:A2)"},
    },
    "type_error.csv": {
        "rows": 19,
        "types": {"id": "integer", "valor": "number"},
        "values": {(15, "valor"): None, (16, "valor"): 17.5},
        "errors": ["Linha 17, coluna “valor”: “12,3,4” não é um número."],
    },
    "dot_decimal.csv": {
        "rows": 3,
        "types": {"x": "number", "y": "integer"},
        "values": {(2, "x"): 1234.5},
    },
    "trailing_delimiters.csv": {
        "delimiter": ";",
        "rows": 2,
        "types": {"a": "integer", "c": "integer", "coluna_4": "string"},
        "errors": ["Linha 1: A coluna 4 está sem nome no cabeçalho; foi chamada “coluna_4”."],
    },
    # Empty lines are dropped and reported (DuckDB skips them; a byte scan finds them).
    "blank_lines.csv": {
        "rows": 2,
        "values": {(1, "a"): 3},
        "warnings": [
            "Linha 3: linha em branco; foi ignorada.",
            "Linha 5: linha em branco; foi ignorada.",
        ],
    },
    "single_column.csv": {"rows": 3, "types": {"nome": "string"}, "values": {(2, "nome"): "Caio"}},
    # UTF-16 with a BOM (Excel "Texto Unicode") is decoded; without a BOM it looks binary.
    "utf16_bom_tab.csv": {
        "encoding": "utf-16",
        "delimiter": "\t",
        "rows": 2,
        "types": {"nome": "string", "valor": "number"},
        "values": {(0, "nome"): "Ação", (0, "valor"): 1.5},
    },
    "utf16_nobom.csv": {
        "reject": "O arquivo não é uma tabela de texto: contém bytes binários (NUL).",
        "line": None,
    },
    "empty.csv": {"reject": "O arquivo está vazio.", "line": None},
    "whitespace_only.csv": {"reject": "O arquivo está vazio.", "line": None},
    "header_only.csv": {
        "reject": "O arquivo não tem linhas de dados abaixo do cabeçalho.",
        "line": None,
    },
    "png_renamed.csv": {
        "reject": "O arquivo não é uma tabela de texto: parece ser uma imagem PNG.",
        "line": None,
    },
    "zip_renamed.csv": {
        "reject": (
            "O arquivo não é uma tabela de texto: "
            "parece ser um arquivo compactado (ZIP, XLSX ou ODS)."
        ),
        "line": None,
    },
    "control_chars.csv": {
        "reject": "O arquivo não é uma tabela de texto: contém caracteres de controle binários.",
        "line": None,
    },
    "unclosed_quote.csv": {
        "reject": "há aspas abertas que não se fecham até o fim do arquivo.",
        "line": 2,
    },
    "array_of_objects.json": {
        "encoding": None,
        "delimiter": None,
        "rows": 3,
        "types": {
            "nome": "string",
            "valor": "number",
            "data": "date",
            "ativo": "boolean",
            "cep": "string",
        },
        "values": {
            (0, "valor"): 1234.5,
            (2, "valor"): None,
            (1, "data"): date(2025, 2, 3),
            (1, "ativo"): False,
            (0, "cep"): "01001-000",
            (1, "extra"): '{"a":[1,2]}',
        },
        "header_line": 1,
    },
    "json_not_a_list.json": {
        "reject": "O JSON deve ser uma lista de objetos ([{…}, {…}]).",
        "line": 1,
    },
    "json_truncated.json": {"reject": "JSON inválido (Expecting value).", "line": 3},
    "json_not_objects.json": {
        "reject": "cada item da lista JSON deve ser um objeto ({…}).",
        "line": 1,
    },
    # Names are passed to DuckDB as quoted literals; case-only duplicates are renamed too.
    "odd_column_names.csv": {
        "delimiter": ";",
        "rows": 1,
        "types": {
            "Valor d'água": "integer",
            'diz "oi"': "integer",
            "SELECT": "integer",
            "nome_2": "string",
        },
        "values": {(0, "Nome"): "Ana", (0, "nome_2"): "Bia", (0, "SELECT"): 3},
        "errors": [
            "Linha 1: O nome de coluna “nome” está repetido; a repetição foi chamada “nome_2”."
        ],
    },
    # Spreadsheets (ODS) ----------------------------------------------------------
    "despesas.ods": {
        "encoding": None,
        "delimiter": None,
        "header_line": 4,
        "rows": 3,
        "types": {
            "Credor": "string",
            "Valor": "number",
            "Data": "date",
            "Código": "string",
            "Pago": "boolean",
        },
        "values": {
            (0, "Valor"): 1234.5,
            (1, "Valor"): 10.0,
            (0, "Data"): date(2025, 2, 10),
            (0, "Código"): "00123",
            (2, "Código"): "01000",
            (1, "Pago"): False,
        },
    },
    "abas.ods": {
        "sheet": "Receitas",
        "encoding": None,
        "delimiter": None,
        "rows": 3,
        "types": {"Credor": "string", "Valor": "number", "Data": "date", "Pago": "boolean"},
        "values": {(2, "Credor"): "Gráfica Sul", (2, "Valor"): 99.99},
    },
    "formulas.ods": {
        "encoding": None,
        "delimiter": None,
        "rows": 3,
        "types": {
            "quantidade": "integer",
            "preco": "number",
            "total": "number",
            "rotulo": "string",
        },
        "values": {(0, "total"): 4.5, (1, "rotulo"): "PAPEL", (2, "total"): 7.0},
        # Its last row is a totals row (“total”, and =SUM of the rows above).
        "errors": [
            "Linha 4: a linha “total” parece ser de totais, no meio dos dados: quem somar as "
            "colunas contará esses valores duas vezes. Retire a linha do arquivo e envie de novo."
        ],
    },
    "empty_sheet.ods": {"reject": "A aba “Vazia” da planilha está vazia.", "line": None},
    "damaged.ods": {
        "reject": "A planilha não pôde ser aberta: o arquivo ODS está danificado.",
        "line": None,
    },
    # LGPD screening --------------------------------------------------------------
    "pd_cpf_valid.csv": {
        "delimiter": ";",
        "rows": 40,
        "types": {"documento": "string", "valor": "number"},
        "personal": [("documento", "cpf", 40)],
    },
    # Same shape, wrong check digits: not CPFs, not personal data.
    "pd_cpf_invalid.csv": {"delimiter": ";", "rows": 40, "types": {"documento": "string"}},
    "pd_cnpj_only.csv": {"delimiter": ";", "rows": 20, "types": {"cnpj": "string"}},
    "pd_contacts.csv": {
        "delimiter": ";",
        "rows": 20,
        "types": {"protocolo": "string", "email": "string", "telefone": "string"},
        "personal": [("email", "email", 20), ("telefone", "phone", 20)],
    },
    "pd_names_addresses.csv": {
        "encoding": "iso-8859-1",
        "delimiter": ";",
        "rows": 20,
        "values": {(1, "nome_requerente"): "José de Souza"},
        "personal": [("nome_requerente", "name", 20), ("endereco", "address", 20)],
    },
    # Addresses of public places, no people: nothing to screen.
    "pd_public_addresses.csv": {
        "delimiter": ";",
        "rows": 10,
        "types": {"endereco": "string", "telefone_unidade": "string"},
    },
    "pd_birth_dates.csv": {
        "delimiter": ";",
        "rows": 15,
        "types": {"data_nascimento": "date"},
        "personal": [("aluno", "name", 15), ("data_nascimento", "birth_date", 15)],
    },
    # Hostile dimensions (issue 8): refused before calamine allocates the rectangle.
    "hostile_dimensions.xlsx": {
        "reject": HOSTILE_DIMENSIONS,
        "line": None,
    },
    "hostile_repeated.ods": {
        "reject": HOSTILE_DIMENSIONS,
        "line": None,
    },
    # Totals rows: labelled (first filled cell), or an unlabelled last row of sums.
    "totals_label.csv": {
        "encoding": "iso-8859-1",
        "delimiter": ";",
        "rows": 5,
        "types": {"secretaria": "string", "valor": "number", "data": "date"},
        "values": {(2, "valor"): 150.0, (4, "secretaria"): None},
        "errors": [
            "Linha 4: a linha “TOTAL” parece ser de totais, no meio dos dados: quem somar as "
            "colunas contará esses valores duas vezes. Retire a linha do arquivo e envie de novo.",
            "Linha 6: a linha “Total geral:” parece ser de totais, no meio dos dados: quem somar "
            "as colunas contará esses valores duas vezes. Retire a linha do arquivo e envie de "
            "novo.",
            "Linha 6, coluna “valor”: “Total geral:” não é um número.",
            "Linha 6, coluna “data”: “160,00” não é uma data no formato dd/mm/aaaa.",
        ],
    },
    "totals_sum.csv": {
        "delimiter": ";",
        "rows": 5,
        "types": {"item": "string", "quantidade": "integer", "valor": "number"},
        "values": {(4, "valor"): 36.75},
        "errors": [
            "Linha 6: a última linha parece ser de totais: seus valores em “quantidade”, "
            "“valor” são a soma das linhas acima. Quem somar as colunas contará tudo duas vezes; "
            "retire a linha do arquivo e envie de novo."
        ],
    },
    # Impossible dates: the column stays a date, each cell is an error naming why.
    "impossible_dates.csv": {
        "delimiter": ";",
        "rows": 23,
        "types": {"data": "date"},
        "formats": {"data": "%d/%m/%Y"},
        "values": {(0, "data"): date(2026, 1, 1), (20, "data"): None},
        "errors": [
            "Linha 22, coluna “data”: “31/02/2026” não é uma data que existe "
            "(fevereiro de 2026 não tem dia 31).",
            "Linha 23, coluna “data”: “29/02/2025” não é uma data que existe "
            "(fevereiro de 2025 não tem dia 29).",
            "Linha 24, coluna “data”: “15/13/2026” não é uma data que existe (não há mês 13).",
        ],
    },
    # Two date formats: the usual one wins, the other's cells are errors saying so...
    "mixed_dates.csv": {
        "delimiter": ";",
        "rows": 21,
        "types": {"data": "date"},
        "formats": {"data": "%d/%m/%Y"},
        "values": {(20, "data"): None},
        "errors": [
            "Linha 22, coluna “data”: “2026-03-21” está no formato aaaa-mm-dd, mas a coluna usa "
            "dd/mm/aaaa: a coluna mistura dois formatos de data."
        ],
    },
    # ...and when neither wins, the column is text and says why.
    "mixed_dates_half.csv": {
        "delimiter": ";",
        "rows": 10,
        "types": {"data": "string"},
        "values": {(5, "data"): "2026-04-01"},
        "warnings": [
            "Linha 7, coluna “data”: a coluna ficou como texto porque mistura datas em dois "
            "formatos: dd/mm/aaaa e aaaa-mm-dd (“2026-04-01”, na linha 7)."
        ],
    },
    # Blank rows (delimiters only, spaces, nothing at all) are dropped and reported.
    "blank_rows.csv": {
        "delimiter": ";",
        "rows": 3,
        "types": {"nome": "string", "valor": "integer"},
        "values": {(2, "nome"): "c"},
        "warnings": [
            "Linha 3: linha em branco; foi ignorada.",
            "Linha 5: linha em branco; foi ignorada.",
            "Linha 6: linha em branco; foi ignorada.",
        ],
    },
    "text_reason.csv": {
        "delimiter": ";",
        "rows": 10,
        "types": {"valor": "string"},
        "values": {(0, "valor"): "1,50"},
        "warnings": [
            "Linha 9, coluna “valor”: a coluna ficou como texto porque a linha 9 tem "
            "“sem valor”, que não é um número (2 de 10 valores das primeiras linhas não servem "
            "como número)."
        ],
    },
    # NaN is read as missing (a warning); infinities and numbers beyond a double are errors.
    "nan_infinity.csv": {
        "delimiter": ";",
        "rows": 8,
        "types": {"valor": "number"},
        "values": {(0, "valor"): 1.5, (1, "valor"): None, (2, "valor"): None, (6, "valor"): 3.0},
        "errors": [
            "Linha 4, coluna “valor”: “Infinity” é um valor infinito, que não é um número; "
            "a célula ficou vazia.",
            "Linha 5, coluna “valor”: “-Infinito” é um valor infinito, que não é um número; "
            "a célula ficou vazia.",
            "Linha 9, coluna “valor”: “" + "9" * 57 + "…” é grande demais para ser guardado "
            "como número; a célula ficou vazia.",
        ],
        "warnings": [
            "Linha 3, coluna “valor”: “NaN” (não é um número) foi importado como valor ausente.",
            "Linha 7, coluna “valor”: “nan” (não é um número) foi importado como valor ausente.",
        ],
    },
}

# Screening evasions (issue 8): each finding exact, by column and kind; hard negatives none.
EVASIONS: dict[str, dict] = {
    "ev_cpf_free_text.csv": {
        "delimiter": ";",
        "rows": 8,
        "types": {"historico": "string"},
        "personal": [("historico", "cpf", 1)],
    },
    "ev_cpf_nested.json": {
        "delimiter": None,
        "encoding": None,
        "rows": 4,
        "types": {"id": "integer", "pagamento": "string"},
        "personal": [("pagamento", "cpf", 1)],
    },
    "ev_cpf_spaces.csv": {
        "delimiter": ";",
        "rows": 4,
        "types": {"documento": "string"},
        "personal": [("documento", "cpf", 2)],
    },
    "ev_cpf_rare.csv": {
        "delimiter": ";",
        "rows": 1000,
        "types": {"processo": "string", "interessado_doc": "string"},
        "personal": [("interessado_doc", "cpf", 1)],
    },
    "ev_cpf_zero_padded.csv": {
        "delimiter": ";",
        "rows": 4,
        "types": {"documento": "integer"},
        "values": {(0, "documento"): 1234567890},
        "personal": [("documento", "cpf", 2)],
    },
    "ev_cpf_split.csv": {
        "delimiter": ";",
        "rows": 3,
        "types": {"cpf_base": "string", "cpf_dv": "string"},
        "personal": [("cpf_base", "cpf", 3)],
    },
    "ev_nis.csv": {
        "delimiter": ";",
        "rows": 3,
        "types": {"nis": "string"},
        "personal": [("nis", "nis", 2)],
    },
    "ev_cns.csv": {
        "delimiter": ";",
        "rows": 3,
        "types": {"cartao_sus": "integer", "observacao": "string"},
        "personal": [("cartao_sus", "cns", 2), ("observacao", "cns", 1)],
    },
    "ev_rg.csv": {
        "delimiter": ";",
        "rows": 4,
        "types": {"rg": "string"},
        "personal": [("rg", "rg", 3), ("observacao", "rg", 1)],
    },
    "ev_favorecido.csv": {
        "delimiter": ";",
        "rows": 4,
        "personal": [("favorecido", "name", 2), ("favorecido", "mei", 1)],
    },
    "ev_negatives.csv": {
        "delimiter": ";",
        "rows": 60,
        "types": {"codigo": "string", "data": "date", "valor": "number"},
    },
}
EXPECTED.update(EVASIONS)
