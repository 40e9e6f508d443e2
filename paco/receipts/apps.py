from django.apps import AppConfig


class ReceiptsConfig(AppConfig):
    name = "paco.receipts"
    label = "receipts"
    verbose_name = "Comprovantes"

    def ready(self) -> None:
        from paco.receipts import verification

        verification.register(verification.find_receipt)
