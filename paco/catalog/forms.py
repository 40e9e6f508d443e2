"""The forms of the charter's staff pages (``/servicos/gestao/``): one small form per task.

A service is edited in sections (what it is, who it is for, deadlines…), each a
:class:`~django.forms.ModelForm` over a few of its fields, plus the lists it holds
(who may ask, steps; a step's costs and channels) as formsets that work without
JavaScript: each shows one empty row to add another, and a "remover" box per row.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from django import forms
from django.forms import BaseInlineFormSet, inlineformset_factory

from paco.catalog.models import (
    Category,
    Channel,
    Cost,
    LifeEvent,
    Requester,
    Service,
    Status,
    Step,
)
from paco.tenancy.models import Unit

DATE_FORMATS = ["%Y-%m-%d", "%d/%m/%Y", "%d-%m-%Y"]


def _date_widget() -> forms.DateInput:
    return forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d")


def _rows(n: int) -> forms.Textarea:
    return forms.Textarea(attrs={"rows": n})


class ServiceSectionForm(forms.ModelForm[Service]):
    """A few of a service's fields; subclasses name them in ``Meta.fields``."""

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        for field in self.fields.values():
            if isinstance(field, forms.DateField):
                field.input_formats = DATE_FORMATS


class WhatForm(ServiceSectionForm):
    class Meta:
        model = Service
        fields = ["name", "acronym", "popular_names", "description", "keywords"]
        widgets = {
            "popular_names": _rows(3),
            "description": _rows(6),
            "keywords": _rows(3),
        }


class AudienceForm(ServiceSectionForm):
    class Meta:
        model = Service
        fields = ["audiences", "categories", "life_events"]
        widgets = {
            "audiences": forms.CheckboxSelectMultiple,
            "categories": forms.CheckboxSelectMultiple,
            "life_events": forms.CheckboxSelectMultiple,
        }

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        town = self.instance.municipality
        for name, model in (("categories", Category), ("life_events", LifeEvent)):
            field = self.fields[name]
            assert isinstance(field, forms.ModelMultipleChoiceField)
            field.queryset = model.objects.for_municipality(town)


class TimeForm(ServiceSectionForm):
    class Meta:
        model = Service
        fields = ["time_kind", "time_min", "time_max", "time_unit", "time_description"]
        labels = {
            "time_kind": "Prazo para o atendimento",
            "time_min": "Mínimo (quantidade)",
            "time_max": "Máximo (quantidade)",
            "time_unit": "Unidade",
        }
        help_texts = {
            "time_kind": "“Entre” pede o mínimo e o máximo; “Até” e “Em média”, o máximo.",
        }
        widgets = {"time_description": _rows(3)}


class ServiceCareForm(ServiceSectionForm):
    class Meta:
        model = Service
        fields = ["priority", "accessibility", "service_standards", "complaints"]
        widgets = {name: _rows(3) for name in fields}


class DigitalForm(ServiceSectionForm):
    digital_url = forms.URLField(
        label="Link do serviço digital",
        required=False,
        assume_scheme="https",
        widget=forms.URLInput(attrs={"inputmode": "url"}),
        help_text="Obrigatório quando o serviço é digital ou parcialmente digital.",
    )

    class Meta:
        model = Service
        fields = ["digital_status", "digital_url", "digitization_note", "digitization_planned_for"]
        widgets = {"digitization_note": _rows(3), "digitization_planned_for": _date_widget()}


class WhereForm(ServiceSectionForm):
    class Meta:
        model = Service
        fields = ["unit", "contact", "legislation", "last_reviewed"]
        widgets = {"contact": _rows(3), "legislation": _rows(3), "last_reviewed": _date_widget()}

    def __init__(self, *args: Any, units: Any = None, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        field = self.fields["unit"]
        assert isinstance(field, forms.ModelChoiceField)
        qs = Unit.objects.for_municipality(self.instance.municipality)
        field.queryset = qs if units is None else qs.filter(pk__in=units)
        field.help_text = "Só as unidades em que você edita a Carta de Serviços."


class StatusForm(forms.Form):
    status = forms.ChoiceField(label="Situação", choices=Status.choices)


@dataclass(frozen=True)
class Section:
    key: str
    title: str
    help: str
    form: type[ServiceSectionForm]


SECTIONS = [
    Section("o-que-e", "O que é", "Nome e descrição em linguagem simples.", WhatForm),
    Section(
        "para-quem",
        "Para quem",
        "Públicos e temas em que o serviço aparece na Carta.",
        AudienceForm,
    ),
    Section(
        "prazo",
        "Prazo",
        "Em quanto tempo o serviço é prestado. O tempo de espera para ser atendido é "
        "informado em cada canal, nas etapas.",
        TimeForm,
    ),
    Section(
        "atendimento",
        "Atendimento",
        "Prioridade, acessibilidade, como a pessoa é atendida e onde reclamar.",
        ServiceCareForm,
    ),
    Section("digital", "Serviço digital", "Se dá para fazer pela internet, e onde.", DigitalForm),
    Section(
        "onde",
        "Responsável e contato",
        "Unidade responsável, contato, legislação e data da última revisão.",
        WhereForm,
    ),
]
SECTION_BY_KEY = {s.key: s for s in SECTIONS}


class RemovableFormSet(BaseInlineFormSet[Any, Any, Any]):
    """Rows with a "remover" box labelled in pt-BR; untouched empty rows are ignored."""

    def add_fields(self, form: Any, index: int | None) -> None:
        super().add_fields(form, index)
        if "DELETE" in form.fields:
            form.fields["DELETE"].label = "Remover"


RequesterFormSet = inlineformset_factory(
    Service,
    Requester,
    formset=RemovableFormSet,
    fields=["kind", "requirements"],
    widgets={"requirements": _rows(2)},
    extra=1,
    can_delete=True,
)


StepFormSet = inlineformset_factory(
    Service,
    Step,
    formset=RemovableFormSet,
    fields=["order", "title", "description", "documents"],
    widgets={"description": _rows(3), "documents": _rows(3)},
    extra=1,
    can_delete=True,
)


class StepForm(forms.ModelForm[Step]):
    class Meta:
        model = Step
        fields = ["order", "title", "description", "documents"]
        widgets = {"description": _rows(3), "documents": _rows(4)}


CostFormSet = inlineformset_factory(
    Step,
    Cost,
    formset=RemovableFormSet,
    fields=["description", "value", "variable"],
    localized_fields=["value"],
    extra=1,
    can_delete=True,
)


ChannelFormSet = inlineformset_factory(
    Step,
    Channel,
    formset=RemovableFormSet,
    fields=["kind", "description", "waiting_time"],
    widgets={"description": _rows(2)},
    extra=1,
    can_delete=True,
)
