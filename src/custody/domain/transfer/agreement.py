"""The structured transfer agreement (TR-03, TR-07, TR-20, TR-22) as data.

The agreement is a frozen dataclass with one canonical dictionary form. Hashes and
signatures are computed over `canonical_json(agreement_to_dict(a))`; the signed envelope
lives in `custody.domain.transfer.envelope`.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from typing import TypeVar

from custody.domain.transfer.canonical import canonical_json, sha256_hex
from custody.domain.transfer.route import DealType, LegalRoute
from custody.domain.transfer.wire import (
    as_list,
    as_mapping,
    bool_at,
    int_at,
    only_keys,
    str_at,
    str_list_at,
)
from custody.errors import InputError

__all__ = [
    "AGREEMENT_FORMAT",
    "Agreement",
    "Bilingual",
    "Buyer",
    "CarriedPurpose",
    "Party",
    "Scope",
    "TransitionPeriod",
    "agreement_bytes",
    "agreement_from_dict",
    "agreement_hash",
    "agreement_to_dict",
    "canonical_json",
    "carry_purposes",
]

AGREEMENT_FORMAT = "custody.transfer-agreement/1"
_E = TypeVar("_E", DealType, LegalRoute)


@dataclass(frozen=True)
class Party:
    """The seller: name and contact as shown to customers."""

    name: str
    contact: str


@dataclass(frozen=True)
class Buyer:
    """The recipient: name, contact, its age recipient and its signing public key."""

    name: str
    contact: str
    age_recipient: str
    signing_public_key: str


@dataclass(frozen=True)
class Scope:
    """What moves: datasets, field labels, which customers, how many."""

    datasets: tuple[str, ...]
    field_labels: tuple[str, ...]
    customer_filter: str
    customer_count: int


@dataclass(frozen=True)
class CarriedPurpose:
    """A purpose the buyer may keep using for a dataset; `original` False → fresh consent."""

    dataset: str
    purpose: str
    original: bool

    @property
    def needs_fresh_consent(self) -> bool:
        return not self.original


@dataclass(frozen=True)
class Bilingual:
    """A clause in Chinese and English."""

    zh: str
    en: str


@dataclass(frozen=True)
class TransitionPeriod:
    """TR-20: a period where both parties process; who does what during it."""

    start: dt.date
    end: dt.date
    arrangement: Bilingual


@dataclass(frozen=True)
class Agreement:
    """The transfer agreement both parties sign (cli.md `transfer agreement`)."""

    transfer_id: str
    deal_type: DealType
    route: LegalRoute
    seller: Party
    buyer: Buyer
    scope: Scope
    purposes: tuple[CarriedPurpose, ...]
    confidentiality: tuple[Bilingual, ...]
    obligations: tuple[Bilingual, ...]
    destination_country: str
    cross_border: bool
    retention_commitment: str
    transition_period: TransitionPeriod | None
    created_at: dt.datetime

    def __post_init__(self) -> None:
        if self.created_at.tzinfo is None:
            raise InputError("agreement created_at needs a time zone", field="created_at")

    @property
    def purposes_needing_consent(self) -> tuple[CarriedPurpose, ...]:
        return tuple(p for p in self.purposes if p.needs_fresh_consent)


def carry_purposes(
    requested: Mapping[str, Iterable[str]], original: Mapping[str, Iterable[str]]
) -> tuple[CarriedPurpose, ...]:
    """Flag every requested (dataset, purpose) not among the dataset's original purposes."""
    out: list[CarriedPurpose] = []
    for dataset in sorted(requested):
        known = frozenset(original.get(dataset, ()))
        for purpose in sorted(set(requested[dataset])):
            out.append(CarriedPurpose(dataset, purpose, purpose in known))
    return tuple(out)


def _bi(b: Bilingual) -> dict[str, object]:
    return {"zh": b.zh, "en": b.en}


def agreement_to_dict(a: Agreement) -> dict[str, object]:
    """The canonical dictionary form (the thing both parties sign)."""
    tp = a.transition_period
    return {
        "format": AGREEMENT_FORMAT,
        "transfer_id": a.transfer_id,
        "deal_type": a.deal_type.value,
        "route": a.route.value,
        "seller": {"name": a.seller.name, "contact": a.seller.contact},
        "buyer": {
            "name": a.buyer.name,
            "contact": a.buyer.contact,
            "age_recipient": a.buyer.age_recipient,
            "signing_public_key": a.buyer.signing_public_key,
        },
        "scope": {
            "datasets": list(a.scope.datasets),
            "field_labels": list(a.scope.field_labels),
            "customer_filter": a.scope.customer_filter,
            "customer_count": a.scope.customer_count,
        },
        "purposes": [
            {
                "dataset": p.dataset,
                "purpose": p.purpose,
                "original": p.original,
                "needs_fresh_consent": p.needs_fresh_consent,
            }
            for p in a.purposes
        ],
        "confidentiality": [_bi(b) for b in a.confidentiality],
        "obligations": [_bi(b) for b in a.obligations],
        "destination_country": a.destination_country,
        "cross_border": a.cross_border,
        "retention_commitment": a.retention_commitment,
        "transition_period": None
        if tp is None
        else {
            "start": tp.start.isoformat(),
            "end": tp.end.isoformat(),
            "arrangement": _bi(tp.arrangement),
        },
        "created_at": a.created_at.isoformat(),
    }


def agreement_bytes(a: Agreement) -> bytes:
    """Canonical bytes of the agreement: what signatures cover."""
    return canonical_json(agreement_to_dict(a))


def agreement_hash(a: Agreement | Mapping[str, object]) -> str:
    """SHA-256 hex of the canonical bytes (of an Agreement or of its dictionary form)."""
    return sha256_hex(agreement_bytes(a) if isinstance(a, Agreement) else canonical_json(a))


# --- parsing ---------------------------------------------------------------------------


def _bilingual(obj: object, path: str) -> Bilingual:
    m = as_mapping(obj, path)
    only_keys(m, {"zh", "en"}, path)
    return Bilingual(zh=str_at(m, "zh", path), en=str_at(m, "en", path))


def _date(text: str, path: str) -> dt.date:
    try:
        return dt.date.fromisoformat(text)
    except ValueError:
        raise InputError(f"agreement: {path} is not a date", path=path) from None


def _transition(obj: object) -> TransitionPeriod | None:
    if obj is None:
        return None
    m = as_mapping(obj, "transition_period")
    only_keys(m, {"start", "end", "arrangement"}, "transition_period")
    return TransitionPeriod(
        start=_date(str_at(m, "start", "transition_period"), "transition_period.start"),
        end=_date(str_at(m, "end", "transition_period"), "transition_period.end"),
        arrangement=_bilingual(m.get("arrangement"), "transition_period.arrangement"),
    )


def _purpose(obj: object, path: str) -> CarriedPurpose:
    m = as_mapping(obj, path)
    only_keys(m, {"dataset", "purpose", "original", "needs_fresh_consent"}, path)
    p = CarriedPurpose(
        str_at(m, "dataset", path), str_at(m, "purpose", path), bool_at(m, "original", path)
    )
    if bool_at(m, "needs_fresh_consent", path) != p.needs_fresh_consent:
        raise InputError(f"agreement: {path} flags contradict each other", path=path)
    return p


def _enum(cls: type[_E], m: Mapping[str, object], key: str) -> _E:
    text = str_at(m, key, "agreement")
    try:
        return cls(text)
    except ValueError:
        raise InputError(f"agreement: unknown {key} {text!r}", field=key) from None


def _created(m: Mapping[str, object]) -> dt.datetime:
    text = str_at(m, "created_at", "agreement")
    try:
        return dt.datetime.fromisoformat(text)
    except ValueError:
        raise InputError("agreement: created_at is not a timestamp", field="created_at") from None


def agreement_from_dict(obj: object) -> Agreement:
    """Parse the dictionary form strictly; InputError on any missing, extra or bad field."""
    m = as_mapping(obj, "agreement")
    only_keys(m, _KEYS, "agreement")
    if m.get("format") != AGREEMENT_FORMAT:
        raise InputError("agreement: unknown or missing format", field="format")
    s = as_mapping(m.get("seller"), "seller")
    only_keys(s, {"name", "contact"}, "seller")
    b = as_mapping(m.get("buyer"), "buyer")
    only_keys(b, {"name", "contact", "age_recipient", "signing_public_key"}, "buyer")
    sc = as_mapping(m.get("scope"), "scope")
    only_keys(sc, {"datasets", "field_labels", "customer_filter", "customer_count"}, "scope")
    agreement = Agreement(
        transfer_id=str_at(m, "transfer_id", "agreement"),
        deal_type=_enum(DealType, m, "deal_type"),
        route=_enum(LegalRoute, m, "route"),
        seller=Party(str_at(s, "name", "seller"), str_at(s, "contact", "seller")),
        buyer=Buyer(
            *(
                str_at(b, k, "buyer")
                for k in ("name", "contact", "age_recipient", "signing_public_key")
            )
        ),
        scope=Scope(
            datasets=tuple(str_list_at(sc, "datasets", "scope")),
            field_labels=tuple(str_list_at(sc, "field_labels", "scope")),
            customer_filter=str_at(sc, "customer_filter", "scope"),
            customer_count=int_at(sc, "customer_count", "scope"),
        ),
        purposes=tuple(
            _purpose(p, f"purposes[{i}]")
            for i, p in enumerate(as_list(m.get("purposes"), "purposes"))
        ),
        confidentiality=tuple(
            _bilingual(c, "confidentiality")
            for c in as_list(m.get("confidentiality"), "confidentiality")
        ),
        obligations=tuple(
            _bilingual(c, "obligations") for c in as_list(m.get("obligations"), "obligations")
        ),
        destination_country=str_at(m, "destination_country", "agreement"),
        cross_border=bool_at(m, "cross_border", "agreement"),
        retention_commitment=str_at(m, "retention_commitment", "agreement"),
        transition_period=_transition(m.get("transition_period")),
        created_at=_created(m),
    )
    if agreement_to_dict(agreement) != dict(m):
        raise InputError("agreement: document is not in canonical form", field="agreement")
    return agreement


_KEYS = frozenset(
    {
        "format",
        "transfer_id",
        "deal_type",
        "route",
        "seller",
        "buyer",
        "scope",
        "purposes",
        "confidentiality",
        "obligations",
        "destination_country",
        "cross_border",
        "retention_commitment",
        "transition_period",
        "created_at",
    }
)
