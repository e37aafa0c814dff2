"""Field values that cannot leak by accident (S9).

`Plain` holds a decrypted value; printing, formatting or repr-ing it shows the mask.
The value comes out only through `.reveal()`, called by the one audited gate
(`custody.services.reveal`) and by code paths that a test lists explicitly.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import NoReturn

from custody.domain.masking import mask

__all__ = ["Masked", "Plain", "Sealed"]


@dataclass(frozen=True)
class Sealed:
    """Ciphertext of one field as stored: nonce + AES-GCM output, and the key version."""

    blob: bytes
    key_version: int


@dataclass(frozen=True)
class Masked:
    """The display form of a value under its label's masking rule."""

    label: str
    text: str

    def __str__(self) -> str:
        return self.text


@dataclass(frozen=True, repr=False)
class Plain:
    """A plaintext value that shows its mask everywhere except through `.reveal()`."""

    label: str
    _value: str = field(compare=True)

    def reveal(self) -> str:
        """The plaintext. Call only from the audited gate or a listed trusted path."""
        return self._value

    def masked(self) -> Masked:
        return Masked(self.label, mask(self.label, self._value))

    def __str__(self) -> str:
        return self.masked().text

    def __repr__(self) -> str:
        return f"Plain({self.label}, {self.masked().text!r})"

    def __format__(self, spec: str) -> str:
        return format(self.masked().text, spec)

    def __reduce__(self) -> NoReturn:
        raise TypeError("Plain values cannot be pickled")
