"""TR-07: the agreement fixes purpose, method, scope and security duties and is signed by
both parties before anything moves (NDSMR Art. 12)."""

from __future__ import annotations

from collections.abc import Iterator

from custody.domain.transfer.facts import GateFacts
from custody.domain.transfer.rules.base import Finding, Rule, register

__all__ = ["RULE"]


def _check(f: GateFacts) -> Iterator[Finding]:
    if not f.seller_signature_valid:
        yield RULE.block(
            "the transfer agreement lacks a valid seller signature",
            "转让协议缺少有效的转让方签名",
        )
    if not f.buyer_signature_valid:
        yield RULE.block(
            "the transfer agreement lacks a valid buyer countersignature",
            "转让协议缺少有效的接收方会签",
        )


RULE = register(Rule("TR-07", "Signed transfer agreement", "NDSMR Art. 12", _check))
