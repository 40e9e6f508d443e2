"""Reaching citizens' things, and the gov.br level a service may require.

``require_level(user, "prata")`` is what a service that needs a stronger identity
calls: it raises :class:`LevelRequired` (a ``PermissionDenied`` whose message says in
pt-BR what to do) unless the citizen's last gov.br login showed that level or higher.
"""

from __future__ import annotations

from typing import Any

from django.core.exceptions import PermissionDenied
from django.http import Http404, HttpRequest

from paco.citizens.actions import profile_of
from paco.citizens.models import LEVEL_RANK, CitizenProfile, DeletionRequest, Level
from paco.tenancy.access import current_municipality


def level_of(user: Any) -> str:
    """The citizen's gov.br level ("", "bronze", "prata" or "ouro")."""
    profile = profile_of(user)
    return profile.govbr_level if profile is not None else ""


def has_level(user: Any, level: str) -> bool:
    """Whether ``user`` logged in with gov.br at ``level`` or higher."""
    return LEVEL_RANK.get(level_of(user), 0) >= LEVEL_RANK[Level(level)]


class LevelRequired(PermissionDenied):
    def __init__(self, level: str) -> None:
        self.level = level
        label = Level(level).label.lower()
        super().__init__(
            f"Este serviço exige conta gov.br nível {label} ou superior. Entre com o gov.br "
            "(ou aumente o nível da sua conta em gov.br) e tente de novo."
        )


def require_level(user: Any, level: str) -> None:
    """Refuse (:class:`LevelRequired`) unless ``user``'s gov.br level is at least ``level``."""
    if not has_level(user, level):
        raise LevelRequired(level)


def citizen_profile(request: HttpRequest) -> CitizenProfile | None:
    return profile_of(request.user)


def own_deletion_request(request: HttpRequest, pk: int) -> DeletionRequest:
    """One of the signed-in citizen's own deletion requests in this town, or 404."""
    town = current_municipality(request)
    found = DeletionRequest.objects.for_municipality(town).filter(pk=pk, citizen=request.user)
    deletion = found.first() if request.user.is_authenticated else None
    if deletion is None:
        raise Http404("Pedido não encontrado.")
    return deletion
