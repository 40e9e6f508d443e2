"""``paco import-plan FILE``: import a published schedule (text, CSV or XLSX)."""

from __future__ import annotations

from pathlib import Path
from typing import Any

from django.core.management.base import BaseCommand, CommandError, CommandParser

from paco.plans.actions import import_plan
from paco.plans.importer import ImportFailed, parse_file
from paco.plans.models import PlanKind
from paco.tenancy.cli import municipality_option
from paco.tenancy.models import Unit


class Command(BaseCommand):
    help = "Importa um cronograma publicado (texto com tabulações, CSV ou XLSX)."

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("file", help="arquivo .txt, .csv ou .xlsx")
        parser.add_argument("--municipality", help="identificador (slug) do município")
        parser.add_argument("--title", help="título do cronograma")
        parser.add_argument("--slug", help="identificador do cronograma")
        parser.add_argument("--kind", default=PlanKind.DIGITAL_GOVERNMENT, choices=PlanKind.values)
        parser.add_argument("--unit", help="sigla da unidade responsável por todas as etapas")
        parser.add_argument(
            "--replace",
            action="store_true",
            help="substitui um cronograma com o mesmo identificador",
        )

    def handle(self, *args: Any, **options: Any) -> None:
        path = Path(options["file"])
        if not path.is_file():
            raise CommandError(f"Arquivo não encontrado: {path}")
        town = municipality_option(options["municipality"])
        unit = None
        if options["unit"]:
            unit = Unit.objects.for_municipality(town).filter(acronym=options["unit"]).first()
            if unit is None:
                raise CommandError(f"Unidade “{options['unit']}” não encontrada.")
        parsed = parse_file(path.read_bytes(), path.name)
        try:
            plan = import_plan(
                None,
                town,
                parsed,
                title=options["title"],
                slug=options["slug"],
                kind=options["kind"],
                replace=options["replace"],
                unit=unit,
            )
        except ImportFailed as exc:
            raise CommandError(
                "Nada foi importado. Problemas encontrados:\n" + "\n".join(exc.errors)
            ) from exc
        for warning in parsed.warnings:
            self.stderr.write(f"Aviso: {warning}")
        self.stdout.write(
            self.style.SUCCESS(f"Cronograma “{plan.title}” importado: {len(parsed.stages)} etapas.")
        )
