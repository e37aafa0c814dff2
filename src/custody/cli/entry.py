"""The `custody` console script: it loads only the command module an invocation names,
so that `custody classify` does not start the storage stack (SQLAlchemy, Alembic) or the
sample-data generator. Help, completion and unknown commands load every module."""

from __future__ import annotations

import importlib
import sys
from collections.abc import Sequence

__all__ = ["COMMANDS", "main", "modules_for"]

# Top-level command or group → the module of custody.cli that registers it (a test checks
# this table against the commands the modules register).
COMMANDS = {
    "init": "vault", "import": "vault", "customers": "vault",
    "user": "admin", "keys": "admin", "audit": "admin",
    "classify": "discovery", "scan": "scan", "valuation": "valuation",
    "transfer": "transfer", "demo": "demo",
}
MODULES = tuple(dict.fromkeys(COMMANDS.values()))
# The root options that take a value (custody.cli.root).
_VALUED = frozenset({"--vault", "--as", "--key-file"})


def modules_for(argv: Sequence[str]) -> tuple[str, ...]:
    """The command modules an argument list needs: the one owning its command, or all."""
    args = iter(argv)
    for arg in args:
        if arg in _VALUED:
            next(args, None)
        elif arg.startswith("--") and "=" in arg and arg.split("=", 1)[0] in _VALUED:
            continue
        else:
            module = COMMANDS.get(arg)
            return (module,) if module is not None else MODULES
    return MODULES


def main() -> None:
    for name in modules_for(sys.argv[1:]):
        importlib.import_module(f"custody.cli.{name}")
    from custody.cli.root import app

    app()
