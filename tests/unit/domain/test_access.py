"""The permission table and the reveal decision."""

from __future__ import annotations

import pytest

from custody.domain.access import PERMISSIONS, Action, ConsentFacts, allowed, decide_reveal
from custody.domain.types import Role

FACTS = ConsentFacts(
    dataset_purposes=frozenset({"教学服务"}), consent_based=True, purpose_consent=True,
    separate_consent_labels=frozenset({"identity.resident_id"}), minor=False,
    guardian_consent=False,
)


def test_every_role_has_a_row_in_the_permission_table() -> None:
    assert set(PERMISSIONS) == set(Role)


@pytest.mark.parametrize("role", [Role.AUDITOR, Role.ANALYST, Role.TRANSFER_AGENT])
def test_roles_without_plaintext_are_refused_whatever_the_consent(role: Role) -> None:
    assert not decide_reveal(role, "contact.mobile", "教学服务", FACTS).allowed


def test_owner_with_purpose_and_consent_may_reveal() -> None:
    assert decide_reveal(Role.OWNER, "contact.mobile", "教学服务", FACTS).allowed


def test_undeclared_purpose_is_refused() -> None:
    assert not decide_reveal(Role.OWNER, "contact.mobile", "marketing", FACTS).allowed


def test_missing_consent_is_refused() -> None:
    facts = ConsentFacts(**{**FACTS.__dict__, "purpose_consent": False})
    assert not decide_reveal(Role.OWNER, "contact.mobile", "教学服务", facts).allowed


def test_non_consent_basis_needs_no_consent_record() -> None:
    facts = ConsentFacts(**{**FACTS.__dict__, "purpose_consent": False, "consent_based": False})
    assert decide_reveal(Role.OWNER, "contact.mobile", "教学服务", facts).allowed


def test_sensitive_label_needs_separate_consent() -> None:
    assert decide_reveal(Role.OWNER, "identity.resident_id", "教学服务", FACTS).allowed
    assert not decide_reveal(Role.OWNER, "financial.bank_card", "教学服务", FACTS).allowed


def test_minor_needs_guardian_consent_and_staff_never_sees_minors() -> None:
    minor = ConsentFacts(**{**FACTS.__dict__, "minor": True})
    assert not decide_reveal(Role.OWNER, "contact.mobile", "教学服务", minor).allowed
    with_guardian = ConsentFacts(**{**minor.__dict__, "guardian_consent": True})
    assert decide_reveal(Role.OWNER, "contact.mobile", "教学服务", with_guardian).allowed
    assert not decide_reveal(Role.STAFF, "contact.mobile", "教学服务", with_guardian).allowed


def test_only_the_owner_manages_users_and_keys() -> None:
    for role in Role:
        assert allowed(role, Action.USERS_MANAGE) == (role is Role.OWNER)
        assert allowed(role, Action.KEYS_ROTATE) == (role is Role.OWNER)
