"""Deal type → legal route (legal catalogue, section 1 and TR-01).

The user names the kind of deal; the route follows from it and decides what the
transfer requires: a notice (PIPL Art. 22), a separate consent from each customer
(Art. 23), no handover at all (equity deal: a change-of-control checklist), or a
processor agreement (Art. 21, entrusted processing).
"""

from __future__ import annotations

from dataclasses import dataclass
from enum import StrEnum

from custody.errors import InputError

__all__ = [
    "CHANGE_OF_CONTROL_CHECKLIST",
    "DEAL_ROUTES",
    "ROUTES",
    "ChecklistItem",
    "DealType",
    "LegalRoute",
    "RouteInfo",
    "parse_deal_type",
    "route_for",
    "route_info",
]


class DealType(StrEnum):
    """The `--deal-type` values of `custody transfer create` (cli.md, Transfer)."""

    MERGER = "merger"
    DIVISION = "division"
    DISSOLUTION = "dissolution"
    BANKRUPTCY = "bankruptcy"
    ASSET_SALE = "asset-sale"
    EQUITY = "equity"
    ENTRUSTED = "entrusted"


class LegalRoute(StrEnum):
    """How personal information may change hands for a deal."""

    ART22_NOTICE = "art22_notice"
    ART23_SEPARATE_CONSENT = "art23_separate_consent"
    NO_MOVEMENT = "no_movement"
    ART21_PROCESSOR = "art21_processor"


@dataclass(frozen=True)
class ChecklistItem:
    """One item of a checklist, with the law it comes from."""

    id: str
    en: str
    zh: str
    source: str


@dataclass(frozen=True)
class RouteInfo:
    """What a route requires before and during the move."""

    route: LegalRoute
    sources: tuple[str, ...]
    moves_package: bool
    requires_notice: bool
    requires_separate_consent: bool
    requires_processor_agreement: bool
    en: str
    zh: str
    checklist: tuple[ChecklistItem, ...] = ()


CHANGE_OF_CONTROL_CHECKLIST: tuple[ChecklistItem, ...] = (
    ChecklistItem(
        "COC-1",
        "Update the privacy notice if the contact details or the responsible officer change",
        "联系方式或个人信息保护负责人变更的，更新个人信息处理规则",
        "PIPL Art. 17 ¶2",
    ),
    ChecklistItem(
        "COC-2",
        "Re-confirm that every purpose stays as notified; a new purpose needs new consent",
        "确认处理目的不变；新增目的须重新取得同意",
        "PIPL Art. 14",
    ),
    ChecklistItem(
        "COC-3",
        "Any sharing with the new owner's group is a provision needing separate consent",
        "向新股东所属集团提供个人信息的，按第二十三条取得单独同意",
        "PIPL Art. 23",
    ),
    ChecklistItem(
        "COC-4",
        "Confirm the named person responsible for personal information protection",
        "确认个人信息保护负责人",
        "PIPL Art. 52",
    ),
    ChecklistItem(
        "COC-5",
        "Review access roles granted to new management",
        "复核新管理层的访问权限",
        "PIPL Art. 51",
    ),
)

ROUTES: dict[LegalRoute, RouteInfo] = {
    LegalRoute.ART22_NOTICE: RouteInfo(
        LegalRoute.ART22_NOTICE,
        ("PIPL Art. 22", "GB/T 35273-2020 9.3"),
        moves_package=True,
        requires_notice=True,
        requires_separate_consent=False,
        requires_processor_agreement=False,
        en="Notify every customer of the recipient's name and contact; purposes carry over",
        zh="告知每位客户接收方的名称和联系方式；接收方继续履行原处理目的",
    ),
    LegalRoute.ART23_SEPARATE_CONSENT: RouteInfo(
        LegalRoute.ART23_SEPARATE_CONSENT,
        ("PIPL Art. 23", "NDSMR Art. 62(7)"),
        moves_package=True,
        requires_notice=True,
        requires_separate_consent=True,
        requires_processor_agreement=False,
        en="Obtain each customer's separate consent to this provision before it moves",
        zh="向每位客户告知并取得其对本次提供的单独同意",
    ),
    LegalRoute.NO_MOVEMENT: RouteInfo(
        LegalRoute.NO_MOVEMENT,
        ("PIPL Art. 14", "PIPL Art. 17", "PIPL Art. 23"),
        moves_package=False,
        requires_notice=False,
        requires_separate_consent=False,
        requires_processor_agreement=False,
        en="No personal information changes hands; run the change-of-control checklist",
        zh="个人信息处理者不变，无需移交；执行控制权变更清单",
        checklist=CHANGE_OF_CONTROL_CHECKLIST,
    ),
    LegalRoute.ART21_PROCESSOR: RouteInfo(
        LegalRoute.ART21_PROCESSOR,
        ("PIPL Art. 21", "NDSMR Art. 12"),
        moves_package=True,
        requires_notice=False,
        requires_separate_consent=False,
        requires_processor_agreement=True,
        en="Entrusted processing: sign a processor agreement; control stays with the seller",
        zh="委托处理：签订委托处理协议，处理者仍为委托方",
    ),
}

DEAL_ROUTES: dict[DealType, LegalRoute] = {
    DealType.MERGER: LegalRoute.ART22_NOTICE,
    DealType.DIVISION: LegalRoute.ART22_NOTICE,
    DealType.DISSOLUTION: LegalRoute.ART22_NOTICE,
    DealType.BANKRUPTCY: LegalRoute.ART22_NOTICE,
    DealType.ASSET_SALE: LegalRoute.ART23_SEPARATE_CONSENT,
    DealType.EQUITY: LegalRoute.NO_MOVEMENT,
    DealType.ENTRUSTED: LegalRoute.ART21_PROCESSOR,
}

# Routes a deal may take instead of its default (TR-01): an asset sale may take the
# Art. 22 route, which the gate then blocks unless a legal opinion is attached.
_ALLOWED_OVERRIDES: dict[DealType, frozenset[LegalRoute]] = {
    DealType.ASSET_SALE: frozenset({LegalRoute.ART22_NOTICE}),
    DealType.MERGER: frozenset({LegalRoute.ART23_SEPARATE_CONSENT}),
    DealType.DIVISION: frozenset({LegalRoute.ART23_SEPARATE_CONSENT}),
    DealType.DISSOLUTION: frozenset({LegalRoute.ART23_SEPARATE_CONSENT}),
    DealType.BANKRUPTCY: frozenset({LegalRoute.ART23_SEPARATE_CONSENT}),
}


def parse_deal_type(value: str) -> DealType:
    """The DealType for a CLI value; InputError naming the allowed values otherwise."""
    try:
        return DealType(value.strip().lower())
    except ValueError:
        allowed = ", ".join(d.value for d in DealType)
        raise InputError(
            f"unknown deal type {value!r}; use one of: {allowed}", deal_type=value
        ) from None


def route_for(deal: DealType, *, override: LegalRoute | None = None) -> LegalRoute:
    """The legal route of a deal; `override` picks a stricter or counsel-approved route.

    Only the overrides of TR-01 are accepted (asset sale → Art. 22, which the gate blocks
    without a legal opinion; any Art. 22 deal → Art. 23, which is stricter).
    """
    default = DEAL_ROUTES[deal]
    if override is None or override == default:
        return default
    if override not in _ALLOWED_OVERRIDES.get(deal, frozenset()):
        raise InputError(
            f"deal type {deal.value} cannot take route {override.value}",
            deal_type=deal.value,
            route=override.value,
            source="PIPL Art. 22, 23",
        )
    return override


def route_info(route: LegalRoute) -> RouteInfo:
    """What a route requires."""
    return ROUTES[route]
