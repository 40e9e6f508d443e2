"""Who reaches a case — the one place that decides it.

- **The requester**: the citizen whose account the case belongs to, or whoever typed
  the case's number and secret access code at ``/protocolo/`` (remembered in the
  session, :func:`remember`). Anyone else gets a 404 — another citizen's case does
  not exist for them, in pages, files and receipts alike.
- **Staff of the handling unit**: the :attr:`~paco.accounts.models.Role.ATTENDANT`
  role covering the case's unit (a role in a unit covers its sub-units); the town's
  administrator covers everything. Ouvidoria manifestations are also handled by the
  :attr:`~paco.accounts.models.Role.OMBUDSMAN` role. A case without a unit is
  handled only by a town-wide role. Staff of the town without the role get a 403
  saying which role is missing (:func:`paco.accounts.permissions.refuse`);
  everyone else a 404.
- **Identity**: an identity-preserved case shows who asked only to ouvidoria staff
  (an explicit Ouvidor membership — not the administrator); an anonymous one has no
  identity. :func:`requester_for` is what every page, e-mail to the unit, export and
  search reads, so there is no second place to forget it.
- Every staff view of a case that shows a citizen's personal data is logged
  (:func:`paco.atendimento.privacy.log_view`).
"""

from __future__ import annotations

from dataclasses import dataclass

from django.contrib.auth.models import AnonymousUser
from django.db.models import Q
from django.http import Http404, HttpRequest

from paco.accounts.models import Role, User
from paco.accounts.permissions import refuse
from paco.atendimento.models import Case, CaseQuerySet, IdentityMode, Kind
from paco.protocol.nup import NupError, parse_nup
from paco.tenancy.access import current_municipality
from paco.tenancy.models import Municipality
from paco.workspace.reach import Reach, reach_for

AnyUser = User | AnonymousUser | None
SESSION_KEY = "atendimento_cases"
#: cases a browser session may follow by number + code (oldest forgotten first)
SESSION_LIMIT = 20
NOT_FOUND = "Atendimento não encontrado."


# -- staff ---------------------------------------------------------------------------


def handled_cases(reach: Reach) -> CaseQuerySet:
    """The cases ``reach`` handles in its town (empty for everyone else); one SQL filter."""
    qs: CaseQuerySet = Case.objects.for_municipality(reach.town)
    attendant = reach.units(Role.ATTENDANT)
    ombudsman = reach.units(Role.OMBUDSMAN)
    if attendant is None:
        return qs
    condition = Q(unit_id__in=attendant) if attendant else Q(pk__in=[])
    if ombudsman is None:
        condition |= Q(kind=Kind.OMBUDSMAN)
    elif ombudsman:
        condition |= Q(kind=Kind.OMBUDSMAN, unit_id__in=ombudsman)
    if not attendant and not ombudsman:
        return qs.none()
    return qs.filter(condition)


def handles(reach: Reach, case: Case) -> bool:
    """Whether ``reach`` handles ``case`` (same rule as :func:`handled_cases`, from memory)."""
    if reach.town.pk != case.municipality_id:
        return False
    if reach.has_unit_id(Role.ATTENDANT, case.unit_id):
        return True
    return case.kind == Kind.OMBUDSMAN and reach.has_unit_id(Role.OMBUDSMAN, case.unit_id)


def is_ombudsman_staff(reach: Reach) -> bool:
    """An explicit Ouvidor membership (the administrator's "every role" does not count)."""
    return any(role == Role.OMBUDSMAN for role, _ in reach._memberships())


def works_atendimento(reach: Reach) -> bool:
    return reach.has(Role.ATTENDANT) or reach.has(Role.OMBUDSMAN)


def staff_case(request: HttpRequest, number: str) -> Case:
    """The case ``number`` for a servant who handles it; 403 with the reason to the town's
    other servants, 404 to everyone else."""
    town = current_municipality(request)
    reach = reach_for(request)
    found = _by_number(Case.objects.for_municipality(town), number)
    if found is None:
        raise Http404(NOT_FOUND)
    if handles(reach, found):
        return found
    refuse(request.user, town, Role.ATTENDANT, found.unit, not_found=NOT_FOUND)


# -- identity -----------------------------------------------------------------------------


@dataclass(frozen=True)
class Identity:
    """Who asked, as one viewer may see it."""

    name: str = ""
    document: str = ""
    email: str = ""
    phone: str = ""
    has_account: bool = False
    #: why nothing is shown ("" when the identity is shown)
    hidden_reason: str = ""

    @property
    def shown(self) -> bool:
        return not self.hidden_reason


def identity_visible(reach: Reach | None, case: Case) -> bool:
    """Whether the viewer (``None``: an e-mail to the unit, an export, a search) sees who asked."""
    if case.identity_mode == IdentityMode.ANONYMOUS:
        return False
    if case.identity_mode == IdentityMode.PRESERVED:
        return reach is not None and is_ombudsman_staff(reach)
    return reach is not None and handles(reach, case)


def requester_for(reach: Reach | None, case: Case) -> Identity:
    if case.identity_mode == IdentityMode.ANONYMOUS:
        return Identity(hidden_reason="Manifestação anônima: não há identificação.")
    if not identity_visible(reach, case):
        return Identity(
            hidden_reason="Identidade preservada: só a ouvidoria vê quem fez a manifestação."
        )
    citizen = case.citizen
    return Identity(
        name=case.requester_name or (citizen.get_full_name() if citizen else ""),
        document=case.requester_document,
        email=case.requester_email or (citizen.email if citizen else ""),
        phone=case.requester_phone,
        has_account=citizen is not None,
    )


# -- the requester ---------------------------------------------------------------------------


def _by_number(qs: CaseQuerySet, number: str) -> Case | None:
    try:
        canonical = str(parse_nup(number))
    except NupError:
        return None
    return qs.select_related("unit", "service", "citizen").filter(number=canonical).first()


def remember(request: HttpRequest, case: Case) -> None:
    """The session may follow ``case`` from now on (number + code were typed)."""
    ids = [i for i in request.session.get(SESSION_KEY, []) if i != case.pk]
    request.session[SESSION_KEY] = [*ids, case.pk][-SESSION_LIMIT:]


def remembered_ids(request: HttpRequest) -> list[int]:
    ids = request.session.get(SESSION_KEY, [])
    return [i for i in ids if isinstance(i, int)]


def owns(request: HttpRequest, case: Case) -> bool:
    """The requester: the case's account, or a session that typed its number and code."""
    user = request.user
    if case.citizen_id is not None and user.is_authenticated and user.pk == case.citizen_id:
        return True
    return case.pk in remembered_ids(request)


@dataclass(frozen=True)
class RequesterProof:
    """Made only by :func:`proof_for` after :func:`owns`: the bearer is the case's requester.

    Citizen-side actions (answer a question, appeal, reopen, rate, add a document) take
    it, so they cannot be called for a case its caller does not own.
    """

    case_id: int
    user: User | None


def proof_for(request: HttpRequest, case: Case) -> RequesterProof:
    if not owns(request, case):
        raise Http404(NOT_FOUND)
    user = request.user if isinstance(request.user, User) else None
    return RequesterProof(case.pk, user)


def citizen_case(request: HttpRequest, number: str) -> Case:
    """The requester's own case, or 404 (another citizen's case does not exist)."""
    town = current_municipality(request)
    found = _by_number(Case.objects.for_municipality(town), number)
    if found is None or not owns(request, found):
        raise Http404(NOT_FOUND)
    return found


def citizen_cases(request: HttpRequest) -> CaseQuerySet:
    """ "Meus pedidos": the account's cases and those followed in this session."""
    town: Municipality = current_municipality(request)
    condition = Q(pk__in=remembered_ids(request))
    if request.user.is_authenticated:
        condition |= Q(citizen_id=request.user.pk)
    return Case.objects.for_municipality(town).filter(condition)
