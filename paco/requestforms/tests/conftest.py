"""The cast of the request-form tests: a published service with a form, and files."""

from __future__ import annotations

import io
from typing import Any

import pytest
from PIL import Image

from paco.catalog.tests.conftest import add, detail
from paco.requestforms import actions
from paco.requestforms.models import FieldKind, FormField, ServiceForm

#: a small valid PDF (header, one empty page, trailer)
PDF = (
    b"%PDF-1.4\n1 0 obj<</Type/Catalog/Pages 2 0 R>>endobj\n"
    b"2 0 obj<</Type/Pages/Kids[3 0 R]/Count 1>>endobj\n"
    b"3 0 obj<</Type/Page/Parent 2 0 R/MediaBox[0 0 10 10]>>endobj\n"
    b"trailer<</Root 1 0 R>>\n%%EOF\n"
)
VALID_CPF = "529.982.247-25"


def png(width: int = 4, height: int = 4) -> bytes:
    out = io.BytesIO()
    Image.new("RGB", (width, height), "white").save(out, "PNG")
    return out.getvalue()


@pytest.fixture(autouse=True)
def _media(settings: Any, tmp_path: Any) -> None:
    settings.MEDIA_ROOT = tmp_path / "media"


def make_form(service: Any, **settings: Any) -> ServiceForm:
    form = actions.create_form(None, service)
    for name, value in {"enabled": True, **settings}.items():
        setattr(form, name, value)
    actions.save_form(None, form)
    return form


def question(form: ServiceForm, key: str, kind: str, **extra: Any) -> FormField:
    extra.setdefault("label", key.replace("-", " ").capitalize())
    extra.setdefault("position", form.fields.count() + 1)
    return FormField.objects.create(form=form, key=key, kind=kind, **extra)


@pytest.fixture
def lighting(town_x: Any, unit_x_a: Any) -> Any:
    """A published service about a place, in unit A, with three questions."""
    docs = {"documentos": [{"nome": "Foto do poste"}], "casos": []}
    item = detail("Iluminação pública", unit_x_a)
    item["etapas"][0]["documentos"] = docs
    (service,) = add(town_x, item)
    form = make_form(service, requires_location=True)
    question(
        form,
        "problema",
        FieldKind.CHOICE,
        required=True,
        choices="Apagada\nAcesa de dia",
        label="Qual é o problema?",
    )
    question(form, "tem-foto", FieldKind.YES_NO)
    question(
        form, "foto", FieldKind.FILE, required_if_key="tem-foto", required_if_value="sim",
        file_types="jpeg,png", max_size_mb=1,
    )  # fmt: skip
    return service


@pytest.fixture
def licence(town_x: Any, unit_x_a: Any) -> Any:
    """A service with documents (one the town issues) and a CPF/CNPJ question."""
    item = detail("Licença de obra", unit_x_a)
    item["etapas"][0]["documentos"] = {
        "documentos": [
            {"nome": "Projeto em PDF"},
            {"nome": "Certidão negativa de débitos municipais"},
        ],
        "casos": [],
    }
    (service,) = add(town_x, item)
    form = make_form(service)
    question(form, "cnpj", FieldKind.CNPJ, required=True, label="CNPJ da empresa")
    question(form, "cpf", FieldKind.CPF, label="CPF do engenheiro")
    doc = form.documents.get(name="Projeto em PDF")
    doc.required = True
    doc.save()
    return service
