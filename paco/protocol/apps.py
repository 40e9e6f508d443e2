from django.apps import AppConfig


class ProtocolConfig(AppConfig):
    name = "paco.protocol"
    verbose_name = "Protocolo (NUP)"
