from django.apps import AppConfig


class CitizensConfig(AppConfig):
    name = "paco.citizens"
    label = "citizens"
    verbose_name = "Cidadãos"

    def ready(self) -> None:
        from paco.citizens import sections

        sections.register()
