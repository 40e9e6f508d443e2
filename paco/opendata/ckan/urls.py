"""URLs of paco.opendata.ckan (mounted by paco/opendata/urls.py): CKAN's API paths."""

from django.urls import URLPattern, URLResolver, path

from paco.opendata.ckan import views

app_name = "ckan"

urlpatterns: list[URLPattern | URLResolver] = [
    path("api/3/action/<str:name>", views.action, name="action"),
    # CKAN serves the Action API without the version too (ckanapi uses this one)
    path("api/action/<str:name>", views.action, name="action_unversioned"),
    path("api/3", views.api_root, {"ver": 3}, name="api_root"),
    path("api/3/", views.api_root, {"ver": 3}),
    path("api/util/status", views.util_status, name="util_status"),
]
