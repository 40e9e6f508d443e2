from __future__ import annotations

from typing import Any

from django.apps import AppConfig
from django.apps import apps as global_apps
from django.apps.registry import Apps
from django.db import DEFAULT_DB_ALIAS
from django.db.models.signals import post_migrate


def load_themes(
    sender: AppConfig, *, apps: Apps = global_apps, using: str = DEFAULT_DB_ALIAS, **kwargs: Any
) -> None:
    """Create any DCAT-BR theme missing from the table (the vocabulary file is the source).

    The data migration loads them; this ``post_migrate`` receiver adds the terms of
    a newer vocabulary file at the next ``migrate`` and loads them back after a
    ``flush`` (the one that ends each transactional test too), so readers never check.
    """
    from paco.opendata import vocab

    try:
        theme = apps.get_model("opendata", "Theme")
    except LookupError:  # migrated back to before the table existed
        return
    terms = vocab.themes()
    if theme.objects.using(using).count() >= len(terms):
        return
    theme.objects.using(using).bulk_create(
        [theme(key=t.key, uri=t.uri, label=t.label) for t in terms], ignore_conflicts=True
    )


class OpenDataConfig(AppConfig):
    name = "paco.opendata"
    label = "opendata"
    verbose_name = "Dados abertos"

    def ready(self) -> None:
        from paco.opendata.pipeline import tasks  # noqa: F401 - enqueues work on signals
        from paco.opendata.portal import webhooks  # noqa: F401 - connects the signal receivers

        post_migrate.connect(load_themes, sender=self, dispatch_uid="opendata-load-themes")
