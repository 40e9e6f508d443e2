from django.apps import AppConfig


class PanelConfig(AppConfig):
    name = "paco.panel"
    label = "panel"
    verbose_name = "Painel de atendimento"

    def ready(self) -> None:
        from paco.panel import facts

        facts.connect_receivers()
