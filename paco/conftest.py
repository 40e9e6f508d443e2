"""Shared fixtures: the permission cast every access test uses.

Two municipalities, X and Y, each reached by its own host name. In X:
- ``admin_x``: municipality administrator;
- ``catalog_editor_x``: editor of the charter, whole municipality;
- ``plan_editor_x``: editor of the plan, only in unit ``unit_x_a`` (and below);
- ``plan_editor_x_other``: editor of the plan in ``unit_x_b``;
- ``data_editor_x``: open-data editor in ``unit_x_a``; ``data_editor_x_other`` in ``unit_x_b``;
- ``plain_staff_x``: a staff user with no role that covers the object at hand;
In Y: ``admin_y``. Plus ``citizen_a`` and ``citizen_b`` (users without roles, each with a
``paco.citizens`` profile: confirmed e-mail and CPF; ``make_citizen`` makes more) and
the anonymous client. ``client_for(user, town)`` gives a logged-in test client
whose requests go to that municipality's host.
"""

from __future__ import annotations

import socket
from collections.abc import Callable, Iterator
from typing import Any

import pytest
from django.db import connections, transaction
from django.test import Client

from paco.accounts.actions import grant_role
from paco.accounts.models import Role, User
from paco.tenancy.middleware import forget_hosts
from paco.tenancy.models import Municipality, Unit

HOST_X = "x.paco.test"
HOST_Y = "y.paco.test"


# --- no network in unit tests -------------------------------------------------
_real_connect = socket.socket.connect


def _guarded_connect(self: socket.socket, address: Any) -> Any:
    host = address[0] if isinstance(address, tuple) else address
    if isinstance(host, str) and (
        host.startswith("127.") or host in {"localhost", "::1"} or host.startswith("/")
    ):
        return _real_connect(self, address)
    if self.family == socket.AF_UNIX:
        return _real_connect(self, address)
    raise RuntimeError(f"Rede bloqueada nos testes: tentativa de conexão a {address!r}")


@pytest.fixture(autouse=True)
def _block_network(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(socket.socket, "connect", _guarded_connect)


# --- the audit trail's triggers and the flush between transactional tests ---------
@pytest.fixture(autouse=True, scope="session")
def _flush_lifts_audit_triggers() -> Iterator[None]:
    """Let Django's ``flush`` empty the audit table, in the test suite only.

    The database refuses DELETE and TRUNCATE on the audit trail
    (``paco.audit.triggers``), so the flush that ends every transactional and
    live-server test (and ``call_command("flush")`` in tests) would fail. Here, and
    nowhere in production code, ``flush`` runs inside one transaction that drops
    the triggers and creates them again before committing: the next test starts
    with an empty, still-protected table. In production ``paco flush`` is refused.
    """
    from django.core.management.commands import flush

    from paco.audit import triggers

    original = flush.Command.handle

    def handle(self: flush.Command, **options: Any) -> None:
        connection = connections[options["database"]]
        with transaction.atomic(using=connection.alias), triggers.suspended(connection):
            original(self, **options)

    flush.Command.handle = handle  # type: ignore[method-assign]
    yield
    flush.Command.handle = original  # type: ignore[method-assign]


@pytest.fixture(autouse=True)
def _clear_caches() -> Iterator[None]:
    forget_hosts()
    from django.core.cache import cache

    cache.clear()
    yield
    cache.clear()


# --- the cast -----------------------------------------------------------------
def make_town(name: str, slug: str, ibge: str, cnpj: str, host: str) -> Municipality:
    return Municipality.objects.create(  # type: ignore[misc]  # hosts: a property
        name=name,
        slug=slug,
        uf="SC",
        ibge_code=ibge,
        cnpj=cnpj,
        hosts=host,
        email=f"contato@{host}",
    )


def make_user(username: str, *, staff: bool = False) -> User:
    user = User.objects.create_user(
        username=username, password="senha-de-teste-123", is_staff=staff
    )
    return user


def make_staff(
    username: str, town: Municipality, role: Role | str, unit: Unit | None = None
) -> User:
    """A staff user holding ``role`` in ``town`` (in ``unit`` and below, or everywhere)."""
    user = make_user(username, staff=True)
    grant_role(None, town, user, role, unit)
    return user


@pytest.fixture
def town_x(db: Any) -> Municipality:
    return make_town("Xanxerê do Teste", "town-x", "4219507", "11.222.333/0001-81", HOST_X)


@pytest.fixture
def town_y(db: Any) -> Municipality:
    return make_town("Ypiranga do Teste", "town-y", "4219705", "45.997.418/0001-53", HOST_Y)


@pytest.fixture
def unit_x_root(town_x: Municipality) -> Unit:
    return Unit.objects.create(municipality=town_x, name="Gabinete", acronym="GAB", slug="gab")


@pytest.fixture
def unit_x_a(town_x: Municipality, unit_x_root: Unit) -> Unit:
    return Unit.objects.create(
        municipality=town_x, name="Secretaria A", acronym="SA", slug="sa", parent=unit_x_root
    )


@pytest.fixture
def unit_x_b(town_x: Municipality, unit_x_root: Unit) -> Unit:
    return Unit.objects.create(
        municipality=town_x, name="Secretaria B", acronym="SB", slug="sb", parent=unit_x_root
    )


@pytest.fixture
def unit_y(town_y: Municipality) -> Unit:
    return Unit.objects.create(municipality=town_y, name="Gabinete Y", acronym="GY", slug="gy")


@pytest.fixture
def admin_x(town_x: Municipality) -> User:
    return make_staff("admin_x", town_x, Role.ADMIN)


@pytest.fixture
def admin_y(town_y: Municipality) -> User:
    return make_staff("admin_y", town_y, Role.ADMIN)


@pytest.fixture
def catalog_editor_x(town_x: Municipality) -> User:
    return make_staff("carta_x", town_x, Role.CATALOG_EDITOR)


@pytest.fixture
def plan_editor_x(town_x: Municipality, unit_x_a: Unit) -> User:
    return make_staff("cronograma_x", town_x, Role.PLAN_EDITOR, unit_x_a)


@pytest.fixture
def plan_editor_x_other(town_x: Municipality, unit_x_b: Unit) -> User:
    return make_staff("cronograma_x_b", town_x, Role.PLAN_EDITOR, unit_x_b)


@pytest.fixture
def data_editor_x(town_x: Municipality, unit_x_a: Unit) -> User:
    """Open-data editor of unit A (and below) in X."""
    return make_staff("dados_x", town_x, Role.DATA_EDITOR, unit_x_a)


@pytest.fixture
def data_editor_x_other(town_x: Municipality, unit_x_b: Unit) -> User:
    """Open-data editor of unit B in X: may not touch unit A's datasets."""
    return make_staff("dados_x_b", town_x, Role.DATA_EDITOR, unit_x_b)


@pytest.fixture
def plain_staff_x(town_x: Municipality, unit_x_b: Unit) -> User:
    """Staff of X whose only role is the charter, in unit B."""
    return make_staff("servidor_x", town_x, Role.CATALOG_EDITOR, unit_x_b)


def make_citizen(username: str, email: str, cpf: str = "") -> User:
    """A citizen: a user without roles, with a confirmed e-mail and a ``CitizenProfile``."""
    from django.utils import timezone

    from paco.citizens.models import CitizenProfile

    user = make_user(username)
    user.email = email
    user.first_name = username.replace("_", " ").title()
    user.save(update_fields=["email", "first_name"])
    CitizenProfile.objects.create(user=user, cpf=cpf, email_verified_at=timezone.now())
    return user


@pytest.fixture
def attendant_x(town_x: Municipality, unit_x_a: Unit) -> User:
    """Atendente of unit A (and below) in X: handles its cases."""
    return make_staff("atendente_x", town_x, Role.ATTENDANT, unit_x_a)


@pytest.fixture
def attendant_x_root(town_x: Municipality, unit_x_root: Unit) -> User:
    """Atendente of the root unit of X: covers units A and B below it."""
    return make_staff("atendente_x_gab", town_x, Role.ATTENDANT, unit_x_root)


@pytest.fixture
def attendant_x_other(town_x: Municipality, unit_x_b: Unit) -> User:
    """Atendente of unit B in X: may not reach unit A's cases."""
    return make_staff("atendente_x_b", town_x, Role.ATTENDANT, unit_x_b)


@pytest.fixture
def ombudsman_x(town_x: Municipality) -> User:
    """Ouvidor of X (town-wide): the only one who sees identity-preserved requesters."""
    return make_staff("ouvidor_x", town_x, Role.OMBUDSMAN)


@pytest.fixture
def citizen_a(db: Any) -> User:
    return make_citizen("cidada_a", "cidada.a@exemplo.org", cpf="52998224725")


@pytest.fixture
def citizen_b(db: Any) -> User:
    return make_citizen("cidadao_b", "cidadao.b@exemplo.org", cpf="11144477735")


@pytest.fixture
def client_for() -> Callable[[User | None, Municipality], Client]:
    def build(user: User | None, town: Municipality) -> Client:
        client = Client(HTTP_HOST=town.host_list()[0])
        if user is not None:
            client.force_login(user)
        return client

    return build


@pytest.fixture
def anon_x(town_x: Municipality) -> Client:
    return Client(HTTP_HOST=HOST_X)
