"""Which phone regions and addresses put a customer in the EU/EEA (TR-23)."""

from __future__ import annotations

import pytest

from custody.domain.eea import EEA_COUNTRIES, eea_country_in_address, is_eea_region


def test_the_eea_is_the_27_member_states_and_iceland_liechtenstein_norway() -> None:
    assert len(EEA_COUNTRIES) == 30
    assert {"IS", "LI", "NO"} <= set(EEA_COUNTRIES)
    assert not {"GB", "CH", "CN", "HK", "US"} & set(EEA_COUNTRIES)


@pytest.mark.parametrize("region", ["DE", "FR", "IE", "NO", "IS", "LI", "AX", "RE", "GP"])
def test_eea_regions_including_eu_territories_with_their_own_code(region: str) -> None:
    assert is_eea_region(region)


@pytest.mark.parametrize("region", ["CN", "HK", "GB", "CH", "US", "VA", "FO", "GL", ""])
def test_regions_outside_the_eea(region: str) -> None:
    assert not is_eea_region(region)


@pytest.mark.parametrize(
    ("address", "country"),
    [
        ("Hauptstraße 5, 10115 Berlin, Germany", "DE"),
        ("Hauptstraße 5, 10115 Berlin, Deutschland.", "DE"),
        ("12 Rue de Rivoli, 75001 Paris, FRANCE", "FR"),
        ("Keizersgracht 1, Amsterdam, The Netherlands", "NL"),
        ("1 O'Connell St, Dublin, Ireland", "IE"),
        ("Karl Johans gate 1, Oslo, Norge", "NO"),
        ("ul. Marszałkowska 1, Warszawa, Polska", "PL"),
        ("德国柏林市米特区菩提树下大街5号", "DE"),
        ("  法国巴黎第十五区", "FR"),
        ("意大利罗马", "IT"),
    ],
)
def test_an_address_naming_an_eea_country(address: str, country: str) -> None:
    assert eea_country_in_address(address) == country


@pytest.mark.parametrize(
    "address",
    [
        "北京市朝阳区建国路1号",
        "上海市徐汇区衡山路2号",
        "10 Downing St, London, United Kingdom",
        "1 Main St, Belfast, Northern Ireland",
        "Bahnhofstrasse 1, Zürich, Switzerland",
        "香港九龙弥敦道1号",
        "5 Oak Lane, Unfrance",  # the name must stand on its own
        "Germany Road 3, Singapore",  # the country comes last in Latin script
        "",
    ],
)
def test_addresses_that_name_no_eea_country(address: str) -> None:
    assert eea_country_in_address(address) is None
