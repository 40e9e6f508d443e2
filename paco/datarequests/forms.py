"""Forms of the public request pages and of the staff pages."""

from __future__ import annotations

from typing import Any

from django import forms

from paco.datarequests.models import AppealOutcome, DataRequest, Outcome
from paco.opendata.models import Dataset, DatasetQuerySet
from paco.tenancy.models import Unit, UnitQuerySet


class HoneypotMixin(forms.Form):
    #: invisible to people (hidden by CSS, out of the tab order); bots fill it in
    website = forms.CharField(label="Não preencha este campo", required=False)

    def is_bot(self) -> bool:
        return bool(self.data.get("website"))


class RequestForm(HoneypotMixin, forms.ModelForm[DataRequest]):
    class Meta:
        model = DataRequest
        fields = [
            "title",
            "description",
            "requester_name",
            "requester_email",
            "requester_phone",
            "hide_identity",
        ]
        labels = {
            "title": "Que base de dados você quer que seja aberta?",
            "description": "Descreva o que você precisa",
            "requester_name": "Seu nome",
            "requester_email": "Seu e-mail",
            "requester_phone": "Telefone (opcional)",
            "hide_identity": "Preservar minha identidade diante da unidade que vai responder",
        }
        help_texts = {
            "title": "Por exemplo: “Despesas com combustível da frota, por veículo”.",
            "requester_email": "Para onde enviaremos o protocolo, o link de acompanhamento e "
            "as respostas.",
            "hide_identity": "Seu nome e contatos ficam visíveis só para o administrador do "
            "município, e apenas quando for necessário.",
        }
        widgets = {
            "description": forms.Textarea(attrs={"rows": 6}),
            "requester_email": forms.EmailInput(attrs={"autocomplete": "email"}),
            "requester_name": forms.TextInput(attrs={"autocomplete": "name"}),
            "requester_phone": forms.TextInput(attrs={"autocomplete": "tel", "type": "tel"}),
        }


class ResendLinkForm(HoneypotMixin, forms.Form):
    protocol = forms.CharField(label="Protocolo", max_length=20, help_text="Ex.: DA-2026-000123")
    email = forms.EmailField(label="E-mail informado no pedido")


class AppealForm(forms.Form):
    text = forms.CharField(
        label="Razões do recurso",
        widget=forms.Textarea(attrs={"rows": 5}),
        max_length=5000,
        help_text="Explique por que a resposta não atende ao pedido.",
    )


class AssignForm(forms.Form):
    unit: forms.ModelChoiceField[Unit] = forms.ModelChoiceField(
        label="Unidade responsável", queryset=Unit.objects.none()
    )

    def __init__(self, *args: Any, units: UnitQuerySet, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        field = self.fields["unit"]
        assert isinstance(field, forms.ModelChoiceField)
        field.queryset = units


class ExtendForm(forms.Form):
    reason = forms.CharField(
        label="Justificativa da prorrogação",
        widget=forms.Textarea(attrs={"rows": 3}),
        max_length=2000,
        help_text="Será enviada ao solicitante e publicada com o pedido.",
    )


class AnswerForm(forms.Form):
    outcome = forms.ChoiceField(label="Resultado", choices=Outcome.choices)
    dataset: forms.ModelChoiceField[Dataset] = forms.ModelChoiceField(
        label="Conjunto de dados que atende o pedido",
        queryset=Dataset.objects.none(),
        required=False,
        help_text="Obrigatório para “atendido”. Se o conjunto ainda for rascunho, o pedido "
        "será respondido automaticamente quando ele for publicado.",
    )
    text = forms.CharField(
        label="Resposta (na negativa, os motivos)",
        widget=forms.Textarea(attrs={"rows": 5}),
        max_length=10000,
        help_text="Será enviada ao solicitante e publicada com o pedido.",
    )

    def __init__(self, *args: Any, datasets: DatasetQuerySet, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        field = self.fields["dataset"]
        assert isinstance(field, forms.ModelChoiceField)
        field.queryset = datasets


class AppealDecisionForm(forms.Form):
    outcome = forms.ChoiceField(
        label="Decisão", choices=AppealOutcome.choices, widget=forms.RadioSelect
    )
    decision = forms.CharField(
        label="Fundamentação",
        widget=forms.Textarea(attrs={"rows": 4}),
        max_length=10000,
    )


class RevealForm(forms.Form):
    reason = forms.CharField(
        label="Por que é preciso ver a identidade do solicitante?",
        max_length=500,
        help_text="Fica registrado na trilha de auditoria.",
    )
