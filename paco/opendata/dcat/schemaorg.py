"""schema.org ``Dataset`` JSON-LD for a dataset page (search engines, Google Dataset Search).

The portal embeds :func:`dataset_jsonld` in the dataset page as
``<script type="application/ld+json">`` (not executable, so the strict CSP allows
it); use :func:`paco.catalog.jsonld.script_content` to escape it.
"""

from __future__ import annotations

from typing import Any

from django.http import HttpRequest

from paco.core.sanitize import plain_output
from paco.opendata import links
from paco.opendata.dcat import common
from paco.opendata.models import Dataset, Resource, ResourceKind
from paco.tenancy.models import Municipality, Unit


def _town(town: Municipality, request: HttpRequest) -> dict[str, Any]:
    data: dict[str, Any] = {
        "@type": "GovernmentOrganization",
        "name": town.display_name,
        "url": town.site_url or links.absolute(request, "/"),
        "identifier": [
            {"@type": "PropertyValue", "propertyID": "CNPJ", "value": town.cnpj_digits},
            {"@type": "PropertyValue", "propertyID": "IBGE", "value": town.ibge_code},
        ],
        "address": {"@type": "PostalAddress", "addressRegion": town.uf, "addressCountry": "BR"},
    }
    if town.email:
        data["email"] = town.email
    return data


def _unit(unit: Unit, town: Municipality, request: HttpRequest) -> dict[str, Any]:
    data: dict[str, Any] = {
        "@type": "GovernmentOrganization",
        "name": unit.name,
        "url": common.organization_page(request, unit),
        "parentOrganization": {"@type": "GovernmentOrganization", "name": town.display_name},
    }
    if unit.acronym:
        data["alternateName"] = unit.acronym
    if unit.email:
        data["email"] = unit.email
    return data


def _download(name: str, url: str, fmt: common.FileFormat | None, **extra: Any) -> dict[str, Any]:
    data: dict[str, Any] = {"@type": "DataDownload", "name": name, "contentUrl": url}
    if fmt is not None:
        data["encodingFormat"] = fmt.media_type
    data.update({k: v for k, v in extra.items() if v not in (None, "")})
    return data


def _distributions(request: HttpRequest, resource: Resource) -> list[dict[str, Any]]:
    fmt = common.resource_format(resource)
    version = resource.current_version if resource.kind == ResourceKind.FILE else None
    url = links.download_url(request, resource)
    out = []
    if url:
        out.append(
            _download(
                resource.title,
                url,
                fmt,
                description=resource.description,
                contentSize=f"{version.size} B" if version and version.size else None,
                dateModified=(resource.modified_at.isoformat() if resource.modified_at else None),
            )
        )
    if common.has_datastore(resource):
        for key in common.EXPORT_FORMATS:
            out.append(
                _download(
                    f"{resource.title} ({key.upper()})",
                    links.export_url(request, resource, key),
                    common.file_format(key),
                )
            )
    return out


def _variables(resource: Resource) -> list[dict[str, Any]]:
    version = resource.current_version
    if not common.has_datastore(resource) or version is None:
        return []
    out = []
    for field in version.effective_schema().get("fields", []):
        entry: dict[str, Any] = {"@type": "PropertyValue", "name": field.get("name", "")}
        if field.get("title"):
            entry["alternateName"] = field["title"]
        if field.get("description"):
            entry["description"] = field["description"]
        if field.get("unit"):
            entry["unitText"] = field["unit"]
        out.append(entry)
    return out


def _temporal(dataset: Dataset) -> str | None:
    if not (dataset.temporal_start or dataset.temporal_end):
        return None
    start = dataset.temporal_start.isoformat() if dataset.temporal_start else ".."
    end = dataset.temporal_end.isoformat() if dataset.temporal_end else ".."
    return f"{start}/{end}"


@plain_output
def dataset_jsonld(request: HttpRequest, dataset: Dataset) -> dict[str, Any]:
    """The schema.org ``Dataset`` describing a published dataset, as a JSON-ready dict."""
    town = dataset.municipality
    resources = common.public_resources(dataset)
    license_term = common.license_term(dataset.license)
    code = dataset.spatial_code
    data: dict[str, Any] = {
        "@context": "https://schema.org",
        "@type": "Dataset",
        "@id": links.dataset_page_url(request, dataset) + "#conjunto",
        "name": dataset.title,
        "description": common.description_of(dataset),
        "url": links.dataset_page_url(request, dataset),
        "identifier": str(dataset.pk),
        "alternateName": dataset.name,
        "keywords": list(dataset.keywords)
        + [t.label for t in dataset.themes.all() if t.label not in dataset.keywords],
        "license": license_term.uri,
        "isAccessibleForFree": True,
        "inLanguage": common.LANGUAGE_TAG,
        "creator": _unit(dataset.unit, town, request),
        "publisher": _town(town, request),
        "spatialCoverage": {
            "@type": "Place",
            "name": f"{town.name}/{town.uf}" if code == town.ibge_code else code,
            "identifier": {"@type": "PropertyValue", "propertyID": "IBGE", "value": code},
            "sameAs": common.spatial_uri(code),
        },
        "dateCreated": dataset.created_at.isoformat(),
        "dateModified": dataset.modified_at.isoformat(),
        "includedInDataCatalog": {
            "@type": "DataCatalog",
            "name": f"Dados abertos — {town.display_name}",
            "url": common.portal_home(request),
        },
        "distribution": [d for r in resources for d in _distributions(request, r)],
    }
    if dataset.published_at:
        data["datePublished"] = dataset.published_at.isoformat()
    if dataset.version:
        data["version"] = dataset.version
    temporal = _temporal(dataset)
    if temporal:
        data["temporalCoverage"] = temporal
    name, email = common.contact_of(dataset)
    if email:
        data["creator"]["contactPoint"] = {
            "@type": "ContactPoint",
            "name": name,
            "email": email,
            "contactType": "responsável pelos dados",
        }
    variables = [v for r in resources for v in _variables(r)]
    if variables:
        data["variableMeasured"] = variables
    return data
