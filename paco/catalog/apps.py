from __future__ import annotations

from typing import Any

from django.apps import AppConfig
from django.apps import apps as global_apps
from django.apps.registry import Apps
from django.db import DEFAULT_DB_ALIAS
from django.db.models.signals import post_migrate

#: the target audiences of the national services base (slug, name), in display order
AUDIENCES = [
    ("cidadaos", "Cidadãos"),
    ("empresas", "Empresas"),
    ("orgaos-e-entidades-publicas", "Órgãos e entidades públicas"),
    ("demais-segmentos", "Demais segmentos (ONGs, organizações sociais, etc)"),
]


def load_audiences(
    sender: AppConfig, *, apps: Apps = global_apps, using: str = DEFAULT_DB_ALIAS, **kwargs: Any
) -> None:
    """Create any audience missing from the table.

    The data migration loads them; this ``post_migrate`` receiver loads them back
    after a ``flush`` (the one that ends each transactional test too).
    """
    try:
        audience = apps.get_model("catalog", "Audience")
    except LookupError:  # migrated back to before the table existed
        return
    if audience.objects.using(using).count() >= len(AUDIENCES):
        return
    audience.objects.using(using).bulk_create(
        [audience(slug=s, name=n, order=i) for i, (s, n) in enumerate(AUDIENCES)],
        ignore_conflicts=True,
    )


class CatalogConfig(AppConfig):
    name = "paco.catalog"
    verbose_name = "Carta de Serviços"

    def ready(self) -> None:
        post_migrate.connect(load_audiences, sender=self, dispatch_uid="catalog-load-audiences")
