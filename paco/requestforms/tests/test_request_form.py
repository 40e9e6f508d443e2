"""The citizen's form: built from rows, validated in pt-BR next to each field, sent as a case."""

from __future__ import annotations

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse

from paco.atendimento.models import Attachment, Case
from paco.audit.models import AuditEntry
from paco.protocol.nup import parse_nup
from paco.requestforms.models import Draft
from paco.requestforms.tests.conftest import PDF, VALID_CPF, png

pytestmark = pytest.mark.django_db


def url(service):
    return reverse("requestforms:request", args=[service.slug])


def base(**extra):
    data = {"acao": "enviar", "nome": "Maria da Silva", "descricao": "A lâmpada está apagada."}
    data.update(extra)
    return data


def test_the_service_page_links_to_the_form_and_the_form_shows_the_questions(anon_x, lighting):
    page = anon_x.get(lighting.get_absolute_url()).content.decode()
    assert url(lighting) in page
    page = anon_x.get(url(lighting)).content.decode()
    for text in ("Qual é o problema", "Apagada", "Tem foto", "Buscar o endereço pelo CEP"):
        assert text.lower() in page.lower()
    assert "Salvar rascunho" in page


def test_a_disabled_form_or_another_towns_service_is_not_found(anon_x, lighting, town_y):
    form = lighting.request_form
    form.enabled = False
    form.save()
    assert anon_x.get(url(lighting)).status_code == 404


def test_a_complete_request_opens_a_case_with_its_answers_and_file(anon_x, lighting):
    photo = SimpleUploadedFile("poste.png", png(), content_type="image/png")
    response = anon_x.post(
        url(lighting),
        base(campo_problema="Apagada", **{"campo_tem-foto": "sim", "campo_foto": photo},
             endereco="Rua das Flores, 10", latitude="-26,877100", longitude="-52.404200"),
    )  # fmt: skip
    assert response.status_code == 302, response.content.decode()[:3000]
    case = Case.objects.get()
    parse_nup(case.number)
    assert case.kind == "servico" and case.service == lighting and case.unit == lighting.unit
    assert case.requester_name == "Maria da Silva"
    assert str(case.latitude) == "-26.877100" and str(case.longitude) == "-52.404200"
    answers = {a["chave"]: a["resposta"] for a in case.form_data["respostas"]}
    assert answers == {"problema": "Apagada", "tem-foto": "Sim"}
    attachment = Attachment.objects.get(case=case)
    assert attachment.content_type == "image/png" and attachment.file.read() == png()
    assert not Draft.objects.exists()
    assert AuditEntry.objects.filter(action="requestform.submit").count() == 1
    sent = anon_x.get(response["Location"]).content.decode()
    assert case.number in sent and "Código de acesso" in sent
    # the access code is shown once
    assert anon_x.get(response["Location"]).status_code == 302


def test_errors_are_in_portuguese_next_to_their_fields_and_nothing_is_lost(anon_x, lighting):
    response = anon_x.post(
        url(lighting),
        base(nome="", descricao="Poste 33 apagado", **{"campo_tem-foto": "sim"}),
    )
    assert response.status_code == 400
    page = response.content.decode()
    assert 'id="id_nome_error"' in page and "Informe seu nome." in page
    assert 'id="id_campo_problema_error"' in page and "Este campo é obrigatório." in page
    assert "Obrigatório quando a resposta a “Tem foto” é “sim”." in page
    assert "Informe o endereço ou um ponto de referência." in page
    assert "Poste 33 apagado" in page  # what was typed stays
    assert not Case.objects.exists()


def test_conditional_field_is_free_when_the_condition_is_not_met(anon_x, lighting):
    response = anon_x.post(
        url(lighting),
        base(campo_problema="Apagada", endereco="Praça 1", **{"campo_tem-foto": "nao"}),
    )
    assert response.status_code == 302


def test_cpf_and_cnpj_check_digits(anon_x, licence):
    pdf = SimpleUploadedFile("projeto.pdf", PDF, content_type="application/pdf")
    fields = {f.label: f"campo_{f.key}" for f in licence.request_form.fields.all()}
    doc = licence.request_form.documents.get(name="Projeto em PDF")
    bad = anon_x.post(
        url(licence),
        base(
            **{
                fields["CNPJ da empresa"]: "11.222.333/0001-82",
                fields["CPF do engenheiro"]: "529.982.247-24",
            }
        ),
    ).content.decode()
    assert "CNPJ inválido: dígitos verificadores não conferem." in bad
    assert "CPF inválido: os dígitos verificadores não conferem." in bad
    good = anon_x.post(
        url(licence),
        base(**{fields["CNPJ da empresa"]: "11.222.333/0001-81",
                fields["CPF do engenheiro"]: VALID_CPF, f"doc_{doc.pk}": pdf}),
    )  # fmt: skip
    assert good.status_code == 302
    case = Case.objects.get()
    assert case.form_data["documentos"][0]["documento"] == "Projeto em PDF"


def test_a_document_the_town_issues_is_never_asked(anon_x, licence):
    page = anon_x.get(url(licence)).content.decode()
    town_doc = licence.request_form.documents.get(name__startswith="Certidão negativa")
    assert town_doc.issued_by_town and not town_doc.required
    assert f'name="doc_{town_doc.pk}"' not in page
    assert "não precisa enviar" in page and "Certidão negativa de débitos municipais" in page


def test_the_form_page_reads_a_fixed_number_of_queries(
    anon_x, lighting, django_assert_max_num_queries
):
    with django_assert_max_num_queries(12):
        assert anon_x.get(url(lighting)).status_code == 200


def test_a_document_not_asked_online_is_not_a_file_field(anon_x, licence):
    doc = licence.request_form.documents.get(name="Projeto em PDF")
    assert f'name="doc_{doc.pk}"' in anon_x.get(url(licence)).content.decode()
    doc.required = False
    doc.ask_online = False
    doc.save()
    assert f'name="doc_{doc.pk}"' not in anon_x.get(url(licence)).content.decode()


def test_a_minimum_gov_br_level_reads_the_citizens_profile(client_for, town_x, lighting, citizen_a):
    lighting.request_form.min_govbr_level = "prata"
    lighting.request_form.save()
    client = client_for(citizen_a, town_x)
    assert "nível Prata" in client.get(url(lighting)).content.decode()  # no gov.br login yet
    citizen_a.citizen_profile.govbr_level = "ouro"
    citizen_a.citizen_profile.save()
    assert "nível Prata" not in client.get(url(lighting)).content.decode()
