from django.apps import AppConfig


class CoreConfig(AppConfig):
    name = "paco.core"
    verbose_name = "Núcleo"

    def ready(self) -> None:
        from paco.core import checks  # noqa: F401  (registers the system checks)
