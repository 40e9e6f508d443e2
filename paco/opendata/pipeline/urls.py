"""URLs of paco.opendata.pipeline (mounted by paco/opendata/urls.py)."""

from django.urls import URLPattern, URLResolver

app_name = "pipeline"

urlpatterns: list[URLPattern | URLResolver] = []
