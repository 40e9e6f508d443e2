"""URLs of paco.opendata.portal (mounted by paco/opendata/urls.py)."""

from django.urls import URLPattern, URLResolver

app_name = "portal"

urlpatterns: list[URLPattern | URLResolver] = []
