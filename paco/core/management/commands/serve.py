"""``paco serve``: the production web server (gunicorn) and the task worker, together.

One command for the town's one machine: it collects static files (hashed and
compressed, served by WhiteNoise), checks the configuration, then supervises a
gunicorn process and a ``db_worker`` process. If either stops, both stop, so a
service manager (systemd) can restart the pair. ``--no-worker`` runs only the
web server, for deployments with a separate worker fleet.
"""

from __future__ import annotations

import os
import signal
import subprocess
import sys
import time
from typing import Any

from django.conf import settings
from django.core.management import call_command
from django.core.management.base import BaseCommand, CommandParser


class Command(BaseCommand):
    help = "Serve o Paço em produção: servidor web (gunicorn) e processador de tarefas."

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("--host", default=os.environ.get("HOST", "127.0.0.1"))
        parser.add_argument("--port", type=int, default=int(os.environ.get("PORT", "8000")))
        parser.add_argument(
            "--workers",
            type=int,
            default=int(os.environ.get("PACO_WEB_WORKERS", "2")),
            help="Processos do servidor web (padrão 2, ou PACO_WEB_WORKERS).",
        )
        parser.add_argument(
            "--threads",
            type=int,
            default=int(os.environ.get("PACO_WEB_THREADS", "4")),
        )
        parser.add_argument("--no-worker", action="store_true", help="Não inicia o worker.")

    def handle(self, *args: Any, **options: Any) -> None:
        call_command("collectstatic", interactive=False, verbosity=0)
        call_command("check", deploy=settings.PRODUCTION, fail_level="ERROR")
        bind = f"{options['host']}:{options['port']}"
        web = [
            sys.executable,
            "-m",
            "gunicorn",
            "paco.wsgi:application",
            "--bind",
            bind,
            "--workers",
            str(options["workers"]),
            "--threads",
            str(options["threads"]),
            "--worker-class",
            "gthread",
            "--access-logfile",
            "-",
            "--forwarded-allow-ips",
            os.environ.get("PACO_FORWARDED_ALLOW_IPS", "127.0.0.1"),
        ]
        procs = [subprocess.Popen(web)]  # noqa: S603
        if not options["no_worker"]:
            worker = [sys.executable, "-m", "paco", "db_worker", "--interval", "2"]
            procs.append(subprocess.Popen(worker))  # noqa: S603
        self.stdout.write(f"Paço em http://{bind}/ (Ctrl+C para parar)")
        self._supervise(procs)

    def _supervise(self, procs: list[subprocess.Popen[bytes]]) -> None:
        def stop(signum: int = signal.SIGTERM, frame: object = None) -> None:
            for proc in procs:
                if proc.poll() is None:
                    proc.send_signal(signal.SIGTERM)

        signal.signal(signal.SIGTERM, stop)
        signal.signal(signal.SIGINT, stop)
        try:
            while all(proc.poll() is None for proc in procs):
                time.sleep(0.5)
        finally:
            stop()
            for proc in procs:
                try:
                    proc.wait(timeout=20)
                except subprocess.TimeoutExpired:
                    proc.kill()
