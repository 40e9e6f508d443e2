"""Helpers shared by management commands that act on one municipality."""

from __future__ import annotations

from django.core.management.base import CommandError

from paco.tenancy.models import Municipality


def municipality_option(slug: str | None) -> Municipality:
    """The municipality named by ``--municipality SLUG``, or the only one there is."""
    if slug:
        town = Municipality.objects.filter(slug=slug).first()
        if town is None:
            raise CommandError(f"Município “{slug}” não encontrado.")
        return town
    towns = list(Municipality.objects.all()[:2])
    if len(towns) != 1:
        raise CommandError(
            "Há mais de um município (ou nenhum) nesta instalação: informe --municipality SLUG."
        )
    return towns[0]
