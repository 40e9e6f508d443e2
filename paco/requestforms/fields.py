"""The citizen's form of one service, built from its :class:`FormField` and document rows.

One Django form serves the page, the drafts and Open311 (whose ``attribute[code]``
values are mapped onto the same fields). Field names: ``campo_<key>`` for the
service's questions, ``doc_<pk>`` / ``reusar_<pk>`` for documents, ``nome``,
``documento``, ``email``, ``telefone``, ``descricao`` for the requester and the
request, ``cep``, ``endereco``, ``latitude``, ``longitude`` for the place,
``horario`` for an appointment.

Every field is optional to the browser (``novalidate``, no HTML ``required``
blocking a half-filled draft); what is required, including "required when another
answer is X", is checked in :meth:`RequestForm.clean`, and each error lands next to
its field. Files are checked by content (:mod:`.files`); one that passes is kept
with the draft (``kept``), so an error elsewhere never asks for it again.
"""

from __future__ import annotations

from decimal import Decimal
from typing import Any

from django import forms
from django.core.exceptions import ValidationError
from django.core.files.uploadedfile import UploadedFile
from django.core.validators import RegexValidator

from paco.atendimento.models import Attachment
from paco.privacy.checks import cpf_is_valid
from paco.requestforms import cep, files
from paco.requestforms.models import (
    DocumentRequirement,
    DraftFile,
    FieldKind,
    FormField,
    ServiceForm,
    Slot,
)
from paco.tenancy.validators import only_digits, validate_cnpj

YES_NO = [("sim", "Sim"), ("nao", "Não")]
#: the names of the form's fixed fields, kept in a draft with the questions' ones
REQUIRED = "Este campo é obrigatório."


def validate_cpf(value: str) -> None:
    digits = only_digits(value)
    if len(digits) != 11:
        raise ValidationError("CPF inválido: informe os 11 dígitos.")
    if not cpf_is_valid(digits):
        raise ValidationError("CPF inválido: os dígitos verificadores não conferem.")


def validate_cep(value: str) -> None:
    if cep.normalize(value) is None:
        raise ValidationError("CEP inválido: informe os 8 dígitos (ex.: 89990-010).")


phone_validator = RegexValidator(
    r"^\s*\(?\d{2}\)?\s*9?\d{4}[-\s]?\d{4}\s*$",
    "Telefone inválido: informe o DDD e o número (ex.: (49) 99999-1234).",
)


def _text_attrs(autocomplete: str = "", mode: str = "") -> dict[str, str]:
    attrs = {}
    if autocomplete:
        attrs["autocomplete"] = autocomplete
    if mode:
        attrs["inputmode"] = mode
    return attrs


def build_field(row: FormField) -> forms.Field:
    """The Django field for one question (never ``required`` here: see the module)."""
    common: dict[str, Any] = {"label": row.label, "help_text": row.help, "required": False}
    kind = row.kind
    if kind == FieldKind.LONG_TEXT:
        return forms.CharField(max_length=5000, widget=forms.Textarea(attrs={"rows": 4}), **common)
    if kind == FieldKind.NUMBER:
        return forms.DecimalField(
            max_digits=14, decimal_places=4, localize=True,
            widget=forms.TextInput(attrs={"inputmode": "decimal"}), **common,
        )  # fmt: skip
    if kind == FieldKind.DATE:
        return forms.DateField(widget=forms.DateInput(attrs={"type": "date"}), **common)
    if kind == FieldKind.CPF:
        return forms.CharField(
            max_length=14, validators=[validate_cpf],
            widget=forms.TextInput(attrs=_text_attrs(mode="numeric")), **common,
        )  # fmt: skip
    if kind == FieldKind.CNPJ:
        return forms.CharField(
            max_length=18, validators=[validate_cnpj],
            widget=forms.TextInput(attrs=_text_attrs(mode="numeric")), **common,
        )  # fmt: skip
    if kind == FieldKind.EMAIL:
        return forms.EmailField(widget=forms.EmailInput(attrs=_text_attrs("email")), **common)
    if kind == FieldKind.PHONE:
        return forms.CharField(
            max_length=20, validators=[phone_validator],
            widget=forms.TextInput(attrs={"type": "tel", "autocomplete": "tel"}), **common,
        )  # fmt: skip
    if kind == FieldKind.CEP:
        return forms.CharField(
            max_length=9, validators=[validate_cep],
            widget=forms.TextInput(attrs=_text_attrs("postal-code", "numeric")), **common,
        )  # fmt: skip
    if kind == FieldKind.CHOICE:
        choices = [(c, c) for c in row.choice_list()]
        return forms.ChoiceField(choices=choices, widget=forms.RadioSelect, **common)
    if kind == FieldKind.YES_NO:
        return forms.ChoiceField(choices=YES_NO, widget=forms.RadioSelect, **common)
    if kind == FieldKind.FILE:
        return forms.FileField(**common)
    return forms.CharField(max_length=500, **common)


def answer_text(value: Any) -> str:
    """An answer as the case keeps it (text, dates in ISO, numbers with a comma)."""
    if value is None:
        return ""
    if isinstance(value, Decimal):
        text = format(value.normalize(), "f")
        return text.replace(".", ",")
    if hasattr(value, "isoformat"):
        return str(value.isoformat())
    return str(value).strip()


class RequestForm(forms.Form):
    """See the module docstring."""

    nome = forms.CharField(
        label="Seu nome", max_length=200, required=False,
        widget=forms.TextInput(attrs={"autocomplete": "name"}),
    )  # fmt: skip
    documento = forms.CharField(
        label="CPF", max_length=14, required=False, validators=[validate_cpf],
        help_text="Opcional. Só números ou com pontos e traço.",
        widget=forms.TextInput(attrs={"inputmode": "numeric"}),
    )  # fmt: skip
    email = forms.EmailField(
        label="E-mail", required=False,
        help_text="Para receber os avisos do andamento. Opcional, mas sem ele você "
        "acompanha só pelo número do protocolo e o código de acesso.",
        widget=forms.EmailInput(attrs={"autocomplete": "email"}),
    )  # fmt: skip
    telefone = forms.CharField(
        label="Telefone", max_length=20, required=False, validators=[phone_validator],
        widget=forms.TextInput(attrs={"type": "tel", "autocomplete": "tel"}),
    )  # fmt: skip
    descricao = forms.CharField(
        label="Descreva o seu pedido", max_length=5000, required=False,
        widget=forms.Textarea(attrs={"rows": 5}),
    )  # fmt: skip

    def __init__(
        self,
        *args: Any,
        service_form: ServiceForm,
        questions: list[FormField],
        documents: list[DocumentRequirement],
        kept: dict[str, DraftFile] | None = None,
        reusable: dict[int, list[Attachment]] | None = None,
        slots: list[Slot] | None = None,
        signed_in: bool = False,
        **kwargs: Any,
    ) -> None:
        super().__init__(*args, **kwargs)
        self.service_form = service_form
        self.questions = questions
        self.documents = [d for d in documents if d.asked]
        self.kept = kept or {}
        self.reusable = reusable or {}
        self.signed_in = signed_in
        #: files that passed the content check in this request: field name → (upload, result)
        self.accepted: dict[str, tuple[UploadedFile, files.Checked]] = {}
        for row in questions:
            self.fields[f"campo_{row.key}"] = build_field(row)
        if service_form.requires_location:
            self.fields["cep"] = forms.CharField(
                label="CEP", max_length=9, required=False, validators=[validate_cep],
                help_text="Opcional. Com ele, o botão “Buscar o endereço” preenche a rua.",
                widget=forms.TextInput(attrs=_text_attrs("postal-code", "numeric")),
            )  # fmt: skip
            self.fields["endereco"] = forms.CharField(
                label="Endereço ou ponto de referência", max_length=250, required=False,
                help_text="Rua, número, bairro; ou um ponto de referência.",
            )  # fmt: skip
            self.fields["latitude"] = forms.DecimalField(
                label="Latitude", required=False, max_digits=9, decimal_places=6,
                min_value=-90, max_value=90, help_text="Opcional (ex.: -26,8771).",
                localize=True, widget=forms.TextInput(attrs={"inputmode": "decimal"}),
            )  # fmt: skip
            self.fields["longitude"] = forms.DecimalField(
                label="Longitude", required=False, max_digits=9, decimal_places=6,
                min_value=-180, max_value=180, help_text="Opcional (ex.: -52,4042).",
                localize=True, widget=forms.TextInput(attrs={"inputmode": "decimal"}),
            )  # fmt: skip
        for doc in self.documents:
            self.fields[f"doc_{doc.pk}"] = forms.FileField(label=doc.name, required=False)
            options = self.reusable.get(doc.pk, [])
            if options:
                self.fields[f"reusar_{doc.pk}"] = forms.ChoiceField(
                    label=f"{doc.name}: usar um arquivo que você já enviou?",
                    required=False,
                    widget=forms.RadioSelect,
                    choices=[("", "Não, vou enviar um arquivo agora")]
                    + [(str(a.pk), f"Sim: “{a.name}”, do pedido {a.case.number}") for a in options],
                )
        if slots is not None:
            self.fields["horario"] = forms.ModelChoiceField(
                label="Escolha o dia e a hora do atendimento",
                queryset=Slot.objects.filter(pk__in=[s.pk for s in slots]),
                required=False,
                widget=forms.RadioSelect,
                empty_label=None,
            )
            self.fields["horario"].choices = [  # type: ignore[attr-defined]
                (
                    s.pk,
                    f"{s} ({s.capacity - s.booked} vaga{'s' if s.capacity - s.booked > 1 else ''})",
                )
                for s in slots
            ]
        if signed_in:
            self.fields["nome"].help_text = "Como está na sua conta; corrija se precisar."

    # -- files -----------------------------------------------------------------
    def _limits(self, name: str) -> tuple[list[str], int]:
        if name.startswith("doc_"):
            doc = next(d for d in self.documents if f"doc_{d.pk}" == name)
            return doc.file_type_list(), doc.max_size_mb
        row = next(r for r in self.questions if f"campo_{r.key}" == name)
        return row.file_type_list(), row.max_size_mb

    def file_names(self) -> list[str]:
        return [n for n, f in self.fields.items() if isinstance(f, forms.FileField)]

    def _clean_files(self) -> None:
        for name in self.file_names():
            upload = self.cleaned_data.get(name)
            if not upload:
                continue
            allowed, max_mb = self._limits(name)
            try:
                result = files.check(upload, upload.size or 0, allowed=allowed, max_mb=max_mb)
            except files.Refused as exc:
                self.add_error(name, str(exc))
            else:
                self.accepted[name] = (upload, result)

    def has_file(self, name: str) -> bool:
        return name in self.accepted or name in self.kept

    # -- the whole form ----------------------------------------------------------
    def clean(self) -> dict[str, Any]:
        data = super().clean() or {}
        self._clean_files()
        if not self.signed_in and not (data.get("nome") or "").strip():
            self.add_error("nome", "Informe seu nome.")
        if not (data.get("descricao") or "").strip():
            self.add_error("descricao", "Conte em poucas palavras o que você precisa.")
        answers = {row.key: data.get(f"campo_{row.key}") for row in self.questions}
        for row in self.questions:
            name = f"campo_{row.key}"
            needed = row.required or (
                row.required_if_key
                and answer_text(answers.get(row.required_if_key)).casefold()
                == row.required_if_value.strip().casefold()
            )
            if not needed or name in self.errors:
                continue
            present = self.has_file(name) if row.kind == FieldKind.FILE else answers.get(row.key)
            if present in (None, "", False):
                if row.required:
                    self.add_error(name, REQUIRED)
                else:
                    other = next(
                        (q.label for q in self.questions if q.key == row.required_if_key), ""
                    )
                    self.add_error(
                        name,
                        f"Obrigatório quando a resposta a “{other}” é “{row.required_if_value}”.",
                    )
        for doc in self.documents:
            name = f"doc_{doc.pk}"
            reused = data.get(f"reusar_{doc.pk}")
            if doc.required and not (self.has_file(name) or reused) and name not in self.errors:
                self.add_error(name, "Envie este documento.")
        no_point = data.get("latitude") is None or data.get("longitude") is None
        no_address = not (data.get("endereco") or "").strip()
        if self.service_form.requires_location and no_point and no_address:
            self.add_error("endereco", "Informe o endereço ou um ponto de referência.")
        if (data.get("latitude") is None) != (data.get("longitude") is None):
            self.add_error("longitude", "Informe a latitude e a longitude, ou nenhuma das duas.")
        if "horario" in self.fields and not data.get("horario") and "horario" not in self.errors:
            self.add_error("horario", "Escolha um horário.")
        return data

    def draft_data(self) -> dict[str, str]:
        """What was typed, as text, for the draft (files are kept apart)."""
        names = [n for n in self.fields if n not in self.file_names()]
        return {n: str(self.data.get(n, ""))[:5000] for n in names if self.data.get(n, "") != ""}
