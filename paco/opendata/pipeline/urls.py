"""URLs of paco.opendata.pipeline (mounted by paco/opendata/urls.py).

- staff pages under ``/dados/gestao/`` (sign-in; 404 for non-editors);
- the token upload API under ``/api/v1/datasets/…/versions``.
"""

from django.urls import URLPattern, URLResolver, path

from paco.opendata.pipeline import api, review, views

app_name = "pipeline"

STAFF = "dados/gestao/"
VERSION = STAFF + "recursos/<uuid:resource_id>/v<int:number>/"

urlpatterns: list[URLPattern | URLResolver] = [
    path(STAFF, views.home, name="home"),
    path(STAFF + "conjuntos/novo/", views.dataset_create, name="dataset-create"),
    path(STAFF + "conjuntos/<slug:name>/", views.dataset_detail, name="dataset"),
    path(STAFF + "conjuntos/<slug:name>/editar/", views.dataset_edit, name="dataset-edit"),
    path(STAFF + "conjuntos/<slug:name>/enviar/", views.upload, name="upload"),
    path(VERSION, review.version_page, name="version"),
    path(VERSION + "situacao.json", review.version_status_json, name="version-status"),
    path(VERSION + "lgpd/", review.version_lgpd, name="version-lgpd"),
    path(VERSION + "publicar/", review.version_publish, name="version-publish"),
    path(VERSION + "tentar-novamente/", review.version_retry, name="version-retry"),
    path(VERSION + "recusar/", review.version_reject, name="version-reject"),
    path(STAFF + "recursos/<uuid:resource_id>/dicionario/", review.dictionary, name="dictionary"),
    path(STAFF + "tokens/", views.token_list, name="tokens"),
    path(STAFF + "tokens/<int:pk>/revogar/", views.token_revoke, name="token-revoke"),
    path(
        "api/v1/datasets/<slug:name>/resources/<slug:resource>/versions",
        api.upload,
        name="api-versions",
    ),
    path(
        "api/v1/datasets/<slug:name>/resources/<slug:resource>/versions/<int:number>",
        api.version_detail,
        name="api-version",
    ),
]
