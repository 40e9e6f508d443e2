from django.apps import AppConfig


class TenancyConfig(AppConfig):
    name = "paco.tenancy"
    verbose_name = "Municípios e unidades"
