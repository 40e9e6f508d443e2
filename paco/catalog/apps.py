from django.apps import AppConfig


class CatalogConfig(AppConfig):
    name = "paco.catalog"
    verbose_name = "Carta de Serviços"
