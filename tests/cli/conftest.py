"""Run `custody` in-process through Typer's CliRunner, with stdout and stderr apart."""

from __future__ import annotations

import json
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import pytest
from typer.testing import CliRunner

from custody.cli.app import app

PASSPHRASE = "correct horse battery staple"


@dataclass
class Run:
    code: int
    out: str
    err: str

    def json(self) -> Any:
        return json.loads(self.out)


@pytest.fixture
def cli() -> Callable[..., Run]:
    runner = CliRunner()

    def run(*args: str, env: dict[str, str] | None = None) -> Run:
        result = runner.invoke(app, list(args), env={"CUSTODY_PASSPHRASE": PASSPHRASE,
                                                     "CUSTODY_FAST_KDF": "1", **(env or {})})
        return Run(result.exit_code, result.stdout, result.stderr)

    return run


@pytest.fixture
def new_vault(tmp_path: Path, cli: Callable[..., Run],
              database_url: Callable[[], str | None]) -> Callable[[str, str], Path]:
    def make(name: str, org: str) -> Path:
        url = database_url()
        args = ["init", str(tmp_path / name), "--org", org]
        if url:
            args += ["--database-url", url]
        r = cli(*args)
        assert r.code == 0, r.err
        return tmp_path / name

    return make
