"""The root app with every command module registered (tests, the command reference).

The `custody` script (`custody.cli.entry`) loads only what an invocation needs."""

from __future__ import annotations

import importlib

from custody.cli.entry import MODULES
from custody.cli.root import app

__all__ = ["app"]

# Each module registers its commands on `app` when imported.
for _name in MODULES:
    importlib.import_module(f"custody.cli.{_name}")
