from django.apps import AppConfig


class DataRequestsConfig(AppConfig):
    name = "paco.datarequests"
    verbose_name = "Pedidos de abertura de bases de dados"

    def ready(self) -> None:
        # Self-published datasets (carta, cronograma, pedidos-de-abertura) refresh
        # after changes; the receivers live with the feature, in paco.opendata.
        from paco.opendata import selfpublish

        selfpublish.connect_receivers()
        from paco.datarequests import receivers  # noqa: F401
