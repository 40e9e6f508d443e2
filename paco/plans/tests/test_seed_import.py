"""The municipality's published schedule imports to exactly its 18 stages."""

from __future__ import annotations

import datetime
import hashlib

import pytest

from paco.audit.models import AuditEntry
from paco.cli import call
from paco.plans.importer import parse_file
from paco.plans.models import Plan, Stage
from paco.plans.tests.conftest import SEED

D = datetime.date
DONE, OPEN, SUSP = "concluida", "em_andamento", "suspensa"
ETAPA = "Etapa concluída"
SEM = "Primeiro Semestre de 2025"
OBS9 = (
    "Iniciada a implementação da plataforma digital SEI do TRF da 4ª Região, todavia, no "
    "momento do download do SEI, constatou-se que o Município não possui infraestrutura de "
    "armazenamento de sistemas ou dados, bem como que necessitaria de uma equipe "
    "especializada para o download e instalação do sistema."
)

EXPECTED = [
    (1, "Regulamentação da Lei Federal nº 14.129/2021", "90 dias", D(2023, 4, 3), DONE, ETAPA),
    (
        2,
        "Edição e publicação de Portaria para designação de comissão especial de "
        "implementação de políticas públicas de governança digital",
        "30 dias",
        D(2023, 5, 4),
        DONE,
        ETAPA,
    ),
    (3, "Pesquisa de plataforma (s) digital", "30 dias", D(2023, 6, 6), DONE, ETAPA),
    (4, "Escolha da plataforma digital", "30 dias", D(2023, 7, 7), DONE, ETAPA),
    (5, "Pesquisa de viabilidade da plataforma digital", "60 dias", D(2023, 9, 8), DONE, ETAPA),
    (
        6,
        "Estudos dos serviços que podem ser disponibilizados em formato digital, que "
        "atualmente são realizados de forma presencial",
        "60 dias",
        D(2023, 11, 10),
        DONE,
        ETAPA,
    ),
    (
        7,
        "Estudo preliminar no tocante à regulamentação da divulgação de dados abertos",
        "60 dias",
        D(2024, 1, 12),
        DONE,
        ETAPA,
    ),
    (
        8,
        "Solicitação da formalização da cessão do direito de uso da plataforma digital escolhida",
        "30 dias",
        D(2024, 2, 14),
        DONE,
        ETAPA,
    ),
    (9, "Implementação da plataforma digital", "90 dias", D(2024, 5, 15), SUSP, OBS9),
    (
        10,
        "Edição de ato normativo próprio para disciplinar a forma de comunicação interna "
        "dos órgãos e servidores em meio digital",
        "30 dias",
        D(2024, 6, 17),
        DONE,
        ETAPA,
    ),
    (
        11,
        "Implementação de nova plataforma digital, o “Conecta Betha”",
        "20 dias",
        D(2024, 10, 1),
        DONE,
        ETAPA,
    ),
    (
        12,
        "Edição de ato normativo próprio à promoção da disponibilização dos dados em "
        "formato aberto",
        "60 dias",
        D(2024, 11, 21),
        DONE,
        "Concluído",
    ),
    (
        13,
        "Criação e adequação de plataforma de acesso universal aos serviços "
        "disponibilizados de forma digital",
        "45 dias",
        D(2024, 11, 18),
        DONE,
        "Concluído",
    ),
    (
        14,
        "Disponibilizar link para acesso direto à Base Nacional de Serviços Públicos",
        "30 dias",
        D(2024, 12, 20),
        DONE,
        "Concluído",
    ),
    (
        15,
        "Disponibilização dos dados em formato aberto junto ao Portal Brasileiro de Dados Abertos",
        "Primeiro semestre de 2025",
        D(2025, 6, 30),
        OPEN,
        "Em Construção",
    ),
    (
        16,
        "Disponibilização de link do Portal Brasileiro de Dados Abertos no site da Prefeitura",
        SEM,
        D(2025, 6, 30),
        DONE,
        "Concluído",
    ),
    (
        17,
        "Divulgação dos serviços públicos em meio digital no site da Prefeitura e nas "
        "redes sociais oficiais",
        SEM,
        D(2025, 6, 30),
        DONE,
        "Concluído",
    ),
    (
        18,
        "Divulgação dos dados em formato aberto no site da Prefeitura e nas redes sociais oficiais",
        SEM,
        D(2025, 6, 30),
        OPEN,
        "Em Construção",
    ),
]


def test_seed_copy_is_byte_for_byte():
    assert (
        hashlib.sha256(SEED.read_bytes()).hexdigest()
        == "fb7748cfd03c3ea28e643e83f4c4339446bfb8202578f2fb694cb6b28eb8a992"
    )


def test_parser_reads_all_18_stages_field_by_field(seed_bytes):
    parsed = parse_file(seed_bytes, "seed_cronograma.txt")
    assert parsed.errors == []
    assert parsed.warnings == []
    assert parsed.updated_on == D(2026, 5, 29)
    assert parsed.note == (
        "O cronograma e os prazos iniciais de cada etapa estão sujeitos a alterações."
    )
    got = [
        (s.number, s.description, s.duration, s.deadline, s.status, s.observation)
        for s in parsed.stages
    ]
    assert len(got) == 18
    for expected, actual in zip(EXPECTED, got, strict=True):
        assert actual == expected
    assert all(s.start is None for s in parsed.stages)


def test_import_command_stores_the_plan(town_x, unit_x_a, tmp_path):
    call("import-plan", str(SEED), "--municipality", town_x.slug, "--unit", "SA")
    plan = Plan.objects.for_municipality(town_x).get()
    assert plan.title == "Implementação da Lei nº 14.129/2021"
    assert plan.updated_on == D(2026, 5, 29)
    assert plan.description.startswith("O cronograma e os prazos iniciais")
    stages = list(Stage.objects.for_municipality(town_x).order_by("number"))
    stored = [
        (s.number, s.description, s.duration, s.deadline, s.status, s.observation) for s in stages
    ]
    assert stored == EXPECTED
    assert {s.unit_id for s in stages} == {unit_x_a.pk}
    actions = list(AuditEntry.objects.filter(municipality=town_x).values_list("action", flat=True))
    assert actions.count("plan.import") == 1
    assert actions.count("stage.create") == 18


def test_hyphenated_command_name_and_replace(town_x):
    call("import-plan", str(SEED), "--municipality", town_x.slug, "--title", "Plano A")
    with pytest.raises(Exception, match="Já existe um cronograma"):
        call("import-plan", str(SEED), "--municipality", town_x.slug, "--title", "Plano A")
    call("import-plan", str(SEED), "--municipality", town_x.slug, "--title", "Plano A", "--replace")
    plan = Plan.objects.for_municipality(town_x).get()
    assert plan.title == "Plano A"
    assert Stage.objects.for_municipality(town_x).count() == 18
