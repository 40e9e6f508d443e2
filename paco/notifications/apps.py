from django.apps import AppConfig


class NotificationsConfig(AppConfig):
    name = "paco.notifications"
    verbose_name = "Avisos aos servidores"
