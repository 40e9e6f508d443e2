from django.apps import AppConfig


class RequestFormsConfig(AppConfig):
    name = "paco.requestforms"
    label = "requestforms"
    verbose_name = "Pedidos de serviço pela internet"
