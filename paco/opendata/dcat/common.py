"""What the DCAT-BR graph, schema.org and ``datapackage.json`` share.

Addresses of portal pages, vocabulary terms, file formats with their IANA media
types, the resources a dataset offers publicly, and the fallbacks used when an
optional field of the catalogue is blank (the readiness checklist tells staff
which fields to fill; the machine formats stay valid meanwhile).
"""

from __future__ import annotations

from dataclasses import dataclass

from django.db.models import Prefetch
from django.http import HttpRequest
from django.urls import reverse

from paco.opendata import links, vocab
from paco.opendata.models import Dataset, DatasetQuerySet, Resource, ResourceKind
from paco.tenancy.models import Unit

IANA = "https://www.iana.org/assignments/media-types/"

#: media types of formats the DCAT-BR format vocabulary does not list; their URIs
#: follow the vocabulary's pattern (``IANA`` + media type)
EXTRA_MEDIA_TYPES = {
    "parquet": "application/vnd.apache.parquet",
    "geojson": "application/geo+json",
    "ods": "application/vnd.oasis.opendocument.spreadsheet",
    "ndjson": "application/x-ndjson",
    "tsv": "text/tab-separated-values",
    "odt": "application/vnd.oasis.opendocument.text",
    "shp": "application/vnd.shp",
    "kml": "application/vnd.google-earth.kml+xml",
}

#: the exports every datastore-backed resource offers (``links.export_url``)
EXPORT_FORMATS = ("csv", "json", "parquet")

#: the catalogue language (VCR-LN uses the Library of Congress ISO 639-1 URIs)
LANGUAGE_URI = "http://id.loc.gov/vocabulary/iso639-1/pt"
LANGUAGE_TAG = "pt-BR"


@dataclass(frozen=True)
class FileFormat:
    key: str  # extension, lower case ("csv")
    media_type: str  # "text/csv"
    uri: str  # IANA media-type URI
    in_vocabulary: bool  # listed in the DCAT-BR format vocabulary

    @property
    def label(self) -> str:
        return self.key.upper()


def _vocabulary_formats() -> dict[str, str]:
    return {t.key: t.uri.removeprefix(IANA) for t in vocab.formats()}


def file_format(key: str = "", media_type: str = "") -> FileFormat | None:
    """The format of a file from its extension or (failing that) its media type."""
    known = _vocabulary_formats()
    key = key.strip().lower().lstrip(".")
    media_type = media_type.split(";")[0].strip().lower()
    if key in known:
        return FileFormat(key, known[key], IANA + known[key], True)
    if key in EXTRA_MEDIA_TYPES:
        mt = EXTRA_MEDIA_TYPES[key]
        return FileFormat(key, mt, IANA + mt, False)
    for k, mt in [*known.items(), *EXTRA_MEDIA_TYPES.items()]:
        if media_type and mt == media_type:
            return FileFormat(k, mt, IANA + mt, k in known)
    if media_type and "/" in media_type:
        return FileFormat(
            key or media_type.rsplit("/", 1)[-1], media_type, IANA + media_type, False
        )
    return None


def resource_format(resource: Resource) -> FileFormat | None:
    version = resource.current_version if resource.kind == ResourceKind.FILE else None
    media_type = resource.media_type or (version.media_type if version else "")
    key = resource.format
    if not key and version is not None and "." in version.original_name:
        key = version.original_name.rsplit(".", 1)[-1]
    return file_format(key, media_type)


def public_resources(dataset: Dataset) -> list[Resource]:
    """The resources a published dataset offers (links, and files with a current version).

    Uses ``prefetch_related("resources__current_version")`` when the caller did it.
    """
    cache = getattr(dataset, "_prefetched_objects_cache", {})
    if "resources" in cache:
        resources = list(dataset.resources.all())
    else:
        resources = list(dataset.resources.select_related("current_version"))
    public = [r for r in resources if r.kind == ResourceKind.LINK or r.current_version_id]
    for resource in public:
        if resource.current_version is not None:
            resource.current_version.resource = resource  # no query for the data dictionary
    return public


def has_datastore(resource: Resource) -> bool:
    version = resource.current_version
    return resource.kind == ResourceKind.FILE and version is not None and bool(version.parquet)


def portal_home(request: HttpRequest) -> str:
    return links.absolute(request, reverse("portal:home"))


def organization_page(request: HttpRequest, unit: Unit) -> str:
    return links.absolute(request, reverse("portal:organization", args=[unit.slug]))


def term_or(terms: tuple[vocab.Term, ...], key: str, fallback: str) -> vocab.Term:
    """The vocabulary term of ``key``, or that of ``fallback`` when ``key`` is not listed."""
    term = vocab.term(terms, key) or vocab.term(terms, fallback)
    assert term is not None
    return term


def license_term(key: str) -> vocab.Term:
    return term_or(vocab.licenses(), key, vocab.DEFAULT_LICENSE)


#: DCAT-BR's minimum lengths (``sh:minLength`` of the shapes) for titles and descriptions
MIN_TITLE = 3
MIN_DESCRIPTION = 10


def long_enough(value: str, minimum: int) -> bool:
    """Whether ``value`` has ``minimum`` characters once runs of whitespace count as one."""
    return len(" ".join(value.split())) >= minimum


def description_of(dataset: Dataset) -> str:
    """The dataset's description, or a generated sentence when it is too short for DCAT-BR."""
    if long_enough(dataset.description, MIN_DESCRIPTION):
        return dataset.description.strip()
    town = dataset.municipality
    return (
        f"Conjunto de dados “{dataset.title}”, publicado por {dataset.unit.name} "
        f"({town.display_name}/{town.uf})."
    )


def resource_title(resource: Resource) -> str:
    title = resource.title.strip()
    return title if len(title) >= MIN_TITLE else f"{title or 'Recurso'} — {resource.dataset.title}"


def resource_description(resource: Resource, fmt: FileFormat | None = None) -> str:
    if long_enough(resource.description, MIN_DESCRIPTION):
        return resource.description.strip()
    kind = "Link externo" if resource.kind == ResourceKind.LINK else "Arquivo"
    label = f" ({fmt.label})" if fmt else ""
    return f"{kind}{label} “{resource.title}” do conjunto de dados “{resource.dataset.title}”."


def contact_of(dataset: Dataset) -> tuple[str, str]:
    """Name and e-mail of the contact point: the dataset's, else its unit's, else the town's."""
    unit = dataset.unit
    name = dataset.contact_name.strip() or unit.name
    email = dataset.contact_email or unit.email or dataset.municipality.email
    return name, email


def spatial_uri(code: str) -> str:
    """The IBGE address of a municipality (or state) code: its entry in IBGE's localities API."""
    kind = "municipios" if len(code) == 7 else "estados"
    return f"https://servicodados.ibge.gov.br/api/v1/localidades/{kind}/{code}"


def with_related(qs: DatasetQuerySet) -> DatasetQuerySet:
    """Everything the graph reads, in a constant number of queries."""
    return qs.select_related("unit", "municipality").prefetch_related(
        "themes",
        Prefetch(
            "resources",
            queryset=Resource.objects.select_related("current_version").order_by(
                "position", "created_at"
            ),
        ),
    )
