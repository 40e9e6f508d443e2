"""Who may see and handle requests; reaching them from a request.

A request of another town, or one that does not exist, is a 404; a servant of the
town whose role does not cover the request's unit gets a 403 saying which role
is missing (:func:`paco.accounts.permissions.refuse`).

- The public sees every request of the municipality, without personal data.
- The requester reaches their own request through the secret tracking link.
- Data editors handle the requests assigned to the units they cover; whoever
  covers the whole municipality (the administrator, an editor without a unit)
  also sees the unassigned ones and triages them.
- The appeal is decided by the higher authority: the municipality administrator
  or a data editor of the parent of the assigned unit — never by the person who
  signed the answer under appeal.
- A hidden identity is shown to nobody handling the request; only the
  administrator may reveal it, with a reason that goes to the audit trail.
"""

from __future__ import annotations

from django.contrib.auth.models import AnonymousUser
from django.http import Http404, HttpRequest

from paco.accounts.models import Role, User
from paco.accounts.permissions import covered_unit_ids, has_role, refuse
from paco.accounts.tokens import digest_of as hash_token  # the link is kept as API tokens are
from paco.datarequests.models import DataRequest, DataRequestQuerySet
from paco.tenancy.access import current_municipality
from paco.tenancy.models import Municipality

AnyUser = User | AnonymousUser | None


def _first_or_404(qs: DataRequestQuerySet, message: str) -> DataRequest:
    found = qs.first()
    if found is None:
        raise Http404(message)
    return found


def handled_requests(user: AnyUser, town: Municipality) -> DataRequestQuerySet:
    """Requests ``user`` may handle in ``town`` (empty for everyone else)."""
    covered = covered_unit_ids(user, town, Role.DATA_EDITOR)
    qs: DataRequestQuerySet = DataRequest.objects.for_municipality(town)
    if covered is not None and not covered:
        return qs.none()
    return qs.in_units(covered)


def can_handle(user: AnyUser, data_request: DataRequest) -> bool:
    """Unassigned requests only for whoever covers the whole municipality."""
    covered = covered_unit_ids(user, data_request.municipality, Role.DATA_EDITOR)
    if covered is None:
        return True
    return data_request.unit_id is not None and data_request.unit_id in covered


def can_decide_appeal(user: AnyUser, data_request: DataRequest) -> bool:
    town = data_request.municipality
    if isinstance(user, User) and user.pk == data_request.answered_by_id:
        return False
    if has_role(user, town, Role.ADMIN):
        return True
    unit = data_request.unit
    parent = unit.parent if unit is not None else None
    return parent is not None and has_role(user, town, Role.DATA_EDITOR, parent)


def can_reveal_identity(user: AnyUser, town: Municipality) -> bool:
    return has_role(user, town, Role.ADMIN)


def public_request(request: HttpRequest, protocol: str) -> DataRequest:
    town = current_municipality(request)
    qs = DataRequest.objects.for_municipality(town).for_public_list()
    return _first_or_404(qs.filter(protocol=protocol.upper()), "Pedido não encontrado.")


def tracked_request(request: HttpRequest, token: str) -> DataRequest:
    """The request whose secret tracking link is ``token``, in this municipality."""
    town = current_municipality(request)
    if not token or len(token) > 100:
        raise Http404("Link de acompanhamento inválido.")
    qs = DataRequest.objects.for_municipality(town).select_related("unit", "dataset")
    return _first_or_404(
        qs.filter(token_hash=hash_token(token)),
        "Link de acompanhamento inválido ou substituído por um mais recente.",
    )


def staff_request(request: HttpRequest, protocol: str) -> DataRequest:
    town = current_municipality(request)
    qs = handled_requests(request.user, town).select_related(
        "unit", "unit__parent", "dataset", "answered_by", "assigned_to"
    )
    found = qs.filter(protocol=protocol.upper()).first()
    if found is not None:
        return found
    ours = (
        DataRequest.objects.for_municipality(town)
        .select_related("unit")
        .filter(protocol=protocol.upper())
        .first()
    )
    if ours is None:
        raise Http404("Pedido não encontrado.")
    refuse(request.user, town, Role.DATA_EDITOR, ours.unit, not_found="Pedido não encontrado.")
