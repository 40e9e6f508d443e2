"""CEP → street from the local table, with no network: the button fills the address."""

from __future__ import annotations

import pytest
from django.urls import reverse

from paco.requestforms import cep

pytestmark = pytest.mark.django_db


def test_the_demo_table_answers_with_or_without_the_dash():
    found = cep.lookup("89990010")
    assert found is not None and found.street == "Praça da Matriz"
    assert cep.lookup("89990-010") == found
    assert cep.lookup("00000-000") is None and cep.lookup("abc") is None


def test_another_table_is_plugged_by_setting(settings, tmp_path):
    table = tmp_path / "ceps.csv"
    table.write_text("cep;logradouro;bairro;cidade;uf\n01001-000;Praça da Sé;Sé;São Paulo;SP\n")
    settings.PACO_CEP_FILE = str(table)
    assert cep.lookup("01001000").as_text() == "Praça da Sé, Sé, São Paulo/SP"
    assert cep.lookup("89990-010") is None


def test_the_button_fills_the_address_and_keeps_the_rest(anon_x, lighting):
    response = anon_x.post(
        reverse("requestforms:request", args=[lighting.slug]),
        {"acao": "cep", "cep": "89990100", "descricao": "Texto que fica"},
    )
    page = response.content.decode()
    assert response.status_code == 200
    assert 'value="Rua dos Ferroviários, Vila Operária, Santa Rita do Paço/SC"' in page
    assert "Texto que fica" in page and "Acrescente o número" in page
    unknown = anon_x.post(
        reverse("requestforms:request", args=[lighting.slug]), {"acao": "cep", "cep": "12345-678"}
    ).content.decode()
    assert "CEP não encontrado" in unknown
