"""``paco audit verify``: check the audit trail's hash chain and its database triggers."""

from __future__ import annotations

from typing import Any

from django.core.management.base import BaseCommand, CommandError, CommandParser
from django.db import DEFAULT_DB_ALIAS, connections

from paco.audit import chain, triggers
from paco.audit.models import AuditEntry


class Command(BaseCommand):
    help = (
        "Trilha de auditoria. 'verify' confere a cadeia de resumos (SHA-256) de todos os "
        "registros e os gatilhos do banco de dados que impedem alterá-los; termina com erro "
        "e nomeia o primeiro registro adulterado. 'protect' reinstala os gatilhos."
    )

    def add_arguments(self, parser: CommandParser) -> None:
        sub = parser.add_subparsers(dest="subcommand", required=True, metavar="{verify,protect}")
        sub.add_parser("verify", help="Confere a trilha inteira (só lê).")
        sub.add_parser("protect", help="Reinstala os gatilhos que impedem alterar a trilha.")

    def handle(self, *args: Any, **options: Any) -> None:
        connection = connections[DEFAULT_DB_ALIAS]
        if options["subcommand"] == "protect":
            triggers.install(connection)
            self.stdout.write(self.style.SUCCESS("Gatilhos da trilha de auditoria instalados."))
            return
        verdict = chain.walk(chain.ordered(AuditEntry.objects.using(DEFAULT_DB_ALIAS)))
        if verdict.broken is not None:
            raise CommandError(
                f"A trilha de auditoria NÃO está íntegra. Primeiro problema: {verdict.broken}. "
                f"{verdict.checked} registros anteriores conferem."
            )
        if not triggers.installed(connection):
            raise CommandError(
                f"A cadeia confere ({verdict.checked} registros), mas os gatilhos do banco de "
                "dados que impedem alterar ou apagar a trilha não estão instalados. Investigue "
                "quem os removeu e reinstale-os com 'paco audit protect'."
            )
        self.stdout.write(
            self.style.SUCCESS(
                f"Trilha de auditoria íntegra: {verdict.checked} registros conferidos; "
                f"resumo do último: {verdict.head}."
            )
        )
