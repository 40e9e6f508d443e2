"""``paco restore FILE``: rebuild an instance from a ``paco backup`` archive."""

from __future__ import annotations

from pathlib import Path
from typing import Any

from django.core.management.base import BaseCommand, CommandError, CommandParser

from paco.core.backup import BackupError, restore_backup


class Command(BaseCommand):
    help = (
        "Restaura uma cópia de segurança feita com 'paco backup' no banco de dados e no "
        "armazenamento configurados (vazios, ou com --force para substituir tudo)."
    )

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("file", help="Arquivo .tar.gz gerado por 'paco backup'.")
        parser.add_argument(
            "--force",
            action="store_true",
            help="Substitui os dados e arquivos existentes (apaga o que não está na cópia).",
        )
        parser.add_argument(
            "--key-file",
            type=Path,
            help=(
                "Arquivo com a chave das cópias de segurança da instalação de origem (numa "
                "máquina nova); sem ele, usa PACO_BACKUP_KEY ou PACO_DATA_DIR/backup_key."
            ),
        )

    def handle(self, *args: Any, **options: Any) -> None:
        try:
            summary = restore_backup(
                Path(options["file"]), force=options["force"], key_file=options["key_file"]
            )
        except BackupError as exc:
            raise CommandError(str(exc)) from exc
        self.stdout.write(
            self.style.SUCCESS(
                f"Cópia restaurada: {summary.rows} registros e {summary.files} arquivos."
            )
        )
        if summary.key_adopted:
            self.stdout.write(
                "A chave informada passou a ser a chave das cópias desta instalação "
                "(PACO_DATA_DIR/backup_key)."
            )
