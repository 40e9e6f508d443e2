"""Readiness for the Portal Brasileiro de Dados Abertos: harvest URLs and a per-dataset checklist.

The staff page ``/dados/gestao/portal-nacional/`` (data editors and
administrators) explains how to register the catalogue with dados.gov.br and
shows, for each dataset the user may edit, which DCAT-BR fields are present.

Tiers, derived from the DCAT-BR 1.0 profile (``data/dcat-br``):

- **Bronze** — what the profile makes mandatory: the properties with
  ``sh:minCount 1`` in ``shacl/1.0/shapes.ttl`` for ``dcat:Dataset`` (title of at
  least 3 characters, description of at least 10, publisher, contact point with
  name and e-mail, access rights, accrual periodicity) plus ``dcat:version``,
  which ``dcat-br.ttl`` tags "Selo de Qualidade: Bronze", and the dataset being
  published (a draft is not harvested). The RDF output fills a blank description,
  contact or periodicity with a fallback so it stays valid, but the checklist
  counts only what staff filled in.
- **Prata (silver)** — the profile's recommendations
  (``shacl/1.0/shapes_recommended.ttl``): keywords, themes, licence, temporal
  coverage, at least one distribution, and distributions with a title, a
  description and a known format.
- **Ouro (gold)** — optional properties the profile tags "Selo de Qualidade:
  Ouro" (spatial coverage; temporal coverage with both start and end dates) and
  the quality criteria of Lei 14.129 art. 29: data in an open machine-readable
  format (a tabular resource served by the data API), a complete data dictionary
  (every column described), the periodicity kept up to date (not "atualização
  atrasada"), and several formats (the CSV, JSON and Parquet exports).

A tier counts as reached only when the lower tiers are reached too.
"""

from __future__ import annotations

import datetime
from dataclasses import dataclass, field

from django.contrib.auth.decorators import login_required
from django.http import HttpRequest, HttpResponse
from django.shortcuts import render
from django.urls import reverse
from django.utils import timezone

from paco.opendata import links
from paco.opendata.access import editable_datasets
from paco.opendata.dcat import common
from paco.opendata.dcat.common import with_related
from paco.opendata.models import Dataset, Resource
from paco.opendata.pipeline.views import editor_town

TIERS = (("bronze", "Bronze"), ("prata", "Prata"), ("ouro", "Ouro"))


@dataclass(frozen=True)
class Check:
    tier: str
    label: str
    ok: bool
    hint: str = ""


@dataclass
class Readiness:
    dataset: Dataset
    checks: list[Check] = field(default_factory=list)

    def tier_checks(self, tier: str) -> list[Check]:
        return [c for c in self.checks if c.tier == tier]

    def missing(self, tier: str) -> list[Check]:
        return [c for c in self.tier_checks(tier) if not c.ok]

    @property
    def reached(self) -> str:
        """The highest tier whose checks (and the lower tiers') all pass; "" for none."""
        reached = ""
        for key, _label in TIERS:
            if self.missing(key):
                break
            reached = key
        return reached

    @property
    def reached_label(self) -> str:
        return dict(TIERS).get(self.reached, "Nenhum selo")

    def missing_by_tier(self) -> list[tuple[str, str, list[Check]]]:
        return [(key, label, self.missing(key)) for key, label in TIERS]


def _described(resource: Resource) -> bool:
    version = resource.current_version
    if version is None:
        return False
    fields = version.effective_schema().get("fields", [])
    return bool(fields) and all(f.get("description") or f.get("title") for f in fields)


def assess(dataset: Dataset, today: datetime.date) -> Readiness:
    """The checklist of one dataset (expects :func:`common.with_related` prefetching)."""
    r = Readiness(dataset)
    add = r.checks.append
    resources = common.public_resources(dataset)  # links, and files with a current version
    tables = [res for res in resources if common.has_datastore(res)]
    formats = [common.resource_format(res) for res in resources]

    # bronze: mandatory in DCAT-BR
    add(Check("bronze", "Publicado no catálogo", dataset.is_published, "Publique o conjunto."))
    add(
        Check(
            "bronze",
            "Título (3 caracteres ou mais)",
            len(dataset.title.strip()) >= common.MIN_TITLE,
        )
    )
    add(
        Check(
            "bronze",
            "Descrição (10 caracteres ou mais)",
            common.long_enough(dataset.description, common.MIN_DESCRIPTION),
            "Explique em linguagem simples o que há nos dados e para que servem.",
        )
    )
    add(Check("bronze", "Unidade publicadora", dataset.unit_id is not None))
    add(
        Check(
            "bronze",
            "Responsável: nome e e-mail (ponto de contato)",
            bool(dataset.contact_name.strip() and dataset.contact_email),
            "Informe a pessoa responsável pelos dados (Lei 14.129, art. 29).",
        )
    )
    add(Check("bronze", "Nível de acesso", bool(dataset.access_rights)))
    add(
        Check(
            "bronze",
            "Periodicidade de atualização",
            bool(dataset.periodicity),
            "Escolha de quanto em quanto tempo os dados são atualizados.",
        )
    )
    add(Check("bronze", "Versão", bool(dataset.version.strip()), "Informe a versão (ex.: 2025.1)."))

    # silver: recommended
    add(Check("prata", "Palavras-chave", bool(dataset.keywords)))
    add(Check("prata", "Temas do DCAT-BR", bool(list(dataset.themes.all()))))
    add(Check("prata", "Licença", bool(dataset.license)))
    add(
        Check(
            "prata",
            "Cobertura temporal",
            bool(dataset.temporal_start or dataset.temporal_end),
            "Informe o período a que os dados se referem.",
        )
    )
    add(Check("prata", "Ao menos um recurso (distribuição)", bool(resources)))
    add(
        Check(
            "prata",
            "Recursos com título, descrição e formato",
            bool(resources)
            and all(
                len(res.title.strip()) >= common.MIN_TITLE
                and common.long_enough(res.description, common.MIN_DESCRIPTION)
                for res in resources
            )
            and all(formats),
            "Descreva cada recurso (10 caracteres ou mais) e informe o formato.",
        )
    )

    # gold: optional properties and quality
    add(Check("ouro", "Cobertura espacial", bool(dataset.spatial_code)))
    add(
        Check(
            "ouro",
            "Cobertura temporal com início e fim",
            bool(dataset.temporal_start and dataset.temporal_end),
        )
    )
    add(
        Check(
            "ouro",
            "Dados em formato aberto legível por máquina (tabela na API de dados)",
            bool(tables),
            "Envie os dados em CSV, XLSX, ODS ou JSON para que virem tabela consultável.",
        )
    )
    add(
        Check(
            "ouro",
            "Dicionário de dados completo (todas as colunas descritas)",
            bool(tables) and all(_described(t) for t in tables),
            "Descreva cada coluna no dicionário de dados.",
        )
    )
    add(
        Check(
            "ouro",
            "Atualização em dia",
            bool(dataset.periodicity) and not dataset.update_is_late(today),
            "Publique a atualização prevista (atualização atrasada).",
        )
    )
    distinct = {f.key for f in formats if f} | (set(common.EXPORT_FORMATS) if tables else set())
    add(Check("ouro", "Vários formatos", len(distinct) >= 2))
    return r


def harvest_urls(request: HttpRequest) -> list[tuple[str, str]]:
    def url(name: str, *args: str) -> str:
        return links.absolute(request, reverse(name, args=list(args)))

    return [
        ("Catálogo DCAT-BR em Turtle", url("dcat:catalog", "ttl")),
        ("Catálogo DCAT-BR em RDF/XML", url("dcat:catalog", "rdf")),
        ("Catálogo DCAT-BR em JSON-LD", url("dcat:catalog", "jsonld")),
        ("API CKAN (base)", links.absolute(request, "/api/3/")),
        ("API CKAN: lista de conjuntos", links.absolute(request, "/api/3/action/package_search")),
    ]


@login_required
def page(request: HttpRequest) -> HttpResponse:
    town = editor_town(request)
    datasets = with_related(editable_datasets(request.user, town).order_by("title"))
    today = timezone.localdate()
    rows = [assess(ds, today) for ds in datasets]
    summary = [(label, sum(1 for r in rows if r.reached == key)) for key, label in TIERS]
    context = {
        "harvest_urls": harvest_urls(request),
        "rows": rows,
        "tiers": TIERS,
        "summary": summary,
        "without_tier": sum(1 for r in rows if not r.reached),
        "portal_url": town.open_data_portal_url,
    }
    return render(request, "dcat/readiness.html", context)
