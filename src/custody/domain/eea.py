"""The EU/EEA as data: which regions are in it, and the country an address names (TR-23).

The GDPR covers people in the European Economic Area: the 27 EU member states plus
Iceland, Liechtenstein and Norway. A customer's phone number tells a region only when it
is written with its country code (the adapter behind `ValueRules.phone_region` reads
it); an address tells a country only when it names one. Addresses are recognised the
way people write them: in Chinese the country comes first (德国柏林市…), in Latin script
it comes last (…, 10115 Berlin, Germany). Postal codes alone, country codes inside an
address and addresses that name no country are not recognised.
"""

from __future__ import annotations

__all__ = ["EEA_COUNTRIES", "EEA_REGIONS", "eea_country_in_address", "is_eea_region"]

# ISO 3166-1 alpha-2 code → (Chinese name, names in Latin or local script)
EEA_COUNTRIES: dict[str, tuple[str, tuple[str, ...]]] = {
    "AT": ("奥地利", ("Austria", "Österreich")),
    "BE": ("比利时", ("Belgium", "Belgique", "België", "Belgien")),
    "BG": ("保加利亚", ("Bulgaria", "България")),
    "HR": ("克罗地亚", ("Croatia", "Hrvatska")),
    "CY": ("塞浦路斯", ("Cyprus", "Κύπρος")),
    "CZ": ("捷克", ("Czech Republic", "Czechia", "Česko", "Česká republika")),
    "DK": ("丹麦", ("Denmark", "Danmark")),
    "EE": ("爱沙尼亚", ("Estonia", "Eesti")),
    "FI": ("芬兰", ("Finland", "Suomi")),
    "FR": ("法国", ("France",)),
    "DE": ("德国", ("Germany", "Deutschland")),
    "GR": ("希腊", ("Greece", "Hellas", "Ελλάδα")),
    "HU": ("匈牙利", ("Hungary", "Magyarország")),
    "IE": ("爱尔兰", ("Ireland", "Éire")),
    "IT": ("意大利", ("Italy", "Italia")),
    "LV": ("拉脱维亚", ("Latvia", "Latvija")),
    "LT": ("立陶宛", ("Lithuania", "Lietuva")),
    "LU": ("卢森堡", ("Luxembourg", "Luxemburg", "Lëtzebuerg")),
    "MT": ("马耳他", ("Malta",)),
    "NL": ("荷兰", ("Netherlands", "The Netherlands", "Nederland")),
    "PL": ("波兰", ("Poland", "Polska")),
    "PT": ("葡萄牙", ("Portugal",)),
    "RO": ("罗马尼亚", ("Romania", "România")),
    "SK": ("斯洛伐克", ("Slovakia", "Slovensko")),
    "SI": ("斯洛文尼亚", ("Slovenia", "Slovenija")),
    "ES": ("西班牙", ("Spain", "España")),
    "SE": ("瑞典", ("Sweden", "Sverige")),
    # EEA members outside the EU
    "IS": ("冰岛", ("Iceland", "Ísland")),
    "LI": ("列支敦士登", ("Liechtenstein",)),
    "NO": ("挪威", ("Norway", "Norge", "Noreg")),
}

# Phone regions that are EU territory with a region code of their own: Åland and the
# French outermost regions (the Spanish and Portuguese ones dial as ES and PT).
_EU_PHONE_REGIONS = frozenset({"AX", "GF", "GP", "MQ", "RE", "YT", "MF"})
EEA_REGIONS: frozenset[str] = frozenset(EEA_COUNTRIES) | _EU_PHONE_REGIONS


def _by_head() -> dict[str, tuple[tuple[str, str], ...]]:
    """Chinese names by their first two characters: one look-up, not thirty comparisons."""
    out: dict[str, tuple[tuple[str, str], ...]] = {}
    for code, (zh, _) in EEA_COUNTRIES.items():
        out[zh[:2]] = (*out.get(zh[:2], ()), (zh, code))
    return out


_ZH_BY_HEAD = _by_head()
_LATIN = {name.casefold(): code for code, (_, names) in EEA_COUNTRIES.items() for name in names}
_LATIN_ENDINGS = tuple(_LATIN)
# Longer names that end with an EEA country's name but are not in the EEA.
_NOT_EEA_ENDINGS = ("northern ireland",)
_TAIL = 48  # longer than any name above with its separator
_TRAILING = " \t\r\n.,;:)。，；：）"
_CJK = "\u2e80"  # from here on no script the Latin-side names are written in


def is_eea_region(region: str) -> bool:
    """True for an ISO 3166 region code in the EU/EEA (upper case, as phonenumbers gives)."""
    return region in EEA_REGIONS


def eea_country_in_address(text: str) -> str | None:
    """The EU/EEA country an address names, as its ISO code; None when it names none."""
    head = text.lstrip()
    for zh, code in _ZH_BY_HEAD.get(head[:2], ()):
        if head.startswith(zh):
            return code
    tail = text[-_TAIL:].rstrip(_TRAILING)
    last = tail[-1:]
    if not last.isalpha() or last >= _CJK:  # a Chinese address, a number, a postcode
        return None
    tail = tail.casefold()
    if not tail.endswith(_LATIN_ENDINGS) or tail.endswith(_NOT_EEA_ENDINGS):
        return None
    for name, code in _LATIN.items():
        if tail.endswith(name):
            before = tail[-len(name) - 1] if len(tail) > len(name) else " "
            if not before.isalnum():
                return code
    return None
