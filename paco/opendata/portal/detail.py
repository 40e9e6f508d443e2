"""What the dataset and resource pages show, built in a constant number of queries."""

from __future__ import annotations

import datetime
import html
from collections import defaultdict
from collections.abc import Mapping
from dataclasses import dataclass, field
from typing import Any

from django.http import HttpRequest
from django.urls import reverse
from django.utils.safestring import SafeString

from paco.catalog.jsonld import script_content
from paco.core import csvsafe
from paco.opendata import links, vocab
from paco.opendata.dcat.schemaorg import dataset_jsonld
from paco.opendata.models import Dataset, Resource, ResourceKind, ResourceVersion
from paco.opendata.portal.preview import Preview, build_preview
from paco.opendata.tabular.values import type_label

EXPORT_FORMATS = (("csv", "CSV"), ("json", "JSON"), ("parquet", "Parquet"))
MAX_REPORT_ERRORS = 50
RDF_FORMATS = (
    ("ttl", "text/turtle", "DCAT-BR em Turtle"),
    ("rdf", "application/rdf+xml", "DCAT-BR em RDF/XML"),
    ("jsonld", "application/ld+json", "DCAT-BR em JSON-LD"),
)


def constraint_text(constraints: Mapping[str, Any] | None) -> str:
    """A Table Schema ``constraints`` object in pt-BR words."""
    if not constraints:
        return ""
    words = {
        "required": lambda v: "obrigatório" if v else "",
        "unique": lambda v: "valores únicos" if v else "",
        "minimum": lambda v: f"mínimo {v}",
        "maximum": lambda v: f"máximo {v}",
        "minLength": lambda v: f"pelo menos {v} caracteres",
        "maxLength": lambda v: f"até {v} caracteres",
        "pattern": lambda v: f"formato {v}",
        "enum": lambda v: "valores: " + ", ".join(map(str, v)),
    }
    parts = [words[k](v) if k in words else f"{k}: {v}" for k, v in constraints.items()]
    return "; ".join(p for p in parts if p)


@dataclass
class DictionaryRow:
    name: str
    title: str
    type: str
    description: str
    unit: str
    constraints: str


def dictionary(version: ResourceVersion) -> list[DictionaryRow]:
    rows = []
    for f in version.effective_schema().get("fields", []):
        rows.append(
            DictionaryRow(
                name=f["name"],
                title=str(f.get("title") or ""),
                type=type_label(str(f.get("type") or "")),
                description=str(f.get("description") or ""),
                unit=str(f.get("unit") or ""),
                constraints=constraint_text(f.get("constraints")),
            )
        )
    return rows


@dataclass
class VersionRow:
    number: int
    published_at: datetime.datetime | None
    rows: int | None
    size: int
    original_url: str
    original_name: str
    csv_url: str
    current: bool


@dataclass
class ApiExample:
    title: str
    curl: str
    python: str


@dataclass
class ResourceView:
    resource: Resource
    version: ResourceVersion | None
    download_url: str = ""
    download_label: str = ""
    exports: list[tuple[str, str]] = field(default_factory=list)
    dictionary: list[DictionaryRow] = field(default_factory=list)
    preview: Preview | None = None
    history: list[VersionRow] = field(default_factory=list)
    report_errors: list[str] = field(default_factory=list)
    report_error_count: int = 0
    embed_url: str = ""
    embed_snippet: str = ""
    page_url: str = ""

    @property
    def original_withheld(self) -> bool:
        """A file whose original is not public (personal data): say why it is not offered."""
        return bool(self.version and self.version.original and not self.download_url)

    @property
    def tabular(self) -> bool:
        return bool(self.version and self.version.parquet)

    @property
    def format_label(self) -> str:
        return (self.resource.format or "").upper() or "—"


def _history(
    request: HttpRequest, resource: Resource, versions: list[ResourceVersion]
) -> list[VersionRow]:
    rows = []
    for v in versions:
        csv_url = ""
        if v.parquet:
            csv_url = links.export_url(request, resource, "csv") + f"?versao={v.number}"
        rows.append(
            VersionRow(
                number=v.number,
                published_at=v.published_at,
                rows=v.rows,
                size=v.size,
                original_url=links.original_url(request, v),
                original_name=v.original_name,
                csv_url=csv_url,
                current=v.pk == resource.current_version_id,
            )
        )
    return rows


def resource_view(
    request: HttpRequest,
    resource: Resource,
    versions: list[ResourceVersion],
    *,
    preview_params: Mapping[str, Any] | None = None,
    page_size: int = 10,
    base_params: list[tuple[str, str]] | None = None,
) -> ResourceView:
    """One resource as the pages show it; ``preview_params`` None means the first page."""
    version = resource.current_version
    view = ResourceView(resource=resource, version=version)
    view.page_url = reverse("portal:resource", args=[resource.dataset.name, resource.pk])
    if resource.kind == ResourceKind.LINK:
        view.download_url, view.download_label = resource.url, "Acessar o link externo"
        return view
    if version is None:
        return view
    view.download_url = links.original_url(request, version)  # "" when withheld (LGPD)
    view.download_label = "Baixar o arquivo original"
    view.history = _history(request, resource, versions)
    report = version.report or {}
    view.report_error_count = int(report.get("error_count") or 0)
    view.report_errors = [str(e) for e in report.get("errors", [])[:MAX_REPORT_ERRORS]]
    if version.parquet:
        view.exports = [
            (label, links.export_url(request, resource, f)) for f, label in EXPORT_FORMATS
        ]
        csv_url = links.export_url(request, resource, "csv")
        view.exports.insert(1, (csvsafe.EXCEL_LABEL, csvsafe.excel_query(csv_url)))
        view.dictionary = dictionary(version)
        view.preview = build_preview(
            version,
            preview_params or {},
            active=preview_params is not None,
            page_size=page_size,
            base_params=base_params,
        )
        embed = reverse("portal:embed", args=[resource.pk])
        view.embed_url = request.build_absolute_uri(embed)
        title = html.escape(f"Prévia dos dados: {resource.title}")
        view.embed_snippet = (
            f'<iframe src="{view.embed_url}" title="{title}" width="100%" height="480" '
            f'loading="lazy"></iframe>'
        )
    return view


def published_versions(resources: list[Resource]) -> dict[Any, list[ResourceVersion]]:
    """Every published version of these resources (one query), newest first."""
    out: dict[Any, list[ResourceVersion]] = defaultdict(list)
    if not resources:
        return out
    qs = (
        ResourceVersion.objects.filter(resource__in=resources)
        .public_history()
        .only(
            "id",
            "resource_id",
            "number",
            "published_at",
            "rows",
            "size",
            "original",
            "original_name",
            "personal_data",
            "lgpd_decision",
            "parquet",
            "municipality_id",
        )
        .order_by("resource_id", "-number")
    )
    for v in qs:
        out[v.resource_id].append(v)
    return out


def api_examples(
    request: HttpRequest, dataset: Dataset, view: ResourceView | None
) -> list[ApiExample]:
    """Copy-paste examples with this installation's real addresses."""
    base = request.build_absolute_uri("/api/3/action/")
    show = f"{base}package_show?id={dataset.name}"
    examples = [
        ApiExample(
            "Metadados do conjunto (API CKAN, package_show)",
            f'curl "{show}"',
            "import json, urllib.request\n\n"
            f'url = "{show}"\n'
            "with urllib.request.urlopen(url) as resposta:\n"
            '    conjunto = json.load(resposta)["result"]\n'
            'print(conjunto["title"], [r["url"] for r in conjunto["resources"]])',
        )
    ]
    if view is None or not view.tabular:
        return examples
    rid = str(view.resource.pk)
    search_url = f"{base}datastore_search?resource_id={rid}&limit=5"
    examples.append(
        ApiExample(
            "Registros da tabela (datastore_search, compatível com o CKAN)",
            f'curl "{search_url}"',
            "import json, urllib.request\n\n"
            f'url = "{search_url}"\n'
            "with urllib.request.urlopen(url) as resposta:\n"
            '    resultado = json.load(resposta)["result"]\n'
            'print(resultado["total"], "registros")\n'
            'for registro in resultado["records"]:\n'
            "    print(registro)",
        )
    )
    sql = f'SELECT * FROM "{rid}" LIMIT 5'  # noqa: S608 - example text for people
    sql_url = f"{base}datastore_search_sql"
    examples.append(
        ApiExample(
            "Consulta SQL somente leitura (datastore_search_sql)",
            f"curl -G \"{sql_url}\" --data-urlencode '{('sql=' + sql)}'",
            "import json, urllib.parse, urllib.request\n\n"
            f"sql = '{sql}'\n"
            f'url = "{sql_url}?" + urllib.parse.urlencode({{"sql": sql}})\n'
            "with urllib.request.urlopen(url) as resposta:\n"
            '    print(json.load(resposta)["result"]["records"])',
        )
    )
    native = native_api_url(request, dataset, view.resource)
    examples.append(
        ApiExample(
            "API nativa com paginação por cursor (documentada em /api/v1/openapi.json)",
            f'curl "{native}?limit=5"',
            "import json, urllib.request\n\n"
            f'url = "{native}?limit=5"\n'
            "while url:\n"
            "    with urllib.request.urlopen(url) as resposta:\n"
            "        pagina = json.load(resposta)\n"
            '    print(len(pagina["records"]), "registros")\n'
            '    url = pagina.get("next")',
        )
    )
    csv_url = links.export_url(request, view.resource, "csv")
    examples.append(
        ApiExample(
            "A tabela inteira em CSV (por exemplo, com pandas)",
            f'curl -o dados.csv "{csv_url}"',
            f'import pandas as pd\n\ntabela = pd.read_csv("{csv_url}")\nprint(tabela.head())',
        )
    )
    return examples


def native_api_url(request: HttpRequest, dataset: Dataset, resource: Resource) -> str:
    path = reverse("datastore:records", args=[dataset.name, resource.name])
    return request.build_absolute_uri(path)


def alternates(request: HttpRequest, dataset: Dataset) -> list[tuple[str, str, str]]:
    """(absolute url, media type, title) of the machine-readable descriptions of ``dataset``."""
    out = [
        (
            request.build_absolute_uri(reverse("dcat:dataset", args=[dataset.name, fmt])),
            media_type,
            title,
        )
        for fmt, media_type, title in RDF_FORMATS
    ]
    path = reverse("dcat:datapackage", args=[dataset.name])
    out.append((request.build_absolute_uri(path), "application/json", "Data Package (JSON)"))
    return out


def schemaorg(request: HttpRequest, dataset: Dataset) -> SafeString:
    return script_content(dataset_jsonld(request, dataset))


def metadata(dataset: Dataset, today: datetime.date) -> dict[str, Any]:
    licence = vocab.term(vocab.licenses(), dataset.license)
    rights = vocab.term(vocab.access_rights(), dataset.access_rights)
    return {
        "license_label": licence.label if licence else dataset.license,
        "license_uri": licence.uri if licence else "",
        "access_rights_label": rights.label if rights else dataset.access_rights,
        "periodicity_label": dataset.get_periodicity_display() if dataset.periodicity else "",
        "late": dataset.update_is_late(today),
        "spatial_code": dataset.spatial_code,
    }
