"""``paco serve``: the production web server (gunicorn) and the task worker, together.

One command for the town's one machine: it collects static files (hashed and
compressed, served by WhiteNoise), checks the configuration (in production mode
an insecure configuration stops here), then *becomes* gunicorn (``exec``). The
background-task worker runs as a thread inside one web worker process; by default
there is one web process per core, up to two, forked from a master that loaded
Paço once (see :mod:`paco.core.server`), which keeps web + tasks within 150 MB.
``--no-worker`` runs only the web server, for deployments that run
``paco db_worker`` separately.
"""

from __future__ import annotations

import os
import sys
from typing import Any

from django.conf import settings
from django.core.management import call_command
from django.core.management.base import BaseCommand, CommandError, CommandParser

from paco.core import server
from paco.env import env_int


def gunicorn_argv(
    *, host: str, port: int, workers: int, threads: int, forwarded_allow_ips: str
) -> list[str]:
    """The gunicorn command line ``paco serve`` runs."""
    return [
        sys.executable,
        "-m",
        "gunicorn",
        "-c",
        f"python:{server.__name__}",
        "--bind",
        f"{host}:{port}",
        "--workers",
        str(workers),
        "--threads",
        str(threads),
        "--forwarded-allow-ips",
        forwarded_allow_ips,
        "paco.wsgi:application",
    ]


def _int_option(parser: CommandParser, flag: str, variable: str, default: int, what: str) -> None:
    """A whole-number option that falls back on an environment variable, then ``default``."""
    parser.add_argument(
        flag,
        type=int,
        default=env_int(variable, default),
        help=f"{what} (padrão {default}, ou {variable}).",
    )


def start_message(host: str, port: int) -> str:
    """The line ``paco serve`` prints: the site and the staff area (``/gestao/``)."""
    site = f"http://{host}:{port}/"
    return f"Paço em {site} — área do servidor em {site}gestao/ (Ctrl+C para parar)"


class Command(BaseCommand):
    help = "Serve o Paço em produção: servidor web (gunicorn) e processador de tarefas."

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument(
            "--host",
            default=os.environ.get("HOST", "127.0.0.1"),
            help="Endereço de escuta (padrão 127.0.0.1, ou HOST).",
        )
        _int_option(parser, "--port", "PORT", 8000, "Porta")
        parser.add_argument(
            "--workers",
            type=int,
            default=env_int("PACO_WEB_WORKERS", 0) or None,
            help="Processos do servidor web (padrão: um por núcleo, até 2; ou PACO_WEB_WORKERS).",
        )
        _int_option(parser, "--threads", "PACO_WEB_THREADS", 4, "Threads por processo")
        parser.add_argument(
            "--no-worker",
            action="store_true",
            help="Não executa as tarefas em segundo plano (use 'paco db_worker' à parte).",
        )
        parser.add_argument(
            "--skip-collectstatic",
            action="store_true",
            help="Não recoleta os arquivos estáticos (já coletados nesta versão).",
        )

    def handle(self, *args: Any, **options: Any) -> None:
        if options["workers"] is None:
            options["workers"] = server.default_workers()
        if options["workers"] < 1 or options["threads"] < 1:
            raise CommandError("--workers e --threads precisam ser pelo menos 1.")
        if not options["skip_collectstatic"]:
            call_command("collectstatic", interactive=False, verbosity=0)
        call_command("check", deploy=settings.PRODUCTION, fail_level="ERROR")
        argv = gunicorn_argv(
            host=options["host"],
            port=options["port"],
            workers=options["workers"],
            threads=options["threads"],
            forwarded_allow_ips=os.environ.get("PACO_FORWARDED_ALLOW_IPS", "127.0.0.1"),
        )
        env = dict(os.environ)
        env.setdefault("DJANGO_SETTINGS_MODULE", "paco.settings")
        env[server.TASKS_ENV] = "0" if options["no_worker"] else "1"
        self.stdout.write(start_message(options["host"], options["port"]))
        self.stdout.flush()
        sys.stderr.flush()
        os.execve(argv[0], argv, env)  # noqa: S606 — replace this process with gunicorn
