"""Forms of the public request pages and of the staff pages."""

from __future__ import annotations

from typing import Any

from django import forms
from django.db.models import QuerySet

from paco.accounts.models import User
from paco.datarequests.models import AppealOutcome, DataRequest, Outcome
from paco.opendata.models import Dataset, DatasetQuerySet
from paco.tenancy.models import Unit, UnitQuerySet


def _long_text(label: str, *, rows: int, max_length: int, help_text: str = "") -> forms.CharField:
    return forms.CharField(
        label=label,
        widget=forms.Textarea(attrs={"rows": rows}),
        max_length=max_length,
        help_text=help_text,
    )


def _limit_choices(form: forms.Form, name: str, queryset: QuerySet[Any]) -> None:
    """The choices of a ``ModelChoiceField`` known only when the form is built."""
    field = form.fields[name]
    assert isinstance(field, forms.ModelChoiceField)
    field.queryset = queryset


#: next to every text a citizen writes that is published
NO_PERSONAL_DATA = (
    "Este texto será publicado na lista de pedidos. Não escreva dados pessoais — nome, CPF, "
    "RG, e-mail, telefone, endereço — seus ou de outras pessoas: seus contatos vão nos campos "
    "abaixo, que não são publicados."
)

#: shown under the texts the requester receives
SENT_AND_PUBLISHED = "Será enviada ao solicitante e publicada com o pedido."


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
            "requester_phone": "Telefone",
            "hide_identity": "Preservar minha identidade diante da unidade que vai responder",
        }
        help_texts = {
            "title": "Por exemplo: “Despesas com combustível da frota, por veículo”. "
            "Será publicado: não inclua dados pessoais.",
            "description": NO_PERSONAL_DATA,
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
    text = _long_text(
        "Razões do recurso",
        rows=5,
        max_length=5000,
        help_text="Explique por que a resposta não atende ao pedido.",
    )


class AssignForm(forms.Form):
    unit: forms.ModelChoiceField[Unit] = forms.ModelChoiceField(
        label="Unidade responsável", queryset=Unit.objects.none()
    )

    def __init__(self, *args: Any, units: UnitQuerySet, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        _limit_choices(self, "unit", units)


class AssignServantForm(forms.Form):
    servant: forms.ModelChoiceField[User] = forms.ModelChoiceField(
        label="Servidor responsável",
        queryset=User.objects.none(),
        required=False,
        empty_label="Ninguém em particular (toda a unidade)",
        help_text="Editores de dados da unidade responsável. Quem receber será avisado.",
    )

    def __init__(self, *args: Any, servants: QuerySet[User], **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        _limit_choices(self, "servant", servants)


class ExtendForm(forms.Form):
    reason = _long_text(
        "Justificativa da prorrogação", rows=3, max_length=2000, help_text=SENT_AND_PUBLISHED
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
    text = _long_text(
        "Resposta (na negativa, os motivos)",
        rows=5,
        max_length=10000,
        help_text=SENT_AND_PUBLISHED,
    )

    def __init__(self, *args: Any, datasets: DatasetQuerySet, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        _limit_choices(self, "dataset", datasets)


class AppealDecisionForm(forms.Form):
    outcome = forms.ChoiceField(
        label="Decisão", choices=AppealOutcome.choices, widget=forms.RadioSelect
    )
    decision = _long_text("Fundamentação", rows=4, max_length=10000)


class RevealForm(forms.Form):
    reason = forms.CharField(
        label="Por que é preciso ver a identidade do solicitante?",
        max_length=500,
        help_text="Fica registrado na trilha de auditoria.",
    )


class RedactForm(forms.Form):
    field = forms.ChoiceField(label="Texto")
    passage = _long_text(
        "Trecho a ocultar",
        rows=2,
        max_length=2000,
        help_text="Copie o trecho exatamente como aparece. Na página pública ele vira "
        "“[trecho ocultado]”; o texto original continua visível só para a equipe.",
    )

    def __init__(self, *args: Any, fields: list[tuple[str, str]], **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        choice = self.fields["field"]
        assert isinstance(choice, forms.ChoiceField)
        choice.choices = fields


class UnredactForm(forms.Form):
    field = forms.CharField(widget=forms.HiddenInput)
    index = forms.IntegerField(widget=forms.HiddenInput, min_value=0)
