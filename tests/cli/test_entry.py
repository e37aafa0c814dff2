"""The console script loads only the command module an invocation names."""

from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path

from custody.cli.app import app
from custody.cli.entry import COMMANDS, MODULES, modules_for

_OWNERS = """
import importlib, json
from custody.cli.entry import MODULES
from custody.cli.root import app
owners = {}
for module in MODULES:
    seen = {id(x) for x in [*app.registered_commands, *app.registered_groups]}
    importlib.import_module(f"custody.cli.{module}")
    for c in app.registered_commands:
        if id(c) not in seen:
            owners[c.name or c.callback.__name__.replace("_", "-")] = module
    for g in app.registered_groups:
        if id(g) not in seen:
            owners[g.name] = module
print(json.dumps(owners))
"""


def test_every_command_is_in_the_table_with_the_module_that_registers_it() -> None:
    out = subprocess.run([sys.executable, "-c", _OWNERS], capture_output=True, text=True,
                         check=True).stdout
    assert json.loads(out) == COMMANDS
    assert len(app.registered_commands) + len(app.registered_groups) == len(COMMANDS)


def test_the_named_command_alone_is_loaded_after_the_root_options() -> None:
    assert modules_for(["--vault", "v", "--as", "owner", "import", "f.csv"]) == ("vault",)
    assert modules_for(["--vault=v", "classify", "f.csv"]) == ("discovery",)
    assert modules_for(["transfer", "check", "t1"]) == ("transfer",)


def test_help_and_unknown_commands_load_every_module() -> None:
    assert modules_for([]) == modules_for(["--help"]) == modules_for(["nonsense"]) == MODULES


def test_classify_starts_without_the_storage_stack() -> None:
    code = ("import sys; sys.argv = ['custody', 'classify', '--help']\n"
            "from custody.cli.entry import main\n"
            "try:\n    main()\nexcept SystemExit:\n    pass\n"
            "print(sorted(m for m in ('sqlalchemy', 'alembic', 'faker') if m in sys.modules))")
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True,
                         check=True).stdout
    assert out.strip().splitlines()[-1] == "[]"


def test_scan_starts_without_faker_once_its_tables_are_cached(tmp_path: Path) -> None:
    code = ("import sys; sys.argv = ['custody', 'scan', '周末上课', '--json']\n"
            "from custody.cli.entry import main\n"
            "try:\n    main()\nexcept SystemExit:\n    pass\n"
            "print(sorted(m for m in ('sqlalchemy', 'alembic', 'faker') if m in sys.modules))")
    env = {**os.environ, "CUSTODY_CACHE_DIR": str(tmp_path)}
    runs = [
        subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True,
                       env=env).stdout.strip().splitlines()
        for _ in range(2)
    ]
    assert runs[0][0] == runs[1][0] == '{"spans": []}'
    assert runs[1][-1] == "[]"  # the first run built the tables from Faker's and jieba's lists
