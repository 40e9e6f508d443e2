from django.apps import AppConfig


class AtendimentoConfig(AppConfig):
    name = "paco.atendimento"
    verbose_name = "Atendimento"
