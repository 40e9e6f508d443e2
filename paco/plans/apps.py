from django.apps import AppConfig


class PlansConfig(AppConfig):
    name = "paco.plans"
    verbose_name = "Cronogramas"
