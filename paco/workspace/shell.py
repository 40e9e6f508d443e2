"""The staff shell: who is signed in, which town, and the work areas they may use.

:func:`context` is a context processor; everything it offers is lazy, so public
pages that never read ``workspace`` run no query for it. The areas come from one
:class:`~paco.workspace.reach.Reach` (two queries whatever the number of links),
and a servant only ever sees the links they can use.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from django.http import HttpRequest
from django.urls import reverse
from django.utils.functional import SimpleLazyObject, cached_property

from paco.accounts.models import Role
from paco.workspace.reach import Reach, reach_for


@dataclass(frozen=True)
class Area:
    label: str
    url: str
    #: the path prefix that marks this area as the current one
    prefix: str
    #: a short description for the tools list of the first screen
    description: str = ""


def areas(reach: Reach) -> list[Area]:
    """The work areas ``reach`` may use, in the order of the navigation."""
    if not reach.is_staff:
        return []
    found = [Area("Minha mesa", reverse("admin:index"), "/gestao/", "")]
    if reach.has(Role.ATTENDANT) or reach.has(Role.OMBUDSMAN):
        found.append(
            Area(
                "Atendimento",
                reverse("atendimento:inbox"),
                "/gestao/atendimento/",
                "Pedidos de serviço, e-SIC e ouvidoria das suas unidades: prazos e respostas.",
            )
        )
    if reach.has(Role.DATA_EDITOR):
        found += [
            Area(
                "Pedidos de dados",
                reverse("datarequests:staff_list"),
                "/dados/gestao/pedidos/",
                "Pedidos de abertura de bases de dados: prazos, respostas e recursos.",
            ),
            Area(
                "Dados abertos",
                reverse("pipeline:home"),
                "/dados/gestao/",
                "Conjuntos de dados, envios, revisão de dados pessoais e publicação.",
            ),
            Area(
                "Portal nacional",
                reverse("dcat:readiness"),
                "/dados/gestao/portal-nacional/",
                "Registro no Portal Brasileiro de Dados Abertos e prontidão dos conjuntos.",
            ),
        ]
    if reach.has(Role.CATALOG_EDITOR):
        found.append(
            Area(
                "Carta de Serviços",
                reverse("catalog:staff_list"),
                "/servicos/gestao/",
                "Editar os serviços da Carta: o que é, quem pode pedir, etapas, prazos e canais.",
            )
        )
    if reach.has(Role.PLAN_EDITOR):
        found.append(
            Area(
                "Cronograma",
                reverse("plans:main"),
                "/cronograma/",
                "Etapas do cronograma: situação, prazos e histórico.",
            )
        )
    if reach.has_unit_id(Role.ADMIN, None):
        found.append(
            Area(
                "Importar cronograma",
                reverse("plans:import"),
                "/cronograma/importar/",
                "Importar um cronograma publicado (planilha ou texto).",
            )
        )
        found.append(
            Area(
                "Exclusão de dados",
                reverse("citizens_staff:deletion_requests"),
                "/gestao/cidadaos/",
                "Pedidos de cidadãos para excluir os seus dados pessoais (LGPD).",
            )
        )
        found.append(
            Area(
                "Prazos e feriados",
                reverse("deadlines:holidays"),
                "/gestao/prazos/",
                "Feriados e dias sem expediente do município; regras de contagem de prazos.",
            )
        )
    found.append(
        Area(
            "Avisos",
            reverse("notifications:list"),
            "/gestao/avisos/",
            "Avisos de novos itens, atribuições e prazos; o que você recebe por e-mail.",
        )
    )
    found.append(
        Area(
            "Configuração",
            reverse("admin:index") + "#configuracao",
            "/gestao/#",
            "Cadastros do município: unidades, servidores, serviços, conjuntos e trilha.",
        )
    )
    return found


class Shell:
    """What the staff header shows, computed on first use."""

    def __init__(self, request: HttpRequest) -> None:
        self.request = request

    @cached_property
    def reach(self) -> Reach | None:
        if getattr(self.request, "municipality", None) is None:
            return None
        return reach_for(self.request)

    @cached_property
    def is_staff(self) -> bool:
        return self.reach is not None and self.reach.is_staff

    @cached_property
    def areas(self) -> list[Area]:
        return areas(self.reach) if self.reach is not None else []

    @cached_property
    def current(self) -> Area | None:
        """The area the request's path belongs to (the longest matching prefix); the admin's
        pages other than its index and the task pages under it belong to "Configuração"."""
        path = self.request.path
        home = reverse("admin:index")
        matches = [
            a
            for a in self.areas
            if not a.prefix.endswith("#")
            and path.startswith(a.prefix)
            and (a.prefix != home or path == home)
        ]
        if matches:  # an area of its own under /gestao/ (Avisos, Prazos e feriados) included
            return max(matches, key=lambda a: len(a.prefix))
        if path.startswith(home) and path != home:
            return next((a for a in self.areas if a.prefix.endswith("#")), None)
        return None

    @cached_property
    def user_name(self) -> str:
        user = self.request.user
        if not user.is_authenticated:
            return ""
        full = user.get_full_name().strip() if hasattr(user, "get_full_name") else ""
        return full or user.get_username()

    @cached_property
    def role_labels(self) -> list[str]:
        if self.reach is None:
            return []
        if self.reach.is_superuser:
            return ["Administrador da instalação"]
        held = {role for role, _ in self.reach._memberships()}
        return [str(Role(r).label) for r in Role.values if r in held]


def context(request: HttpRequest) -> dict[str, Any]:
    return {"workspace": SimpleLazyObject(lambda: Shell(request))}
