"""Forms of the citizen's and the clerk's pages (pt-BR errors next to each field)."""

from __future__ import annotations

from typing import Any

from django import forms

from paco.atendimento.models import (
    SCORE_LABELS,
    Channel,
    Dimension,
    IdentityMode,
    Kind,
    OmbudsmanType,
    Outcome,
    Resolved,
    Status,
)
from paco.atendimento.uploads import ACCEPTED, MAX_BYTES, MAX_FILES


class MultipleFileInput(forms.ClearableFileInput):
    allow_multiple_selected = True


class FilesField(forms.FileField):
    """Zero or more files; each is checked by content in :mod:`paco.atendimento.uploads`."""

    widget = MultipleFileInput

    def __init__(self, **kwargs: Any) -> None:
        kwargs.setdefault("required", False)
        kwargs.setdefault(
            "help_text",
            f"Até {MAX_FILES} arquivos {ACCEPTED}, de até {MAX_BYTES // (1024 * 1024)} MB cada.",
        )
        super().__init__(**kwargs)

    def clean(self, data: Any, initial: Any = None) -> Any:
        if isinstance(data, list | tuple):
            return [super(FilesField, self).clean(d, initial) for d in data if d]
        return [super().clean(data, initial)] if data else []


class RequestForm(forms.Form):
    """What every kind asks: the request itself, then who asks (what the law allows)."""

    subject = forms.CharField(label="Assunto", max_length=200)
    description = forms.CharField(label="Descreva seu pedido", widget=forms.Textarea)
    name = forms.CharField(label="Nome", max_length=200, required=False)
    document = forms.CharField(
        label="Documento de identificação",
        max_length=60,
        required=False,
        help_text="Qualquer documento oficial com foto: RG, CNH, CPF, passaporte…",
    )
    email = forms.EmailField(
        label="E-mail",
        required=False,
        help_text="Para receber as respostas. Sem e-mail, acompanhe pelo número e código.",
    )
    phone = forms.CharField(label="Telefone", max_length=40, required=False)
    documents = FilesField(label="Documentos")
    #: invisible to people; bots fill it in
    website = forms.CharField(label="Não preencha este campo", required=False)

    def __init__(self, *args: Any, kind: str, logged_in: bool = False, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.kind = kind
        self.logged_in = logged_in
        if kind == Kind.OMBUDSMAN:
            self.fields["ombudsman_type"] = forms.ChoiceField(
                label="Tipo de manifestação",
                choices=[c for c in OmbudsmanType.choices if c[0] != OmbudsmanType.COMMUNICATION],
            )
            self.fields["identity_mode"] = forms.ChoiceField(
                label="Identificação",
                choices=IdentityMode.choices,
                initial=IdentityMode.IDENTIFIED,
                widget=forms.RadioSelect,
                help_text=(
                    "Identidade preservada: só a ouvidoria sabe quem você é. Anônima: "
                    "ninguém sabe, e você acompanha só pelo número e código."
                ),
            )
        if kind == Kind.INFORMATION:
            self.fields["description"].label = "Informação pedida"
            self.fields[
                "description"
            ].help_text = (
                "Você não precisa dizer por que quer a informação (Lei 12.527, art. 10 § 3º)."
            )

    def clean(self) -> dict[str, Any]:
        data = super().clean() or {}
        mode = data.get("identity_mode", IdentityMode.IDENTIFIED)
        if mode == IdentityMode.ANONYMOUS:
            for field in ("name", "document", "email", "phone"):
                data[field] = ""
        elif not self.logged_in and not data.get("name"):
            self.add_error("name", "Informe seu nome.")
        if (
            self.kind == Kind.INFORMATION
            and not self.logged_in
            and not data.get("document")
            and mode != IdentityMode.ANONYMOUS
        ):
            self.add_error("document", "Informe um documento de identificação.")
        return data

    def is_bot(self) -> bool:
        return bool(self.data.get("website"))


class WalkInForm(RequestForm):
    """A clerk records a request made in person, by phone or by letter."""

    channel = forms.ChoiceField(
        label="Canal",
        choices=[c for c in Channel.choices if c[0] != Channel.INTERNET],
    )
    kind_choice = forms.ChoiceField(
        label="Tipo", choices=[c for c in Kind.choices if c[0] != Kind.OPEN_DATA]
    )
    unit: forms.ModelChoiceField[Any] = forms.ModelChoiceField(
        label="Unidade", queryset=None, required=False
    )

    def __init__(self, *args: Any, units: Any, **kwargs: Any) -> None:
        super().__init__(*args, kind=Kind.OMBUDSMAN, **kwargs)
        self.fields["unit"].queryset = units  # type: ignore[attr-defined]
        self.fields["ombudsman_type"].required = False
        self.fields["identity_mode"].required = False
        self.fields["ombudsman_type"].help_text = "Só para manifestações de ouvidoria."

    def clean(self) -> dict[str, Any]:
        data = super().clean() or {}
        if data.get("kind_choice") == Kind.OMBUDSMAN and not data.get("ombudsman_type"):
            self.add_error("ombudsman_type", "Escolha o tipo de manifestação.")
        if data.get("kind_choice") == Kind.SERVICE and not data.get("unit"):
            self.add_error("unit", "Escolha a unidade que atende o pedido.")
        return data


class LookupForm(forms.Form):
    number = forms.CharField(
        label="Número do protocolo", max_length=40, help_text="Exemplo: 12345.000123/2026-45"
    )
    code = forms.CharField(
        label="Código de acesso",
        max_length=40,
        required=False,
        help_text="Está no comprovante. Quem entrou com a conta não precisa dele.",
    )


class AnswerForm(forms.Form):
    text = forms.CharField(label="Sua resposta", widget=forms.Textarea, required=False)
    documents = FilesField(label="Documentos")


class DocumentForm(forms.Form):
    text = forms.CharField(label="Observação", max_length=500, required=False)
    documents = FilesField(label="Documentos", required=True)


class ReasonForm(forms.Form):
    reason = forms.CharField(label="Motivo", widget=forms.Textarea)


class AppealForm(forms.Form):
    reasons = forms.CharField(label="Razões do recurso", widget=forms.Textarea)


class ComplaintForm(forms.Form):
    text = forms.CharField(label="Reclamação", widget=forms.Textarea, required=False)


class RatingForm(forms.Form):
    score = forms.TypedChoiceField(
        label="Como você avalia o atendimento?",
        choices=[(k, f"{k} — {v}") for k, v in SCORE_LABELS.items()],
        coerce=int,
        widget=forms.RadioSelect,
    )
    resolved = forms.ChoiceField(
        label="Sua demanda foi resolvida?", choices=Resolved.choices, widget=forms.RadioSelect
    )
    dimension = forms.ChoiceField(
        label="O que mais pesou na sua avaliação?",
        choices=[("", "—"), *Dimension.choices],
        required=False,
    )
    comment = forms.CharField(label="Comentário", widget=forms.Textarea, required=False)


# -- the clerk ----------------------------------------------------------------------------


class AssignForm(forms.Form):
    servant: forms.ModelChoiceField[Any] = forms.ModelChoiceField(
        label="Servidor responsável",
        queryset=None,
        required=False,
        empty_label="Ninguém",
    )

    def __init__(self, *args: Any, servants: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["servant"].queryset = servants  # type: ignore[attr-defined]


class TransferForm(forms.Form):
    unit: forms.ModelChoiceField[Any] = forms.ModelChoiceField(label="Nova unidade", queryset=None)
    reason = forms.CharField(label="Motivo (interno)", widget=forms.Textarea, required=False)

    def __init__(self, *args: Any, units: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["unit"].queryset = units  # type: ignore[attr-defined]


class NoteForm(forms.Form):
    text = forms.CharField(label="Nota interna", widget=forms.Textarea)
    documents = FilesField(label="Arquivos internos")


class AskForm(forms.Form):
    question = forms.CharField(label="O que o cidadão precisa informar", widget=forms.Textarea)


class ExtendForm(forms.Form):
    reason = forms.CharField(label="Justificativa (o cidadão verá)", widget=forms.Textarea)


class ConcludeForm(forms.Form):
    outcome = forms.ChoiceField(
        label="Resultado",
        choices=[c for c in Outcome.choices if c[0] != Outcome.FORWARDED],
    )
    text = forms.CharField(label="Resposta ao cidadão, com a justificativa", widget=forms.Textarea)
    documents = FilesField(label="Anexos da resposta")


class ForwardForm(forms.Form):
    body = forms.CharField(label="Órgão que detém a informação", max_length=200)
    text = forms.CharField(label="Orientação ao cidadão", widget=forms.Textarea, required=False)


class DecideForm(forms.Form):
    upheld = forms.TypedChoiceField(
        label="Decisão",
        choices=[("1", "Provido"), ("0", "Não provido")],
        coerce=lambda v: v == "1",
        widget=forms.RadioSelect,
    )
    decision = forms.CharField(label="Fundamentação", widget=forms.Textarea)


class InboxFilterForm(forms.Form):
    q = forms.CharField(label="Buscar (número ou assunto)", required=False, max_length=100)
    kind = forms.ChoiceField(label="Tipo", choices=[("", "Todos"), *Kind.choices], required=False)
    status = forms.ChoiceField(
        label="Situação",
        choices=[("", "Em aberto"), *Status.choices, ("todos", "Todas")],
        required=False,
    )
    unit: forms.ModelChoiceField[Any] = forms.ModelChoiceField(
        label="Unidade", queryset=None, required=False, empty_label="Todas"
    )
    mine = forms.BooleanField(label="Atribuídos a mim", required=False)
    late = forms.BooleanField(label="Só atrasados", required=False)

    def __init__(self, *args: Any, units: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["unit"].queryset = units  # type: ignore[attr-defined]
