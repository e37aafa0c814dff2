"""Role by command: every role gets exactly what the permission table gives it (issue 2),
and no refusal or error ever prints a customer's plaintext."""

from __future__ import annotations

import csv
from collections.abc import Callable
from pathlib import Path

import pytest

from custody.domain.access import PERMISSIONS, Action
from custody.domain.types import Role
from custody.sampledata import write_customers_csv

# command → (arguments after the vault options, the action it needs)
COMMANDS: dict[str, tuple[list[str], Action]] = {
    "user list": (["user", "list", "--json"], Action.USERS_READ),
    "user add": (["user", "add", "newcomer", "--role", "staff"], Action.USERS_MANAGE),
    "keys show": (["keys", "show", "--json"], Action.KEYS_SHOW),
    "audit verify": (["audit", "verify", "--json"], Action.AUDIT_VERIFY),
    "audit log": (["audit", "log", "--json"], Action.AUDIT_READ),
    "customers find": (["customers", "find", "--mobile", "{mobile}", "--json"],
                       Action.CUSTOMERS_READ),
    "valuation": (["valuation", "--json"], Action.VALUATION),
    "import": (["import", "{file}", "--dataset", "more", "--purpose", "教学服务"],
               Action.IMPORT),
}


@pytest.fixture(scope="module")
def seeded(tmp_path_factory: pytest.TempPathFactory) -> tuple[Path, Path, list[str]]:
    from typer.testing import CliRunner

    from custody.cli.app import app

    base = tmp_path_factory.mktemp("matrix")
    env = {"CUSTODY_PASSPHRASE": "pw-matrix", "CUSTODY_FAST_KDF": "1"}
    runner = CliRunner()
    vault = base / "vault"
    src = write_customers_csv(base / "c.csv", 30, seed=41)
    for args in (["init", str(vault), "--org", "甲"],
                 ["--vault", str(vault), "import", str(src), "--dataset", "学员",
                  "--purpose", "教学服务", "--consent-evidence", "表"],
                 *[["--vault", str(vault), "user", "add", f"u_{r.value}", "--role", r.value]
                   for r in Role if r is not Role.OWNER]):
        assert runner.invoke(app, args, env=env).exit_code == 0
    with src.open(encoding="utf-8", newline="") as f:
        row = list(csv.reader(f))[1]
    return vault, src, row


@pytest.mark.parametrize("role", list(Role))
@pytest.mark.parametrize("command", sorted(COMMANDS))
def test_role_by_command(seeded: tuple[Path, Path, list[str]], role: Role, command: str,
                         cli: Callable[..., object]) -> None:
    vault, src, row = seeded
    args, action = COMMANDS[command]
    args = [a.format(mobile=row[4], file=src) for a in args]
    user = "owner" if role is Role.OWNER else f"u_{role.value}"
    r = cli("--vault", str(vault), "--as", user, *args, env={"CUSTODY_PASSPHRASE": "pw-matrix"})
    if action in PERMISSIONS[role]:
        assert r.code == 0, r.err  # type: ignore[attr-defined]
    else:
        assert r.code == 1 and "may not" in r.err and r.out == ""  # type: ignore[attr-defined]
    for value in (row[0], row[3], row[4], row[5]):
        assert value not in r.err  # type: ignore[attr-defined]


@pytest.mark.parametrize("role", list(Role))
def test_plaintext_only_for_roles_that_may_see_it(seeded: tuple[Path, Path, list[str]],
                                                  role: Role, cli: Callable[..., object]) -> None:
    vault, _src, row = seeded
    assert int(row[2][:4]) < 2010, "the first fixture row must be an adult"
    env = {"CUSTODY_PASSPHRASE": "pw-matrix"}
    found = cli("--vault", str(vault), "customers", "find", "--mobile", row[4], "--json", env=env)
    cid = found.json()["customers"][0]  # type: ignore[attr-defined]
    user = "owner" if role is Role.OWNER else f"u_{role.value}"
    r = cli("--vault", str(vault), "--as", user, "customers", "show", cid, "--reveal",
            "contact.mobile", "--purpose", "教学服务", "--json", env=env)
    if role in (Role.OWNER, Role.PRIVACY_OFFICER, Role.STAFF):
        assert r.code == 0 and row[4] in r.out  # type: ignore[attr-defined]
    else:
        assert r.code == 1 and row[4] not in r.err + r.out  # type: ignore[attr-defined]
