"""What the pre-transfer gate knows: facts the service computes from the vault (S1).

Every count is about customers or records that *would move now*, i.e. after the
exclusions of `custody.domain.transfer.exclusions` were applied; a positive count of a
defect therefore means the defect would travel with the package.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Mapping
from dataclasses import dataclass, field

from custody.domain.transfer.route import DealType, LegalRoute

__all__ = ["GateFacts"]


def _no_counts() -> Mapping[str, int]:
    return {}


@dataclass(frozen=True, kw_only=True)
class GateFacts:
    """Everything the gate rules read; all required except the informational counts."""

    route: LegalRoute
    deal_type: DealType
    now: dt.datetime
    # TR-07: the agreement envelope
    seller_signature_valid: bool
    buyer_signature_valid: bool
    # TR-02: notices
    customers_in_scope: int
    customers_not_notified: int
    # TR-16: objections
    objection_window_ends: dt.datetime | None
    objection_days: int | None
    objectors: int
    objectors_excluded: bool
    # TR-03 / TR-09: purposes and scope
    fields_agreed: frozenset[str]
    fields_to_move: frozenset[str]
    purposes_carried: Mapping[str, frozenset[str]]
    purposes_original: Mapping[str, frozenset[str]]
    # TR-04 / TR-05 / section 1: per-customer consent summaries (counts of customers)
    sensitive_without_separate_consent: Mapping[str, int]
    minors_without_guardian_consent: int
    customers_without_basis: int
    without_provision_consent: int
    # TR-22
    cross_border: bool
    cross_border_assessment: bool
    # TR-06
    pia_recorded: bool
    pia_open_questions: int
    # TR-13/14
    audit_chain_ok: bool
    # TR-21 (accuracy) warnings
    stale_records: int
    invalid_records: int
    # TR-12: in-scope records without a valid route, per category id of rules.criminal
    no_route_by_category: Mapping[str, int]
    # TR-01
    legal_opinion_attached: bool
    processor_agreement: bool
    # TR-18: a dissolution or bankruptcy without a successor (stated at `transfer create`)
    no_successor: bool
    # TR-19: distinct individuals the seller's vault holds (its active customers, merged by
    # identity keys), and whether the user marked the transfer as carrying important data
    distinct_individuals: int
    important_data: bool
    # TR-23: in-scope customers covered by the GDPR (EU/EEA phone or address; all of them
    # when the user said so), and the legitimate-interest record (attached; bound into
    # the agreement the parties signed)
    gdpr_customers: int
    gdpr_declared: bool
    legitimate_interest_attached: bool
    legitimate_interest_bound: bool
    # informational: what the exclusions already took out
    excluded_by_reason: Mapping[str, int] = field(default_factory=_no_counts)
    fields_left_out: Mapping[str, int] = field(default_factory=_no_counts)
