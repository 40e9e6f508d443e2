from django.apps import AppConfig


class AuditConfig(AppConfig):
    name = "paco.audit"
    verbose_name = "Trilha de auditoria"
