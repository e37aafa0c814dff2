"""TR-01: the deal type decides the route; an asset sale on the Art. 22 route needs a
signed legal opinion; an equity deal moves no package; entrusted processing needs a
processor agreement (PIPL Art. 21, SH-01)."""

from __future__ import annotations

from collections.abc import Iterator

from custody.domain.transfer.facts import GateFacts
from custody.domain.transfer.route import DealType, LegalRoute, route_info
from custody.domain.transfer.rules.base import Finding, Rule, register

__all__ = ["RULE"]

_ART22_DEALS = frozenset(
    {DealType.MERGER, DealType.DIVISION, DealType.DISSOLUTION, DealType.BANKRUPTCY}
)


def _route_fits(f: GateFacts) -> bool:
    if f.route is LegalRoute.NO_MOVEMENT:
        return f.deal_type is DealType.EQUITY
    if f.route is LegalRoute.ART21_PROCESSOR:
        return f.deal_type is DealType.ENTRUSTED
    return f.deal_type in _ART22_DEALS or f.deal_type is DealType.ASSET_SALE


def _check(f: GateFacts) -> Iterator[Finding]:
    if not _route_fits(f):
        yield RULE.block(
            f"route {f.route.value} does not fit deal type {f.deal_type.value}",
            f"交易类型 {f.deal_type.value} 不适用路径 {f.route.value}",
        )
    if (
        f.deal_type is DealType.ASSET_SALE
        and f.route is LegalRoute.ART22_NOTICE
        and not f.legal_opinion_attached
    ):
        yield RULE.block(
            "asset sale on the Art. 22 route needs a signed legal opinion attached",
            "资产转让适用第二十二条路径须附经签署的法律意见",
        )
    if f.route is LegalRoute.NO_MOVEMENT:
        open_items = ", ".join(i.id for i in route_info(f.route).checklist)
        yield RULE.block(
            "equity deal: no personal information changes hands, so nothing is packaged; "
            f"complete the change-of-control checklist ({open_items})",
            f"股权转让：个人信息处理者不变，不生成移交包；请完成控制权变更清单（{open_items}）",
        )
    if f.route is LegalRoute.ART21_PROCESSOR and not f.processor_agreement:
        yield RULE.block(
            "entrusted processing needs a processor agreement (purpose, method, scope, "
            "security duties) before anything is handed over",
            "委托处理须先签订委托处理协议（目的、方式、范围、安全义务）",
        )


RULE = register(
    Rule(
        "TR-01",
        "Deal type and legal route",
        "PIPL Art. 21, 22, 23",
        _check,
        routes=frozenset(LegalRoute),
    )
)
