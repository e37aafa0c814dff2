"""TR-04, TR-05 and the rule of section 1 that a transfer cannot repair defects: every
customer who moves needs a valid original basis; sensitive fields need separate consent,
under-14s a guardian's consent; on the Art. 23 route, separate consent to the provision."""

from __future__ import annotations

from collections.abc import Iterator

from custody.domain.transfer.facts import GateFacts
from custody.domain.transfer.route import LegalRoute
from custody.domain.transfer.rules.base import Finding, Rule, register

__all__ = ["BASIS", "PROVISION", "SENSITIVE"]


def _provision(f: GateFacts) -> Iterator[Finding]:
    if f.without_provision_consent > 0:
        yield PROVISION.block(
            f"{f.without_provision_consent} in-scope customers have no separate consent "
            "to this provision",
            f"{f.without_provision_consent} 名待移交客户未就本次提供作出单独同意",
        )


def _sensitive(f: GateFacts) -> Iterator[Finding]:
    for label in sorted(f.sensitive_without_separate_consent):
        n = f.sensitive_without_separate_consent[label]
        if n > 0:
            yield SENSITIVE.block(
                f"{n} in-scope customers' {label} would move without separate consent; "
                "drop, mask or generalise the field",
                f"{n} 名客户的 {label} 未取得单独同意；请删除、去标识化或泛化该字段",
            )
    if f.minors_without_guardian_consent > 0:
        n = f.minors_without_guardian_consent
        yield SENSITIVE.block(
            f"{n} in-scope customers under 14 have no guardian consent",
            f"{n} 名不满十四周岁的待移交客户未取得监护人同意",
        )
    for label in sorted(f.fields_left_out):
        n = f.fields_left_out[label]
        if n > 0:
            yield SENSITIVE.warn(
                f"{label} of {n} customers is left out of the package (no separate consent)",
                f"{n} 名客户的 {label} 因未取得单独同意不予移交",
            )


def _basis(f: GateFacts) -> Iterator[Finding]:
    if f.customers_without_basis > 0:
        yield BASIS.block(
            f"{f.customers_without_basis} in-scope customers have no valid original legal "
            "basis; a transfer cannot repair that",
            f"{f.customers_without_basis} 名待移交客户缺少有效的原处理依据，转让不能补正",
        )
    excluded = sum(f.excluded_by_reason.values())
    if excluded > 0:
        reasons = ", ".join(f"{k}: {v}" for k, v in sorted(f.excluded_by_reason.items()) if v)
        yield BASIS.warn(
            f"{excluded} customers are excluded from the transfer ({reasons})",
            f"{excluded} 名客户被排除在移交范围之外（{reasons}）",
        )


PROVISION = register(
    Rule(
        "TR-04",
        "Separate consent to the provision",
        "PIPL Art. 23; NDSMR Art. 62(7)",
        _provision,
        routes=frozenset({LegalRoute.ART23_SEPARATE_CONSENT}),
    )
)
SENSITIVE = register(
    Rule("TR-05", "Sensitive data and minors", "PIPL Art. 28-31; NDSMR Art. 22", _sensitive)
)
BASIS = register(Rule("CO-01", "Valid original basis", "PIPL Art. 13", _basis))
