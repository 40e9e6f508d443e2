"""The staff form for updating one stage."""

from __future__ import annotations

from typing import Any

from django import forms

from paco.plans.models import Stage


class StageUpdateForm(forms.ModelForm[Stage]):
    class Meta:
        model = Stage
        fields = ["status", "start", "deadline", "observation"]
        widgets = {
            "start": forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d"),
            "deadline": forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d"),
            "observation": forms.Textarea(attrs={"rows": 4}),
        }

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        for name in ("start", "deadline"):
            date_field = self.fields[name]
            assert isinstance(date_field, forms.DateField)
            date_field.input_formats = ["%Y-%m-%d", "%d/%m/%Y", "%d-%m-%Y"]

    def clean(self) -> dict[str, Any]:
        data = super().clean() or {}
        start, deadline = data.get("start"), data.get("deadline")
        if start and deadline and start > deadline:
            self.add_error("start", "O início não pode ser depois do prazo final.")
        return data
