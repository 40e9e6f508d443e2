"""Malformed, non-object and deeply nested JSON get a 400 in pt-BR, never a 500.

Walks every URL of the resolver (outside the Django admin) with every hostile
body, and every CKAN/datastore action with hostile JSON-valued parameters too.
All JSON Paço reads goes through :mod:`paco.core.jsoninput`.
"""

from __future__ import annotations

import json
import re

import pytest

from paco.core import jsoninput
from paco.opendata.ckan.handlers import HANDLERS
from paco.opendata.testing import opendata_storage, publish_table  # noqa: F401
from paco.testing.urlwalk import concrete_paths

pytestmark = [pytest.mark.django_db, pytest.mark.usefixtures("opendata_storage")]

DEEP = 20_000  # far past Python's recursion limit (about 1 000)
BODIES = {
    "malformado": b'{"resource_id": ',
    "lista": b"[1, 2, 3]",
    "texto": b'"texto"',
    "numero": b"42",
    "nulo": b"null",
    "colchetes": b"[" * DEEP,
    "objetos": b'{"a":' * DEEP,
    "fechado": b"[" * 2000 + b"]" * 2000,  # parses in Python, still far too deep
    "bytes": b"\xff\xfe{}",
}
PT_BR = re.compile(r"JSON (inválido|aninhado demais|grande demais)|deve ser um objeto|UTF-8")


@pytest.fixture
def published(town_x, unit_x_a):
    return publish_table(town_x, unit_x_a)


def test_every_url_answers_hostile_json_without_a_server_error(published, anon_x):
    paths = concrete_paths(resource_id=str(published.pk), dataset_id=str(published.dataset_id))
    assert len(paths) > 40
    failures = []
    for path in paths:
        for label, body in BODIES.items():
            response = anon_x.post(path, body, content_type="application/json")
            if response.status_code >= 500:
                failures.append(f"{path} [{label}] → {response.status_code}")
            elif "/action/" in path and not _pt_br_400(response):
                failures.append(f"{path} [{label}] → {response.status_code} {response.content!r}")
    assert failures == []


def _pt_br_400(response) -> bool:
    """CKAN answers a bad request with a bare JSON string: ``"Bad request - JSON Error: …"``."""
    if response.status_code != 400:
        return False
    message = response.json()
    return isinstance(message, str) and bool(PT_BR.search(message))


def test_nested_json_inside_parameters_is_refused_not_crashed(published, anon_x):
    deep = "[" * DEEP
    rid = str(published.pk)
    for name in HANDLERS:
        for key in ("filters", "fields", "sort", "q", "fq", "facet.field", "id", "resource_id"):
            body = {"resource_id": rid, "id": "despesas", key: deep}
            response = anon_x.post(
                "/api/3/action/" + name, json.dumps(body), content_type="application/json"
            )
            assert response.status_code < 500, (name, key, response.content[:300])
    dump = anon_x.get(f"/datastore/dump/{rid}", {"filters": deep})
    assert dump.status_code == 400
    assert "aninhado demais" in dump.content.decode()


@pytest.mark.parametrize("label", list(BODIES))
def test_the_token_api_refuses_hostile_json(published, anon_x, label):
    response = anon_x.post(
        "/api/v1/datasets/despesas/resources/dados/versions",
        BODIES[label],
        content_type="application/json",
    )
    assert 400 <= response.status_code < 500


def test_helper_limits():
    assert jsoninput.nesting_depth("[" * 64 + "]" * 64) == 64
    assert jsoninput.nesting_depth("[" * 65 + "]" * 65) == 65
    assert (
        jsoninput.nesting_depth(
            '["[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[["]'
        )
        == 1
    )
    with pytest.raises(jsoninput.JSONInputError, match="linha 2, coluna 6"):
        jsoninput.loads('{"a":\n  1, }')
    assert jsoninput.loads_object('{"a": [1, {"b": "]"}]}') == {"a": [1, {"b": "]"}]}
