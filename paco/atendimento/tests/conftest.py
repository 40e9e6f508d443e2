from __future__ import annotations

from typing import Any

import pytest

from paco.atendimento.actions import Opened, Requester, open_case
from paco.atendimento.models import IdentityMode, Kind
from paco.testing.smtp import smtp_server, smtp_settings  # noqa: F401


@pytest.fixture
def open_for() -> Any:
    def build(town: Any, unit: Any, **kw: Any) -> Opened:
        kw.setdefault("kind", Kind.INFORMATION)
        kw.setdefault("subject", "Contratos de limpeza")
        kw.setdefault("description", "Quero os contratos de 2025.")
        if kw.get("identity_mode") == IdentityMode.ANONYMOUS:
            kw.setdefault("requester", Requester())
        kw.setdefault(
            "requester", Requester(name="Maria Aparecida", document="RG 123", email="m@example.org")
        )
        return open_case(town, unit=unit, **kw)

    return build
