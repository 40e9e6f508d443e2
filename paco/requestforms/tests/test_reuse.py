"""A document the citizen already sent in an earlier case is offered instead of asked again."""

from __future__ import annotations

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse

from paco.atendimento.models import Attachment, Case
from paco.requestforms.tests.conftest import PDF

pytestmark = pytest.mark.django_db


def _send(client, licence, **extra):
    fields = {f.key: f"campo_{f.key}" for f in licence.request_form.fields.all()}
    data = {"acao": "enviar", "descricao": "Pedido", fields["cnpj"]: "11.222.333/0001-81"}
    data.update(extra)
    return client.post(reverse("requestforms:request", args=[licence.slug]), data)


def test_an_earlier_document_is_offered_and_reused(
    client_for, town_x, licence, citizen_a, citizen_b
):
    doc = licence.request_form.documents.get(name="Projeto em PDF")
    client = client_for(citizen_a, town_x)
    pdf = SimpleUploadedFile("projeto.pdf", PDF, content_type="application/pdf")
    assert _send(client, licence, **{f"doc_{doc.pk}": pdf}).status_code == 302
    first = Attachment.objects.get()
    page = client.get(reverse("requestforms:request", args=[licence.slug])).content.decode()
    assert "usar um arquivo que você já enviou?" in page and "“projeto.pdf”" in page
    assert _send(client, licence, **{f"reusar_{doc.pk}": str(first.pk)}).status_code == 302
    second = Case.objects.order_by("-pk").first()
    copy = second.attachments.get()
    assert copy.sha256 == first.sha256 and copy.pk != first.pk
    assert copy.file.read() == PDF
    # another citizen is offered nothing and cannot name someone else's file
    other = client_for(citizen_b, town_x)
    page = other.get(reverse("requestforms:request", args=[licence.slug])).content.decode()
    assert "já enviou" not in page
    response = _send(other, licence, **{f"reusar_{doc.pk}": str(first.pk)})
    assert response.status_code == 400 and "Envie este documento." in response.content.decode()
