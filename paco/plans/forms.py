"""The staff form for updating one stage."""

from __future__ import annotations

from typing import Any

from django import forms

from paco.plans.dates import today_local
from paco.plans.models import PlanKind, Stage, Status
from paco.tenancy.models import Municipality, Unit


class StageUpdateForm(forms.ModelForm[Stage]):
    """Status, dates, completion, unit and observation of one stage.

    ``units``: the ids of the units the editor covers (``None``: the whole town,
    who may also leave a stage without a unit). A post without ``unit`` or
    ``completed_on`` (not from the page, which always sends them) leaves them as
    they are.
    """

    class Meta:
        model = Stage
        fields = ["status", "start", "deadline", "completed_on", "unit", "observation"]
        labels = {"completed_on": "Concluída em", "unit": "Unidade responsável"}
        help_texts = {
            "completed_on": "Ao marcar a etapa como concluída, fica a data de hoje se "
            "este campo estiver vazio; corrija-a se a etapa terminou em outro dia.",
        }
        widgets = {
            "start": forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d"),
            "deadline": forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d"),
            "completed_on": forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d"),
            "observation": forms.Textarea(attrs={"rows": 4}),
        }

    def __init__(self, *args: Any, units: set[int] | None = None, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        for name in ("start", "deadline", "completed_on"):
            date_field = self.fields[name]
            assert isinstance(date_field, forms.DateField)
            date_field.input_formats = ["%Y-%m-%d", "%d/%m/%Y", "%d-%m-%Y"]
        unit = self.fields["unit"]
        assert isinstance(unit, forms.ModelChoiceField)
        choices = Unit.objects.for_municipality(self.instance.municipality)
        if units is None:
            unit.empty_label = "Nenhuma (a etapa vale para todo o município)"
        else:
            choices = choices.filter(pk__in=units)
            unit.required = True
            unit.empty_label = None
        unit.queryset = choices
        if self.is_bound:
            for name in ("unit", "completed_on"):
                if self.add_prefix(name) not in self.data:
                    del self.fields[name]

    def clean(self) -> dict[str, Any]:
        data = super().clean() or {}
        start, deadline = data.get("start"), data.get("deadline")
        if start and deadline and start > deadline:
            self.add_error("start", "O início não pode ser depois do prazo final.")
        done_on = data.get("completed_on")
        if done_on and data.get("status") != Status.DONE:
            data["completed_on"] = None  # reopened: the action clears the date anyway
        elif done_on and done_on > today_local():
            self.add_error("completed_on", "A data de conclusão não pode estar no futuro.")
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
