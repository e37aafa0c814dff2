"""Entry point: the root app with every command module registered."""

from __future__ import annotations

import importlib

from custody.cli.entry import MODULES
from custody.cli.root import app

__all__ = ["app", "main"]

# Each module registers its commands on `app` when imported; here all of them are (tests,
# the command reference). The console script loads only what an invocation needs.
for _name in MODULES:
    importlib.import_module(f"custody.cli.{_name}")


def main() -> None:
    """`python -m custody`: the whole command line."""
    app()
