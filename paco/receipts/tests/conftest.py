"""Receipts issued through the action, as the case engine will issue them."""

from __future__ import annotations

import datetime
from collections.abc import Callable
from typing import Any

import pytest

from paco.receipts.actions import issue_receipt
from paco.receipts.models import Receipt
from paco.tenancy.models import Municipality, Unit

#: a submission at 14:05:09 in Brasília (17:05:09 UTC)
ISSUED_AT = datetime.datetime(2026, 3, 2, 17, 5, 9, 123456, tzinfo=datetime.UTC)
LINES = [
    ("Serviço", "Poda de árvore em via pública"),
    ("O que foi pedido", "Poda da sibipiruna em frente ao número 120: os galhos tocam a fiação."),
    ("Solicitante", "Maria da Conceição Araújo"),
    ("CPF", "529.982.247-25"),
    ("Unidade responsável", "Secretaria de Obras e Serviços Públicos"),
    ("Prazo", "01/04/2026 (30 dias corridos)"),
]
EXPLANATION = [
    "Recebido em 02/03/2026, segunda-feira, antes das 19h: conta-se a partir do dia seguinte.",
    "30 dias corridos (Carta de Serviços: prazo máximo de 30 dias).",
    "O 30º dia, 01/04/2026, é dia útil: o prazo termina nele.",
]
SUMMARY = "Solicitação de serviço (Poda de árvore) recebida pela Secretaria de Obras."


@pytest.fixture
def issue() -> Callable[..., Receipt]:
    def build(town: Municipality, subject: Any = None, **fields: Any) -> Receipt:
        values: dict[str, Any] = {
            "kind": "atendimento.caso",
            "subject": subject,
            "number": "12345.000042/2026-19",
            "title": "Comprovante de solicitação",
            "issued_at": ISSUED_AT,
            "lines": LINES,
            "explanation": EXPLANATION,
            "public_summary": SUMMARY,
            **fields,
        }
        return issue_receipt(town, **values)

    return build


@pytest.fixture
def receipt_x(issue: Callable[..., Receipt], town_x: Municipality, unit_x_a: Unit) -> Receipt:
    return issue(town_x, unit_x_a)
