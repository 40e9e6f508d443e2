"""URLs of paco.opendata.dcat (mounted by paco/opendata/urls.py)."""

from django.urls import URLPattern, URLResolver

app_name = "dcat"

urlpatterns: list[URLPattern | URLResolver] = []
