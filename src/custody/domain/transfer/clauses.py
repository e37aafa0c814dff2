"""Default confidentiality and buyer-obligation clauses of the agreement, per route
(TR-03, TR-04, TR-08, TR-10, TR-17; Art. 21 for entrusted processing), and the clause
that binds a legitimate-interest record (TR-23)."""

from __future__ import annotations

from dataclasses import replace

from custody.domain.transfer.agreement import Agreement, Bilingual
from custody.domain.transfer.route import LegalRoute

__all__ = ["legitimate_interest_clause", "standard_clauses", "with_legitimate_interest"]

_CONFIDENTIALITY = (
    Bilingual(
        "接收方对移交的个人信息承担保密义务，不得向第三方披露。",
        "The buyer keeps the personal information confidential and discloses it to no one.",
    ),
    Bilingual(
        "交易终止的，接收方应返还或销毁已获得的全部资料并出具证明。",
        "If the deal fails, the buyer returns or destroys everything it received and certifies it.",
    ),
)
_OBLIGATIONS = (
    Bilingual(
        "接收方继续履行转让方的个人信息保护义务，仅按原处理目的和处理方式处理；"
        "变更的，重新取得个人同意。",
        "The buyer takes over the seller's obligations and processes only for the "
        "original purposes and methods; any change needs fresh consent.",
    ),
    Bilingual(
        "接收方落实加密存储、访问控制、审计日志和事件应急预案等安全措施。",
        "The buyer keeps encryption at rest, access control, an audit log and an incident plan.",
    ),
    Bilingual(
        "接收方向移交客户公开其名称、联系方式和个人信息处理规则，并受理权利请求。",
        "The buyer gives the moved customers its name, contact and processing rules "
        "and answers their rights requests.",
    ),
    Bilingual(
        "接收方不得将移交的个人信息再提供给第三方，法律另有规定或取得单独同意的除外。",
        "The buyer does not pass the data on unless the law allows it or the customer "
        "separately consents.",
    ),
)
_ROUTE_OBLIGATIONS: dict[LegalRoute, tuple[Bilingual, ...]] = {
    LegalRoute.ART23_SEPARATE_CONSENT: (
        Bilingual(
            "接收方仅在客户单独同意的目的、方式和种类范围内处理。",
            "The buyer stays within the purposes, methods and categories each customer "
            "separately consented to.",
        ),
    ),
    LegalRoute.ART21_PROCESSOR: (
        Bilingual(
            "受托方仅按委托方的指示处理，委托结束后返还或删除个人信息。",
            "The processor acts only on the seller's instructions and returns or "
            "deletes the data when the engagement ends.",
        ),
    ),
}


def standard_clauses(route: LegalRoute) -> tuple[tuple[Bilingual, ...], tuple[Bilingual, ...]]:
    """Default (confidentiality, obligations) clauses for a route; users may add to them."""
    return _CONFIDENTIALITY, _OBLIGATIONS + _ROUTE_OBLIGATIONS.get(route, ())


def legitimate_interest_clause(sha256: str) -> Bilingual:
    """TR-23: the lawful basis for customers covered by the GDPR, bound to the record of
    the balancing test by its SHA-256, and the buyer's Art. 14 notice deadline."""
    return Bilingual(
        "对适用欧盟《通用数据保护条例》（GDPR）的客户，本次披露以正当利益为依据"
        f"（GDPR 第 6 条第 1 款 f 项），利益平衡测试记录的 SHA-256 为 {sha256}。"
        "接收方最迟应在收到数据后一个月内，或在首次联系该客户时、向他人进一步披露前"
        "（以较早者为准），向其提供 GDPR 第 14 条规定的信息。",
        "For customers covered by the GDPR, this disclosure rests on legitimate interests "
        f"(GDPR Art. 6(1)(f)); the balancing test is the record with SHA-256 {sha256}. "
        "The buyer gives them the information of GDPR Art. 14 within one month of "
        "receiving the data at the latest, or at first contact or before any further "
        "disclosure if earlier (Art. 14(3)).",
    )


def with_legitimate_interest(
    agreement: Agreement, sha256: str, *, replacing: str | None = None
) -> Agreement:
    """The agreement with the clause of a legitimate-interest record among the buyer's
    obligations, in place of the clause of the record it replaces (if any)."""
    old = legitimate_interest_clause(replacing) if replacing else None
    kept = tuple(c for c in agreement.obligations if c != old)
    return replace(agreement, obligations=(*kept, legitimate_interest_clause(sha256)))
