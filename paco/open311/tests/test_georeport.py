"""Open311 GeoReport v2: the spec's shapes (validated with a JSON Schema), no personal data."""

from __future__ import annotations

import json
from pathlib import Path

import jsonschema
import pytest
from django.test import Client

from paco.atendimento.actions import Requester, open_case
from paco.atendimento.models import Case
from paco.conftest import HOST_X, HOST_Y

pytestmark = pytest.mark.django_db
SCHEMA = json.loads(
    (Path(__file__).parents[1] / "data" / "georeport-v2.schema.json").read_text(encoding="utf-8")
)
BASE = "/open311/v2/"


def valid(data, shape):
    schema = {**SCHEMA, "$ref": f"#/$defs/{shape}"}
    jsonschema.validate(data, schema, format_checker=jsonschema.FormatChecker())
    return data


@pytest.fixture
def api(town_x):
    return Client(HTTP_HOST=HOST_X)


@pytest.fixture
def reported(town_x, lighting):
    return open_case(
        town_x,
        kind="servico",
        subject=lighting.name,
        description="Poste apagado em frente à casa de João, CPF 529.982.247-25, "
        "e-mail joao@example.org",
        requester=Requester(name="João Pereira", email="joao@example.org", phone="49 99999-0000"),
        service=lighting,
        address="Rua A, 10",
    ).case


def test_service_list_and_definition(api, lighting):
    services = valid(api.get(BASE + "services.json").json(), "services_response")
    assert [s["service_code"] for s in services] == [lighting.slug]
    assert services[0]["metadata"] is True and services[0]["type"] == "batch"
    definition = valid(api.get(f"{BASE}services/{lighting.slug}.json").json(), "service_definition")
    attributes = {a["code"]: a for a in definition["attributes"]}
    assert set(attributes) == {"problema", "tem-foto"}  # a file is not an Open311 attribute
    assert attributes["problema"]["datatype"] == "singlevaluelist"
    assert [v["key"] for v in attributes["problema"]["values"]] == ["Apagada", "Acesa de dia"]
    assert attributes["problema"]["required"] is True


def test_a_service_without_a_place_or_disabled_is_not_listed(api, lighting):
    form = lighting.request_form
    form.requires_location = False
    form.save()
    assert api.get(BASE + "services.json").json() == []
    missing = api.get(f"{BASE}services/{lighting.slug}.json")
    assert missing.status_code == 404
    valid(missing.json(), "errors_response")


def test_the_public_listing_carries_no_personal_data(api, reported):
    body = api.get(BASE + "requests.json").content.decode()
    requests = valid(json.loads(body), "requests_response")
    assert [r["service_request_id"] for r in requests] == [reported.number]
    for secret in ("João Pereira", "529.982.247-25", "joao@example.org", "99999-0000"):
        assert secret not in body
    assert "[CPF removido]" in requests[0]["description"]
    one = valid(api.get(f"{BASE}requests/{reported.number}.json").json(), "requests_response")
    assert one[0]["service_request_id"] == reported.number and one[0]["status"] == "open"


def test_listing_filters_and_errors(api, reported, town_y):
    assert api.get(BASE + "requests.json?status=closed").json() == []
    assert len(api.get(BASE + "requests.json?status=open").json()) == 1
    by_id = api.get(f"{BASE}requests.json?service_request_id={reported.number}").json()
    assert len(by_id) == 1
    for bad in ("requests.json?status=talvez", "requests.json?start_date=ontem"):
        response = api.get(BASE + bad)
        assert response.status_code == 400
        valid(response.json(), "errors_response")
    for missing in ("requests/00000.000000/2026-00.json", "services.xml", "nada"):
        valid(api.get(BASE + missing).json(), "errors_response")
    assert Client(HTTP_HOST=HOST_Y).get(f"{BASE}requests/{reported.number}.json").status_code == 404


def test_the_listing_reads_a_fixed_number_of_queries(
    api, lighting, town_x, django_assert_num_queries
):
    for n in range(5):
        open_case(town_x, kind="servico", subject="x", description=f"pedido {n}",
                  requester=Requester(name="Ana"), service=lighting)  # fmt: skip
    with django_assert_num_queries(3):
        assert len(api.get(BASE + "requests.json").json()) == 5


def test_post_opens_a_case_through_the_same_form(api, lighting):
    response = api.post(
        BASE + "requests.json",
        {"service_code": lighting.slug, "lat": "-26.8771", "long": "-52.4042",
         "description": "Lâmpada apagada", "first_name": "Ana", "last_name": "Souza",
         "email": "ana@example.org", "attribute[problema]": "Apagada", "api_key": "qualquer"},
    )  # fmt: skip
    assert response.status_code == 201
    (result,) = valid(response.json(), "post_response")
    case = Case.objects.get(number=result["service_request_id"])
    assert case.requester_name == "Ana Souza" and case.form_data["canal"] == "open311"
    assert str(case.latitude) == "-26.877100"
    assert "Código de acesso" in result["service_notice"]


@pytest.mark.parametrize(
    ("data", "status", "text"),
    [
        ({"service_code": "nao-existe"}, 404, "service_code"),
        ({"description": "x", "first_name": "A"}, 400, "lat e long"),
        (
            {"lat": "-26.8", "long": "-52.4", "description": "x", "first_name": "A"},
            400,
            "attribute[problema]: Este campo é obrigatório.",
        ),
        (
            {"lat": "-26.8", "long": "-52.4", "description": "x", "attribute[problema]": "Apagada"},
            400,
            "first_name: Informe seu nome.",
        ),
    ],
)
def test_post_errors_are_the_spec_array(api, lighting, data, status, text):
    data = {"service_code": lighting.slug, **data}
    response = api.post(BASE + "requests.json", data)
    assert response.status_code == status
    (error,) = valid(response.json(), "errors_response")
    assert text in error["description"]
    assert not Case.objects.exists()


def test_post_is_rate_limited(api, lighting, settings):
    settings.PACO_OPEN311_POST_LIMIT = 2
    data = {"service_code": lighting.slug, "address_string": "Rua B", "description": "x",
            "first_name": "A", "attribute[problema]": "Apagada"}  # fmt: skip
    assert [api.post(BASE + "requests.json", data).status_code for _ in range(3)] == [201, 201, 429]
    valid(api.post(BASE + "requests.json", data).json(), "errors_response")


def test_the_schema_itself_rejects_a_wrong_shape():
    with pytest.raises(jsonschema.ValidationError):
        bad = {"service_request_id": "1", "status": "aberto", "service_code": "x",
               "requested_datetime": "2026-01-01T00:00:00-03:00"}  # fmt: skip
        valid([bad], "requests_response")
