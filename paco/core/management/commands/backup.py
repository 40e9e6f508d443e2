"""``paco backup FILE``: the whole instance (database + stored files) in one archive."""

from __future__ import annotations

from pathlib import Path
from typing import Any

from django.core.management.base import BaseCommand, CommandError, CommandParser

from paco.core import backup_signing
from paco.core.backup import BackupError, create_backup


class Command(BaseCommand):
    help = (
        "Grava uma cópia de segurança (.tar.gz) com o banco de dados e os arquivos enviados. "
        "Pode ser executado com o servidor no ar."
    )

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("file", help="Arquivo de destino, por exemplo paco-2026-01-31.tar.gz")

    def handle(self, *args: Any, **options: Any) -> None:
        target = Path(options["file"])
        if not target.parent.is_dir():
            raise CommandError(f"A pasta {target.parent} não existe.")
        try:
            summary = create_backup(target)
        except BackupError as exc:
            raise CommandError(str(exc)) from exc
        self.stdout.write(
            self.style.SUCCESS(
                f"Cópia de segurança gravada em {summary.path}: {summary.rows} registros, "
                f"{summary.files} arquivos, {summary.size / 1024:.0f} KiB."
            )
        )
        key = backup_signing.installation_key(create=False)
        if key is not None:
            self.stdout.write(
                f"Assinada com a chave {backup_signing.key_id(key)}: guarde uma cópia da chave "
                "fora deste servidor; sem ela a cópia não pode ser restaurada em outra máquina."
            )
