"""Staff forms: a service's online form (settings, questions, documents) and opening slots."""

from __future__ import annotations

import datetime
from typing import Any

from django import forms
from django.forms import inlineformset_factory

from paco.requestforms.models import DocumentRequirement, FormField, ServiceForm
from paco.tenancy.models import Unit


class SettingsForm(forms.ModelForm):
    class Meta:
        model = ServiceForm
        fields = ["enabled", "intro", "requires_location", "appointments", "min_govbr_level"]
        widgets = {"intro": forms.Textarea(attrs={"rows": 3})}


class FieldForm(forms.ModelForm):
    class Meta:
        model = FormField
        fields = [
            "position", "key", "label", "help", "kind", "choices", "required",
            "required_if_key", "required_if_value", "file_types", "max_size_mb",
        ]  # fmt: skip
        widgets = {"choices": forms.Textarea(attrs={"rows": 3})}


class BaseFieldFormSet(forms.BaseInlineFormSet):
    def clean(self) -> None:
        super().clean()
        keys = {
            f.cleaned_data.get("key")
            for f in self.forms
            if f.cleaned_data and not f.cleaned_data.get("DELETE")
        }
        for f in self.forms:
            data = f.cleaned_data or {}
            other = data.get("required_if_key")
            if other and not data.get("DELETE") and other not in keys:
                f.add_error("required_if_key", "Não há pergunta com este identificador.")


FieldFormSet = inlineformset_factory(
    ServiceForm, FormField, form=FieldForm, formset=BaseFieldFormSet, extra=1, can_delete=True
)


class DocumentForm(forms.ModelForm):
    class Meta:
        model = DocumentRequirement
        fields = ["issued_by_town", "ask_online", "required", "file_types", "max_size_mb"]

    def clean(self) -> dict[str, Any]:
        data = super().clean() or {}
        if data.get("issued_by_town") and data.get("required"):
            self.add_error(
                "required",
                "Um documento que a própria prefeitura emite não pode ser exigido do "
                "cidadão (Lei 13.726/2018, art. 3º).",
            )
        if data.get("required") and not data.get("ask_online"):
            self.add_error("required", "Para ser obrigatório, o arquivo tem de ser pedido.")
        return data


DocumentFormSet = inlineformset_factory(
    ServiceForm, DocumentRequirement, form=DocumentForm, extra=0, can_delete=False
)

WEEKDAYS = [
    (0, "segunda"), (1, "terça"), (2, "quarta"), (3, "quinta"), (4, "sexta"),
    (5, "sábado"), (6, "domingo"),
]  # fmt: skip


class SlotBatchForm(forms.Form):
    unit = forms.ModelChoiceField(label="Unidade", queryset=Unit.objects.none())
    first_day = forms.DateField(
        label="Primeiro dia", widget=forms.DateInput(attrs={"type": "date"})
    )
    last_day = forms.DateField(label="Último dia", widget=forms.DateInput(attrs={"type": "date"}))
    weekdays = forms.TypedMultipleChoiceField(
        label="Dias da semana",
        choices=WEEKDAYS,
        coerce=int,
        initial=[0, 1, 2, 3, 4],
        widget=forms.CheckboxSelectMultiple,
    )
    times = forms.CharField(
        label="Horários",
        help_text="Separados por vírgula, em 24 h: 8:00, 8:30, 9:00.",
        initial="8:00, 9:00, 10:00, 14:00, 15:00",
    )
    capacity = forms.IntegerField(label="Vagas por horário", min_value=1, max_value=500, initial=1)

    def __init__(self, *args: Any, units: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["unit"].queryset = units  # type: ignore[attr-defined]

    def clean_times(self) -> list[datetime.time]:
        found: list[datetime.time] = []
        for part in self.cleaned_data["times"].split(","):
            text = part.strip().lower().replace("h", ":")
            if not text:
                continue
            if text.endswith(":"):
                text += "00"
            try:
                hour, minute = (int(x) for x in text.split(":"))
                found.append(datetime.time(hour, minute))
            except ValueError as exc:
                raise forms.ValidationError(
                    f"Horário “{part.strip()}” não entendido (use 8:30)."
                ) from exc
        if not found:
            raise forms.ValidationError("Informe pelo menos um horário.")
        return sorted(set(found))
