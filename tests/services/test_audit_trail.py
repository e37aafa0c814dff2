"""The audit chain in the database: every kind of tampering is detected."""

from __future__ import annotations

from collections.abc import Callable

from sqlalchemy import delete, select, update

from custody.services import users
from custody.services.audit import verify_audit, write_checkpoint
from custody.services.vault import Vault
from custody.storage.tables import audit_events


def _events(v: Vault, n: int = 6) -> None:
    for i in range(n):
        users.add_user(v, f"user{i}", "staff")


def test_untouched_trail_verifies(vault: Vault) -> None:
    _events(vault)
    r = verify_audit(vault)
    assert r.ok and r.events == 7


def test_altered_event_is_detected(vault: Vault) -> None:
    _events(vault)
    with vault.engine.begin() as c:
        c.execute(update(audit_events).where(audit_events.c.seq == 3).values(result="denied"))
    r = verify_audit(vault)
    assert not r.ok and r.first_bad == 3


def test_deleted_event_is_detected(vault: Vault) -> None:
    _events(vault)
    with vault.engine.begin() as c:
        c.execute(delete(audit_events).where(audit_events.c.seq == 4))
    assert not verify_audit(vault).ok


def test_deleted_newest_event_is_detected(vault: Vault) -> None:
    _events(vault)
    with vault.engine.begin() as c:
        c.execute(delete(audit_events).where(audit_events.c.seq == 7))
    assert not verify_audit(vault).ok


def test_reordered_events_are_detected(vault: Vault) -> None:
    _events(vault)
    with vault.engine.begin() as c:
        rows = {r.seq: r for r in c.execute(select(audit_events))}
        a, b = rows[2]._mapping, rows[3]._mapping
        for seq, src in ((2, b), (3, a)):
            values = {k: v for k, v in src.items() if k != "seq"}
            c.execute(update(audit_events).where(audit_events.c.seq == seq).values(**values))
    assert not verify_audit(vault).ok


def test_inserted_event_is_detected(vault: Vault) -> None:
    _events(vault)
    with vault.engine.begin() as c:
        last = c.execute(select(audit_events).where(audit_events.c.seq == 7)).one()._mapping
        forged = {**last, "seq": 8, "action": "user.add", "prev_hash": last["hash"]}
        c.execute(audit_events.insert().values(**forged))
    assert not verify_audit(vault).ok


def test_signed_checkpoint_is_checked(vault: Vault,
                                      as_user: Callable[[Vault, str], Vault]) -> None:
    _events(vault, 2)
    seq, _ = write_checkpoint(vault)
    assert verify_audit(vault).checkpoints_checked == 1
    with vault.engine.begin() as c:
        c.execute(delete(audit_events).where(audit_events.c.seq >= seq - 1))
    assert not verify_audit(vault).ok
