"""Field values that cannot leak by accident (S9).

`Plain` holds a decrypted value; printing, formatting or repr-ing it shows the mask.
The value comes out only through `.reveal()`, called by the one audited gate
(`custody.services.reveal`) and by code paths that a test lists explicitly.
"""

from __future__ import annotations

from dataclasses import FrozenInstanceError, dataclass
from typing import NoReturn

from custody.domain.masking import mask

__all__ = ["Masked", "Plain", "Sealed"]

_set = object.__setattr__  # how a frozen object sets its own fields


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


class Plain:
    """A plaintext value that shows its mask everywhere except through `.reveal()`.

    Immutable and compared by label and value like a frozen dataclass, but with slots and
    no `__dict__`: one is built per value opened in bulk, and `vars()` or
    `dataclasses.asdict()` of an enclosing object cannot reach the value either."""

    __slots__ = ("_value", "label")

    label: str
    _value: str

    def __init__(self, label: str, _value: str) -> None:
        _set(self, "label", label)
        _set(self, "_value", _value)

    def __setattr__(self, name: str, value: object) -> NoReturn:
        raise FrozenInstanceError(f"cannot assign to field {name!r}")

    def __delattr__(self, name: str) -> NoReturn:
        raise FrozenInstanceError(f"cannot delete field {name!r}")

    def __eq__(self, other: object) -> bool:
        if not isinstance(other, Plain):
            return NotImplemented
        return self.label == other.label and self._value == other._value

    def __hash__(self) -> int:
        return hash((self.label, self._value))

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
