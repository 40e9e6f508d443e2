"""``paco notifications-scan``: one pass of the servants' notices, for cron.

Sends the e-mails due for a retry, runs the daily deadline scan (once a day per
town unless ``--force``) and the daily digests. ``paco serve`` and ``paco
db_worker`` already run this pass every ``PACO_NOTIFY_TICK_SECONDS``; the command
is for installations that run neither, and for trying it by hand.
"""

from __future__ import annotations

from typing import Any

from django.core.management.base import BaseCommand, CommandParser

from paco.notifications.tasks import tick


class Command(BaseCommand):
    help = (
        "Avisos aos servidores: reenvia e-mails que falharam, verifica os prazos (uma vez por "
        "dia por município) e envia os resumos diários."
    )

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument(
            "--force",
            action="store_true",
            help="Verifica os prazos de novo mesmo que já tenham sido verificados hoje.",
        )

    def handle(self, *args: Any, **options: Any) -> None:
        done = tick(force_scan=options["force"])
        self.stdout.write(
            f"Reenviados: {done['retried']}; avisos de prazo: {done['scanned']}; "
            f"resumos: {done['digests']}; envios interrompidos retomados: {done['released']}."
        )
