"""``paco publish-self``: publish (or refresh) the datasets Paço publishes about itself."""

from __future__ import annotations

from typing import Any

from django.core.management.base import BaseCommand, CommandParser

from paco.opendata import selfpublish
from paco.tenancy.cli import municipality_option
from paco.tenancy.models import Municipality


class Command(BaseCommand):
    help = (
        "Publica como dados abertos a Carta de Serviços, o cronograma e os pedidos de abertura "
        "de bases (sem dados pessoais), pelo mesmo processo de importação. Só cria uma nova "
        "versão quando o conteúdo mudou."
    )

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("--municipality", metavar="SLUG", help="município (identificador)")
        parser.add_argument(
            "--all", action="store_true", help="todos os municípios ativos da instalação"
        )
        parser.add_argument(
            "--only",
            choices=sorted(selfpublish.SPECS),
            action="append",
            help="só este conjunto (pode repetir)",
        )

    def handle(self, *args: Any, **options: Any) -> None:
        if options["all"]:
            towns = list(Municipality.objects.active())
        else:
            towns = [municipality_option(options["municipality"])]
        keys = options["only"] or list(selfpublish.SPECS)
        for town in towns:
            for key in keys:
                version = selfpublish.refresh(town, key)
                if version is None:
                    self.stdout.write(f"{town.slug} {key}: sem alterações")
                else:
                    self.stdout.write(
                        f"{town.slug} {key}: versão {version.number} "
                        f"({version.get_status_display().lower()})"
                    )
