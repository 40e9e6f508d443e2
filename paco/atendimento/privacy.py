"""The log of staff views of a requester's personal data (LGPD; Lei 14.129 art. 25 §1).

One call site for every staff page, export or API read that shows who asked.
Until the citizens' "Meus dados" log (``paco.citizens.actions.record_personal_data_view``)
is merged, each view is an entry of the audit trail (``case.view_personal_data``),
which carries the case's number and where it was seen, never the data itself.
"""

from __future__ import annotations

from paco.accounts.models import User
from paco.atendimento.models import Case
from paco.audit.services import record
from paco.tenancy.models import Municipality


def log_view(*, municipality: Municipality, viewer: User, case: Case, context: str) -> None:
    """``viewer`` saw the personal data of ``case``'s requester in ``context`` ("página")."""
    record(
        viewer,
        "case.view_personal_data",
        case,
        municipality=municipality,
        changes={"context": [None, context[:100]]},
    )
