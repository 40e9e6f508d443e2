from django.apps import AppConfig


class WorkspaceConfig(AppConfig):
    name = "paco.workspace"
    verbose_name = "Área de trabalho do servidor"
