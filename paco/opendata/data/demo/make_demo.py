"""Generate the demo open-data files of Santa Rita do Paço/SC (fictional), deterministically.

Run ``python paco/opendata/data/demo/make_demo.py`` to rewrite the files next to
this script; the outputs are committed, and a test checks they are reproducible.
They look like what small Brazilian towns export from their ERP systems:

- ``despesas-2025.csv``: expenses, Windows-1252, ``;``, decimal commas, dd/mm/aaaa
  dates, ``R$`` values, suppliers' CNPJ (companies only, never a CPF);
- ``obras-publicas.csv``: public works with status, values and dates;
- ``unidades-de-saude.csv`` + ``unidades-de-saude.geojson``: health units with
  coordinates (latitude/longitude columns, and the same points as GeoJSON);
- ``frota-veiculos.csv``: the vehicle fleet (plates, year, fuel).
"""

from __future__ import annotations

import datetime
import json
import random
from pathlib import Path
from typing import Any

HERE = Path(__file__).resolve().parent
SEED = 14129  # Lei nº 14.129/2021

UNITS = [
    ("02.01", "Gabinete do Prefeito"),
    ("03.01", "Secretaria de Administração e Finanças"),
    ("04.01", "Secretaria de Obras e Serviços Urbanos"),
    ("05.01", "Secretaria de Educação, Cultura e Esporte"),
    ("06.01", "Fundo Municipal de Saúde"),
    ("07.01", "Secretaria de Assistência Social"),
    ("08.01", "Secretaria de Meio Ambiente"),
]

# (element code, description, typical value range, suppliers' kind)
ELEMENTS = [
    ("3.3.90.30", "Material de consumo", (80, 9000), "comercio"),
    ("3.3.90.39", "Outros serviços de terceiros - pessoa jurídica", (300, 40000), "servicos"),
    ("3.3.90.33", "Passagens e despesas com locomoção", (150, 3000), "transporte"),
    ("3.3.90.40", "Serviços de tecnologia da informação", (900, 18000), "ti"),
    ("4.4.90.51", "Obras e instalações", (15000, 380000), "obras"),
    ("4.4.90.52", "Equipamentos e material permanente", (1200, 95000), "comercio"),
    ("3.3.90.32", "Material de distribuição gratuita", (200, 12000), "comercio"),
]

SUPPLIERS = {
    "comercio": [
        "Papelaria Central do Oeste Ltda",
        "Comercial Agropecuária Vale do Rio do Peixe Ltda",
        "Distribuidora de Medicamentos Serra Catarinense Ltda",
        "Mercado e Atacado Paço Ltda",
        "Auto Peças São Cristóvão Ltda",
        "Móveis e Equipamentos Escolares Sul Ltda",
    ],
    "servicos": [
        "Limpeza e Conservação Planalto Ltda",
        "Laboratório de Análises Clínicas Santa Rita Ltda",
        "Gráfica e Editora Contestado Ltda",
        "Manutenção Elétrica Irmãos Zanella Ltda",
    ],
    "transporte": ["Auto Posto Trevo Ltda", "Transportes Coletivos Oeste SC Ltda"],
    "ti": ["Sistemas Públicos Integrados S.A.", "Provedor de Internet Meio-Oeste Ltda"],
    "obras": [
        "Construtora Vale Verde S.A.",
        "Pavimentadora Catarinense Ltda",
        "Engenharia e Saneamento Rio Bonito Ltda",
    ],
}

HISTORIES = {
    "3.3.90.30": [
        "Aquisição de material de expediente para as escolas",
        'Compra de gêneros alimentícios para a merenda ("Programa PNAE")',
        "Aquisição de combustível para a frota; conforme ata 12/2025",
        "Material de limpeza para as unidades de saúde",
    ],
    "3.3.90.39": [
        "Serviço de limpeza das unidades de saúde — contrato 045/2024",
        "Exames laboratoriais; atendimento à rede básica",
        "Impressão de carnês do IPTU 2025",
        "Manutenção da iluminação pública",
    ],
    "3.3.90.33": ["Transporte de pacientes para tratamento fora do domicílio"],
    "3.3.90.40": ["Licença de uso do sistema de gestão", "Link de internet das escolas"],
    "4.4.90.51": [
        "Pavimentação da Rua dos Ferroviários — medição",
        "Ampliação da Escola Municipal Pedro Álvares Cabral — medição",
        "Construção da Unidade Básica de Saúde do Bairro Esperança — medição",
    ],
    "4.4.90.52": ["Aquisição de computadores para a Secretaria de Educação", "Compra de cadeiras"],
    "3.3.90.32": ["Kits de material escolar para os alunos da rede municipal"],
}


def cnpj_check_digits(base12: str) -> str:
    def digit(numbers: str, weights: list[int]) -> str:
        total = sum(int(n) * w for n, w in zip(numbers, weights, strict=True))
        rest = total % 11
        return "0" if rest < 2 else str(11 - rest)

    first = digit(base12, [5, 4, 3, 2, 9, 8, 7, 6, 5, 4, 3, 2])
    second = digit(base12 + first, [6, 5, 4, 3, 2, 9, 8, 7, 6, 5, 4, 3, 2])
    return first + second


def make_cnpj(rng: random.Random) -> str:
    base = f"{rng.randrange(10**7, 10**8):08d}0001"
    d = base + cnpj_check_digits(base)
    return f"{d[:2]}.{d[2:5]}.{d[5:8]}/{d[8:12]}-{d[12:]}"


def brl(value: float) -> str:
    """1234.5 → ``R$ 1.234,50`` (Brazilian grouping and decimal comma)."""
    text = f"{value:,.2f}".replace(",", "X").replace(".", ",").replace("X", ".")
    return f"R$ {text}"


def dmy(day: datetime.date) -> str:
    return day.strftime("%d/%m/%Y")


def quoted(text: str) -> str:
    return '"' + text.replace('"', '""') + '"'


def expenses(rng: random.Random) -> str:
    cnpjs = {name: make_cnpj(rng) for kind in SUPPLIERS.values() for name in kind}
    lines = [
        "Data do empenho;Número do empenho;Unidade orçamentária;Elemento de despesa;"
        "Descrição do elemento;Fornecedor;CNPJ do fornecedor;Histórico;Valor empenhado;"
        "Valor pago"
    ]
    start = datetime.date(2025, 1, 2)
    for number in range(1, 1101):
        day = start + datetime.timedelta(days=rng.randrange(0, 364))
        code, element, (low, high), kind = rng.choice(ELEMENTS)
        unit = rng.choice(UNITS)
        supplier = rng.choice(SUPPLIERS[kind])
        value = round(rng.uniform(low, high), 2)
        paid = value if rng.random() < 0.7 else round(value * rng.choice([0, 0.3, 0.5]), 2)
        history = rng.choice(HISTORIES[code])
        lines.append(
            ";".join(
                [
                    dmy(day),
                    f"{number}/2025",
                    quoted(f"{unit[0]} - {unit[1]}"),
                    code,
                    quoted(element),
                    quoted(supplier),
                    cnpjs[supplier],
                    quoted(history),
                    brl(value),
                    brl(paid),
                ]
            )
        )
    return "\r\n".join(lines) + "\r\n"


NEIGHBOURHOODS = [
    "Centro",
    "Vila Operária",
    "Esperança",
    "São Cristóvão",
    "Linha Bonita",
    "Vila Nova",
]

WORKS = [
    ("Pavimentação com lajotas da Rua dos Ferroviários", "Pavimentação"),
    ("Ampliação da Escola Municipal Pedro Álvares Cabral", "Educação"),
    ("Construção da Unidade Básica de Saúde do Bairro Esperança", "Saúde"),
    ("Reforma do Ginásio Municipal de Esportes", "Esporte"),
    ("Drenagem pluvial da Avenida Getúlio Vargas", "Saneamento"),
    ("Construção de ponte sobre o Rio do Peixe na Linha Bonita", "Infraestrutura"),
    ("Reforma da Praça da Matriz", "Urbanismo"),
    ("Construção do Centro de Referência de Assistência Social", "Assistência social"),
    ("Recuperação de estradas rurais da Linha São Pedro", "Infraestrutura"),
    ("Cobertura da quadra da Escola Municipal Santa Rita", "Educação"),
    ("Iluminação pública em LED no Centro", "Urbanismo"),
    ("Construção de creche no Bairro Vila Nova (Proinfância)", "Educação"),
    ("Rede de água da comunidade de Linha Bonita", "Saneamento"),
    ("Reforma do Posto de Saúde de Vila Operária", "Saúde"),
]


def works(rng: random.Random) -> str:
    lines = [
        "Número do contrato;Objeto;Área;Bairro;Empresa contratada;CNPJ da contratada;"
        "Valor contratado;Valor medido até agora;Percentual executado;Data de início;"
        "Previsão de término;Situação;Fonte de recursos"
    ]
    statuses = ["Em andamento", "Concluída", "Paralisada", "Em licitação", "Em andamento"]
    sources = ["Recursos próprios", "Convênio estadual", "Transferência especial", "FNDE"]
    for i, (title, area) in enumerate(WORKS, start=1):
        status = statuses[i % len(statuses)]
        value = round(rng.uniform(80_000, 2_400_000), 2)
        done = {"Concluída": 1.0, "Em licitação": 0.0}.get(status, round(rng.uniform(0.1, 0.9), 2))
        start = datetime.date(2024, 1, 15) + datetime.timedelta(days=rng.randrange(0, 600))
        end = start + datetime.timedelta(days=rng.choice([120, 180, 240, 365, 540]))
        company = rng.choice(SUPPLIERS["obras"])
        lines.append(
            ";".join(
                [
                    f"{i:03d}/{start.year}",
                    quoted(title),
                    area,
                    rng.choice(NEIGHBOURHOODS),
                    quoted(company) if status != "Em licitação" else "",
                    make_cnpj(rng) if status != "Em licitação" else "",
                    brl(value),
                    brl(round(value * done, 2)),
                    f"{done * 100:.0f}%".replace(".", ","),
                    dmy(start) if status != "Em licitação" else "",
                    dmy(end),
                    status,
                    rng.choice(sources),
                ]
            )
        )
    return "\r\n".join(lines) + "\r\n"


HEALTH_UNITS = [
    ("Unidade Básica de Saúde Centro", "Unidade Básica de Saúde", "Centro"),
    ("Unidade Básica de Saúde Vila Operária", "Unidade Básica de Saúde", "Vila Operária"),
    ("Unidade Básica de Saúde Esperança", "Unidade Básica de Saúde", "Esperança"),
    ("Posto de Saúde Linha Bonita", "Posto de Saúde", "Linha Bonita"),
    ("Centro de Atenção Psicossocial (CAPS I)", "Centro de Atenção Psicossocial", "Centro"),
    ("Farmácia Básica Municipal", "Farmácia", "Centro"),
    ("Centro de Especialidades Odontológicas", "Clínica especializada", "São Cristóvão"),
    ("Pronto Atendimento Municipal 24h", "Pronto atendimento", "Vila Nova"),
    ("Academia da Saúde Praça da Matriz", "Polo Academia da Saúde", "Centro"),
    ("Vigilância em Saúde", "Unidade de vigilância em saúde", "Centro"),
]

# a fictional town in the Meio-Oeste of Santa Catarina
LAT0, LON0 = -27.0921, -51.4663


def health_units(rng: random.Random) -> tuple[str, dict[str, Any]]:
    lines = [
        "nome_estabelecimento,tipo,cnes,bairro,telefone_unidade,horario,latitude,longitude,"
        "equipes_saude_familia"
    ]
    features: list[dict[str, Any]] = []
    for i, (name, kind, district) in enumerate(HEALTH_UNITS):
        lat = round(LAT0 + rng.uniform(-0.03, 0.03), 6)
        lon = round(LON0 + rng.uniform(-0.04, 0.04), 6)
        cnes = f"{rng.randrange(10**6, 10**7):07d}"
        phone = f"(49) 3555-{1100 + i * 7:04d}"
        hours = "24 horas" if "24h" in name else "Seg. a sex., 7h às 17h"
        teams = rng.randrange(1, 4) if kind == "Unidade Básica de Saúde" else 0
        lines.append(
            ",".join(
                [
                    quoted(name),
                    quoted(kind),
                    cnes,
                    quoted(district),
                    phone,
                    quoted(hours),
                    str(lat),
                    str(lon),
                    str(teams),
                ]
            )
        )
        features.append(
            {
                "type": "Feature",
                "geometry": {"type": "Point", "coordinates": [lon, lat]},
                "properties": {
                    "nome": name,
                    "tipo": kind,
                    "cnes": cnes,
                    "bairro": district,
                    "horario": hours,
                },
            }
        )
    geojson: dict[str, Any] = {"type": "FeatureCollection", "features": features}
    return "\n".join(lines) + "\n", geojson


VEHICLES = [
    ("Fiat", "Strada Working 1.4", "Flex", "Camionete"),
    ("Volkswagen", "Gol 1.0", "Flex", "Automóvel"),
    ("Chevrolet", "Onix 1.0", "Flex", "Automóvel"),
    ("Renault", "Master Ambulância", "Diesel", "Ambulância"),
    ("Mercedes-Benz", "Atego 1719 Caçamba", "Diesel", "Caminhão"),
    ("Volkswagen", "Volksbus 15.190 Escolar", "Diesel", "Ônibus escolar"),
    ("Marcopolo", "Volare V8L Escolar", "Diesel", "Micro-ônibus escolar"),
    ("Caterpillar", "Retroescavadeira 416F2", "Diesel", "Máquina pesada"),
    ("New Holland", "Motoniveladora RG140B", "Diesel", "Máquina pesada"),
    ("Toyota", "Hilux 2.8 4x4", "Diesel", "Camionete"),
    ("Honda", "CG 160 Cargo", "Gasolina", "Motocicleta"),
]
FLEET_UNITS = [
    "Secretaria de Saúde",
    "Secretaria de Educação, Cultura e Esporte",
    "Secretaria de Obras e Serviços Urbanos",
    "Gabinete do Prefeito",
    "Secretaria de Assistência Social",
]


def plate(rng: random.Random) -> str:
    """A Mercosul plate (ABC1D23) of the Santa Catarina range."""
    letters = "ABCDEFGHIJKLMNOPQRSTUVWXYZ"
    return (
        "Q"
        + rng.choice("HIJ")
        + rng.choice(letters)
        + str(rng.randrange(10))
        + rng.choice(letters)
        + f"{rng.randrange(100):02d}"
    )


def fleet(rng: random.Random) -> str:
    lines = [
        "placa;marca;modelo;tipo;ano_fabricacao;combustivel;unidade;situacao;hodometro_km;aquisicao"
    ]
    for _ in range(64):
        brand, model, fuel, kind = rng.choice(VEHICLES)
        year = rng.randrange(2008, 2026)
        unit = "Secretaria de Saúde" if kind == "Ambulância" else rng.choice(FLEET_UNITS)
        status = rng.choices(["Em uso", "Em manutenção", "Baixado (leilão)"], [85, 10, 5])[0]
        km = rng.randrange(2_000, 40_000) * (2026 - year) // 2 + rng.randrange(1000)
        lines.append(
            ";".join(
                [
                    plate(rng),
                    brand,
                    quoted(model),
                    kind,
                    str(year),
                    fuel,
                    quoted(unit),
                    status,
                    f"{km:,}".replace(",", "."),
                    rng.choice(["Compra", "Convênio estadual", "Doação", "Emenda parlamentar"]),
                ]
            )
        )
    return "\n".join(lines) + "\n"


def build() -> dict[str, bytes]:
    rng = random.Random(SEED)  # noqa: S311 - sample data, not secrets
    health_csv, health_geo = health_units(rng)
    return {
        "despesas-2025.csv": expenses(rng).encode("cp1252"),
        "obras-publicas.csv": works(rng).encode("cp1252"),
        "unidades-de-saude.csv": health_csv.encode("utf-8"),
        "unidades-de-saude.geojson": (
            json.dumps(health_geo, ensure_ascii=False, indent=1) + "\n"
        ).encode("utf-8"),
        "frota-veiculos.csv": fleet(rng).encode("utf-8"),
    }


def main() -> None:
    for name, content in build().items():
        (HERE / name).write_bytes(content)
        print(f"{name}: {len(content):,} bytes")


if __name__ == "__main__":
    main()
