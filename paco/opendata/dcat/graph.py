"""The catalogue as RDF, following the DCAT-BR 1.0 application profile.

- ``dcat:Catalog``: the municipality's open-data catalogue (publisher: the
  municipality, with CNPJ and IBGE code), paged with a Hydra
  ``hydra:PartialCollectionView`` (100 datasets per page).
- ``dcat:Dataset``: one published dataset; the publisher is its unit
  (``foaf:Organization``/``org:Organization``, sub-organization of the municipality).
- ``dcat:Distribution``: each public resource (uploaded file or external link),
  and for tabular resources the CSV, JSON and Parquet exports, served by the
  ``dcat:DataService`` of the data API.

URIs are the portal pages plus a fragment (``…/dataset/<name>/#conjunto``), so
they stay stable and resolve to something a person can read. Blank mandatory
fields get honest fallbacks (a generated description, the unit's contact, the
"Outras" periodicity) so the output stays valid; the readiness page
(:mod:`paco.opendata.dcat.readiness`) lists them as missing.
"""

from __future__ import annotations

import datetime
from collections.abc import Iterable

from django.http import HttpRequest
from django.urls import reverse
from rdflib import BNode, Graph, Literal, URIRef
from rdflib.namespace import DCAT, DCTERMS, FOAF, ORG, RDF, SKOS, XSD

from paco.opendata import links, vocab
from paco.opendata.dcat import common
from paco.opendata.dcat.rdf import (
    SPDX,
    THEME_SCHEME,
    VCARD,
    Concepts,
    new_graph,
    text,
)
from paco.opendata.models import (
    Dataset,
    Resource,
    ResourceKind,
    ResourceVersion,
)
from paco.tenancy.models import Municipality, Unit

DCAT_VERSION = URIRef("http://www.w3.org/ns/dcat#version")  # DCAT 3 (rdflib knows DCAT 2)
DOCUMENT_FORMATS = {"pdf", "doc", "docx", "odt", "txt", "html"}


def _datetime(value: datetime.datetime | None) -> Literal | None:
    return Literal(value.isoformat(), datatype=XSD.dateTime) if value else None


def _date(value: datetime.date | None) -> Literal | None:
    return Literal(value.isoformat(), datatype=XSD.date) if value else None


class CatalogGraph:
    """Builds the DCAT-BR graph of one request (one catalogue page, or one dataset)."""

    def __init__(self, request: HttpRequest, town: Municipality) -> None:
        self.request = request
        self.town = town
        self.graph: Graph = new_graph()
        self.concepts = Concepts(self.graph)
        self._agents: dict[object, URIRef] = {}
        self._service: URIRef | None = None

    # --- helpers -----------------------------------------------------------------
    def _add(self, s: URIRef | BNode, p: URIRef, o: object) -> None:
        if o is None or o == "":
            return
        node = o if isinstance(o, URIRef | BNode | Literal) else Literal(o)
        self.graph.add((s, p, node))

    def _document(self, url: str) -> URIRef:
        node = URIRef(url)
        self.graph.add((node, RDF.type, FOAF.Document))
        return node

    def _contact(self, name: str, email: str) -> BNode:
        node = BNode()
        g = self.graph
        g.add((node, RDF.type, VCARD.Kind))
        g.add((node, RDF.type, VCARD.Organization))
        g.add((node, VCARD.fn, Literal(name)))
        if email:
            g.add((node, VCARD.hasEmail, URIRef(f"mailto:{email}")))
        return node

    def _location(self, code: str) -> URIRef:
        node = URIRef(common.spatial_uri(code))
        if (node, RDF.type, DCTERMS.Location) not in self.graph:
            self.graph.add((node, RDF.type, DCTERMS.Location))
            self.graph.add((node, DCTERMS.identifier, Literal(code)))
            label = f"{self.town.name}/{self.town.uf}" if code == self.town.ibge_code else code
            self.graph.add((node, FOAF.name, Literal(label)))
            if len(code) == 7:
                self.graph.add((node, DCTERMS.type, self.concepts.municipal_level()))
        return node

    # --- agents ------------------------------------------------------------------
    def town_agent(self) -> URIRef:
        if "town" in self._agents:
            return self._agents["town"]
        town = self.town
        node = URIRef(common.portal_home(self.request) + "#municipio")
        g = self.graph
        for cls in (FOAF.Agent, FOAF.Organization, ORG.Organization):
            g.add((node, RDF.type, cls))
        g.add((node, FOAF.name, Literal(town.display_name)))
        g.add((node, DCTERMS.identifier, Literal(town.cnpj_digits)))
        g.add((node, DCTERMS.type, self.concepts.local_authority()))
        g.add((node, DCTERMS.spatial, self._location(town.ibge_code)))
        if town.site_url:
            g.add((node, FOAF.homepage, self._document(town.site_url)))
        if town.email:
            g.add((node, FOAF.mbox, URIRef(f"mailto:{town.email}")))
        self._agents["town"] = node
        return node

    def unit_agent(self, unit: Unit) -> URIRef:
        if unit.pk in self._agents:
            return self._agents[unit.pk]
        node = URIRef(common.organization_page(self.request, unit) + "#orgao")
        g = self.graph
        for cls in (FOAF.Agent, FOAF.Organization, ORG.Organization):
            g.add((node, RDF.type, cls))
        g.add((node, FOAF.name, Literal(f"{unit.name} — {self.town.display_name}")))
        g.add((node, DCTERMS.type, self.concepts.local_authority()))
        g.add((node, ORG.subOrganizationOf, self.town_agent()))
        if unit.acronym:
            g.add((node, FOAF.nick, Literal(unit.acronym)))
        if unit.email:
            g.add((node, FOAF.mbox, URIRef(f"mailto:{unit.email}")))
        self._agents[unit.pk] = node
        return node

    # --- the data service ----------------------------------------------------------
    def data_service(self) -> URIRef:
        if self._service is not None:
            return self._service
        request = self.request
        node = URIRef(common.portal_home(request) + "#api-de-dados")
        g = self.graph
        g.add((node, RDF.type, DCAT.DataService))
        g.add((node, DCTERMS.title, text("API de dados abertos (CKAN DataStore)")))
        g.add(
            (
                node,
                DCTERMS.description,
                text(
                    "Consulta às tabelas publicadas: filtros, ordenação, paginação e SQL "
                    "somente leitura, compatível com a DataStore API do CKAN. Cada tabela "
                    "é identificada pelo id do recurso."
                ),
            )
        )
        g.add((node, DCAT.endpointURL, URIRef(links.absolute(request, "/api/3/action/"))))
        description = self._document(links.absolute(request, "/api/v1/openapi.json"))
        g.add((node, DCAT.endpointDescription, description))
        g.add((node, DCTERMS.conformsTo, URIRef("https://docs.ckan.org/en/2.10/api/")))
        g.add((node, DCTERMS.publisher, self.town_agent()))
        g.add((node, DCTERMS.accessRights, self.concepts.access_rights("1")))
        g.add((node, DCTERMS.license, self.concepts.license(vocab.DEFAULT_LICENSE)))
        g.add((node, DCAT.contactPoint, self._contact(self.town.display_name, self.town.email)))
        for word in ("api", "datastore", "dados abertos"):
            g.add((node, DCAT.keyword, text(word)))
        self._service = node
        return node

    # --- datasets and distributions --------------------------------------------------
    def dataset(self, dataset: Dataset) -> URIRef:
        request = self.request
        landing = links.dataset_page_url(request, dataset)
        node = URIRef(landing + "#conjunto")
        g, c = self.graph, self.concepts
        g.add((node, RDF.type, DCAT.Dataset))
        g.add((node, DCTERMS.identifier, Literal(str(dataset.pk))))
        g.add((node, DCTERMS.title, text(dataset.title)))
        g.add((node, DCTERMS.description, text(common.description_of(dataset))))
        for word in dataset.keywords:
            g.add((node, DCAT.keyword, text(word)))
        for theme in dataset.themes.all():
            g.add((node, DCAT.theme, c.theme(theme.uri, theme.label)))
        g.add((node, DCTERMS.publisher, self.unit_agent(dataset.unit)))
        g.add((node, DCTERMS.creator, self.unit_agent(dataset.unit)))
        g.add((node, DCAT.contactPoint, self._contact(*common.contact_of(dataset))))
        g.add((node, DCTERMS.accessRights, c.access_rights(dataset.access_rights)))
        g.add((node, DCTERMS.license, c.license(dataset.license)))
        g.add((node, DCTERMS.accrualPeriodicity, c.frequency(dataset.periodicity)))
        g.add((node, DCTERMS.spatial, self._location(dataset.spatial_code)))
        if dataset.temporal_start or dataset.temporal_end:
            period = BNode()
            g.add((period, RDF.type, DCTERMS.PeriodOfTime))
            self._add(period, DCAT.startDate, _date(dataset.temporal_start))
            self._add(period, DCAT.endDate, _date(dataset.temporal_end))
            g.add((node, DCTERMS.temporal, period))
        self._add(node, DCTERMS.issued, _datetime(dataset.published_at or dataset.created_at))
        self._add(node, DCTERMS.modified, _datetime(dataset.modified_at))
        if dataset.version:
            g.add((node, DCAT_VERSION, Literal(dataset.version)))
        g.add((node, DCTERMS.language, self._language()))
        g.add((node, DCAT.landingPage, self._document(landing)))
        resources = common.public_resources(dataset)
        for resource in resources:
            for dist in self.distributions(resource, landing):
                g.add((node, DCAT.distribution, dist))
        if any(common.has_datastore(r) for r in resources):
            g.add((node, DCAT.distribution, self._dictionary(dataset, landing)))
        return node

    def _dictionary(self, dataset: Dataset, landing: str) -> URIRef:
        """The data dictionary (art. 29 III) as a distribution: the ``datapackage.json``."""
        node = URIRef(landing + "#dicionario-de-dados")
        url = URIRef(links.absolute(self.request, reverse("dcat:datapackage", args=[dataset.name])))
        self._distribution(
            node,
            f"Dicionário de dados — {dataset.title}",
            "Estrutura e significado de cada coluna das tabelas (títulos, descrições, "
            "unidades, tipos e restrições), no formato Frictionless Data Package.",
            dataset.license,
            "DICIONARIO_DE_DADOS",
            common.file_format("json"),
        )
        self._download(node, url)
        self.graph.add(
            (node, DCTERMS.conformsTo, URIRef("https://specs.frictionlessdata.io/data-package/"))
        )
        self._add(node, DCTERMS.modified, _datetime(dataset.modified_at))
        return node

    def _language(self) -> URIRef:
        node = URIRef(common.LANGUAGE_URI)
        self.graph.add((node, RDF.type, DCTERMS.LinguisticSystem))
        return node

    def _format(self, node: URIRef, fmt: common.FileFormat | None) -> None:
        if fmt is None:
            return
        concept = self.concepts.media_type(fmt.uri, fmt.media_type, fmt.in_vocabulary)
        self.graph.add((node, DCTERMS.format, concept))
        self.graph.add((node, DCAT.mediaType, concept))

    def _distribution(
        self,
        node: URIRef,
        title: str,
        description: str,
        license_key: str,
        kind: str,
        fmt: common.FileFormat | None,
    ) -> None:
        """What every distribution states: title, description, licence, DCAT-BR type, format."""
        g, c = self.graph, self.concepts
        g.add((node, RDF.type, DCAT.Distribution))
        g.add((node, DCTERMS.title, text(title)))
        g.add((node, DCTERMS.description, text(description)))
        g.add((node, DCTERMS.license, c.license(license_key)))
        g.add((node, DCTERMS.type, c.resource_type(kind)))
        self._format(node, fmt)

    def _download(self, node: URIRef, url: URIRef) -> None:
        self.graph.add((node, DCAT.accessURL, url))
        self.graph.add((node, DCAT.downloadURL, url))

    def distributions(self, resource: Resource, landing: str) -> Iterable[URIRef]:
        url = links.download_url(self.request, resource)
        version = resource.current_version if resource.kind == ResourceKind.FILE else None
        if url:
            yield self._main_distribution(resource, landing, url, version)
        if version is not None and common.has_datastore(resource):
            # the treated table: the only distributions of a withheld original (LGPD)
            yield from self._exports(resource, landing, version.number)

    def _main_distribution(
        self, resource: Resource, landing: str, url: str, version: ResourceVersion | None
    ) -> URIRef:
        """The resource's own file (an external link, or a public original)."""
        g = self.graph
        fmt = common.resource_format(resource)
        node = URIRef(f"{landing}#recurso-{resource.pk}")
        if fmt is None:
            kind = "OUTRO"
        else:
            kind = "DOCUMENTACAO" if fmt.key in DOCUMENT_FORMATS else "DADOS"
        self._distribution(
            node,
            common.resource_title(resource),
            common.resource_description(resource, fmt),
            resource.dataset.license,
            kind,
            fmt,
        )
        g.add((node, DCTERMS.identifier, Literal(str(resource.pk))))
        g.add((node, DCAT.accessURL, URIRef(url)))
        if version is not None:
            g.add((node, DCAT.downloadURL, URIRef(url)))
            if version.size:
                g.add((node, DCAT.byteSize, Literal(version.size, datatype=XSD.nonNegativeInteger)))
            if version.sha256:
                checksum = BNode()
                g.add((checksum, RDF.type, SPDX.Checksum))
                g.add((checksum, SPDX.algorithm, SPDX.checksumAlgorithm_sha256))
                g.add(
                    (checksum, SPDX.checksumValue, Literal(version.sha256, datatype=XSD.hexBinary))
                )
                g.add((node, SPDX.checksum, checksum))
            issued = version.published_at or version.created_at
        else:
            issued = resource.created_at
        self._add(node, DCTERMS.issued, _datetime(issued))
        self._add(node, DCTERMS.modified, _datetime(max(resource.modified_at, issued)))
        return node

    def _exports(self, resource: Resource, landing: str, number: int) -> Iterable[URIRef]:
        service = self.data_service()
        self.graph.add((service, DCAT.servesDataset, URIRef(landing + "#conjunto")))
        for key in common.EXPORT_FORMATS:
            node = URIRef(f"{landing}#recurso-{resource.pk}-{key}")
            self._distribution(
                node,
                f"{common.resource_title(resource)} ({key.upper()})",
                f"Tabela “{resource.title}” (versão {number}) normalizada, "
                f"em {key.upper()}, gerada pela API de dados.",
                resource.dataset.license,
                "DADOS",
                common.file_format(key),
            )
            self._download(node, URIRef(links.export_url(self.request, resource, key)))
            self.graph.add((node, DCAT.accessService, service))
            self._add(node, DCTERMS.modified, _datetime(resource.modified_at))
            yield node

    # --- the catalogue -------------------------------------------------------------
    def catalog(self, datasets: Iterable[Dataset], modified: datetime.datetime | None) -> URIRef:
        request, town, g = self.request, self.town, self.graph
        home = common.portal_home(request)
        node = URIRef(home + "#catalogo")
        g.add((node, RDF.type, DCAT.Catalog))
        g.add((node, DCTERMS.title, text(f"Dados abertos — {town.display_name}")))
        g.add(
            (
                node,
                DCTERMS.description,
                text(
                    f"Catálogo de dados abertos da {town.display_name}/{town.uf} "
                    "(Lei nº 14.129/2021, art. 29), no perfil DCAT-BR."
                ),
            )
        )
        g.add((node, DCTERMS.publisher, self.town_agent()))
        g.add((node, FOAF.homepage, self._document(home)))
        g.add((node, DCTERMS.language, self._language()))
        g.add((node, DCTERMS.license, self.concepts.license(vocab.DEFAULT_LICENSE)))
        g.add((node, DCTERMS.spatial, self._location(town.ibge_code)))
        g.add((node, DCAT.themeTaxonomy, THEME_SCHEME))
        g.add((THEME_SCHEME, RDF.type, SKOS.ConceptScheme))
        g.add((THEME_SCHEME, DCTERMS.title, text("Temas do DCAT-BR")))
        self._add(node, DCTERMS.modified, _datetime(modified))
        for dataset in datasets:
            g.add((node, DCAT.dataset, self.dataset(dataset)))
        if self._service is not None:
            g.add((node, DCAT.service, self._service))
        return node


def dataset_graph(request: HttpRequest, dataset: Dataset) -> Graph:
    builder = CatalogGraph(request, dataset.municipality)
    builder.dataset(dataset)
    return builder.graph
