"""Rendering of report data into HTML (Jinja2 + inline SVG) and PDF (reportlab).

Rendering only: the service layer builds plain dicts and these functions draw them.
Labels are Chinese by default (`lang="zh"`) and English with `lang="en"`; data values
(organisation and purpose names, messages) are shown as given. Missing required keys raise
InputError naming them; an unwritable PDF path raises StorageError.

Valuation (`render_valuation_html(data, lang)`, `render_valuation_pdf(data, path, lang)`):
    as_of              str, the valuation date ("2026-11-01")
    org                str, the seller's name
    distinct_customers int
    active_90d         int, customers with activity in the last 90 days
    active_365d        int
    revenue_total      number, all revenue on record
    revenue_by_month   {"YYYY-MM": amount}, drawn as bars (sorted by month)
    cohorts            {"YYYY-MM": [fraction retained at month offset 0, 1, 2, …]},
                       drawn as one line per cohort plus their mean
    projection         {"amount": number, "method_zh": str, "method_en": str}; the method
                       of the language shown is printed next to the key figures
    consent_coverage   {purpose: fraction 0..1}, drawn as horizontal bars
    quality            {"invalid_share": fraction, "duplicate_share": fraction}
    sensitive_share    fraction of customers with sensitive personal information
    minors             int, customers under 14
    minors_share       fraction
    findings           [{"rule": str, "severity": "block"|"warn"|"info", "message": str}]
  optional:
    currency           str prefix for amounts (default "¥")
    prepared_for       str, the recipient the copy is fingerprinted for (shown in the
                       heading and in every PDF page footer)

Agreement (`render_agreement_html(agreement, lang)`, `render_agreement_pdf(agreement, path,
lang)`):
    transfer_id        str
    deal_type          "merger"|"division"|"dissolution"|"bankruptcy"|"asset-sale"|
                       "equity"|"entrusted" (shown translated; other values as given)
    seller, buyer      {"name", "contact", optional "jurisdiction", "storage_location",
                       "age_recipient", "signing_public_key"}
  optional:
    legal_route, created_at, objection_days    shown in the header table
    scope              {"datasets": [str], "fields": [str], "customers": int,
                       "excluded": int}
    purposes           [str], purposes carried over
    obligations        [str], the buyer's obligations
    confidentiality    str
    transition         str, the transition-period arrangement (PIPL Art. 20)
    signatures         {"seller"|"buyer": {"signed_at": str, "signature": str}}
    agreement_hash     str, SHA-256 of the canonical agreement JSON

Destruction certificate (`render_certificate_html(certificate, lang)`,
`render_certificate_pdf(certificate, path, lang)`):
    certificate_id, issued_at, org, method     str
    counts             {what: int}, e.g. {"客户": 120, "记录": 3400, "数据密钥": 120}
  optional:
    transfer_id        str
    key_ids            [str], the destroyed data-key ids
    legal_holds        [{"category": str, "basis": str, "expires": str}], kept in
                       storage-only state
    statement          str
    receipt_hash, audit_head, signer_public_key, signature    str, shown in monospace
"""

from __future__ import annotations

from custody.reports.html import (
    render_agreement_html,
    render_certificate_html,
    render_valuation_html,
)
from custody.reports.pdf import render_agreement_pdf, render_certificate_pdf, render_valuation_pdf

__all__ = [
    "render_agreement_html",
    "render_agreement_pdf",
    "render_certificate_html",
    "render_certificate_pdf",
    "render_valuation_html",
    "render_valuation_pdf",
]
