"""The demo municipality that ``paco demo`` (and ``make run`` on an empty database) loads.

Santa Rita do Paço/SC is fictional. Its schedule is the real one published by a
small municipality (``paco/plans/data/seed_cronograma.txt``), and its charter is
written in the voice of a small town hall.
"""

from __future__ import annotations

import secrets
from dataclasses import dataclass

from django.conf import settings
from django.db import transaction
from django.utils.module_loading import import_string

from paco.accounts.actions import create_staff_user, grant_role
from paco.accounts.models import Role, User
from paco.tenancy.actions import create_municipality, save_unit
from paco.tenancy.models import Municipality, Unit

# Each app that has demo content adds its loader here: ``load(town, units)``.
DEMO_LOADERS = [
    "paco.plans.demo.load",
    "paco.catalog.demo.load",
    "paco.requestforms.demo.load",
    "paco.opendata.demo.load",
    "paco.datarequests.demo.load",
    "paco.panel.demo.load",
    "paco.opendata.selfpublish.demo_load",
    "paco.workspace.demo.load",
]

UNITS = [
    # (acronym, name, parent acronym, address, hours)
    (
        "GAB",
        "Gabinete do Prefeito",
        None,
        "Praça da Matriz, 100 — Centro",
        "Seg. a sex., 8h às 17h",
    ),
    (
        "SEAD",
        "Secretaria de Administração e Finanças",
        "GAB",
        "Praça da Matriz, 100 — Centro",
        "Seg. a sex., 8h às 17h",
    ),
    (
        "DTRIB",
        "Departamento de Tributação",
        "SEAD",
        "Praça da Matriz, 100 — térreo",
        "Seg. a sex., 8h às 16h",
    ),
    (
        "SEOB",
        "Secretaria de Obras e Serviços Urbanos",
        "GAB",
        "Rua dos Ferroviários, 455 — Vila Operária",
        "Seg. a sex., 7h30 às 16h30",
    ),
    (
        "SEMA",
        "Secretaria de Meio Ambiente",
        "GAB",
        "Rua dos Ferroviários, 455 — Vila Operária",
        "Seg. a sex., 8h às 17h",
    ),
    (
        "SEDUC",
        "Secretaria de Educação, Cultura e Esporte",
        "GAB",
        "Rua Tiradentes, 210 — Centro",
        "Seg. a sex., 8h às 17h",
    ),
    (
        "SMS",
        "Secretaria de Saúde",
        "GAB",
        "Av. Getúlio Vargas, 1.020 — Centro",
        "Seg. a sex., 7h às 19h",
    ),
    (
        "SEDES",
        "Secretaria de Desenvolvimento Econômico",
        "GAB",
        "Praça da Matriz, 100 — 1º andar",
        "Seg. a sex., 8h às 17h",
    ),
    (
        "SAS",
        "Secretaria de Assistência Social",
        "GAB",
        "Rua Santa Catarina, 87 — Centro",
        "Seg. a sex., 8h às 17h",
    ),
    (
        "OUV",
        "Ouvidoria Municipal",
        "GAB",
        "Praça da Matriz, 100 — Centro",
        "Seg. a sex., 8h às 17h",
    ),
    (
        "CGD",
        "Comissão de Governança Digital",
        "GAB",
        "Praça da Matriz, 100 — Centro",
        "Seg. a sex., 8h às 17h",
    ),
]


@dataclass
class DemoResult:
    municipality: Municipality
    created: bool
    credentials: dict[str, str]


def demo_password() -> str:
    return secrets.token_urlsafe(12)


def _role_text(role: Role, unit_acronym: str | None) -> str:
    """The role in pt-BR as staff read it: “Editor do cronograma (unidade CGD)”."""
    return f"{role.label} (unidade {unit_acronym})" if unit_acronym else str(role.label)


@transaction.atomic
def load_demo() -> DemoResult:
    existing = Municipality.objects.filter(slug="santa-rita-do-paco").first()
    if existing is not None:
        return DemoResult(existing, False, {})
    town = create_municipality(
        None,
        name="Santa Rita do Paço",
        slug="santa-rita-do-paco",
        uf="SC",
        ibge_code="4299996",
        cnpj="46.395.000/0001-39",
        site_url="https://www.santaritadopaco.sc.gov.br",
        address="Praça da Matriz, 100 — Centro — CEP 89999-000 — Santa Rita do Paço/SC",
        phone="(49) 3555-0100",
        email="atendimento@santaritadopaco.sc.gov.br",
        open_data_portal_url="https://dados.gov.br/dados/organizacoes/visualizar/santa-rita-do-paco",
    )
    units: dict[str, Unit] = {}
    for acronym, name, parent, address, hours in UNITS:
        unit = Unit(
            municipality=town,
            name=name,
            acronym=acronym,
            parent=units.get(parent) if parent else None,
            address=address,
            opening_hours=hours,
            email=f"{acronym.lower()}@santaritadopaco.sc.gov.br",
            phone="(49) 3555-0100",
        )
        units[acronym] = save_unit(None, unit)
    credentials = {}
    roles: dict[str, str] = {}
    for username, role, unit_acronym, first, last in [
        ("admin", Role.ADMIN, None, "Ana", "Administradora"),
        ("carta", Role.CATALOG_EDITOR, None, "Carlos", "Editor da Carta"),
        ("cronograma", Role.PLAN_EDITOR, "CGD", "Cecília", "da Comissão"),
        ("dados", Role.DATA_EDITOR, None, "Diana", "Editora de Dados"),
    ]:
        password = demo_password()
        user = create_staff_user(
            None,
            town,
            username=username,
            password=password,
            email=f"{username}@santaritadopaco.sc.gov.br",
            first_name=first,
            last_name=last,
        )
        grant_role(None, town, user, role, units.get(unit_acronym) if unit_acronym else None)
        credentials[username] = password
        roles[username] = _role_text(role, unit_acronym)
    from paco.notifications.actions import without_email

    with without_email():  # the demo servants' notices stay in the app
        for loader in DEMO_LOADERS:
            import_string(loader)(town, units)
    path = settings.DATA_DIR / "demo-credenciais.txt"
    path.write_text(
        "Acessos de demonstração (área do servidor em /gestao/):\n"
        + "".join(f"  {u}: {p} — {roles[u]}\n" for u, p in credentials.items())
    )
    path.chmod(0o600)
    return DemoResult(town, True, credentials)


def is_empty() -> bool:
    return not Municipality.objects.exists() and not User.objects.exists()
