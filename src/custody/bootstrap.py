"""Composition root: builds the real dependencies for the front doors (S4)."""

from __future__ import annotations

import datetime as dt
import os
import sys
from collections.abc import Callable, Iterable, Mapping, Sequence
from dataclasses import dataclass
from functools import cache, partial
from pathlib import Path
from typing import TYPE_CHECKING, Any

from custody.domain.classification import ColumnLabel
from custody.errors import InputError
from custody.services.discovery import QualityFactory
from custody.services.ports import (
    ColumnClassifier,
    Mailer,
    NoticeWriter,
    PackageReader,
    PackageWriter,
    TableReader,
    TextScanner,
    ValueRules,
)

if TYPE_CHECKING:  # imported where used: a command pays only for what it runs
    from custody.services.demo import DemoParts
    from custody.services.vault import Vault

__all__ = [
    "Discovery",
    "demo_parts",
    "discovery",
    "notice_writer",
    "package_reader",
    "package_writer",
    "render_report",
    "resolve_passphrase",
    "scanner",
    "smtp_mailer",
    "unlock",
]


Unneeded = Callable[[Sequence[ColumnLabel], Iterable[str]], list[int]]


@dataclass(frozen=True)
class Discovery:
    """The discovery engine's parts, behind the ports the services use."""

    reader: TableReader
    classifier: ColumnClassifier
    rules: ValueRules
    quality: QualityFactory
    unneeded: Unneeded


@cache
def discovery(today: dt.date | None = None, purposes: tuple[str, ...] = ()) -> Discovery:
    """Reader, column classifier, value rules, quality counter and the minimisation rule
    (cheap to build; the text scanner is separate, see `scanner`). `today` is the
    processing date for age checks; `purposes` the declared purposes quality reports
    check columns against."""
    from custody.discovery.classifier import RuleColumnClassifier
    from custody.discovery.headerprobe import HeaderProbe
    from custody.discovery.purposes import unneeded_columns
    from custody.discovery.quality import QualityCounter
    from custody.discovery.rules import RuleValueRules
    from custody.importers import FileTableReader

    return Discovery(FileTableReader(header_probe=HeaderProbe()),
                     RuleColumnClassifier(today=today), RuleValueRules(),
                     partial(QualityCounter, purposes=purposes), unneeded_columns)


@cache
def scanner() -> TextScanner:
    """The free-text scanner (loads its dictionaries and model once)."""
    from custody.discovery.text import build_scanner

    built: TextScanner = build_scanner()
    return built


def package_writer() -> PackageWriter:
    from custody.crypto.package import write_package

    return write_package


def package_reader() -> PackageReader:
    from custody.crypto.package import read_package

    return read_package


def notice_writer() -> NoticeWriter:
    from custody.notify import notices_csv

    return notices_csv


def smtp_mailer(address: str, sender: str) -> Mailer:
    """A mailer for HOST:PORT (plain SMTP; add STARTTLS with CUSTODY_SMTP_STARTTLS=1)."""
    from custody.notify import SmtpMailer

    host, _, port = address.rpartition(":")
    if not host or not port.isdigit():
        raise InputError("--smtp takes HOST:PORT")
    return SmtpMailer(host, int(port), sender,
                      starttls=os.environ.get("CUSTODY_SMTP_STARTTLS") == "1",
                      username=os.environ.get("CUSTODY_SMTP_USER"),
                      password=os.environ.get("CUSTODY_SMTP_PASSWORD"))


def render_report(kind: str, data: Mapping[str, Any], fmt: str, lang: str,
                  path: Path | None = None) -> str:
    """Render a report ('valuation', 'agreement', 'certificate') as HTML text or a PDF file."""
    from custody import reports

    if fmt == "html":
        html: str = getattr(reports, f"render_{kind}_html")(data, lang=lang)
        return html
    getattr(reports, f"render_{kind}_pdf")(data, path, lang=lang)
    return str(path)


def demo_parts() -> DemoParts:
    from custody.services.demo import DemoParts

    d = discovery()
    return DemoParts(d.reader, d.classifier, d.rules, package_writer(), package_reader(),
                     notice_writer())


def resolve_passphrase(key_file: Path | None, *, prompt: bool = True) -> str:
    """The vault passphrase from --key-file, CUSTODY_PASSPHRASE or a terminal prompt."""
    if key_file is not None:
        try:
            text = key_file.read_text(encoding="utf-8").strip()
        except OSError as exc:
            raise InputError(f"cannot read key file {key_file.name}") from exc
        if not text:
            raise InputError(f"key file {key_file.name} is empty")
        return text
    env = os.environ.get("CUSTODY_PASSPHRASE")
    if env:
        return env
    if prompt and sys.stdin.isatty():
        import getpass

        return getpass.getpass("Vault passphrase / 保险库口令: ")
    raise InputError("no passphrase: set CUSTODY_PASSPHRASE, pass --key-file, or use a terminal")


def unlock(vault_dir: Path | None, key_file: Path | None, user: str | None) -> Vault:
    """Open and unlock the vault chosen by --vault / CUSTODY_VAULT."""
    from custody.services.vault import open_vault

    if vault_dir is None:
        raise InputError("no vault: pass --vault DIR or set CUSTODY_VAULT")
    return open_vault(vault_dir, passphrase=resolve_passphrase(key_file), user=user)
