"""Every public page of the URL map at 360 px and 1280 px, visited anonymously.

See :mod:`paco.browser_tests.walk` for how the pages are found and what is checked; the
staff pages are walked by ``test_walk_staff.py`` (the two run side by side).
"""

from __future__ import annotations

from collections.abc import Iterator
from typing import Any

import pytest

from paco.browser_tests.conftest import DemoSite
from paco.browser_tests.support import listing
from paco.browser_tests.walk import (
    DESKTOP,
    PHONE,
    WalkReport,
    run_walk,
    unreached_message,
    walk_data,
)

pytestmark = pytest.mark.browser

MODE = "public"
MUST_CHECK = (
    "cronograma/", "servicos/", "servicos/<slug:slug>/", "dados/pedidos/", "dados/inventario/",
    "dataset/<slug:name>/", "<404>",
)  # fmt: skip
AT_LEAST = 25


@pytest.fixture(scope="module")
def walk(browser: Any, demo_site: DemoSite, django_db_blocker: Any) -> Iterator[WalkReport]:
    with walk_data(django_db_blocker) as also:
        yield run_walk(MODE, browser, demo_site.base_url, also)


def test_every_page_pattern_is_reached(walk: WalkReport) -> None:
    assert not walk.unreached, unreached_message(walk)
    for route in MUST_CHECK:  # the walk is not vacuous: the key pages are among those checked
        assert route in walk.checked, f"{route} não foi verificada"
    assert len(walk.checked) >= AT_LEAST, sorted(walk.checked)


def test_every_page_fits_a_phone_and_passes_axe(walk: WalkReport) -> None:
    assert not walk.problems, (
        f"Páginas com problemas a {PHONE}px ou {DESKTOP}px ({len(walk.checked)} verificadas):"
        + listing(walk.problems)
    )
