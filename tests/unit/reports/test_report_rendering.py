"""Valuation, agreement and certificate rendering to HTML and PDF (issue 4)."""

from __future__ import annotations

import re
import shutil
import subprocess
from pathlib import Path
from typing import Any
from xml.etree import ElementTree

import pytest

from custody.errors import InputError
from custody.reports import (
    render_agreement_html,
    render_agreement_pdf,
    render_certificate_html,
    render_certificate_pdf,
    render_valuation_html,
    render_valuation_pdf,
)
from custody.reports.svg import compact_number, nice_ticks


def valuation_data() -> dict[str, Any]:
    months = [f"2025-{m:02d}" for m in range(12, 13)] + [f"2026-{m:02d}" for m in range(1, 11)]
    return {
        "as_of": "2026-11-01",
        "org": "杭州示例培训学校（虚构）",
        "distinct_customers": 1234,
        "active_90d": 456,
        "active_365d": 987,
        "revenue_total": 2345678.5,
        "revenue_by_month": {m: 150000 + 9000 * i for i, m in enumerate(months)},
        "cohorts": {
            m: [1.0] + [round(0.82 * (0.93**k) - 0.01 * i, 3) for k in range(1, 11 - i)]
            for i, m in enumerate(months[:8])
        },
        "projection": {
            "amount": 1890000,
            "method_zh": "按近 12 个月各同期群留存率外推，乘以客单价中位数。",
            "method_en": "Cohort retention of the last 12 months extrapolated, times median spend.",
        },
        "consent_coverage": {"教学服务": 0.98, "营销推广": 0.41, "第三方共享": 0.12},
        "quality": {"invalid_share": 0.031, "duplicate_share": 0.047},
        "sensitive_share": 0.052,
        "minors": 312,
        "minors_share": 0.253,
        "findings": [
            {"rule": "TR-16", "severity": "warn", "message": "异议期设为 0 天（演示）"},
            {"rule": "TR-07", "severity": "block", "message": "312 名未成年人缺少监护人同意"},
        ],
    }


def agreement_data() -> dict[str, Any]:
    return {
        "transfer_id": "T-2026-0001",
        "deal_type": "asset-sale",
        "legal_route": "PIPL 第二十二条",
        "created_at": "2026-11-02T09:00:00+08:00",
        "objection_days": 30,
        "seller": {
            "name": "甲培训学校（虚构）",
            "contact": "seller@example.com",
            "signing_public_key": "u3e6hQm2S0bVnq1cPZ5hM9pD0i7m0f4kq3s8V2xYw1o=",
        },
        "buyer": {
            "name": "乙教育科技有限公司（虚构）",
            "contact": "dpo@buyer.example.com",
            "jurisdiction": "CN",
            "storage_location": "CN",
            "age_recipient": "age1qyqszqgpqyqszqgpqyqszqgpqyqszqgpqyqszqgpqyqszqgpqyqs3290gq",
        },
        "scope": {
            "datasets": ["学员", "课程记录"],
            "fields": ["姓名", "手机号"],
            "customers": 1180,
            "excluded": 54,
        },
        "purposes": ["教学服务", "课程续费通知"],
        "obligations": ["按原处理目的和方式处理", "变更目的须重新取得同意"],
        "confidentiality": "双方对本协议及所涉个人信息负有保密义务。",
        "transition": "交割后 30 日内，个人权利请求同时送达双方。",
        "signatures": {
            "seller": {"signed_at": "2026-11-02T10:00:00+08:00", "signature": "c2lnbmF0dXJl"}
        },
        "agreement_hash": "9f" * 32,
    }


def certificate_data() -> dict[str, Any]:
    return {
        "certificate_id": "DC-2026-0007",
        "transfer_id": "T-2026-0001",
        "issued_at": "2026-12-20T10:00:00+08:00",
        "org": "甲培训学校（虚构）",
        "method": "密码学销毁：删除每位客户的数据密钥",
        "counts": {"客户": 1180, "记录": 23456, "数据密钥": 1180},
        "key_ids": ["dk-0001", "dk-0002"],
        "legal_holds": [{"category": "交易记录", "basis": "会计法", "expires": "2056-12-31"}],
        "statement": "上述数据已不可恢复。",
        "receipt_hash": "ab" * 32,
        "audit_head": "cd" * 32,
    }


def _text(html: str) -> str:
    return re.sub(r"<[^>]+>", " ", html)


# ----------------------------------------------------------------------------- HTML


def test_valuation_html_in_chinese_shows_the_key_figures_and_charts() -> None:
    html = render_valuation_html(valuation_data())
    text = _text(html)
    for figure in ("1,234", "456", "987", "¥2,345,678.50", "¥1,890,000.00", "25.3%", "41.0%"):
        assert figure in text
    assert "客户资产价值评估报告" in text and "去重客户数" in text
    assert "按近 12 个月各同期群留存率外推" in text  # the projection method is stated
    svgs = re.findall(r"<svg.*?</svg>", html, flags=re.S)
    assert len(svgs) == 3
    for svg in svgs:  # each chart is well-formed XML on its own
        ElementTree.fromstring(svg)
    assert "<polyline" in html and "<rect" in html
    assert html.index("TR-07") < html.index("TR-16")  # blocking findings first
    assert 'lang="zh-CN"' in html


def test_valuation_html_in_english() -> None:
    html = render_valuation_html(valuation_data(), lang="en")
    assert "Customer Base Valuation Report" in html
    assert "Distinct customers" in html
    assert "Cohort retention of the last 12 months" in html
    assert "客户资产价值评估报告" not in html


def test_html_escapes_data() -> None:
    data = valuation_data()
    data["org"] = "<script>alert(1)</script>"
    data["consent_coverage"] = {"<b>x</b>": 0.5}
    html = render_valuation_html(data)
    assert "<script>alert" not in html and "<b>x</b>" not in html


def test_valuation_with_missing_keys_is_an_input_error() -> None:
    data = valuation_data()
    del data["cohorts"], data["minors"]
    with pytest.raises(InputError, match="cohorts, minors"):
        render_valuation_html(data)
    with pytest.raises(InputError, match="language"):
        render_valuation_html(valuation_data(), lang="fr")


def test_empty_series_render() -> None:
    data = valuation_data() | {
        "revenue_by_month": {},
        "cohorts": {},
        "consent_coverage": {},
        "findings": [],
    }
    assert "未发现问题" in render_valuation_html(data)


def test_agreement_and_certificate_html() -> None:
    agreement = render_agreement_html(agreement_data())
    assert "个人信息转移协议" in agreement and "资产转让" in agreement
    assert "乙教育科技有限公司（虚构）" in agreement and "未签署" in agreement
    english = render_agreement_html(agreement_data(), lang="en")
    assert "Asset sale" in english and "Not signed" in english
    cert = render_certificate_html(certificate_data())
    assert "个人信息销毁证明" in cert and "23,456" in cert and "dk-0002" in cert
    assert "Certificate of Destruction" in render_certificate_html(certificate_data(), lang="en")


def test_chart_scales() -> None:
    assert nice_ticks(0)[-1] == pytest.approx(1.0)
    assert nice_ticks(237_000)[-1] >= 237_000
    assert compact_number(150000, "zh") == "15万" and compact_number(150000, "en") == "150k"


# ----------------------------------------------------------------------------- PDF


def _pdftotext(path: Path) -> str | None:
    if shutil.which("pdftotext") is None:
        return None
    return subprocess.run(
        ["pdftotext", "-layout", str(path), "-"], check=True, capture_output=True, text=True
    ).stdout


def test_valuation_pdf_in_chinese(tmp_path: Path) -> None:
    out = render_valuation_pdf(valuation_data(), tmp_path / "valuation.pdf", "zh")
    assert out.read_bytes().startswith(b"%PDF")
    assert [p.name for p in tmp_path.iterdir()] == ["valuation.pdf"]
    text = _pdftotext(out)
    if text is None:
        pytest.skip("pdftotext (poppler-utils) is not installed")
    assert "客户资产价值评估报告" in text
    assert "去重客户数" in text and "1,234" in text and "¥2,345,678.50" in text


def test_valuation_pdf_in_english_keeps_chinese_data(tmp_path: Path) -> None:
    out = render_valuation_pdf(valuation_data(), tmp_path / "v.pdf", "en")
    text = _pdftotext(out)
    if text is None:
        pytest.skip("pdftotext (poppler-utils) is not installed")
    assert "Customer Base Valuation Report" in text and "营销推广" in text


def test_agreement_and_certificate_pdf(tmp_path: Path) -> None:
    agreement = render_agreement_pdf(agreement_data(), tmp_path / "a.pdf")
    cert = render_certificate_pdf(certificate_data(), tmp_path / "c.pdf", "en")
    assert agreement.read_bytes().startswith(b"%PDF") and cert.read_bytes().startswith(b"%PDF")
    text = _pdftotext(agreement)
    if text is None:
        pytest.skip("pdftotext (poppler-utils) is not installed")
    assert "个人信息转移协议" in text and "接收方义务" in text
    assert "Certificate of Destruction" in (_pdftotext(cert) or "")
