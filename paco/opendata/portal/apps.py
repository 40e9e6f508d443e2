"""The public portal is its own Django app so its templates and static files are found."""

from django.apps import AppConfig


class PortalConfig(AppConfig):
    name = "paco.opendata.portal"
    label = "opendata_portal"
    verbose_name = "Portal de dados abertos"

    def ready(self) -> None:
        from paco.opendata.portal import webhooks  # noqa: F401 - connects the signal receivers
