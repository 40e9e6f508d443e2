"""The log of staff views of a requester's personal data (LGPD; Lei 14.129 art. 25 §1).

One call site for every staff page, export or API read that shows who asked.
A requester with an account sees each view in "Meus dados"
(``paco.citizens.actions.record_personal_data_view``); a requester without one
(a name and an e-mail typed in the form) is covered by an entry of the audit trail
(``case.view_personal_data``), which carries the case's number and where it was
seen, never the data itself.
"""

from __future__ import annotations

from paco.accounts.models import User
from paco.atendimento.models import Case
from paco.audit.services import record
from paco.citizens.actions import record_personal_data_view
from paco.tenancy.models import Municipality


def log_view(*, municipality: Municipality, viewer: User, case: Case, context: str) -> None:
    """``viewer`` saw the personal data of ``case``'s requester in ``context`` ("página")."""
    if case.citizen_id is not None:
        record_personal_data_view(
            municipality=municipality,
            viewer=viewer,
            citizen=case.citizen,
            context=f"{case.get_kind_display()} {case.number} ({context})",
        )
        return
    record(
        viewer,
        "case.view_personal_data",
        case,
        municipality=municipality,
        changes={"context": [None, context[:100]]},
    )
