"""Open-data URLs. Each part of the app owns its own ``urls.py``; this file mounts them.

- ``portal``: public pages (``/dados/``, ``/dataset/…``, feeds, widget);
- ``pipeline``: staff pages for uploads, review and publishing (``/dados/gestao/…``);
- ``datastore``: data API, downloads, exports, SQL (``/api/v1/…``, ``/datastore/dump/…``);
- ``ckan``: CKAN Action API v3 (``/api/3/action/…``, ``/api/util/status``);
- ``dcat``: DCAT-BR RDF, ``datapackage.json``, national-portal readiness.
"""

from django.urls import include, path

urlpatterns = [
    path("", include("paco.opendata.ckan.urls")),
    path("", include("paco.opendata.datastore.urls")),
    path("", include("paco.opendata.dcat.urls")),
    path("", include("paco.opendata.pipeline.urls")),
    path("", include("paco.opendata.portal.urls")),
]
