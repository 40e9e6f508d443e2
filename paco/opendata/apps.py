from django.apps import AppConfig


class OpenDataConfig(AppConfig):
    name = "paco.opendata"
    label = "opendata"
    verbose_name = "Dados abertos"
