from __future__ import annotations

from django import forms

from paco.deadlines.models import ClockSettings, HolidayKind


class HolidayForm(forms.Form):
    date = forms.DateField(
        label="Data",
        widget=forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d"),
        input_formats=["%Y-%m-%d", "%d/%m/%Y"],
        error_messages={"required": "Informe a data.", "invalid": "Data inválida."},
    )
    name = forms.CharField(
        label="Nome",
        max_length=120,
        error_messages={"required": "Informe o nome (por exemplo, Aniversário do município)."},
    )
    kind = forms.ChoiceField(
        label="Tipo", choices=HolidayKind.choices, initial=HolidayKind.MUNICIPAL
    )


class ClockSettingsForm(forms.ModelForm[ClockSettings]):
    class Meta:
        model = ClockSettings
        fields = ("counting_rule", "cutoff_hour", "extension_from", "citizen_answer_days")
        widgets = {
            "counting_rule": forms.RadioSelect,
            "extension_from": forms.RadioSelect,
        }
        error_messages = {
            "cutoff_hour": {
                "min_value": "Informe uma hora de 1 a 24.",
                "max_value": "Informe uma hora de 1 a 24.",
            },
            "citizen_answer_days": {
                "min_value": "Informe de 1 a 120 dias.",
                "max_value": "Informe de 1 a 120 dias.",
            },
        }
