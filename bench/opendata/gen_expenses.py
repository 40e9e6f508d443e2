"""Generate a municipal-expenses CSV as Brazilian towns export it (deterministic).

Windows-1252, ``;`` delimiter, CRLF, decimal commas with thousands dots
(``12.345,67``), ``dd/mm/aaaa`` dates, CNPJs with masks and check digits, free
text with ``“ ” –``, doubled ASCII quotes and ``;`` inside quoted fields.
About 260 bytes per row: 1,000,000 rows ≈ 260 MB. No personal data (companies
only, CNPJs are not personal data), so a correct pipeline publishes it.

Usage::

    python bench/opendata/gen_expenses.py OUT.csv --rows 1000000
    python bench/opendata/gen_expenses.py OUT.csv --bytes 1073741824   # 1 GiB

Prints one JSON line: ``{"path", "rows", "bytes", "seconds"}``.
"""

from __future__ import annotations

import argparse
import csv
import io
import json
import random
import time
from pathlib import Path

HEADER = [
    "exercicio",
    "data_empenho",
    "numero_empenho",
    "secretaria",
    "unidade_orcamentaria",
    "funcao",
    "elemento_despesa",
    "modalidade",
    "credor",
    "cnpj_credor",
    "historico",
    "fonte_recurso",
    "valor_empenhado",
    "valor_liquidado",
    "valor_pago",
]

# (name, budget unit, function, weight): health and education get most of the rows.
SECRETARIAS = [
    ("Secretaria de Saúde", "02.05.01", "10 – Saúde", 22),
    ("Secretaria de Educação", "02.06.01", "12 – Educação", 20),
    ("Secretaria de Obras e Serviços Urbanos", "02.08.01", "15 – Urbanismo", 12),
    ("Secretaria de Administração e Finanças", "02.02.01", "04 – Administração", 9),
    ("Secretaria de Assistência Social", "02.07.01", "08 – Assistência Social", 8),
    ("Secretaria de Agricultura e Meio Ambiente", "02.09.01", "20 – Agricultura", 6),
    ("Secretaria de Cultura, Esporte e Lazer", "02.10.01", "13 – Cultura", 5),
    ("Secretaria de Transportes", "02.11.01", "26 – Transporte", 5),
    ("Gabinete do Prefeito", "02.01.01", "04 – Administração", 4),
    ("Procuradoria-Geral do Município", "02.03.01", "03 – Essencial à Justiça", 3),
    ("Secretaria de Planejamento", "02.04.01", "04 – Administração", 3),
    ("Fundo Municipal de Saúde", "02.05.02", "10 – Saúde", 3),
]
ELEMENTOS = [
    "3.3.90.30 – Material de Consumo",
    "3.3.90.39 – Serv. Terceiros – PJ",
    "3.3.90.36 – Serv. Terceiros – PF",
    "3.3.90.40 – Serviços de TIC – PJ",
    "4.4.90.51 – Obras e Instalações",
    "4.4.90.52 – Equip. e Mat. Permanente",
    "3.3.90.33 – Passagens e Locomoção",
    "3.3.90.93 – Indenizações",
]
MODALIDADES = [
    "Pregão Eletrônico",
    "Dispensa de Licitação",
    "Inexigibilidade",
    "Concorrência",
    "Não se aplica",
]
FONTES = ["1500", "1501", "1540", "1550", "1600", "1621", "1700", "1701"]
FIRST = [
    "Comercial",
    "Distribuidora",
    "Auto Posto",
    "Construtora",
    "Papelaria",
    "Farmácia",
    "Transportes",
    "Informática",
    "Madeireira",
    "Panificadora",
    "Laboratório",
    "Gráfica",
]
MIDDLE = [
    "São José",
    "Boa Esperança",
    "Vale do Itajaí",
    "Santa Rita",
    "Irmãos Schmitt",
    "Três Pinheiros",
    "Nova Aliança",
    "Bom Jesus",
    "Ouro Verde",
    "Rio Branco",
    "Serra Azul",
    "Horizonte",
]
LAST = ["Ltda", "Ltda ME", "EIRELI", "S.A.", "ME", "EPP"]
OBJECTS = [
    "material de consumo",
    "gêneros para a merenda escolar",
    "medicamentos básicos",
    "combustível para a frota",
    "manutenção de veículos",
    "serviços de limpeza urbana",
    "pavimentação de vias",
    "material de expediente",
    "equipamentos de informática",
    "locação de máquinas",
]
PLACES = [
    "UBS “Vila Nova”",
    "EMEF “Anita Garibaldi”",
    "CRAS Centro",
    'Posto "Santa Clara"',
    "Garagem Municipal",
    "Paço Municipal",
    "Escola “Pe. Anchieta”",
    "Hospital Municipal",
]
VERBS = ["Aquisição de", "Contratação de", "Pagamento de", "Reforço –"]


def cnpj(rng: random.Random) -> str:
    """A CNPJ with valid check digits (sometimes with a leading zero), masked."""
    base = [rng.randint(0, 9) for _ in range(8)] + [0, 0, 0, 1]
    for weights in ([5, 4, 3, 2, 9, 8, 7, 6, 5, 4, 3, 2], [6, 5, 4, 3, 2, 9, 8, 7, 6, 5, 4, 3, 2]):
        rest = sum(d * w for d, w in zip(base, weights, strict=True)) % 11
        base.append(0 if rest < 2 else 11 - rest)
    d = "".join(map(str, base))
    return f"{d[:2]}.{d[2:5]}.{d[5:8]}/{d[8:12]}-{d[12:]}"


def brl(value: float) -> str:
    """12345.678 → ``12.345,68`` (Brazilian format)."""
    text = f"{value:,.2f}"
    return text.replace(",", "_").replace(".", ",").replace("_", ".")


def creditors(rng: random.Random, count: int = 4000) -> list[tuple[str, str]]:
    result = []
    for i in range(count):
        middle = rng.choice(MIDDLE)
        if i % 7 == 0:
            middle = f"“{middle}”"
        elif i % 11 == 0:
            middle = f'"{middle}"'
        name = f"{rng.choice(FIRST)} {middle} {rng.choice(LAST)}"
        if i % 97 == 0:
            name = f"Silva; Souza & Cia {rng.choice(LAST)}"
        result.append((name, cnpj(rng)))
    return result


def rows(rng: random.Random) -> object:
    """An endless stream of rows (lists of 15 strings)."""
    people = creditors(rng)
    names = [s[0] for s in SECRETARIAS]
    weights = [s[3] for s in SECRETARIAS]
    by_name = {s[0]: s for s in SECRETARIAS}
    number = 0
    while True:
        number += 1
        year = 2023 + (number % 3)
        secretaria = rng.choices(names, weights)[0]
        _, unit, function, _ = by_name[secretaria]
        name, doc = people[int(rng.paretovariate(1.2)) % len(people)]
        committed = round(rng.lognormvariate(7.5, 1.6), 2)
        liquidated = committed if rng.random() < 0.8 else round(committed * rng.random(), 2)
        paid = liquidated if rng.random() < 0.85 else round(liquidated * rng.random(), 2)
        if rng.random() < 0.01:  # annulment
            committed, liquidated, paid = -committed, -liquidated, -paid
        history = f"{rng.choice(VERBS)} {rng.choice(OBJECTS)}"
        if rng.random() < 0.5:
            history += f" – {rng.choice(PLACES)}"
        if rng.random() < 0.3:
            history += f"; proc. nº {rng.randint(1, 999)}/{year}"
        yield [
            str(year),
            f"{rng.randint(1, 28):02d}/{rng.randint(1, 12):02d}/{year}",
            f"{year}NE{number:07d}",
            secretaria,
            unit,
            function,
            rng.choice(ELEMENTOS),
            rng.choice(MODALIDADES),
            name,
            doc,
            history,
            rng.choice(FONTES),
            brl(committed),
            brl(liquidated),
            brl(paid),
        ]


def generate(path: Path, *, rows_wanted: int = 0, bytes_wanted: int = 0, seed: int = 14129) -> dict:
    """Write the file; stop after ``rows_wanted`` rows or once ``bytes_wanted`` is reached."""
    rng = random.Random(seed)
    started = time.monotonic()
    stream = rows(rng)
    written = count = 0
    with path.open("w", encoding="cp1252", newline="") as out:
        buffer = io.StringIO()
        writer = csv.writer(buffer, delimiter=";", lineterminator="\r\n")
        writer.writerow(HEADER)
        while True:
            for _ in range(10_000):
                writer.writerow(next(stream))  # type: ignore[call-overload]
                count += 1
                if rows_wanted and count >= rows_wanted:
                    break
            text = buffer.getvalue()
            out.write(text)
            written += len(text)  # Windows-1252: one byte per character
            buffer.seek(0)
            buffer.truncate()
            if (rows_wanted and count >= rows_wanted) or (bytes_wanted and written >= bytes_wanted):
                break
    return {
        "path": str(path),
        "rows": count,
        "bytes": path.stat().st_size,
        "seconds": round(time.monotonic() - started, 1),
    }


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("output", type=Path)
    parser.add_argument("--rows", type=int, default=0)
    parser.add_argument("--bytes", type=int, default=0, help="tamanho mínimo em bytes")
    parser.add_argument("--seed", type=int, default=14129)
    args = parser.parse_args()
    if not args.rows and not args.bytes:
        args.rows = 1_000_000
    info = generate(args.output, rows_wanted=args.rows, bytes_wanted=args.bytes, seed=args.seed)
    print(json.dumps(info))


if __name__ == "__main__":
    main()
