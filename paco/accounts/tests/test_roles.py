"""The role matrix: who holds which role where."""

import pytest
from django.contrib.auth.models import AnonymousUser

from paco.accounts.models import Role
from paco.accounts.permissions import has_role


@pytest.mark.parametrize(
    ("who", "role", "unit", "expected"),
    [
        ("admin_x", Role.PLAN_EDITOR, None, True),
        ("admin_x", Role.PLAN_EDITOR, "unit_x_b", True),
        ("admin_y", Role.PLAN_EDITOR, None, False),
        ("catalog_editor_x", Role.CATALOG_EDITOR, "unit_x_a", True),
        ("catalog_editor_x", Role.PLAN_EDITOR, None, False),
        ("plan_editor_x", Role.PLAN_EDITOR, "unit_x_a", True),
        ("plan_editor_x", Role.PLAN_EDITOR, "unit_x_b", False),
        ("plan_editor_x", Role.PLAN_EDITOR, "unit_x_root", False),
        ("plan_editor_x", Role.ADMIN, None, False),
        ("plan_editor_x_other", Role.PLAN_EDITOR, "unit_x_b", True),
        ("citizen_a", Role.PLAN_EDITOR, None, False),
        ("anonymous", Role.PLAN_EDITOR, None, False),
    ],
)
def test_role_matrix(request, town_x, unit_x_a, unit_x_b, unit_x_root, who, role, unit, expected):
    user = AnonymousUser() if who == "anonymous" else request.getfixturevalue(who)
    target = request.getfixturevalue(unit) if unit else None
    assert has_role(user, town_x, role, target) is expected


def test_role_in_unit_covers_sub_units(town_x, plan_editor_x, unit_x_a):
    from paco.tenancy.models import Unit

    child = Unit.objects.create(municipality=town_x, name="Setor", slug="setor", parent=unit_x_a)
    assert has_role(plan_editor_x, town_x, Role.PLAN_EDITOR, child)


def test_grant_and_revoke_are_audited_and_need_admin(town_x, admin_x, citizen_a, unit_x_a):
    import pytest
    from django.core.exceptions import PermissionDenied

    from paco.accounts.actions import grant_role, revoke_role
    from paco.audit.models import AuditEntry

    with pytest.raises(PermissionDenied):
        grant_role(citizen_a, town_x, citizen_a, Role.ADMIN)
    membership = grant_role(admin_x, town_x, citizen_a, Role.PLAN_EDITOR, unit_x_a)
    citizen_a.refresh_from_db()
    assert citizen_a.is_staff
    granted = AuditEntry.objects.get(action="membership.grant", actor=admin_x)
    assert granted.changes["role"] == [None, "plan_editor"]
    revoke_role(admin_x, membership)
    revoked = AuditEntry.objects.get(action="membership.revoke", actor=admin_x)
    assert revoked.municipality == town_x
    assert not has_role(citizen_a, town_x, Role.PLAN_EDITOR, unit_x_a)


def test_covered_units_take_two_queries_whatever_the_depth(
    town_x, plan_editor_x, unit_x_a, unit_x_b, django_assert_num_queries
):
    from paco.accounts.permissions import covered_unit_ids
    from paco.tenancy.models import Unit

    parent, chain = unit_x_a, []
    for depth in range(6):
        parent = Unit.objects.create(
            municipality=town_x, name=f"Nível {depth}", slug=f"nivel-{depth}", parent=parent
        )
        chain.append(parent.pk)
    with django_assert_num_queries(2):
        covered = covered_unit_ids(plan_editor_x, town_x, Role.PLAN_EDITOR)
    assert covered == {unit_x_a.pk, *chain}
    assert unit_x_b.pk not in covered


def test_whole_municipality_and_nowhere(town_x, admin_x, citizen_a):
    from paco.accounts.permissions import covered_unit_ids

    assert covered_unit_ids(admin_x, town_x, Role.PLAN_EDITOR) is None
    assert covered_unit_ids(citizen_a, town_x, Role.PLAN_EDITOR) == set()
