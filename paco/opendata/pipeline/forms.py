"""Staff forms of the open-data back office (``/dados/gestao/``)."""

from __future__ import annotations

from typing import Any

from django import forms

from paco.opendata.models import Dataset, Resource, ResourceVersion, Theme
from paco.opendata.pipeline.actions import TREATMENTS
from paco.opendata.tabular import values
from paco.opendata.tabular.values import type_label
from paco.tenancy.models import Unit

DATASET_FORM_FIELDS = [
    "title",
    "name",
    "description",
    "unit",
    "contact_name",
    "contact_email",
    "themes",
    "license",
    "access_rights",
    "periodicity",
    "temporal_start",
    "temporal_end",
    "spatial",
    "version",
]

DATE_INPUT = forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d")


class DatasetForm(forms.ModelForm):
    keywords_text = forms.CharField(
        label="Palavras-chave",
        required=False,
        help_text="Separadas por vírgula.",
        max_length=1000,
    )

    class Meta:
        model = Dataset
        fields = DATASET_FORM_FIELDS
        widgets = {
            "temporal_start": DATE_INPUT,
            "temporal_end": DATE_INPUT,
            "themes": forms.CheckboxSelectMultiple,
            "description": forms.Textarea(attrs={"rows": 5}),
        }

    def __init__(self, *args: Any, units: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["unit"].queryset = units  # type: ignore[attr-defined]
        self.fields["themes"].queryset = Theme.objects.all()  # type: ignore[attr-defined]
        self.fields["name"].required = False
        self.fields[
            "name"
        ].help_text = "Parte do endereço (letras, números e hífens). Em branco: gerado do título."
        if not self.instance._state.adding:  # the pk is a UUID set at once: not a sign of saved
            self.fields["name"].disabled = True
            self.fields["name"].help_text = "Parte do endereço: não muda depois de criado."
            self.fields["keywords_text"].initial = ", ".join(self.instance.keywords or [])

    def catalogue_fields(self) -> dict[str, Any]:
        """The cleaned values in the shape ``actions.create_dataset/update_dataset`` take."""
        data = self.cleaned_data
        fields = {k: data[k] for k in DATASET_FORM_FIELDS if k not in ("name", "themes", "title")}
        fields["keywords"] = data.get("keywords_text", "")
        return fields

    def theme_keys(self) -> list[str]:
        return [t.key for t in self.cleaned_data.get("themes") or []]


NEW_RESOURCE = "__novo__"


class UploadForm(forms.Form):
    resource = forms.ChoiceField(label="Recurso")
    new_title = forms.CharField(label="Título do novo recurso", required=False, max_length=250)
    file = forms.FileField(
        label="Arquivo",
        help_text="CSV, XLSX, ODS ou JSON viram tabela consultável; PDF, ZIP e GeoJSON "
        "são publicados como arquivo.",
    )
    sheet = forms.CharField(
        label="Planilha (XLSX/ODS)",
        required=False,
        max_length=120,
        help_text="Em branco: a primeira planilha.",
    )
    auto_publish = forms.BooleanField(
        label="Publicar automaticamente se não houver erros nem dados pessoais",
        required=False,
    )

    def __init__(self, *args: Any, resources: list[Resource], **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        choices = [(str(r.pk), f"{r.title} ({r.name})") for r in resources]
        choices.append((NEW_RESOURCE, "Novo recurso…"))
        self.fields["resource"].choices = choices  # type: ignore[attr-defined]
        if not resources:
            self.fields["resource"].initial = NEW_RESOURCE

    def clean(self) -> dict[str, Any]:
        data = super().clean() or {}
        if data.get("resource") == NEW_RESOURCE and not (data.get("new_title") or "").strip():
            self.add_error("new_title", "Dê um título ao novo recurso.")
        return data


TREATMENT_CHOICES = [("", "Manter como está")] + [
    (k, v.capitalize()) for k, v in TREATMENTS.items()
]


class LgpdForm(forms.Form):
    """The LGPD decision: a legal basis, or a treatment per flagged column."""

    decision = forms.ChoiceField(
        label="Decisão",
        widget=forms.RadioSelect,
        choices=[
            ("tratamento", "Tratar as colunas com dados pessoais antes de publicar"),
            ("base_legal", "Publicar como está, com base legal registrada"),
        ],
    )
    legal_basis = forms.CharField(
        label="Base legal",
        required=False,
        max_length=2000,
        widget=forms.Textarea(attrs={"rows": 3}),
        help_text="Por exemplo: Lei nº 12.527/2011, art. 8º (remuneração de servidores).",
    )

    def __init__(self, *args: Any, version: ResourceVersion, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        flagged = {p.get("column") for p in version.personal_data or []}
        self.columns = [f["name"] for f in version.schema.get("fields", [])]
        self.treatment_fields: list[str] = []
        for index, column in enumerate(self.columns):
            key = f"t_{index}"
            self.fields[key] = forms.ChoiceField(
                label=f"Coluna “{column}”",
                choices=TREATMENT_CHOICES,
                required=False,
                initial="mask" if column in flagged else "",
            )
            self.treatment_fields.append(key)

    def treatments(self) -> dict[str, str]:
        return {
            column: self.cleaned_data.get(key) or ""
            for column, key in zip(self.columns, self.treatment_fields, strict=True)
            if self.cleaned_data.get(key)
        }


class PublishForm(forms.Form):
    accept_errors = forms.BooleanField(
        label="Publicar mesmo com erros (o relatório de validação será publicado junto)",
        required=False,
    )
    publish_dataset = forms.BooleanField(
        label="Publicar também o conjunto de dados (hoje em rascunho)", required=False
    )


class RejectForm(forms.Form):
    reason = forms.CharField(
        label="Motivo da recusa",
        min_length=10,
        max_length=1000,
        widget=forms.Textarea(attrs={"rows": 3}),
        help_text="Fica registrado na versão e na trilha de auditoria. A versão recusada "
        "não pode mais ser publicada; envie um arquivo novo se for o caso.",
    )


FIELD_TYPES = [
    ("", "Como detectado"),
    ("string", "Texto"),
    ("integer", "Inteiro"),
    ("number", "Número"),
    ("date", "Data"),
    ("datetime", "Data e hora"),
    ("boolean", "Sim/Não"),
]


class DictionaryForm(forms.Form):
    """Per column of the current version: what it means (title, description, unit), its type
    and its constraints (required, unique, minimum, maximum, allowed values)."""

    def __init__(
        self, *args: Any, resource: Resource, columns: list[dict[str, Any]], **kwargs: Any
    ) -> None:
        super().__init__(*args, **kwargs)
        self.columns = [c["name"] for c in columns]
        saved = resource.dictionary or {}
        self.rows: list[tuple[str, str, list[str]]] = []
        for index, column in enumerate(columns):
            entry = saved.get(column["name"]) or {}
            prefix = f"c{index}_"
            self.fields[prefix + "title"] = forms.CharField(
                label="Título", required=False, max_length=200, initial=entry.get("title", "")
            )
            self.fields[prefix + "description"] = forms.CharField(
                label="Descrição",
                required=False,
                max_length=2000,
                initial=entry.get("description", ""),
                widget=forms.Textarea(attrs={"rows": 2}),
            )
            self.fields[prefix + "unit"] = forms.CharField(
                label="Unidade de medida",
                required=False,
                max_length=60,
                initial=entry.get("unit", ""),
            )
            self.fields[prefix + "type"] = forms.ChoiceField(
                label="Tipo", required=False, choices=FIELD_TYPES, initial=entry.get("type", "")
            )
            constraints = entry.get("constraints") or {}
            self.fields[prefix + "required"] = forms.BooleanField(
                label="Obrigatório", required=False, initial=bool(constraints.get("required"))
            )
            self.fields[prefix + "unique"] = forms.BooleanField(
                label="Único (sem valores repetidos)",
                required=False,
                initial=bool(constraints.get("unique")),
            )
            for key, label in LIMITS:
                self.fields[prefix + key] = forms.CharField(
                    label=label,
                    required=False,
                    max_length=40,
                    initial=_shown_limit(constraints.get(key)),
                    help_text="Para números (1.234,56) e datas (dd/mm/aaaa).",
                )
            self.fields[prefix + "enum"] = forms.CharField(
                label="Valores permitidos",
                required=False,
                max_length=2000,
                initial="; ".join(str(x) for x in constraints.get("enum") or []),
                help_text="Separados por ponto e vírgula; vazio aceita qualquer valor.",
            )
            names = [prefix + k for k in (*DESCRIBED, *CONSTRAINED)]
            self.rows.append((column["name"], type_label(column.get("type", "")), names))

    def entries(self) -> dict[str, dict[str, Any]]:
        out: dict[str, dict[str, Any]] = {}
        for index, column in enumerate(self.columns):
            prefix = f"c{index}_"
            data = self.cleaned_data
            entry: dict[str, Any] = {
                key: (data.get(prefix + key) or "").strip() for key in DESCRIBED
            }
            constraints: dict[str, Any] = {
                key: True for key in ("required", "unique") if data.get(prefix + key)
            }
            for key, _label in LIMITS:
                limit = _limit(data.get(prefix + key) or "")
                if limit:
                    constraints[key] = limit
            allowed = [x.strip() for x in (data.get(prefix + "enum") or "").split(";")]
            if any(allowed):
                constraints["enum"] = [x for x in allowed if x]
            entry["constraints"] = constraints
            entry = {k: v for k, v in entry.items() if v}
            if entry:
                out[column] = entry
        return out


DESCRIBED = ("title", "description", "unit", "type")
CONSTRAINED = ("required", "unique", "minimum", "maximum", "enum")
LIMITS = (("minimum", "Mínimo"), ("maximum", "Máximo"))


def _limit(text: str) -> str:
    """A limit as typed by staff (1.234,56 or dd/mm/aaaa) in the schema's notation."""
    text = text.strip()
    day = values.parse_date(text, "%d/%m/%Y")
    if day is not None:
        return day.isoformat()
    number = values.parse_number(text, ",")
    if number is not None and not number[1]:
        return format(number[0], "f")
    return text  # refused with a clear message by update_dictionary


def _shown_limit(limit: Any) -> str:
    if limit is None:
        return ""
    text = str(limit)
    if len(text) == 10 and text[4] == "-" and text[7] == "-":
        return f"{text[8:]}/{text[5:7]}/{text[:4]}"
    return text.replace(".", ",")


class TokenForm(forms.Form):
    name = forms.CharField(
        label="Nome do token",
        max_length=120,
        help_text="Para que serve e onde será usado (por exemplo: “exportação noturna do ERP”).",
    )


def unit_queryset(town: Any, covered: set[int] | None) -> Any:
    units = Unit.objects.for_municipality(town)
    return units if covered is None else units.filter(pk__in=covered)
