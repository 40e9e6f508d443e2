from __future__ import annotations

from typing import Any

from django.conf import settings
from django.core.management.base import BaseCommand, CommandParser

from paco.tenancy.demo import is_empty, load_demo


class Command(BaseCommand):
    help = "Carrega o município de demonstração (Santa Rita do Paço/SC), com carta e cronograma."

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument(
            "--if-empty",
            action="store_true",
            help="Só carrega se o banco de dados estiver vazio (usado por 'make run').",
        )

    def handle(self, *args: Any, **options: Any) -> None:
        if options["if_empty"] and not is_empty():
            self.stdout.write("Banco de dados já tem dados; demonstração não carregada.")
            return
        result = load_demo()
        if not result.created:
            self.stdout.write("O município de demonstração já existe.")
            return
        self.stdout.write(self.style.SUCCESS(f"Demonstração carregada: {result.municipality}."))
        path = settings.DATA_DIR / "demo-credenciais.txt"
        self.stdout.write(f"Senhas dos servidores de demonstração em {path}.")
