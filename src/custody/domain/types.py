"""Identifier types and small enumerations shared across the core."""

from __future__ import annotations

from enum import StrEnum
from typing import NewType

__all__ = [
    "CustomerId",
    "DatasetName",
    "KeyVersion",
    "Label",
    "LegalBasis",
    "Purpose",
    "Role",
    "TransferId",
    "UserName",
]

CustomerId = NewType("CustomerId", str)
DatasetName = NewType("DatasetName", str)
TransferId = NewType("TransferId", str)
UserName = NewType("UserName", str)
Purpose = NewType("Purpose", str)
Label = NewType("Label", str)
KeyVersion = NewType("KeyVersion", int)


class Role(StrEnum):
    """The roles of product.md; one permission table decides what each may do."""

    OWNER = "owner"
    PRIVACY_OFFICER = "privacy_officer"
    STAFF = "staff"
    AUDITOR = "auditor"
    ANALYST = "analyst"
    TRANSFER_AGENT = "transfer_agent"


class LegalBasis(StrEnum):
    """PIPL Art. 13 legal bases for processing."""

    CONSENT = "consent"
    CONTRACT = "contract"
    LEGAL_DUTY = "legal_duty"
    HEALTH_EMERGENCY = "health_emergency"
    NEWS_PUBLIC_INTEREST = "news_public_interest"
    PUBLIC_INFO = "public_info"
    OTHER_LAW = "other_law"
