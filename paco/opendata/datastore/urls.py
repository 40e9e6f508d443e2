"""Data API, downloads and exports (owned by paco.opendata.datastore)."""

from django.urls import path

from paco.opendata.datastore import native, openapi, views

app_name = "datastore"

urlpatterns = [
    # every version's original file, as uploaded (art. 29 VI: history stays downloadable)
    path(
        "dados/recurso/<uuid:resource_id>/v<int:number>/original",
        views.original,
        name="original",
    ),
    # the table as csv | tsv | json | ndjson | parquet (query string: versao, filters, sort, bom)
    path("dados/recurso/<uuid:resource_id>/dados.<str:fmt>", views.export, name="export"),
    # CKAN's bulk dump path
    path("datastore/dump/<uuid:resource_id>", views.dump, name="dump"),
    # the native JSON API (documented by the OpenAPI document below)
    path(
        "api/v1/datasets/<slug:name>/resources/<slug:resource>/records",
        native.records_by_name,
        name="records",
    ),
    path("api/v1/tables/<uuid:resource_id>", native.records_by_id, name="table"),
    path("api/v1/openapi.json", openapi.openapi_json, name="openapi"),
]
