"""URLs of paco.opendata.ckan (mounted by paco/opendata/urls.py)."""

from django.urls import URLPattern, URLResolver

app_name = "ckan"

urlpatterns: list[URLPattern | URLResolver] = []
