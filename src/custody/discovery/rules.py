"""RuleValueRules: canonical forms, validation and birth dates per label (ValueRules)."""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable

from custody.discovery import checksums
from custody.discovery.dates import parse_date

__all__ = ["NORMALISERS", "VALIDATED_LABELS", "RuleValueRules"]


def _bank_card(value: str) -> str | None:
    digits = checksums.to_halfwidth(value).replace(" ", "").replace("-", "").strip()
    return digits if checksums.bank_card_valid(digits) else None


def _uscc(value: str) -> str | None:
    code = checksums.to_halfwidth(value).replace(" ", "").replace("-", "").strip().upper()
    return code if checksums.uscc_valid(code) else None


def _passport(value: str) -> str | None:
    code = checksums.to_halfwidth(value).replace(" ", "").strip().upper()
    return code if checksums.passport_valid(code, foreign=True) else None


def _birth(value: str) -> str | None:
    born = parse_date(checksums.to_halfwidth(value).strip())
    return born.isoformat() if born else None


NORMALISERS: dict[str, Callable[[str], str | None]] = {
    "identity.resident_id": checksums.normalize_resident_id,
    "contact.mobile": checksums.normalize_mobile,
    "contact.email": checksums.normalize_email,
    "contact.landline": checksums.landline_normalize,
    "financial.bank_card": _bank_card,
    "org.uscc": _uscc,
    "identity.passport": _passport,
    "person.birth_date": _birth,
}
# Labels that have a validation, so that "invalid" counts are meaningful for them.
VALIDATED_LABELS: frozenset[str] = frozenset(NORMALISERS)


_RESIDENT_ID = "identity.resident_id"
# How a number with a country code starts: +, 00, their full-width forms, or a bracket.
_INTERNATIONAL = ("+", "00", "＋", "００", "(+", "(00", "（")


class RuleValueRules:
    """Implements ValueRules over the check-digit and format rules of `checksums`."""

    def __init__(self) -> None:
        # The last resident ID normalised and its normal form: callers ask whether an ID
        # is valid, then for the birth date it states (one normalisation, not two).
        self._last_id: tuple[str, str | None] = ("", None)
        # birth digits of a valid ID → the date they state (at most one per calendar day
        # of the accepted birth years, so bounded)
        self._born_on: dict[str, dt.date | None] = {}

    def _resident_id(self, value: str) -> str | None:
        value_then, normal = self._last_id  # one tuple: read whole even across threads
        if value_then != value:
            normal = checksums.normalize_resident_id(value)
            self._last_id = (value, normal)
        return normal

    def normalize(self, label: str, value: str) -> str | None:
        """Canonical form for the blind index; None when blank or not valid."""
        if not value.strip():
            return None
        normaliser = NORMALISERS.get(label)
        if normaliser is None:
            return " ".join(checksums.to_halfwidth(value).split())
        return normaliser(value)

    def normaliser(self, label: str) -> Callable[[str], str | None]:
        """The normalising function of one label (for hot loops; no blank check)."""
        return NORMALISERS.get(label) or (lambda value: self.normalize(label, value))

    def is_valid(self, label: str, value: str) -> bool:
        """True when a non-blank value passes its label's validation."""
        if not value.strip():
            return False
        if label == _RESIDENT_ID:
            return self._resident_id(value) is not None
        normaliser = NORMALISERS.get(label)
        return True if normaliser is None else normaliser(value) is not None

    def birth_date(self, label: str, value: str) -> dt.date | None:
        """The birth date a value states (birth-date column or valid resident ID)."""
        if label == "person.birth_date":
            return parse_date(checksums.to_halfwidth(value).strip())
        if label == _RESIDENT_ID:
            normal = self._resident_id(value)
            if not normal:
                return None
            digits = normal[6:14]  # all that the date of a valid ID depends on
            born = self._born_on.get(digits)
            if born is None:
                born = self._born_on[digits] = checksums.resident_id_birth_date(normal)
            return born
        return None

    def date(self, value: str) -> dt.date | None:
        """A date in any spelling our users write (transaction and activity dates)."""
        return parse_date(checksums.to_halfwidth(value).strip())

    def phone_region(self, value: str) -> str | None:
        """ISO 3166 region of a number written with its country code (+CC or 00CC).

        The vault keeps phone values as imported; only mainland mobiles have a normal
        form (E.164), so a foreign number is read here from its own text. Values that do
        not start with a country code (as our users write mainland numbers) return None
        before phonenumbers is loaded."""
        text = value.lstrip()
        if not text.startswith(_INTERNATIONAL):
            return None
        text = checksums.to_halfwidth(text).lstrip("(")
        if text.startswith("00"):
            text = "+" + text[2:]
        if not text.startswith("+"):
            return None
        import phonenumbers  # only for numbers with a country code: keeps start-up fast

        try:
            number = phonenumbers.parse(text, None)
        except phonenumbers.NumberParseException:
            return None
        code = number.country_code
        region = phonenumbers.region_code_for_number(number) or (
            phonenumbers.region_code_for_country_code(code) if code else None
        )
        return None if region in (None, "ZZ", "001") else str(region)
