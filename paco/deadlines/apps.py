from django.apps import AppConfig


class DeadlinesConfig(AppConfig):
    name = "paco.deadlines"
    verbose_name = "Prazos e feriados"
