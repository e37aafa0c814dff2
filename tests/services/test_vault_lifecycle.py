"""Creating, unlocking and refusing to unlock vaults."""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path

import pytest

from custody.errors import AccessDenied, Conflict, NotFound, VerificationError
from custody.services.vault import Vault, init_vault, open_vault


def test_wrong_passphrase_is_refused_without_detail(vault: Vault) -> None:
    with pytest.raises(VerificationError) as exc:
        open_vault(vault.path, passphrase="not the passphrase")
    assert str(exc.value) == "wrong passphrase for this vault"


def test_unknown_user_is_refused(vault: Vault, as_user: Callable[[Vault, str], Vault]) -> None:
    with pytest.raises(AccessDenied):
        as_user(vault, "nobody")


def test_missing_vault_is_reported(tmp_path: Path) -> None:
    with pytest.raises(NotFound):
        open_vault(tmp_path / "nope", passphrase="x")


def test_init_refuses_an_existing_vault(vault: Vault) -> None:
    with pytest.raises(Conflict):
        init_vault(vault.path, org="again", passphrase="x")


def test_keyring_and_config_hold_no_plaintext_keys(vault: Vault) -> None:
    text = (vault.path / "keyring.json").read_text() + (vault.path / "custody.json").read_text()
    assert vault.keys.age_identity not in text
    assert "AGE-SECRET-KEY" not in text


def test_vault_directory_is_private(vault: Vault) -> None:
    assert (vault.path.stat().st_mode & 0o077) == 0
