"""Custody: keeps a small business's customer information safe for its whole life and
carries it intact, lawfully and provably, through a sale or transfer of the business.

The public Python API: open a vault, import, look up, reveal through the audited gate,
value the customer base. The same functions back the command line.
"""

from __future__ import annotations

import importlib as _importlib
import typing as _typing

from custody.errors import (
    AccessDenied,
    Conflict,
    CustodyError,
    InputError,
    NotFound,
    PolicyRefused,
    StorageError,
    VerificationError,
)

if _typing.TYPE_CHECKING:
    from custody.bootstrap import unlock
    from custody.services.customers import delete_customer, find_customers, show_customer
    from custody.services.importing import ImportOptions, ImportSummary, import_file
    from custody.services.reveal import reveal_field
    from custody.services.valuation import compute_valuation
    from custody.services.vault import Vault, init_vault, open_vault

# Loaded on first use, so that `custody classify` does not start the storage stack.
_LAZY = {
    "unlock": "custody.bootstrap",
    **dict.fromkeys(("delete_customer", "find_customers", "show_customer"),
                    "custody.services.customers"),
    **dict.fromkeys(("ImportOptions", "ImportSummary", "import_file"),
                    "custody.services.importing"),
    "reveal_field": "custody.services.reveal",
    "compute_valuation": "custody.services.valuation",
    **dict.fromkeys(("Vault", "init_vault", "open_vault"), "custody.services.vault"),
}


def __getattr__(name: str) -> _typing.Any:
    module = _LAZY.get(name)
    if module is None:
        raise AttributeError(f"module 'custody' has no attribute {name!r}")
    value = getattr(_importlib.import_module(module), name)
    globals()[name] = value
    return value


def __dir__() -> list[str]:
    return sorted({*globals(), *__all__})


__version__ = "0.1.0"

__all__ = [
    "AccessDenied",
    "Conflict",
    "CustodyError",
    "ImportOptions",
    "ImportSummary",
    "InputError",
    "NotFound",
    "PolicyRefused",
    "StorageError",
    "Vault",
    "VerificationError",
    "__version__",
    "compute_valuation",
    "delete_customer",
    "find_customers",
    "import_file",
    "init_vault",
    "open_vault",
    "reveal_field",
    "show_customer",
    "unlock",
]
