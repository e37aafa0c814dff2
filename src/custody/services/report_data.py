"""Shape domain results into the plain dicts the report renderers draw (no rendering here)."""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from typing import Any

from custody.domain.taxonomy import label_info
from custody.domain.valuation import Valuation

__all__ = ["agreement_report", "certificate_report", "valuation_report"]


def valuation_report(v: Valuation, *, org: str, findings: Sequence[Mapping[str, Any]] = ()
                     ) -> dict[str, Any]:
    """Render data for the valuation report, with the projection method in both languages."""
    d = v.to_dict()
    cohorts = {c.cohort: list(c.rates) for c in v.cohorts}
    return {
        **d, "org": org, "cohorts": cohorts,
        "projection": {"amount": d["projected_revenue_12m"],
                       "method_en": v.projection_method,
                       "method_zh": "按近12个月收入乘以12个月客户留存率推算："
                                    + v.projection_method},
        "quality": {"invalid_share": v.invalid_share, "duplicate_share": v.duplicate_share},
        "findings": list(findings),
    }


def _bi(items: Sequence[Mapping[str, str]], lang: str) -> list[str]:
    return [str(i.get(lang) or i.get("en") or "") for i in items]


def agreement_report(envelope: Mapping[str, Any], agreement_hash: str, lang: str = "zh"
                     ) -> dict[str, Any]:
    """Render data for the agreement from its signed envelope."""
    a = envelope.get("agreement", envelope)
    sigs = envelope.get("signatures", {})
    return {
        "transfer_id": a["transfer_id"], "deal_type": a["deal_type"],
        "legal_route": a["route"], "created_at": a["created_at"],
        "seller": a["seller"], "buyer": a["buyer"],
        "scope": {"datasets": a["scope"]["datasets"],
                  "fields": [f"{label_info(x).zh} {x}" if lang == "zh" else x
                             for x in a["scope"]["field_labels"]],
                  "customers": a["scope"]["customer_count"]},
        "purposes": [f"{p['dataset']}: {p['purpose']}"
                     + ("" if p["original"] else " (需重新同意 / needs fresh consent)")
                     for p in a["purposes"]],
        "obligations": _bi(a["obligations"], lang),
        "confidentiality": "\n".join(_bi(a["confidentiality"], lang)),
        "signatures": {role: {"signed_at": a["created_at"], "signature": s["signature"]}
                       for role, s in sigs.items()},
        "agreement_hash": agreement_hash,
    }


def certificate_report(cert: Mapping[str, Any]) -> dict[str, Any]:
    """Render data for a destruction certificate from its signed document."""
    c = cert["document"]
    return {
        "certificate_id": c["transfer_id"] + "-destruction", "issued_at": c["when"],
        "org": c["seller"]["name"], "method": c["how"], "transfer_id": c["transfer_id"],
        "counts": {k: int(v) for k, v in c["how_many"].items()},
        "receipt_hash": c["receipt_hash"],
        "signer_public_key": cert["signature"]["public_key"],
        "signature": cert["signature"]["signature"],
    }
