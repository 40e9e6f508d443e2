"""The cast of the notification tests: servants of town X in each permission case, with
e-mail addresses, a servant of town Y who must never be told, and the suite's real SMTP server."""

from __future__ import annotations

import datetime
from collections.abc import Callable
from typing import Any

import pytest

from paco.accounts.models import Role, User
from paco.conftest import make_staff
from paco.datarequests import actions as dr_actions
from paco.datarequests.models import DataRequest
from paco.tenancy.models import Municipality, Unit
from paco.testing.smtp import SMTPServer, smtp_server, smtp_settings  # noqa: F401


def with_email(user: User, address: str) -> User:
    user.email = address
    user.save(update_fields=["email"])
    return user


@pytest.fixture
def editor_a(data_editor_x: User) -> User:
    """Data editor of unit A (and below) in X."""
    return with_email(data_editor_x, "editor.a@x.gov.br")


@pytest.fixture
def editor_b(data_editor_x_other: User) -> User:
    """Data editor of unit B in X: never told about unit A's queue."""
    return with_email(data_editor_x_other, "editor.b@x.gov.br")


@pytest.fixture
def town_editor(town_x: Municipality) -> User:
    """Data editor of the whole town X (forwards new requests)."""
    return with_email(make_staff("dados_x_todo", town_x, Role.DATA_EDITOR), "editor.todo@x.gov.br")


@pytest.fixture
def admin(admin_x: User) -> User:
    """Administrator of X: holds every role everywhere in X."""
    return with_email(admin_x, "admin@x.gov.br")


@pytest.fixture
def planner_a(plan_editor_x: User) -> User:
    """Plan editor of unit A: another queue, never told about data requests."""
    return with_email(plan_editor_x, "cronograma.a@x.gov.br")


@pytest.fixture
def other_town(town_y: Municipality, unit_y: Unit) -> list[User]:
    """Town Y's administrator and data editor: never told about X."""
    return [
        with_email(make_staff("admin_y_n", town_y, Role.ADMIN), "admin@y.gov.br"),
        with_email(make_staff("dados_y", town_y, Role.DATA_EDITOR, unit_y), "dados@y.gov.br"),
    ]


@pytest.fixture
def cast(
    editor_a: User,
    editor_b: User,
    town_editor: User,
    admin: User,
    planner_a: User,
    other_town: list[User],
) -> dict[str, User]:
    return {
        "editor_a": editor_a,
        "editor_b": editor_b,
        "town_editor": town_editor,
        "admin": admin,
        "planner_a": planner_a,
    }


@pytest.fixture
def committed(django_capture_on_commit_callbacks: Any) -> Callable[..., Any]:
    """Run ``func`` as an action runs in production: its on-commit callbacks (the e-mail
    tasks, run at once by the test task backend) run when it returns."""

    def run(func: Callable[..., Any], *args: Any, **kwargs: Any) -> Any:
        with django_capture_on_commit_callbacks(execute=True):
            return func(*args, **kwargs)

    return run


REQUESTER = "maria@exemplo.org"


def addressees(smtp: SMTPServer, since: int = 0) -> list[str]:
    """The servants who got a message (sorted), from message number ``since`` on (the
    requester's own e-mails left out)."""
    return sorted(
        str(message["To"]) for message in smtp.messages[since:] if message["To"] != REQUESTER
    )


@pytest.fixture
def request_in_a(
    committed: Callable[..., Any], town_x: Municipality, unit_x_a: Unit, admin: User
) -> DataRequest:
    """A request of X, submitted and forwarded to unit A by the administrator."""
    data_request, _ = committed(
        dr_actions.submit_request,
        town_x,
        title="Frota municipal",
        description="Veículos e consumo por mês.",
        name="Maria",
        email=REQUESTER,
    )
    committed(dr_actions.assign_unit, admin, data_request, unit_x_a)
    return DataRequest.objects.get(pk=data_request.pk)


def set_due(data_request: DataRequest, due: datetime.date) -> DataRequest:
    DataRequest.objects.filter(pk=data_request.pk).update(due_date=due)
    return DataRequest.objects.get(pk=data_request.pk)
