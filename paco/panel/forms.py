"""The panel's period filter (a GET form: works without JavaScript, cacheable)."""

from __future__ import annotations

import datetime
from typing import Any

from django import forms

from paco.panel.figures import Period


class DateInput(forms.DateInput):
    input_type = "date"


class PeriodForm(forms.Form):
    de = forms.DateField(
        label="De",
        required=False,
        widget=DateInput(format="%Y-%m-%d"),
        help_text="Atendimentos recebidos ou concluídos a partir deste dia.",
    )
    ate = forms.DateField(
        label="Até",
        required=False,
        widget=DateInput(format="%Y-%m-%d"),
        help_text="Até este dia, inclusive.",
    )

    def clean(self) -> dict[str, Any]:
        data = super().clean() or {}
        start, end = data.get("de"), data.get("ate")
        if start and end and start > end:
            self.add_error("ate", "A data final deve ser igual ou posterior à inicial.")
        return data

    def period(self) -> Period:
        """The period asked (the whole history when the form is empty or wrong)."""
        if not self.is_valid():
            return Period()
        start: datetime.date | None = self.cleaned_data.get("de")
        end: datetime.date | None = self.cleaned_data.get("ate")
        return Period(start, end)
