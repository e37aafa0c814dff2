"""Strict readers for JSON documents received from the other party (InputError on drift)."""

from __future__ import annotations

from collections.abc import Collection, Mapping

from custody.errors import InputError

__all__ = ["as_list", "as_mapping", "bool_at", "int_at", "only_keys", "str_at", "str_list_at"]


def as_mapping(obj: object, path: str) -> Mapping[str, object]:
    """obj as a JSON object, or InputError naming where."""
    if not isinstance(obj, Mapping) or not all(isinstance(k, str) for k in obj):
        raise InputError(f"{path}: expected an object", path=path)
    return obj


def as_list(obj: object, path: str) -> list[object]:
    """obj as a JSON array, or InputError naming where."""
    if not isinstance(obj, list):
        raise InputError(f"{path}: expected a list", path=path)
    return obj


def only_keys(m: Mapping[str, object], allowed: Collection[str], path: str) -> None:
    """InputError when m carries keys outside `allowed`."""
    extra = sorted(set(m) - set(allowed))
    if extra:
        raise InputError(f"{path}: unexpected field {extra[0]!r}", path=path, field=extra[0])


def str_at(m: Mapping[str, object], key: str, path: str) -> str:
    """m[key] as text, or InputError."""
    value = m.get(key)
    if not isinstance(value, str):
        raise InputError(f"{path}.{key}: expected text", path=path, field=key)
    return value


def int_at(m: Mapping[str, object], key: str, path: str) -> int:
    """m[key] as an integer (not a bool), or InputError."""
    value = m.get(key)
    if not isinstance(value, int) or isinstance(value, bool):
        raise InputError(f"{path}.{key}: expected an integer", path=path, field=key)
    return value


def bool_at(m: Mapping[str, object], key: str, path: str) -> bool:
    """m[key] as true/false, or InputError."""
    value = m.get(key)
    if not isinstance(value, bool):
        raise InputError(f"{path}.{key}: expected true or false", path=path, field=key)
    return value


def str_list_at(m: Mapping[str, object], key: str, path: str) -> list[str]:
    """m[key] as a list of text, or InputError."""
    items = as_list(m.get(key), f"{path}.{key}")
    if not all(isinstance(i, str) for i in items):
        raise InputError(f"{path}.{key}: expected a list of text", path=path, field=key)
    return [str(i) for i in items]
