from django.apps import AppConfig


class AtendimentoConfig(AppConfig):
    name = "paco.atendimento"
    verbose_name = "Atendimento"

    def ready(self) -> None:
        from paco.atendimento import mydata

        mydata.register()
        from paco.atendimento import receivers  # noqa: F401  (connects the clock's signal)
