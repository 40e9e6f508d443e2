"""RDF plumbing for the DCAT-BR output: namespaces, vocabulary concepts, serialization.

Every controlled-vocabulary term the catalogue uses (theme, licence, access
rights, periodicity, format, spatial coverage) is written into the graph with its
type, scheme and pt-BR label, so the document is self-describing and the DCAT-BR
range and vocabulary shapes can be checked without fetching anything.
"""

from __future__ import annotations

from typing import Any

from rdflib import Graph, Literal, Namespace, URIRef
from rdflib.namespace import DCAT, DCTERMS, FOAF, ORG, RDF, SKOS, XSD

from paco.core.sanitize import plain_text
from paco.opendata import vocab
from paco.opendata.dcat import common

VCARD = Namespace("http://www.w3.org/2006/vcard/ns#")
SPDX = Namespace("http://spdx.org/rdf/terms#")
HYDRA = Namespace("http://www.w3.org/ns/hydra/core#")
ADMS = Namespace("http://www.w3.org/ns/adms#")
LOCN = Namespace("http://www.w3.org/ns/locn#")

DCATBR_VOCAB = "https://dcat-br.github.io/dcat-br/docs/vocabularies/"
THEME_SCHEME = URIRef(DCATBR_VOCAB + "themes/")
FREQUENCY_SCHEMES = (URIRef(DCATBR_VOCAB + "VCR-FR/"), URIRef(DCATBR_VOCAB + "VCR-FR"))
ACCESS_SCHEME = URIRef(DCATBR_VOCAB + "SEI/esquema")
LICENSE_SCHEME = URIRef(DCATBR_VOCAB + "VCR-LU/esquema")
FORMAT_SCHEME = URIRef(DCATBR_VOCAB + "formato/esquema")
SPATIAL_SCHEME = URIRef(DCATBR_VOCAB + "VCR-CE/")
RESOURCE_TYPE_SCHEME = URIRef(DCATBR_VOCAB + "tipo-recurso/")
PUBLISHER_TYPE_SCHEME = URIRef("http://purl.org/adms/publishertype/1.0")
LOCAL_AUTHORITY = URIRef("http://purl.org/adms/publishertype/LocalAuthority")

RESOURCE_TYPE_LABELS = {
    "DADOS": "Dados",
    "DICIONARIO_DE_DADOS": "Dicionário de dados",
    "DOCUMENTACAO": "Documentação",
    "API": "API",
    "OUTRO": "Outro",
}

PREFIXES: dict[str, Any] = {
    "dcat": DCAT,
    "dct": DCTERMS,
    "foaf": FOAF,
    "vcard": VCARD,
    "skos": SKOS,
    "org": ORG,
    "spdx": SPDX,
    "hydra": HYDRA,
    "adms": ADMS,
    "xsd": XSD,
}

#: the inline JSON-LD context (never a remote one)
JSONLD_CONTEXT = {prefix: str(ns) for prefix, ns in PREFIXES.items()}

CONTENT_TYPES = {
    "ttl": "text/turtle; charset=utf-8",
    "rdf": "application/rdf+xml; charset=utf-8",
    "jsonld": "application/ld+json; charset=utf-8",
}
_RDFLIB_FORMATS = {"ttl": "turtle", "rdf": "pretty-xml", "jsonld": "json-ld"}


def frequency_uri(key: str) -> URIRef:
    """The VCR-FR concept (``…/VCR-FR/MENSAL``) of a periodicity key."""
    return URIRef(f"{DCATBR_VOCAB}VCR-FR/{key}")


def new_graph() -> Graph:
    graph = Graph()
    for prefix, ns in PREFIXES.items():
        graph.bind(prefix, ns, override=True)
    return graph


def text(value: str) -> Literal:
    return Literal(value, lang="pt-BR")


class Concepts:
    """Adds each vocabulary concept to the graph once, with its type, scheme and label."""

    def __init__(self, graph: Graph) -> None:
        self.graph = graph
        self._done: set[URIRef] = set()

    def add(
        self,
        uri: str | URIRef,
        label: str,
        *,
        schemes: tuple[URIRef, ...] = (),
        types: tuple[URIRef, ...] = (),
        notation: str = "",
    ) -> URIRef:
        node = URIRef(uri)
        if node in self._done:
            return node
        self._done.add(node)
        g = self.graph
        g.add((node, RDF.type, SKOS.Concept))
        for cls in types:
            g.add((node, RDF.type, cls))
        for scheme in schemes:
            g.add((node, SKOS.inScheme, scheme))
        g.add((node, SKOS.prefLabel, text(label)))
        if notation:
            g.add((node, SKOS.notation, Literal(notation)))
        return node

    def theme(self, uri: str, label: str) -> URIRef:
        return self.add(uri, label, schemes=(THEME_SCHEME,))

    def license(self, key: str) -> URIRef:
        term = common.license_term(key)
        return self.add(
            term.uri, term.label, schemes=(LICENSE_SCHEME,), types=(DCTERMS.LicenseDocument,)
        )

    def access_rights(self, key: str) -> URIRef:
        term = common.term_or(vocab.access_rights(), key, vocab.DEFAULT_ACCESS_RIGHTS)
        return self.add(
            term.uri, term.label, schemes=(ACCESS_SCHEME,), types=(DCTERMS.RightsStatement,)
        )

    def frequency(self, key: str) -> URIRef:
        term = common.term_or(vocab.frequencies(), key, "OUTRAS")
        node = self.add(
            frequency_uri(term.key),
            term.label,
            schemes=FREQUENCY_SCHEMES,
            types=(DCTERMS.Frequency,),
            notation=term.key,
        )
        self.graph.add((node, SKOS.exactMatch, URIRef(term.uri)))
        return node

    def media_type(self, uri: str, media_type: str, in_vocabulary: bool) -> URIRef:
        return self.add(
            uri,
            media_type,
            schemes=(FORMAT_SCHEME,) if in_vocabulary else (),
            types=(DCTERMS.MediaType, DCTERMS.MediaTypeOrExtent),
        )

    def resource_type(self, key: str) -> URIRef:
        return self.add(
            f"{DCATBR_VOCAB}tipo-recurso/{key}",
            RESOURCE_TYPE_LABELS.get(key, key),
            schemes=(RESOURCE_TYPE_SCHEME,),
            notation=key,
        )

    def local_authority(self) -> URIRef:
        return self.add(
            LOCAL_AUTHORITY, "Autoridade local (município)", schemes=(PUBLISHER_TYPE_SCHEME,)
        )

    def municipal_level(self) -> URIRef:
        return self.add(
            f"{DCATBR_VOCAB}VCR-CE/MUNICIPAL",
            "Municipal",
            schemes=(SPATIAL_SCHEME,),
            notation="MUNICIPAL",
        )


def plain_literals(graph: Graph) -> Graph:
    """Every text literal of ``graph`` as plain text (harvesters render descriptions as HTML).

    One pass at serialization covers every literal however it was added."""
    for s, p, o in list(graph):
        if isinstance(o, Literal) and isinstance(o.value, str) and "<" in o:
            graph.remove((s, p, o))
            graph.add((s, p, Literal(plain_text(str(o)), lang=o.language, datatype=o.datatype)))
    return graph


def serialize(graph: Graph, fmt: str) -> bytes:
    graph = plain_literals(graph)
    if fmt == "jsonld":
        data = graph.serialize(format="json-ld", context=JSONLD_CONTEXT, auto_compact=True)
        return data.encode("utf-8")
    return graph.serialize(format=_RDFLIB_FORMATS[fmt], encoding="utf-8")
