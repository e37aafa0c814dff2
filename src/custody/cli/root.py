"""The root `custody` command: global options and the one error-to-exit table (S8)."""

from __future__ import annotations

import os
import sys
import uuid
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING, Annotated, Any

import typer
from typer.core import TyperGroup

from custody.errors import CustodyError

if TYPE_CHECKING:
    from custody.services.vault import Vault

__all__ = ["CliState", "app", "open_vault_for", "state"]


class CustodyGroup(TyperGroup):
    """Maps CustodyError to one line on stderr and exit 1; usage errors keep exit 2."""

    def invoke(self, ctx: Any) -> Any:
        try:
            return super().invoke(ctx)
        except CustodyError as exc:
            typer.echo(f"error: {exc.message}", err=True)
            raise typer.Exit(1) from None
        except BrokenPipeError:
            _drop_stdout()  # the reader left (`custody scan ... | head`): nothing to report
            raise typer.Exit(141) from None
        except (typer.Exit, typer.Abort, typer.TyperException):
            raise
        except Exception:
            if os.environ.get("CUSTODY_DEBUG"):
                raise
            error_id = uuid.uuid4().hex[:8]
            typer.echo(f"error: internal error (id {error_id}); nothing was changed", err=True)
            raise typer.Exit(1) from None


def _drop_stdout() -> None:
    """Point stdout at /dev/null, so that the interpreter's last flush of what is still
    buffered does not fail again on the closed pipe (as the `signal` docs advise)."""
    try:
        fd = sys.stdout.fileno()
    except (AttributeError, OSError, ValueError):
        return  # not a real file (tests capture output)
    devnull = os.open(os.devnull, os.O_WRONLY)
    os.dup2(devnull, fd)
    os.close(devnull)


app = typer.Typer(
    cls=CustodyGroup,
    no_args_is_help=True,
    pretty_exceptions_enable=False,
    add_completion=False,
    help="Custody: keeps customer information safe and carries it through a business transfer.",
)


@dataclass
class CliState:
    """Global options, read by the commands through `state(ctx)`."""

    vault: Path | None = None
    user: str | None = None
    key_file: Path | None = None


@app.callback()
def root(
    ctx: typer.Context,
    vault: Annotated[
        Path | None, typer.Option("--vault", envvar="CUSTODY_VAULT", help="Vault directory.")
    ] = None,
    as_user: Annotated[
        str | None, typer.Option("--as", envvar="CUSTODY_USER", help="Acting user.")
    ] = None,
    key_file: Annotated[
        Path | None, typer.Option("--key-file", help="File holding the vault passphrase.")
    ] = None,
) -> None:
    """Custody command line. Example: custody --vault ./vault customers find --mobile 13800000000"""
    ctx.obj = CliState(vault=vault, user=as_user, key_file=key_file)


def open_vault_for(ctx: typer.Context) -> Vault:
    """Unlock the vault chosen by the global options; its connections close with the
    command."""
    from custody.bootstrap import unlock

    st = state(ctx)
    vault = unlock(st.vault, st.key_file, st.user)
    ctx.find_root().call_on_close(vault.engine.dispose)
    return vault


def state(ctx: typer.Context) -> CliState:
    """The global options of this invocation."""
    root_ctx = ctx.find_root()
    obj = root_ctx.obj
    return obj if isinstance(obj, CliState) else CliState()
