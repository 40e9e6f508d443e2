"""URLs of paco.opendata.dcat (mounted by paco/opendata/urls.py)."""

from django.urls import URLPattern, URLResolver, path, register_converter

from paco.opendata.dcat import datapackage, readiness, views


class RdfFormat:
    regex = "ttl|rdf|jsonld"

    def to_python(self, value: str) -> str:
        return value

    def to_url(self, value: str) -> str:
        return value


register_converter(RdfFormat, "rdffmt")

app_name = "dcat"

urlpatterns: list[URLPattern | URLResolver] = [
    path("catalog.<rdffmt:fmt>", views.catalog, name="catalog"),
    path("dataset/<slug:name>.<rdffmt:fmt>", views.dataset, name="dataset"),
    path("dataset/<slug:name>/datapackage.json", datapackage.view, name="datapackage"),
    path("dados/gestao/portal-nacional/", readiness.page, name="readiness"),
]
