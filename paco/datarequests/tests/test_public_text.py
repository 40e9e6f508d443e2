"""Free text Paço publishes goes out masked and redacted (issue 8 §1).

The second bullet of "Why → Personal data": a CPF typed into a request's
description appeared on its public page and in the open dataset of requests.
"""

from __future__ import annotations

import duckdb
import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.urls import reverse

from paco.audit.models import AuditEntry
from paco.core.publictext import REDACTED, PublicCopyError, public_text
from paco.datarequests import actions
from paco.datarequests.forms import RequestForm
from paco.datarequests.models import DataRequest
from paco.opendata import selfpublish, storage
from paco.opendata.testing import opendata_storage  # noqa: F401

pytestmark = pytest.mark.django_db

CPF = "529.982.247-25"
EMAIL = "fulano.detal@exemplo.org"
TEXT = f"Dados do meu bairro. Meu CPF é {CPF} e o e-mail {EMAIL}; falar com Rosalinda Pires."


def test_public_text_redacts_then_masks():
    out = public_text(TEXT, ["Rosalinda Pires"])
    assert CPF not in out and EMAIL not in out and "Rosalinda" not in out
    assert REDACTED in out and "[CPF removido]" in out and "Dados do meu bairro." in out


def test_cpf_in_the_description_is_masked_on_the_public_pages(anon_x, town_x, submit):
    data_request, _ = submit(town_x, description=TEXT, title=f"Base (CPF {CPF})")
    for url in (
        reverse("datarequests:detail", args=[data_request.protocol]),
        reverse("datarequests:list"),
    ):
        body = anon_x.get(url).content.decode()
        assert CPF not in body and EMAIL not in body, url
    detail = anon_x.get(reverse("datarequests:detail", args=[data_request.protocol]))
    assert "[CPF removido]" in detail.content.decode()
    stored = DataRequest.objects.get(pk=data_request.pk)
    assert CPF in stored.description, "the text is kept as written, for staff"


@pytest.mark.usefixtures("opendata_storage")
def test_cpf_in_the_description_is_masked_in_the_open_dataset(town_x, unit_x_root, submit):
    submit(town_x, description=TEXT)
    version = selfpublish.refresh(town_x, "pedidos-de-abertura")
    assert version is not None and version.status == "published", version
    path = str(storage.local_path(version.parquet))
    with duckdb.connect() as con:
        rows = con.execute("SELECT * FROM read_parquet(?)", [path]).fetchall()
    text = repr(rows)
    assert CPF not in text and EMAIL not in text and "[CPF removido]" in text


def test_staff_redact_a_passage_with_an_audit_entry(assigned, anon_x, admin_x):
    data_request, _ = assigned
    DataRequest.objects.filter(pk=data_request.pk).update(description=TEXT)
    data_request.refresh_from_db()
    actions.redact_passage(admin_x, data_request, field="description", passage="Rosalinda Pires")
    page = anon_x.get(reverse("datarequests:detail", args=[data_request.protocol]))
    assert "Rosalinda" not in page.content.decode() and REDACTED in page.content.decode()
    entry = AuditEntry.objects.filter(action="datarequest.redact").get()
    assert entry.changes["field"] == "description" and "Rosalinda" not in str(entry.changes)
    assert "Rosalinda" not in str(list(AuditEntry.objects.values_list("changes", flat=True)))
    actions.unredact_passage(admin_x, data_request, field="description", index=0)
    page = anon_x.get(reverse("datarequests:detail", args=[data_request.protocol]))
    assert "Rosalinda" in page.content.decode() and CPF not in page.content.decode()


def test_redaction_refusals(assigned, admin_x, data_editor_x_other):
    data_request, _ = assigned
    with pytest.raises(ValidationError, match="não foi encontrado"):
        actions.redact_passage(admin_x, data_request, field="description", passage="ausente")
    with pytest.raises(ValidationError):
        actions.redact_passage(admin_x, data_request, field="requester_name", passage="Maria")
    with pytest.raises(PermissionDenied):
        actions.redact_passage(
            data_editor_x_other, data_request, field="description", passage="Litros"
        )


def test_staff_page_redacts_and_shows_the_public_version(assigned, client_for, admin_x, town_x):
    data_request, _ = assigned
    client = client_for(admin_x, town_x)
    url = reverse("datarequests:staff_detail", args=[data_request.protocol])
    page = client.get(url).content.decode()
    assert "Como o público vê este pedido" in page and "Ocultar o trecho" in page
    response = client.post(
        url,
        {"acao": "redact", "redact-field": "description", "redact-passage": "por veículo"},
    )
    assert response.status_code == 302
    page = client.get(url).content.decode()
    assert "Litros abastecidos por veículo" in page  # staff still read the text as written
    assert f"Litros abastecidos {REDACTED}" in page  # and what the public sees
    response = client.post(
        url, {"acao": "unredact", "unredact-field": "description", "unredact-index": "0"}
    )
    assert response.status_code == 302
    assert DataRequest.objects.get(pk=data_request.pk).redactions == {"description": []}


def test_public_copies_refuse_to_be_saved_or_read_raw(assigned):
    public = DataRequest.objects.for_public_list().first()
    assert public is not None
    with pytest.raises(PublicCopyError):
        public.save()
    with pytest.raises(PublicCopyError):
        DataRequest.objects.for_public_list().values("description")


def test_the_form_tells_the_citizen_not_to_include_personal_data(anon_x):
    form = RequestForm()
    for name in ("title", "description"):
        assert "não inclua dados pessoais" in form.fields[name].help_text.lower() or (
            "não escreva dados pessoais" in form.fields[name].help_text.lower()
        )
    page = anon_x.get(reverse("datarequests:new")).content.decode()
    assert 'aria-describedby="id_description_helptext"' in page
    assert "Não escreva dados pessoais" in page


@pytest.mark.usefixtures("opendata_storage")
def test_a_passage_redacted_later_is_gone_from_the_open_datasets_history(
    town_x, unit_x_root, submit, admin_x, anon_x
):
    """Older versions of the requests dataset were made before the redaction: not public."""
    passage = "Travessa dos Ipês, 42"
    data_request, _ = submit(town_x, description=f"Moro na {passage} e quero os dados.")
    first = selfpublish.refresh(town_x, "pedidos-de-abertura")
    assert first is not None and first.status == "published"
    data_request.refresh_from_db()
    actions.redact_passage(admin_x, data_request, field="description", passage=passage)
    second = selfpublish.refresh(town_x, "pedidos-de-abertura")
    assert second is not None and second.number == first.number + 1

    export = reverse("datastore:export", args=[first.resource_id, "csv"])
    assert anon_x.get(export, {"versao": first.number}).status_code == 404
    current = anon_x.get(export, {"versao": second.number})
    assert current.status_code == 200
    assert passage not in b"".join(current.streaming_content).decode()
    page = anon_x.get(reverse("portal:dataset", args=[first.resource.dataset.name]))
    assert f"versao={first.number}" not in page.content.decode()
