"""``/dataset/<name>/datapackage.json``: the dataset as a Frictionless Data Package.

It carries the catalogue metadata (title, description, licence, keywords,
contributors) and, for each tabular resource, the CSV export of its current
version with the data dictionary as the Table Schema (art. 29 III: the
description of the structure and semantics of the data).

The schema describes the *export*, not the uploaded file: the pipeline's schema
says how the original was written ("1.234,56", dd/mm/aaaa, Sim/Não); the export
holds the normalized values (1234.56, ISO dates, true/false), so those reading
hints are dropped. ``bytes`` and ``hash`` are those of the export itself,
measured once per version when it is published and stored on it (versions never
change); a version published before that is measured on the first request.
Other resources (PDFs, links, non-tabular files) are listed as plain data
resources pointing at the original file or the link.
"""

from __future__ import annotations

import logging
import re
from typing import Any

from django.http import HttpRequest, HttpResponse

from paco.core.cache import public_page
from paco.core.http import public_json
from paco.core.sanitize import plain_output
from paco.opendata import links
from paco.opendata.access import public_dataset
from paco.opendata.dcat import common
from paco.opendata.dcat.common import with_related
from paco.opendata.models import Dataset, Resource, ResourceKind
from paco.opendata.pipeline.actions import record_csv_export

logger = logging.getLogger(__name__)

#: reading hints of the original file that do not apply to the normalized export
_READING_HINTS = {"decimalChar", "groupChar", "bareNumber", "trueValues", "falseValues"}
#: Table Schema string formats (they describe values, not how they were written)
_STRING_FORMATS = {"email", "uri", "binary", "uuid"}

LICENSE_IDS = {
    "cc-zero": "CC0-1.0",
    "cc-by": "CC-BY-4.0",
    "odc-odbl": "ODbL-1.0",
    "odc-pddl": "PDDL-1.0",
}


def package_name(text: str) -> str:
    """A valid Data Package name: lower case letters, digits, ``-``, ``_`` and ``.``."""
    name = re.sub(r"[^a-z0-9._-]+", "-", text.lower()).strip("-")
    return name or "recurso"


def export_schema(schema: dict[str, Any]) -> dict[str, Any]:
    """The Table Schema of the normalized CSV export, from the version's effective schema."""
    fields = []
    for source in schema.get("fields", []):
        field = {k: v for k, v in source.items() if k not in _READING_HINTS}
        kind = field.get("type", "string")
        if "format" in field and not (kind == "string" and field["format"] in _STRING_FORMATS):
            del field["format"]
        if kind in ("datetime", "time"):
            field["format"] = "any"
        fields.append(field)
    out: dict[str, Any] = {"fields": fields, "missingValues": [""]}
    if schema.get("primaryKey"):
        out["primaryKey"] = schema["primaryKey"]
    return out


def export_stats(resource: Resource) -> tuple[str, int] | None:
    """SHA-256 and size of the resource's CSV export, as the export view serves it."""
    version = resource.current_version
    if version is None or not version.parquet:
        return None
    if not version.csv_sha256:  # published before the figures were stored at publication
        try:
            version = record_csv_export(version)
        except Exception:  # the package stays useful without the figures
            logger.exception("datapackage: falha ao medir a exportação CSV de %s", resource.pk)
            return None
    return version.csv_sha256, int(version.csv_bytes or 0)


def _tabular(request: HttpRequest, resource: Resource) -> dict[str, Any]:
    version = resource.current_version
    assert version is not None
    entry: dict[str, Any] = {
        "name": package_name(resource.name),
        "title": resource.title,
        "description": resource.description,
        "profile": "tabular-data-resource",
        "path": links.export_url(request, resource, "csv"),
        "format": "csv",
        "mediatype": "text/csv",
        "encoding": "utf-8",
        "dialect": {"delimiter": ",", "quoteChar": '"', "header": True},
        "schema": export_schema(version.effective_schema()),
    }
    original = links.original_url(request, version)  # "" when withheld (personal data)
    if original:
        entry["sources"] = [
            {"title": f"Arquivo enviado (versão {version.number})", "path": original}
        ]
    stats = export_stats(resource)
    if stats is not None:
        entry["hash"] = f"sha256:{stats[0]}"
        entry["bytes"] = stats[1]
    return entry


def _other(request: HttpRequest, resource: Resource) -> dict[str, Any] | None:
    url = links.download_url(request, resource)
    if not url:
        return None
    fmt = common.resource_format(resource)
    entry: dict[str, Any] = {
        "name": package_name(resource.name),
        "title": resource.title,
        "description": resource.description,
        "profile": "data-resource",
        "path": url,
    }
    if fmt is not None:
        entry["format"] = fmt.key
        entry["mediatype"] = fmt.media_type
    version = resource.current_version if resource.kind == ResourceKind.FILE else None
    if version is not None and version.sha256:
        entry["hash"] = f"sha256:{version.sha256}"
        entry["bytes"] = version.size
    return entry


@plain_output
def descriptor(request: HttpRequest, dataset: Dataset) -> dict[str, Any]:
    """The Data Package descriptor of a published dataset."""
    town = dataset.municipality
    license_term = common.license_term(dataset.license)
    contact_name, contact_email = common.contact_of(dataset)
    contributors: list[dict[str, Any]] = [
        {
            "title": f"{dataset.unit.name} — {town.display_name}",
            "role": "publisher",
            "path": common.organization_page(request, dataset.unit),
        },
        {"title": contact_name, "role": "maintainer"},
    ]
    if contact_email:
        contributors[1]["email"] = contact_email
    resources = []
    for resource in common.public_resources(dataset):
        if common.has_datastore(resource):
            resources.append(_tabular(request, resource))
        else:
            other = _other(request, resource)
            if other is not None:
                resources.append(other)
    package: dict[str, Any] = {
        "profile": "data-package",
        "name": package_name(dataset.name),
        "id": links.dataset_page_url(request, dataset) + "#conjunto",
        "title": dataset.title,
        "description": common.description_of(dataset),
        "homepage": links.dataset_page_url(request, dataset),
        "keywords": list(dataset.keywords),
        "licenses": [
            {
                "name": LICENSE_IDS.get(dataset.license, dataset.license),
                "path": license_term.uri,
                "title": license_term.label,
            }
        ],
        "contributors": contributors,
        "sources": [
            {"title": town.display_name, "path": town.site_url or links.absolute(request, "/")}
        ],
        "created": dataset.created_at.isoformat(timespec="seconds"),
        "resources": resources,
    }
    if dataset.version:
        package["version"] = dataset.version
    if resources and all(r["profile"] == "tabular-data-resource" for r in resources):
        package["profile"] = "tabular-data-package"
    return package


@public_page
def view(request: HttpRequest, name: str) -> HttpResponse:
    found = public_dataset(request, name)
    dataset = with_related(Dataset.objects.filter(pk=found.pk)).get()
    return public_json(descriptor(request, dataset), indent=2)
