"""The public API grows only on purpose (style.md S12)."""

from __future__ import annotations

import importlib
import pkgutil

import custody


def test_public_names_equal_all() -> None:
    public = {n for n in dir(custody) if not n.startswith("_")} | {"__version__"}
    public.discard("annotations")  # from __future__
    modules = {m.name for m in pkgutil.iter_modules(custody.__path__)}
    assert public - modules == set(custody.__all__)


def test_every_module_declares_all() -> None:
    missing = []
    for info in pkgutil.walk_packages(custody.__path__, "custody."):
        if info.name.endswith("__main__") or ".migrations" in info.name:
            continue
        module = importlib.import_module(info.name)
        if not info.ispkg and not hasattr(module, "__all__"):
            missing.append(info.name)
    assert missing == []
