"""Plain report dicts → checked, formatted views that the HTML and PDF renderers share.

Keeping one view per report means both formats show the same figures in the same order.
Missing required keys raise InputError naming them.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from typing import Any

from custody.errors import InputError
from custody.reports.labels import Lang, fmt_int, fmt_money, fmt_pct, label

__all__ = [
    "AgreementView",
    "CertificateView",
    "ValuationView",
    "agreement_view",
    "certificate_view",
    "valuation_view",
]

VALUATION_KEYS = (
    "as_of",
    "org",
    "distinct_customers",
    "active_90d",
    "active_365d",
    "revenue_total",
    "revenue_by_month",
    "cohorts",
    "projection",
    "consent_coverage",
    "quality",
    "sensitive_share",
    "minors",
    "minors_share",
    "findings",
)
_SEVERITY_ORDER = {"block": 0, "warn": 1, "info": 2}

Rows = list[tuple[str, str]]


def _require(data: Mapping[str, Any], keys: Sequence[str], what: str) -> None:
    missing = [k for k in keys if k not in data]
    if missing:
        raise InputError(f"{what} data lacks {', '.join(missing)}")


def _num(value: Any, what: str) -> float:
    try:
        return float(value)
    except (TypeError, ValueError) as exc:
        raise InputError(f"{what} is not a number") from exc


def _severity(value: str, lang: Lang) -> str:
    return label(f"sev_{value}", lang) if value in _SEVERITY_ORDER else value


@dataclass(frozen=True)
class ValuationView:
    lang: Lang
    org: str
    as_of: str
    prepared_for: str | None
    key_figures: Rows
    revenue_by_month: list[tuple[str, float]]
    revenue_rows: Rows
    cohorts: list[tuple[str, list[float]]]
    max_offset: int
    consent: list[tuple[str, float]]
    quality: Rows
    projection_amount: str
    projection_method: str
    findings: list[dict[str, str]]


def valuation_view(data: Mapping[str, Any], lang: Lang) -> ValuationView:
    """Check and format valuation data (keys in `custody.reports`' docstring)."""
    _require(data, VALUATION_KEYS, "valuation")
    cur = str(data.get("currency", "¥"))
    projection = data["projection"]
    _require(projection, ("amount", "method_zh", "method_en"), "valuation projection")
    months = sorted(
        (str(k), _num(v, f"revenue of {k}")) for k, v in data["revenue_by_month"].items()
    )
    cohorts = sorted(
        (str(k), [_num(x, f"retention of cohort {k}") for x in v])
        for k, v in data["cohorts"].items()
    )
    consent = [(str(k), _num(v, f"coverage of {k}")) for k, v in data["consent_coverage"].items()]
    quality = data["quality"]
    findings = sorted(
        data["findings"],
        key=lambda f: (_SEVERITY_ORDER.get(str(f.get("severity")), 9), str(f.get("rule"))),
    )
    return ValuationView(
        lang=lang,
        org=str(data["org"]),
        as_of=str(data["as_of"]),
        prepared_for=None if data.get("prepared_for") is None else str(data["prepared_for"]),
        key_figures=[
            (label("distinct_customers", lang), fmt_int(data["distinct_customers"])),
            (label("active_90d", lang), fmt_int(data["active_90d"])),
            (label("active_365d", lang), fmt_int(data["active_365d"])),
            (label("revenue_total", lang), fmt_money(data["revenue_total"], cur)),
            (label("projection", lang), fmt_money(projection["amount"], cur)),
        ],
        revenue_by_month=months,
        revenue_rows=[(m, fmt_money(v, cur)) for m, v in months],
        cohorts=cohorts,
        max_offset=max((len(v) for _, v in cohorts), default=0),
        consent=consent,
        quality=[
            (label("invalid_share", lang), fmt_pct(quality.get("invalid_share"))),
            (label("duplicate_share", lang), fmt_pct(quality.get("duplicate_share"))),
            (label("sensitive_share", lang), fmt_pct(data["sensitive_share"])),
            (label("minors", lang), fmt_int(data["minors"])),
            (label("minors_share", lang), fmt_pct(data["minors_share"])),
        ],
        projection_amount=fmt_money(projection["amount"], cur),
        projection_method=str(projection["method_en" if lang == "en" else "method_zh"]),
        findings=[
            {
                "rule": str(f.get("rule", "")),
                "severity": str(f.get("severity", "")),
                "severity_label": _severity(str(f.get("severity", "")), lang),
                "message": str(f.get("message", "")),
            }
            for f in findings
        ],
    )


@dataclass(frozen=True)
class AgreementView:
    lang: Lang
    transfer_id: str
    header: Rows
    parties: list[tuple[str, Rows]]
    scope: Rows
    purposes: list[str]
    obligations: list[str]
    confidentiality: str
    transition: str
    signatures: list[tuple[str, str, str]]
    agreement_hash: str


def _party(party: Mapping[str, Any], lang: Lang) -> Rows:
    keys = (
        ("name", "name"),
        ("contact", "contact"),
        ("jurisdiction", "jurisdiction"),
        ("storage_location", "storage_location"),
        ("age_recipient", "age_recipient"),
        ("signing_public_key", "signing_key"),
    )
    return [(label(lbl, lang), str(party[k])) for k, lbl in keys if party.get(k)]


def _join(values: Any) -> str:
    if isinstance(values, str):
        return values
    return "、".join(str(v) for v in values or ())


def agreement_view(agreement: Mapping[str, Any], lang: Lang) -> AgreementView:
    """Check and format a transfer agreement (keys in `custody.reports`' docstring)."""
    _require(agreement, ("transfer_id", "deal_type", "seller", "buyer"), "agreement")
    scope = agreement.get("scope") or {}
    header = [
        (label("transfer_id", lang), str(agreement["transfer_id"])),
        (label("deal_type", lang), label(f"deal:{agreement['deal_type']}", lang)),
    ]
    for key in ("legal_route", "created_at", "objection_days"):
        if agreement.get(key) not in (None, ""):
            header.append((label(key, lang), str(agreement[key])))
    scope_rows = [(label(k, lang), _join(scope[k])) for k in ("datasets", "fields") if scope.get(k)]
    scope_rows += [
        (label(k, lang), fmt_int(scope[k]))
        for k in ("customers", "excluded")
        if scope.get(k) is not None
    ]
    signatures = []
    for role in ("seller", "buyer"):
        sig = (agreement.get("signatures") or {}).get(role) or {}
        signed = sig.get("signed_at")
        signatures.append(
            (
                label(role, lang),
                str(signed) if signed else label("not_signed", lang),
                str(sig.get("signature", "")),
            )
        )
    return AgreementView(
        lang=lang,
        transfer_id=str(agreement["transfer_id"]),
        header=header,
        parties=[(label(r, lang), _party(agreement[r], lang)) for r in ("seller", "buyer")],
        scope=scope_rows,
        purposes=[str(p) for p in agreement.get("purposes") or ()],
        obligations=[str(o) for o in agreement.get("obligations") or ()],
        confidentiality=str(agreement.get("confidentiality") or ""),
        transition=str(agreement.get("transition") or ""),
        signatures=signatures,
        agreement_hash=str(agreement.get("agreement_hash") or ""),
    )


@dataclass(frozen=True)
class CertificateView:
    lang: Lang
    certificate_id: str
    header: Rows
    counts: Rows
    key_ids: list[str]
    legal_holds: list[tuple[str, str, str]]
    digests: Rows
    statement: str


def certificate_view(cert: Mapping[str, Any], lang: Lang) -> CertificateView:
    """Check and format a destruction certificate (keys in `custody.reports`' docstring)."""
    _require(cert, ("certificate_id", "issued_at", "org", "method", "counts"), "certificate")
    header = [
        (label("certificate_id", lang), str(cert["certificate_id"])),
        (label("org", lang), str(cert["org"])),
        (label("issued_at", lang), str(cert["issued_at"])),
    ]
    if cert.get("transfer_id"):
        header.insert(1, (label("transfer_id", lang), str(cert["transfer_id"])))
    header.append((label("method", lang), str(cert["method"])))
    digest_keys = (
        ("receipt_hash", "receipt_hash"),
        ("audit_head", "audit_head"),
        ("signer_public_key", "signing_key"),
        ("signature", "signature"),
    )
    digests = [(label(lbl, lang), str(cert[k])) for k, lbl in digest_keys if cert.get(k)]
    return CertificateView(
        lang=lang,
        certificate_id=str(cert["certificate_id"]),
        header=header,
        counts=[(str(k), fmt_int(v)) for k, v in cert["counts"].items()],
        key_ids=[str(k) for k in cert.get("key_ids") or ()],
        legal_holds=[
            (str(h.get("category", "")), str(h.get("basis", "")), str(h.get("expires", "")))
            for h in cert.get("legal_holds") or ()
        ],
        digests=digests,
        statement=str(cert.get("statement") or ""),
    )
