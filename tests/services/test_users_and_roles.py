"""Users, and the role-by-action matrix enforced by the services."""

from __future__ import annotations

from collections.abc import Callable

import pytest

from custody.domain.access import PERMISSIONS, Action
from custody.domain.types import Role
from custody.errors import AccessDenied, Conflict, InputError
from custody.services import keys, users
from custody.services.audit import audit_events, verify_audit
from custody.services.vault import Vault


def test_owner_adds_lists_and_removes_users(vault: Vault) -> None:
    users.add_user(vault, "li", "staff")
    assert {(u.name, u.role) for u in users.list_users(vault)} >= {("li", "staff")}
    users.remove_user(vault, "li")
    assert not next(u for u in users.list_users(vault) if u.name == "li").active
    with pytest.raises(Conflict):
        users.remove_user(vault, "owner")


def test_unknown_role_is_refused(vault: Vault) -> None:
    with pytest.raises(InputError):
        users.add_user(vault, "x", "superuser")


CALLS: dict[str, Callable[[Vault], object]] = {
    "users.manage": lambda v: users.add_user(v, "zz", "staff"),
    "users.read": users.list_users,
    "keys.show": keys.show_keys,
    "keys.rotate": keys.rotate_keys,
    "audit.verify": verify_audit,
    "audit.read": audit_events,
}


@pytest.mark.parametrize("role", list(Role))
@pytest.mark.parametrize("action", sorted(CALLS))
def test_role_by_action_matrix(vault: Vault, as_user: Callable[[Vault, str], Vault],
                               role: Role, action: str) -> None:
    users.add_user(vault, "actor", role.value)
    acting = as_user(vault, "actor")
    if Action(action) in PERMISSIONS[role]:
        CALLS[action](acting)
    else:
        with pytest.raises(AccessDenied):
            CALLS[action](acting)
