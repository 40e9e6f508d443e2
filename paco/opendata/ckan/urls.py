"""URLs of paco.opendata.ckan (mounted by paco/opendata/urls.py)."""

from django.urls import URLPattern, URLResolver

urlpatterns: list[URLPattern | URLResolver] = []
