"""System checks with stable IDs (paco.E0xx errors, paco.W0xx warnings).

In production mode (``PACO_ENV=production``) an insecure configuration is an
error, and Django refuses to serve: ``paco serve`` runs ``check --deploy``
with ``--fail-level ERROR`` before it starts.
"""

from __future__ import annotations

from typing import Any

from django.conf import settings
from django.core.checks import Error, Tags, Warning, register

INSECURE_KEY_PREFIX = "django-insecure"


@register(Tags.security, deploy=True)
def production_settings(app_configs: Any = None, **kwargs: Any) -> list[Error | Warning]:
    if not settings.PRODUCTION:
        return []
    problems: list[Error | Warning] = []
    if settings.DEBUG:
        problems.append(
            Error("PACO_DEBUG está ligado em produção.", hint="Remova PACO_DEBUG.", id="paco.E001")
        )
    if (
        len(settings.SECRET_KEY) < 50
        or settings.SECRET_KEY.startswith(INSECURE_KEY_PREFIX)
        or len(set(settings.SECRET_KEY)) < 5
    ):
        problems.append(
            Error(
                "A chave secreta é fraca (menos de 50 caracteres ou insegura).",
                hint="Defina PACO_SECRET_KEY com um valor aleatório longo, ou apague-a para "
                "usar a chave gerada em PACO_DATA_DIR.",
                id="paco.E002",
            )
        )
    hosts = settings.ALLOWED_HOSTS
    if not hosts or "*" in hosts:
        problems.append(
            Error(
                "PACO_ALLOWED_HOSTS precisa listar os nomes de host do município.",
                hint="Exemplo: PACO_ALLOWED_HOSTS=servicos.exemplo.sp.gov.br",
                id="paco.E003",
            )
        )
    if not getattr(settings, "SESSION_COOKIE_SECURE", False) or not getattr(
        settings, "CSRF_COOKIE_SECURE", False
    ):
        problems.append(
            Error("Cookies de sessão e CSRF precisam ser seguros (HTTPS).", id="paco.E004")
        )
    if getattr(settings, "SECURE_HSTS_SECONDS", 0) < 3600:
        problems.append(
            Error("HSTS precisa estar ligado em produção (PACO_HSTS_SECONDS).", id="paco.E005")
        )
    if settings.EMAIL_BACKEND.endswith("console.EmailBackend"):
        problems.append(
            Warning(
                "Nenhum servidor de e-mail configurado: as mensagens vão para o terminal.",
                hint="Defina PACO_EMAIL_HOST.",
                id="paco.W001",
            )
        )
    return problems


@register(Tags.compatibility)
def database_backend(app_configs: Any = None, **kwargs: Any) -> list[Error]:
    engine = settings.DATABASES["default"]["ENGINE"]
    supported = ("django.db.backends.sqlite3", "django.db.backends.postgresql")
    if engine not in supported:
        return [
            Error(
                f"Banco de dados não suportado: {engine}.",
                hint="Use SQLite (padrão) ou PostgreSQL (DATABASE_URL=postgres://…).",
                id="paco.E010",
            )
        ]
    return []
