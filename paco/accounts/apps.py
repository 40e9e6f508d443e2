from django.apps import AppConfig


class AccountsConfig(AppConfig):
    name = "paco.accounts"
    verbose_name = "Servidores e acessos"
