"""issue_receipt: cleaned content, a hash anyone can recompute, an audit entry without
personal data."""

from __future__ import annotations

import datetime
import hashlib
import json

import pytest
from django.core.exceptions import ValidationError

from paco.audit.labels import describe
from paco.audit.models import AuditEntry
from paco.receipts import codes, content
from paco.receipts.models import ImmutableReceiptError, Receipt
from paco.receipts.tests.conftest import EXPLANATION, LINES, SUMMARY

pytestmark = pytest.mark.django_db


def test_the_receipt_keeps_what_it_shows(receipt_x, town_x, unit_x_a):
    receipt = Receipt.objects.get(pk=receipt_x.pk)
    assert receipt.municipality == town_x
    assert receipt.subject == unit_x_a
    assert receipt.kind == "atendimento.caso"
    assert receipt.number == "12345.000042/2026-19"
    assert receipt.lines == [{"label": label, "value": value} for label, value in LINES]
    assert receipt.explanation == EXPLANATION
    assert receipt.public_summary == SUMMARY
    assert receipt.issued_at == datetime.datetime(2026, 3, 2, 17, 5, 9, tzinfo=datetime.UTC)
    assert codes.is_consistent(receipt.code)
    assert list(Receipt.objects.for_municipality(town_x).for_subject(unit_x_a)) == [receipt]


def test_the_hash_is_recomputed_from_the_documented_json(receipt_x, town_x):
    document = {
        "como_calculado": EXPLANATION,
        "emitido_em": "2026-03-02T17:05:09Z",
        "linhas": [list(line) for line in LINES],
        "municipio_ibge": town_x.ibge_code,
        "numero": "12345.000042/2026-19",
        "tipo": "atendimento.caso",
        "titulo": "Comprovante de solicitação",
        "versao": 1,
    }
    text = json.dumps(document, ensure_ascii=False, sort_keys=True, separators=(",", ":"))
    assert receipt_x.content_sha256 == hashlib.sha256(text.encode()).hexdigest()
    assert Receipt.objects.get(pk=receipt_x.pk).is_intact()


def test_a_changed_line_no_longer_matches_its_hash(receipt_x):
    Receipt.objects.filter(pk=receipt_x.pk).update(lines=[{"label": "Prazo", "value": "nunca"}])
    assert not Receipt.objects.get(pk=receipt_x.pk).is_intact()


def test_a_receipt_never_changes_once_issued(receipt_x):
    receipt_x.title = "Outro"
    with pytest.raises(ImmutableReceiptError):
        receipt_x.save()


def test_the_audit_entry_names_the_number_and_hash_never_the_content(receipt_x, town_x):
    entry = AuditEntry.objects.get(action="receipt.issue")
    assert entry.municipality == town_x
    assert entry.object_repr == "Comprovante 12345.000042/2026-19"
    assert describe(entry) == "Emitiu o comprovante eletrônico «Comprovante 12345.000042/2026-19»"
    trail = json.dumps(entry.changes, ensure_ascii=False)
    assert receipt_x.content_sha256 in trail
    assert f'"subject": "tenancy.unit:{receipt_x.subject_id}"' in trail
    for private in ("Maria", "529.982.247-25", "sibipiruna", receipt_x.code):
        assert private not in trail


def test_hostile_text_is_cleaned_before_it_is_stored_and_hashed(issue, town_x):
    receipt = issue(
        town_x,
        lines=[
            ("Nome\x00", "A\u0301gua\r\nlinha\x07 dois \ud800 \u202eetxet\u202c"),
            ("Emoji", "família 👨‍👩‍👧 ok"),
        ],
        title="  Comprovante\x1b  ",
    )
    stored = Receipt.objects.get(pk=receipt.pk)
    assert stored.lines[0] == {"label": "Nome", "value": "Água\nlinha dois ? etxet"}
    assert stored.lines[1]["value"] == "família 👨‍👩‍👧 ok"  # kept exactly: the HTML shows it
    assert stored.title == "Comprovante"
    assert stored.is_intact()


def test_a_subject_of_another_town_is_refused(issue, town_x, unit_y):
    with pytest.raises(ValueError, match="outro município"):
        issue(town_x, unit_y)
    assert not Receipt.objects.exists()


@pytest.mark.parametrize(
    ("fields", "message"),
    [
        ({"lines": []}, "ao menos uma linha"),
        ({"lines": [("x", "y")] * (content.MAX_LINES + 1)}, "no máximo 60 linhas"),
        ({"lines": [("Descrição", "a" * (content.MAX_VALUE + 1))]}, "no máximo 20000"),
        ({"lines": [("a", "x" * 15_000)] * 3}, "no máximo 40000 caracteres"),
        ({"explanation": ["x"] * 31}, "no máximo 30 passos"),
        ({"public_summary": " \x00 "}, "resumo público"),
        ({"title": "t" * 201}, "no máximo 200 caracteres"),
    ],
)
def test_limits_are_refused_whole(issue, town_x, fields, message):
    with pytest.raises(ValidationError, match=message):
        issue(town_x, **fields)
    assert not Receipt.objects.exists()
    assert not AuditEntry.objects.filter(action="receipt.issue").exists()


def test_a_naive_datetime_is_a_programming_error(issue, town_x):
    with pytest.raises(ValueError, match="fuso"):
        issue(town_x, issued_at=datetime.datetime(2026, 3, 2, 14, 5))


def test_a_code_clash_draws_again(issue, town_x, receipt_x, monkeypatch):
    drawn = iter([receipt_x.code, codes.new_code()])
    monkeypatch.setattr(codes, "new_code", lambda: next(drawn))
    second = issue(town_x)
    assert second.code != receipt_x.code and Receipt.objects.count() == 2
