from __future__ import annotations

import pytest

from custody.domain.transfer.route import (
    CHANGE_OF_CONTROL_CHECKLIST,
    DEAL_ROUTES,
    DealType,
    LegalRoute,
    parse_deal_type,
    route_for,
    route_info,
)
from custody.errors import InputError


def test_cli_deal_types_are_exactly_the_contract() -> None:
    assert {d.value for d in DealType} == {
        "merger",
        "division",
        "dissolution",
        "bankruptcy",
        "asset-sale",
        "equity",
        "entrusted",
    }
    assert set(DEAL_ROUTES) == set(DealType)


@pytest.mark.parametrize(
    ("deal", "route"),
    [
        ("merger", LegalRoute.ART22_NOTICE),
        ("division", LegalRoute.ART22_NOTICE),
        ("dissolution", LegalRoute.ART22_NOTICE),
        ("bankruptcy", LegalRoute.ART22_NOTICE),
        ("asset-sale", LegalRoute.ART23_SEPARATE_CONSENT),
        ("equity", LegalRoute.NO_MOVEMENT),
        ("entrusted", LegalRoute.ART21_PROCESSOR),
    ],
)
def test_each_deal_type_takes_its_catalogue_route(deal: str, route: LegalRoute) -> None:
    assert route_for(parse_deal_type(deal)) is route


def test_unknown_deal_type_is_an_input_error_listing_the_choices() -> None:
    with pytest.raises(InputError, match="asset-sale"):
        parse_deal_type("share-swap")


def test_asset_sale_may_take_art22_only_as_an_explicit_override() -> None:
    assert route_for(DealType.ASSET_SALE, override=LegalRoute.ART22_NOTICE) is (
        LegalRoute.ART22_NOTICE
    )
    with pytest.raises(InputError):
        route_for(DealType.EQUITY, override=LegalRoute.ART22_NOTICE)
    with pytest.raises(InputError):
        route_for(DealType.MERGER, override=LegalRoute.NO_MOVEMENT)


def test_routes_state_what_they_require() -> None:
    assert route_info(LegalRoute.ART22_NOTICE).requires_notice
    assert route_info(LegalRoute.ART23_SEPARATE_CONSENT).requires_separate_consent
    assert not route_info(LegalRoute.NO_MOVEMENT).moves_package
    assert route_info(LegalRoute.NO_MOVEMENT).checklist == CHANGE_OF_CONTROL_CHECKLIST
    assert route_info(LegalRoute.ART21_PROCESSOR).requires_processor_agreement
    assert all(route_info(r).sources for r in LegalRoute)


def test_standard_clauses_are_bilingual_and_route_specific() -> None:
    from custody.domain.transfer.clauses import standard_clauses

    conf, art22 = standard_clauses(LegalRoute.ART22_NOTICE)
    _, art23 = standard_clauses(LegalRoute.ART23_SEPARATE_CONSENT)
    assert conf and all(c.zh and c.en for c in (*conf, *art23))
    assert len(art23) == len(art22) + 1
