from __future__ import annotations

import datetime as dt
from dataclasses import replace

import pytest

from custody.domain.transfer.gate import (
    TR12_CATEGORIES,
    GateFacts,
    Severity,
    evaluate,
    passes,
    report,
    tr12_category,
)
from custody.domain.transfer.route import DealType, LegalRoute
from custody.domain.transfer.rules import RULES, Rule, register
from custody.errors import Conflict

NOW = dt.datetime(2026, 11, 22, 9, 0, tzinfo=dt.UTC)


def clean(**changes: object) -> GateFacts:
    facts = GateFacts(
        route=LegalRoute.ART22_NOTICE,
        deal_type=DealType.MERGER,
        now=NOW,
        seller_signature_valid=True,
        buyer_signature_valid=True,
        customers_in_scope=100,
        customers_not_notified=0,
        objection_window_ends=NOW - dt.timedelta(days=1),
        objection_days=30,
        objectors=2,
        objectors_excluded=True,
        fields_agreed=frozenset({"person.name", "contact.mobile"}),
        fields_to_move=frozenset({"person.name"}),
        purposes_carried={"education": frozenset({"teaching"})},
        purposes_original={"education": frozenset({"teaching", "billing"})},
        sensitive_without_separate_consent={"identity.resident_id": 0},
        minors_without_guardian_consent=0,
        customers_without_basis=0,
        without_provision_consent=0,
        cross_border=False,
        cross_border_assessment=False,
        pia_recorded=True,
        pia_open_questions=0,
        audit_chain_ok=True,
        stale_records=0,
        invalid_records=0,
        no_route_by_category={"other": 0},
        legal_opinion_attached=False,
        processor_agreement=False,
        no_successor=False,
        distinct_individuals=5_000,
        important_data=False,
        gdpr_customers=0,
        gdpr_declared=False,
        legitimate_interest_attached=False,
        legitimate_interest_bound=False,
    )
    return replace(facts, **changes)  # type: ignore[arg-type]


def rules_hit(facts: GateFacts) -> set[tuple[str, Severity]]:
    return {(f.rule, f.severity) for f in evaluate(facts)}


@pytest.mark.parametrize(
    "route_deal",
    [
        (LegalRoute.ART22_NOTICE, DealType.MERGER),
        (LegalRoute.ART22_NOTICE, DealType.BANKRUPTCY),
        (LegalRoute.ART23_SEPARATE_CONSENT, DealType.ASSET_SALE),
        (LegalRoute.ART21_PROCESSOR, DealType.ENTRUSTED),
    ],
)
def test_clean_facts_give_no_findings(route_deal: tuple[LegalRoute, DealType]) -> None:
    route, deal = route_deal
    facts = clean(route=route, deal_type=deal, processor_agreement=True)
    assert evaluate(facts) == []
    assert report(evaluate(facts)) == {"ok": True, "findings": []}


B, W = Severity.BLOCK, Severity.WARN


@pytest.mark.parametrize(
    ("changes", "expected"),
    [
        ({"deal_type": DealType.ASSET_SALE}, ("TR-01", B)),
        ({"deal_type": DealType.EQUITY}, ("TR-01", B)),
        ({"route": LegalRoute.NO_MOVEMENT, "deal_type": DealType.EQUITY}, ("TR-01", B)),
        ({"route": LegalRoute.ART21_PROCESSOR, "deal_type": DealType.ENTRUSTED}, ("TR-01", B)),
        ({"customers_not_notified": 3}, ("TR-02", B)),
        ({"purposes_carried": {"education": frozenset({"marketing"})}}, ("TR-03", B)),
        ({"purposes_carried": {"other": frozenset({"teaching"})}}, ("TR-03", B)),
        (
            {
                "route": LegalRoute.ART23_SEPARATE_CONSENT,
                "deal_type": DealType.ASSET_SALE,
                "without_provision_consent": 4,
            },
            ("TR-04", B),
        ),
        ({"sensitive_without_separate_consent": {"identity.resident_id": 5}}, ("TR-05", B)),
        ({"minors_without_guardian_consent": 1}, ("TR-05", B)),
        ({"fields_left_out": {"identity.resident_id": 7}}, ("TR-05", W)),
        ({"customers_without_basis": 2}, ("CO-01", B)),
        ({"excluded_by_reason": {"objected": 2}}, ("CO-01", W)),
        ({"pia_recorded": False}, ("TR-06", B)),
        ({"pia_open_questions": 3}, ("TR-06", W)),
        ({"seller_signature_valid": False}, ("TR-07", B)),
        ({"buyer_signature_valid": False}, ("TR-07", B)),
        ({"fields_to_move": frozenset({"identity.resident_id"})}, ("TR-09", B)),
        ({"no_route_by_category": {"other": 2500}}, ("TR-12", B)),
        ({"no_route_by_category": {"other": 2499}}, ("TR-12", W)),
        ({"no_route_by_category": {"location_communication_credit_property": 25}}, ("TR-12", B)),
        ({"no_route_by_category": {"accommodation_health_transaction": 250}}, ("TR-12", B)),
        ({"audit_chain_ok": False}, ("TR-14", B)),
        ({"objection_window_ends": NOW + dt.timedelta(seconds=1)}, ("TR-16", B)),
        ({"objection_window_ends": None}, ("TR-16", B)),
        ({"objectors_excluded": False}, ("TR-16", B)),
        ({"objection_days": 0}, ("TR-16", W)),
        ({"stale_records": 4}, ("TR-21", W)),
        ({"invalid_records": 4}, ("TR-21", W)),
        ({"cross_border": True}, ("TR-22", B)),
        ({"deal_type": DealType.BANKRUPTCY, "no_successor": True}, ("TR-18", B)),
        ({"deal_type": DealType.DISSOLUTION, "no_successor": True}, ("TR-18", B)),
        ({"distinct_individuals": 10_000_000}, ("TR-19", W)),
        ({"important_data": True}, ("TR-19", W)),
        ({"deal_type": DealType.DIVISION, "important_data": True}, ("TR-19", W)),
        ({"gdpr_customers": 3}, ("TR-23", B)),
        ({"gdpr_customers": 100, "gdpr_declared": True}, ("TR-23", B)),
        (
            {"gdpr_customers": 3, "legitimate_interest_attached": True},
            ("TR-23", W),
        ),
    ],
)
def test_each_rule_fires_on_its_facts(
    changes: dict[str, object], expected: tuple[str, Severity]
) -> None:
    hits = rules_hit(clean(**changes))
    assert expected in hits
    assert passes(evaluate(clean(**changes))) is (all(sev is not B for _, sev in hits))


def test_asset_sale_on_art22_passes_with_a_legal_opinion() -> None:
    facts = clean(deal_type=DealType.ASSET_SALE, legal_opinion_attached=True)
    assert evaluate(facts) == []


def test_cross_border_with_a_recorded_mechanism_passes() -> None:
    assert evaluate(clean(cross_border=True, cross_border_assessment=True)) == []


def test_objection_window_ending_exactly_now_has_run() -> None:
    assert evaluate(clean(objection_window_ends=NOW)) == []


def test_entrusted_processing_needs_no_notice_or_objection_window() -> None:
    facts = clean(
        route=LegalRoute.ART21_PROCESSOR,
        deal_type=DealType.ENTRUSTED,
        processor_agreement=True,
        customers_not_notified=100,
        objection_window_ends=None,
    )
    assert evaluate(facts) == []


def test_equity_deal_only_runs_the_route_rule() -> None:
    facts = clean(route=LegalRoute.NO_MOVEMENT, deal_type=DealType.EQUITY, pia_recorded=False)
    findings = evaluate(facts)
    assert {f.rule for f in findings} == {"TR-01"}
    assert "COC-1" in findings[0].message


def test_findings_are_bilingual_with_sources_and_report_shape() -> None:
    findings = evaluate(clean(pia_recorded=False, stale_records=1))
    assert all(f.message and f.message_zh and f.source for f in findings)
    doc = report(findings, rules_evaluated=len(RULES))
    assert doc["ok"] is False
    assert doc["findings"][0] == {  # type: ignore[index]
        "rule": "TR-06",
        "severity": "block",
        "message": findings[0].message,
        "message_zh": findings[0].message_zh,
        "source": "PIPL Art. 55, 56",
    }


def test_builtin_rules_are_registered_and_duplicates_conflict() -> None:
    assert {
        "TR-01",
        "TR-02",
        "TR-03",
        "TR-04",
        "TR-05",
        "TR-06",
        "TR-07",
        "TR-09",
        "TR-12",
        "TR-14",
        "TR-16",
        "TR-21",
        "TR-22",
        "TR-18",
        "TR-19",
        "TR-23",
        "CO-01",
    } <= set(RULES)
    with pytest.raises(Conflict):
        register(Rule("TR-02", "again", "nowhere", lambda f: ()))


def test_a_plugin_registry_can_replace_the_builtins() -> None:
    extra = Rule("X-1", "always", "design", lambda f: [extra.warn("hello", "你好")])
    assert [f.rule for f in evaluate(clean(), registry={"X-1": extra})] == ["X-1"]


def test_tr12_categories_pick_the_most_serious_bucket() -> None:
    assert tr12_category({"person.name", "financial.bank_card"}) == (
        "location_communication_credit_property"
    )
    assert tr12_category({"transaction.amount"}) == "accommodation_health_transaction"
    assert tr12_category({"person.name"}) == "other"
    assert [c.serving_threshold for c in TR12_CATEGORIES.values()] == [25, 250, 2500]


def test_no_successor_blocks_only_dissolution_and_bankruptcy() -> None:
    # a merger always has a successor: the flag cannot be stored for one (seller refuses),
    # and the rule reads it only for the two wind-down deals
    assert "TR-18" not in {f.rule for f in evaluate(clean(no_successor=True))}
    findings = evaluate(clean(deal_type=DealType.BANKRUPTCY, no_successor=True))
    tr18 = [f for f in findings if f.rule == "TR-18"]
    assert len(tr18) == 1 and not passes(findings)
    assert "deleted or anonymised" in tr18[0].message and "wind-down" in tr18[0].message
    assert "删除或匿名化" in tr18[0].message_zh
    assert tr18[0].source == "PIPL Art. 47 ¶1(2); GB/T 35273 9.3"


def test_bankruptcy_with_a_successor_is_not_a_wind_down() -> None:
    assert evaluate(clean(deal_type=DealType.BANKRUPTCY)) == []


@pytest.mark.parametrize(
    "deal", [DealType.MERGER, DealType.DIVISION, DealType.DISSOLUTION, DealType.BANKRUPTCY]
)
def test_report_warning_at_ten_million_individuals_not_below(deal: DealType) -> None:
    below = evaluate(clean(deal_type=deal, distinct_individuals=9_999_999))
    assert "TR-19" not in {f.rule for f in below}
    at = [
        f
        for f in evaluate(clean(deal_type=deal, distinct_individuals=10_000_000))
        if f.rule == "TR-19"
    ]
    assert [f.severity for f in at] == [Severity.WARN]
    assert "10,000,000" in at[0].message and "disposal-report" in at[0].message
    assert "recipient's name and contact" in at[0].message
    assert "省级以上有关主管部门" in at[0].message_zh
    assert at[0].source == "NDSMR Art. 28, 32"


def test_report_warning_does_not_concern_asset_sales() -> None:
    facts = clean(
        deal_type=DealType.ASSET_SALE,
        route=LegalRoute.ART23_SEPARATE_CONSENT,
        important_data=True,
        distinct_individuals=20_000_000,
    )
    assert "TR-19" not in {f.rule for f in evaluate(facts)}


def test_important_data_flag_alone_triggers_the_report_warning() -> None:
    [f] = [f for f in evaluate(clean(important_data=True)) if f.rule == "TR-19"]
    assert "important data" in f.message and "distinct individuals" not in f.message
    assert passes(evaluate(clean(important_data=True)))


def test_gdpr_customers_block_until_a_legitimate_interest_record_is_attached() -> None:
    blocked = [f for f in evaluate(clean(gdpr_customers=4)) if f.rule == "TR-23"]
    assert [f.severity for f in blocked] == [Severity.BLOCK]
    assert "4 in-scope customers" in blocked[0].message
    assert "legitimate-interest" in blocked[0].message
    attached = evaluate(
        clean(gdpr_customers=4, legitimate_interest_attached=True, legitimate_interest_bound=True)
    )
    assert passes(attached)
    [note] = [f for f in attached if f.rule == "TR-23"]
    assert note.severity is Severity.WARN and "one month of receipt" in note.message
    assert note.source == "GDPR Art. 6(1)(f), 14(3)"


def test_a_record_attached_after_signing_warns_that_it_is_not_bound() -> None:
    findings = evaluate(clean(gdpr_customers=1, legitimate_interest_attached=True))
    assert passes(findings)
    assert any("not bound" in f.message for f in findings if f.rule == "TR-23")


def test_no_gdpr_customers_no_gdpr_finding_even_with_a_record() -> None:
    facts = clean(gdpr_customers=0, legitimate_interest_attached=True)
    assert "TR-23" not in {f.rule for f in evaluate(facts)}


def test_gdpr_rule_does_not_apply_to_entrusted_processing() -> None:
    facts = clean(
        route=LegalRoute.ART21_PROCESSOR,
        deal_type=DealType.ENTRUSTED,
        processor_agreement=True,
        gdpr_customers=5,
    )
    assert evaluate(facts) == []
