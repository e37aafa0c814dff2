"""Default confidentiality and buyer-obligation clauses of the agreement, per route
(TR-03, TR-04, TR-08, TR-10, TR-17; Art. 21 for entrusted processing)."""

from __future__ import annotations

from custody.domain.transfer.agreement import Bilingual
from custody.domain.transfer.route import LegalRoute

__all__ = ["standard_clauses"]

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
