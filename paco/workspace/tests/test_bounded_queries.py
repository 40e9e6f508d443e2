"""Staff pages run the same number of queries with 30 more items as with a handful.

``/gestao/`` used to run about 130 queries (a permission look-up per link, row and
counter); every staff list page now asks the roles once per request (Reach) and
fetches rows with their relations.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

pytestmark = pytest.mark.django_db

#: the staff list pages and the most a page may run
PAGES = {
    "/gestao/": 14,
    "/dados/gestao/pedidos/": 10,
    "/dados/gestao/pedidos/?ver=todos": 10,
    "/dados/gestao/": 8,
    "/dados/gestao/portal-nacional/": 8,
    "/cronograma/": 10,
    "/gestao/plans/stage/": 12,
    "/gestao/opendata/dataset/": 12,
    "/gestao/audit/auditentry/": 12,
}


def _count(client: Any, url: str) -> int:
    with CaptureQueriesContext(connection) as ctx:
        response = client.get(url)
    assert response.status_code == 200, url
    return len(ctx.captured_queries)


@pytest.mark.parametrize("who", ["admin_x", "data_editor_x", "plan_editor_x"])
def test_staff_pages_do_not_grow_with_items(
    request: pytest.FixtureRequest,
    client_for: Any,
    town_x: Any,
    some_work: dict[str, Any],
    more_work: Callable[[int], None],
    django_assert_max_num_queries: Any,
    who: str,
) -> None:
    client = client_for(request.getfixturevalue(who), town_x)
    usable = {}
    for url in PAGES:
        status = client.get(url).status_code
        if status == 200:
            usable[url] = _count(client, url)
    assert "/gestao/" in usable
    more_work(30)
    for url, before in usable.items():
        with django_assert_max_num_queries(PAGES[url]):
            after = _count(client, url)
        assert after == before, f"{url}: {before} queries with a few items, {after} with 30 more"


def test_my_work_lists_the_thirty_items(
    client_for: Any, town_x: Any, admin_x: Any, some_work: Any, more_work: Any
) -> None:
    more_work(30)
    html = client_for(admin_x, town_x).get("/gestao/").content.decode()
    assert html.count('data-label="O que fazer"') >= 60
