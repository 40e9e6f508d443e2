"""The staff form for updating one stage."""

from __future__ import annotations

from typing import Any

from django import forms

from paco.plans.models import PlanKind, Stage
from paco.tenancy.models import Municipality, Unit


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


MAX_IMPORT_BYTES = 5 * 1024 * 1024


class PlanImportForm(forms.Form):
    file = forms.FileField(
        label="Arquivo do cronograma",
        help_text="Texto copiado do documento publicado (.txt), planilha CSV ou XLSX, "
        "com as colunas Etapa, Descrição, Prazo, Prazo final e Observação.",
    )
    title = forms.CharField(
        label="Título",
        max_length=250,
        required=False,
        help_text="Em branco: “Implementação da Lei nº 14.129/2021”.",
    )
    kind = forms.ChoiceField(label="Tipo", choices=PlanKind.choices)
    unit = forms.ModelChoiceField(
        label="Unidade responsável pelas etapas",
        queryset=Unit.objects.none(),
        required=False,
    )
    replace = forms.BooleanField(
        label="Substituir o cronograma de mesmo título, se existir",
        required=False,
    )

    def __init__(self, *args: Any, town: Municipality, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        unit_field = self.fields["unit"]
        assert isinstance(unit_field, forms.ModelChoiceField)
        unit_field.queryset = Unit.objects.for_municipality(town)

    def clean_file(self) -> Any:
        upload = self.cleaned_data["file"]
        if upload.size > MAX_IMPORT_BYTES:
            raise forms.ValidationError("O arquivo passa de 5 MB.")
        return upload
