"""Users and their roles (owner only may change them)."""

from __future__ import annotations

from dataclasses import dataclass

from sqlalchemy import insert, select, update

from custody.domain.access import Action
from custody.domain.types import Role
from custody.errors import Conflict, InputError, NotFound
from custody.services.vault import Vault
from custody.storage.tables import users

__all__ = ["UserView", "add_user", "list_users", "remove_user"]


@dataclass(frozen=True)
class UserView:
    """A user as listed."""

    name: str
    role: str
    active: bool


def add_user(vault: Vault, name: str, role: str) -> UserView:
    vault.require(Action.USERS_MANAGE)
    if role not in {r.value for r in Role}:
        raise InputError(f"unknown role {role}; one of {', '.join(r.value for r in Role)}")
    if not name.strip() or len(name) > 64:
        raise InputError("a user name has 1 to 64 characters")
    with vault.transaction("add user") as conn:
        row = conn.execute(select(users).where(users.c.name == name)).first()
        if row is not None and row.removed_at is None:
            raise Conflict(f"user {name} exists")
        if row is None:
            conn.execute(insert(users).values(name=name, role=role, display_name=name,
                                              created_at=vault.clock()))
        else:
            conn.execute(update(users).where(users.c.name == name).values(
                role=role, removed_at=None))
        vault.audit(conn, "user.add", details={"user": name, "user_role": role})
    return UserView(name, role, True)


def remove_user(vault: Vault, name: str) -> None:
    vault.require(Action.USERS_MANAGE)
    if name == vault.actor.name:
        raise Conflict("you cannot remove yourself")
    with vault.transaction("remove user") as conn:
        row = conn.execute(select(users).where(users.c.name == name)).first()
        if row is None or row.removed_at is not None:
            raise NotFound(f"unknown user {name}")
        conn.execute(update(users).where(users.c.name == name).values(
            removed_at=vault.clock()))
        vault.audit(conn, "user.remove", details={"user": name})


def list_users(vault: Vault) -> list[UserView]:
    vault.require(Action.USERS_READ)
    with vault.transaction("list users") as conn:
        rows = conn.execute(select(users).order_by(users.c.name)).all()
    return [UserView(r.name, r.role, r.removed_at is None) for r in rows]
