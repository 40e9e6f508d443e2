"""The demo gives the demo servants something in "Minha mesa"."""

from __future__ import annotations

import pytest

from paco.accounts.models import User
from paco.plans.dates import today_local
from paco.tenancy import demo
from paco.workspace.reach import Reach
from paco.workspace.work import open_items

pytestmark = pytest.mark.django_db


def test_demo_servants_have_late_and_pending_work(settings, tmp_path, monkeypatch) -> None:
    settings.DATA_DIR = tmp_path
    monkeypatch.setattr(
        demo,
        "DEMO_LOADERS",
        ["paco.plans.demo.load", "paco.workspace.demo.load"],
    )
    town = demo.load_demo().municipality
    today = today_local()
    data = open_items(Reach(User.objects.get(username="dados"), town), today)
    kinds = {item.kind for item in data}
    assert "version_review" in kinds
    assert any(i.kind == "data_request" and i.is_late(today) for i in data)
    plan = open_items(Reach(User.objects.get(username="cronograma"), town), today)
    assert any(i.kind == "plan_stage" and i.is_late(today) for i in plan)
