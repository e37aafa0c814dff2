"""Entry point: the root app with every command module registered."""

from __future__ import annotations

import importlib

from custody.cli.root import app

__all__ = ["app", "main"]

# Each module registers its commands on `app` when imported.
COMMAND_MODULES = ("vault", "admin", "discovery", "scan", "valuation", "transfer", "demo")
for _name in COMMAND_MODULES:
    try:
        importlib.import_module(f"custody.cli.{_name}")
    except ModuleNotFoundError as exc:  # a front door still being written
        if exc.name != f"custody.cli.{_name}":
            raise


def main() -> None:
    """Console-script entry point for `custody`."""
    app()
