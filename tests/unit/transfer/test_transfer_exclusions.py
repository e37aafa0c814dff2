from __future__ import annotations

from custody.domain.transfer.gate import (
    CustomerFacts,
    ExclusionPolicy,
    ExclusionTally,
    Reason,
    WhenMissing,
    decide_customer,
)
from custody.domain.transfer.route import LegalRoute

ART22 = ExclusionPolicy(LegalRoute.ART22_NOTICE)
ART23 = ExclusionPolicy(LegalRoute.ART23_SEPARATE_CONSENT)
FIELDS = frozenset({"person.name", "contact.mobile", "identity.resident_id"})


def test_consenting_customer_moves_with_all_fields() -> None:
    c = CustomerFacts("c1", FIELDS, separate_consent=frozenset({"identity.resident_id"}))
    d = decide_customer(c, ART22)
    assert d.moves and d.fields == FIELDS and not d.left_out


def test_sensitive_field_without_separate_consent_is_left_out_by_default() -> None:
    d = decide_customer(CustomerFacts("c1", FIELDS), ART22)
    assert d.moves
    assert d.left_out == {"identity.resident_id"}
    assert "identity.resident_id" not in d.fields


def test_block_policy_keeps_the_field_for_the_gate_to_block() -> None:
    policy = ExclusionPolicy(LegalRoute.ART22_NOTICE, sensitive_without_consent=WhenMissing.BLOCK)
    d = decide_customer(CustomerFacts("c1", FIELDS), policy)
    assert d.moves and d.unconsented_sensitive == {"identity.resident_id"}


def test_objectors_and_minors_without_guardian_consent_never_move() -> None:
    assert decide_customer(CustomerFacts("c1", FIELDS, objected=True), ART22).reasons == (
        Reason.OBJECTED,
    )
    minor = decide_customer(CustomerFacts("c2", FIELDS, minor=True), ART22)
    assert not minor.moves and minor.fields == frozenset()
    assert minor.reasons == (Reason.MINOR_WITHOUT_GUARDIAN_CONSENT,)
    ok = decide_customer(CustomerFacts("c3", FIELDS, minor=True, guardian_consent=True), ART22)
    assert ok.moves


def test_art23_needs_consent_to_the_provision_and_stays_within_it() -> None:
    assert decide_customer(CustomerFacts("c1", FIELDS), ART23).reasons == (
        Reason.NO_PROVISION_CONSENT,
    )
    c = CustomerFacts(
        "c1", FIELDS, provision_consent=True, provision_labels=frozenset({"person.name"})
    )
    d = decide_customer(c, ART23)
    assert d.moves and d.fields == {"person.name"}


def test_no_valid_basis_is_excluded_or_kept_for_the_gate() -> None:
    c = CustomerFacts("c1", frozenset({"person.name"}), has_valid_basis=False)
    assert decide_customer(c, ART22).reasons == (Reason.NO_VALID_BASIS,)
    kept = decide_customer(
        c, ExclusionPolicy(LegalRoute.ART22_NOTICE, without_basis=WhenMissing.BLOCK)
    )
    assert kept.moves and kept.without_basis


def test_customer_with_nothing_left_does_not_move() -> None:
    d = decide_customer(CustomerFacts("c1", frozenset({"identity.resident_id"})), ART22)
    assert d.reasons == (Reason.NOTHING_LEFT,)


def test_tally_counts_feed_the_gate() -> None:
    tally = ExclusionTally()
    for c in (
        CustomerFacts("a", FIELDS),
        CustomerFacts("b", FIELDS, objected=True, minor=True),
        CustomerFacts("c", FIELDS, separate_consent=frozenset({"identity.resident_id"})),
    ):
        tally.add(decide_customer(c, ART22))
    assert tally.moving == 2 and tally.excluded == 1
    assert tally.excluded_by_reason == {"objected": 1}
    assert tally.fields_left_out == {"identity.resident_id": 1}
    assert tally.fields_to_move == FIELDS


def test_tally_of_many_alike_customers_equals_one_by_one() -> None:
    decisions = [
        decide_customer(CustomerFacts("a", FIELDS), ART22),
        decide_customer(CustomerFacts("b", FIELDS, objected=True), ART22),
        decide_customer(CustomerFacts("c", FIELDS, has_valid_basis=False), ART23),
    ]
    one_by_one, at_once = ExclusionTally(), ExclusionTally()
    for d in decisions:
        for _ in range(3):
            one_by_one.add(d)
        at_once.add(d, 3)
    assert vars(one_by_one) == vars(at_once)
    assert at_once.excluded == 6 and at_once.fields_left_out["identity.resident_id"] == 3
