from __future__ import annotations

from typing import Any

from django import forms

from paco.notifications.models import Preference


class PreferenceForm(forms.ModelForm[Preference]):
    class Meta:
        model = Preference
        fields = ("new_item", "assigned", "due_soon", "overdue", "digest", "days_before")
        widgets = {
            "new_item": forms.RadioSelect,
            "assigned": forms.RadioSelect,
            "due_soon": forms.RadioSelect,
            "overdue": forms.RadioSelect,
        }

    def __init__(self, *args: Any, town_days: int, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        days = self.fields["days_before"]
        days.help_text = (
            f"Avisar quantos dias antes do prazo. Em branco: o padrão do município "
            f"({town_days} dia{'s' if town_days != 1 else ''})."
        )
        days.widget.attrs.update({"min": 0, "max": 60})

    def clean_days_before(self) -> int | None:
        value: int | None = self.cleaned_data.get("days_before")
        if value is not None and value > 60:
            raise forms.ValidationError("Informe de 0 a 60 dias.")
        return value


class TownDaysForm(forms.Form):
    days_before = forms.IntegerField(
        label="Dias de antecedência (padrão do município)",
        required=False,
        min_value=0,
        max_value=60,
        help_text="Quantos dias antes do prazo os servidores são avisados, salvo escolha "
        "própria. Em branco: o padrão da instalação.",
    )
