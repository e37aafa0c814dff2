"""Vaults for use-case tests: real storage and crypto, a fixed clock."""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable, Iterator
from pathlib import Path

import pytest

from custody.bootstrap import Discovery, discovery
from custody.services.importing import ImportOptions, ImportSummary, import_file
from custody.services.vault import Vault, init_vault, open_vault

PASSPHRASE = "correct horse battery staple"
NOW = dt.datetime(2026, 11, 22, 9, 0, tzinfo=dt.UTC)


def fixed_clock() -> dt.datetime:
    return NOW


@pytest.fixture
def make_vault(tmp_path: Path, database_url: Callable[[], str | None]
               ) -> Iterator[Callable[..., Vault]]:
    opened: list[Vault] = []

    def make(name: str = "vault", org: str = "示例培训学校") -> Vault:
        path = tmp_path / name
        init_vault(path, org=org, passphrase=PASSPHRASE, database_url=database_url(),
                   clock=fixed_clock)
        v = open_vault(path, passphrase=PASSPHRASE, clock=fixed_clock)
        opened.append(v)
        return v

    yield make
    for v in opened:
        v.engine.dispose()


@pytest.fixture
def vault(make_vault: Callable[..., Vault]) -> Vault:
    return make_vault()


@pytest.fixture(scope="session")
def engine_parts() -> Discovery:
    return discovery()


@pytest.fixture
def as_user() -> Iterator[Callable[[Vault, str], Vault]]:
    """Opens the same vault as another user."""
    opened: list[Vault] = []

    def reopen(v: Vault, user: str) -> Vault:
        other = open_vault(v.path, passphrase=PASSPHRASE, user=user, clock=fixed_clock)
        opened.append(other)
        return other

    yield reopen
    for v in opened:
        v.engine.dispose()


@pytest.fixture
def do_import(engine_parts: Discovery) -> Callable[..., ImportSummary]:
    """Imports a file with the real discovery engine; options as keyword arguments."""

    def run(v: Vault, path: Path, **opts: object) -> ImportSummary:
        options = ImportOptions(
            dataset=str(opts.pop("dataset", "学员")),
            purposes=tuple(opts.pop("purposes", ("教学服务",))),  # type: ignore[arg-type]
            **opts,  # type: ignore[arg-type]
        )
        return import_file(v, path, options, reader=engine_parts.reader,
                           classifier=engine_parts.classifier, rules=engine_parts.rules)

    return run
