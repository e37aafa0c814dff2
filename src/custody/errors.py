"""The one exception tree of Custody.

    CustodyError                 any refusal Custody reports to a user
    ├── InputError               bad file, encoding, value or usage
    ├── NotFound                 a named vault, user, customer, dataset or transfer is missing
    ├── AccessDenied             role, purpose or consent does not allow the action
    ├── PolicyRefused            a compliance gate, retention or sharing rule refuses
    ├── VerificationError        an authenticity check failed (passphrase, signature,
    │                            tampered package, broken audit chain)
    ├── Conflict                 the action clashes with the current state
    └── StorageError             the database or vault directory cannot be used

Messages never carry plaintext personal information: only ids, labels, file names,
row numbers and legal sources.
"""

from __future__ import annotations

__all__ = [
    "AccessDenied",
    "Conflict",
    "CustodyError",
    "InputError",
    "NotFound",
    "PolicyRefused",
    "StorageError",
    "VerificationError",
]


class CustodyError(Exception):
    """Root of every error Custody raises on purpose; its message is safe to show."""

    def __init__(self, message: str, **fields: object) -> None:
        super().__init__(message)
        self.message = message
        self.fields = fields

    def __str__(self) -> str:
        return self.message


class InputError(CustodyError):
    """Raised for a bad file, encoding, value or option given by the user."""


class NotFound(CustodyError):
    """Raised when a named vault, user, customer, dataset or transfer does not exist."""


class AccessDenied(CustodyError):
    """Raised when the actor's role, purpose or the customer's consent forbids the action."""


class PolicyRefused(CustodyError):
    """Raised when a compliance gate, retention or sharing rule refuses the action."""


class VerificationError(CustodyError):
    """Raised when an authenticity or integrity check fails (passphrase, signature, hash)."""


class Conflict(CustodyError):
    """Raised when the action clashes with the current state (exists already, used twice)."""


class StorageError(CustodyError):
    """Raised when the database or the vault directory cannot be read or written."""
