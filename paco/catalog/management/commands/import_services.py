"""``paco import-services FILE.json [--municipality SLUG]``: start a charter from a catalogue."""

from __future__ import annotations

import json
from argparse import ArgumentParser
from pathlib import Path
from typing import Any

from django.core.management.base import BaseCommand, CommandError

from paco.catalog.actions import ImportFailed, import_services
from paco.tenancy.cli import municipality_option


class Command(BaseCommand):
    help = (
        "Importa serviços no formato de detalhe da Base Nacional de Serviços Públicos "
        '(uma lista ou {"servicos": [...]}). Tudo ou nada: com erro, nada muda.'
    )

    def add_arguments(self, parser: ArgumentParser) -> None:
        parser.add_argument("file", help="arquivo JSON")
        parser.add_argument("--municipality", help="identificador (slug) do município")

    def handle(self, *args: Any, **options: Any) -> None:
        town = municipality_option(options.get("municipality"))
        path = Path(options["file"])
        try:
            payload = json.loads(path.read_text(encoding="utf-8"))
        except OSError as exc:
            raise CommandError(f"Não foi possível ler o arquivo {path}: {exc.strerror}.") from exc
        except (json.JSONDecodeError, UnicodeDecodeError) as exc:
            raise CommandError(
                f"O arquivo {path} não é um JSON válido: {exc}. Nada foi importado."
            ) from exc
        try:
            result = import_services(None, town, payload)
        except ImportFailed as exc:
            for message in exc.errors:
                self.stderr.write(message)
            raise CommandError(
                f"{len(exc.errors)} problema(s) encontrado(s). Nada foi importado."
            ) from exc
        for name in result.created:
            self.stdout.write(f"criado: {name}")
        for name in result.updated:
            self.stdout.write(f"atualizado: {name}")
        self.stdout.write(
            self.style.SUCCESS(
                f"{len(result.created)} serviço(s) criado(s), {len(result.updated)} atualizado(s) "
                f"em {town}."
            )
        )
