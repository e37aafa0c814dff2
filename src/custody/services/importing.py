"""Import a customer file into a dataset: classify, merge, seal, index — all or nothing."""

from __future__ import annotations

import hashlib
import secrets
import time
import uuid
from collections.abc import Callable, Iterable, Iterator, Sequence
from dataclasses import dataclass, field
from itertools import chain, islice
from operator import itemgetter
from pathlib import Path
from typing import Any, NamedTuple

from sqlalchemy import Connection, insert

from custody.crypto.envelope import new_keys
from custody.crypto.record_pack import seal_record
from custody.domain.access import Action
from custody.domain.classification import ColumnLabel
from custody.domain.customers import (
    EMAIL_LABEL,
    MERGE_LABELS,
    NAME_EMAIL_LABEL,
    STRONG_LABEL,
    identity_keys,
    is_minor,
    named_emails,
)
from custody.domain.taxonomy import is_sensitive
from custody.domain.types import LegalBasis
from custody.errors import InputError
from custody.services.bulk import cycle_collection_paused
from custody.services.ports import ColumnClassifier, Progress, TableReader, ValueRules
from custody.services.vault import Vault
from custody.storage import customer_store as store
from custody.storage.engine import bulk_insert
from custody.storage.tables import consents, customers, imports, lookup, records

__all__ = ["SHARED_KEY_HOLDERS", "ImportJob", "ImportOptions", "ImportSummary", "ParsedBatch",
           "StoredMatch", "file_sha256", "import_file"]

SAMPLE_ROWS = 500
BATCH_ROWS = 5000
# A key held by this many customers is a shared value (a front desk's number, a
# placeholder e-mail), not a family's: it links no further customers and merges none.
SHARED_KEY_HOLDERS = 32
WRITTEN_CAP = 2_000_000  # row digests kept in memory (an estimated 160 MiB), then probed
BIRTH_LABELS = ("person.birth_date", "identity.resident_id")
KEY_SOURCES = frozenset({"identity.resident_id", "contact.mobile", "contact.email",
                         "person.name", "contact.address"})


@dataclass(frozen=True)
class ImportOptions:
    """What the user declares with the data (cli.md, `custody import`)."""

    dataset: str
    purposes: tuple[str, ...]
    legal_basis: str = LegalBasis.CONSENT.value
    responsible: str = ""
    consent_evidence: str | None = None
    guardian_consent: bool = False
    separate_consent: tuple[str, ...] = ()
    has_header: bool | None = None
    sheet: str | None = None
    drop_unneeded: bool = False  # leave out personal columns no declared purpose needs


@dataclass
class ImportSummary:
    """The JSON summary of `custody import`."""

    dataset: str
    rows: int = 0
    imported: int = 0
    customers_new: int = 0
    customers_merged: int = 0
    rejected: int = 0
    already_present: int = 0
    columns: list[dict[str, object]] = field(default_factory=list)


def file_sha256(path: Path) -> str:
    h = hashlib.sha256()
    try:
        with path.open("rb") as f:
            for block in iter(lambda: f.read(1 << 20), b""):
                h.update(block)
    except OSError as exc:
        raise InputError(f"{path.name}: cannot read file ({exc.strerror})") from exc
    return h.hexdigest()


@dataclass(slots=True)
class _Row:
    row_no: int
    values: list[tuple[int, str, str]]  # (column index, label, value), blanks dropped
    digest: bytes  # keyed row fingerprint, 16 bytes as stored (its hex form is in the AAD)
    tokens: list[tuple[str, bytes]]  # (label, 16-byte token)
    minor: bool  # known only when a guardian's consent is being recorded
    customer: str = ""
    group: str | None = None  # rows with one group key are one customer (received packages)

    def __reduce__(self) -> tuple[type[_Row], tuple[Any, ...]]:
        # parsed rows come back from worker processes by the thousand: pickled as their
        # constructor's arguments, not through the slots' generic state
        return (_Row, (self.row_no, self.values, self.digest, self.tokens, self.minor,
                       self.customer, self.group))


class ParsedBatch(NamedTuple):
    """A batch of rows parsed (ImportJob.parse_batch), not yet merged or written."""

    rows: int  # rows in the batch, blank ones included
    parsed: list[_Row]  # the rows that hold a value


def _validate(vault: Vault, opts: ImportOptions) -> None:
    vault.require(Action.IMPORT)
    if not opts.dataset.strip():
        raise InputError("--dataset must name the dataset")
    if not opts.purposes:
        raise InputError("at least one --purpose is required")
    if opts.legal_basis not in {b.value for b in LegalBasis}:
        raise InputError(f"unknown legal basis {opts.legal_basis}")
    for label in opts.separate_consent:
        if not is_sensitive(label):
            raise InputError(f"--separate-consent takes a sensitive label, not {label}")


def import_file(
    vault: Vault, path: Path, opts: ImportOptions, *, reader: TableReader,
    classifier: ColumnClassifier, rules: ValueRules, progress: Progress | None = None,
    unneeded: Callable[[Sequence[ColumnLabel], Iterable[str]], list[int]] | None = None,
) -> ImportSummary:
    """Import `path` into dataset `opts.dataset`; nothing is stored unless all of it is."""
    _validate(vault, opts)
    sha = file_sha256(path)
    summary = ImportSummary(dataset=opts.dataset)
    with (cycle_collection_paused(),
          reader.open(path, sheet=opts.sheet, has_header=opts.has_header) as src):
        rows = src.rows()
        sample = list(islice(rows, SAMPLE_ROWS))
        if not sample:
            raise InputError(f"{path.name}: no data rows")
        labels = classifier.classify(src.headers, [cells for _, cells in sample])
        dropped = frozenset(unneeded(labels, opts.purposes)
                            if opts.drop_unneeded and unneeded else ())
        summary.columns = [{**_column_doc(c), "dropped": c.index in dropped} for c in labels]
        with vault.transaction("import", bulk_load=True) as conn:
            store.lock_for_import(conn)
            ds, fresh = _dataset(vault, conn, opts, labels, path, sha)
            seen = None if fresh else store.import_seen(conn, ds, sha)
            if seen is not None:
                vault.audit(conn, "import", purpose=",".join(opts.purposes), result="unchanged",
                            details={"dataset": opts.dataset, "source_sha256": sha})
                summary.rows = seen  # the same bytes: no need to read the file again
                return summary
            job = ImportJob(vault, conn, ds, opts, labels, rules, summary, dropped=dropped,
                            new_dataset=fresh)
            total = src.size_hint()
            for batch in _batched(chain(sample, rows), BATCH_ROWS):
                job.run_batch(batch)
                if progress:
                    progress(summary.rows, total)
            conn.execute(insert(imports).values(
                dataset_id=ds, source_name=path.name, source_sha256=sha, rows=summary.rows,
                imported=summary.imported, actor=vault.actor.name, at=vault.clock(),
            ))
            vault.audit(
                conn, "import", purpose=",".join(opts.purposes),
                labels=tuple(sorted({c.label for c in labels})),
                details={"dataset": opts.dataset, "source_sha256": sha, "rows": summary.rows,
                         "imported": summary.imported, "customers_new": summary.customers_new,
                         "customers_merged": summary.customers_merged},
            )
    return summary


def _column_doc(c: ColumnLabel) -> dict[str, object]:
    return {"index": c.index, "header": c.header, "label": c.label,
            "sensitive": c.sensitive, "confidence": c.confidence}


def _batched(it: Iterable[tuple[int, list[str]]], n: int) -> Iterator[list[tuple[int, list[str]]]]:
    iterator = iter(it)
    while batch := list(islice(iterator, n)):
        yield batch


def _dataset(
    vault: Vault, conn: Connection, opts: ImportOptions, labels: Sequence[ColumnLabel],
    path: Path, sha: str,
) -> tuple[str, bool]:
    existing = store.get_dataset(conn, name=opts.dataset)
    if existing is not None:
        merged = list(dict.fromkeys([*existing.purposes, *opts.purposes]))
        if merged != existing.purposes:
            store.update_dataset_purposes(conn, existing.id, merged)
        return existing.id, False
    ds = store.DatasetRow(
        id="ds_" + uuid.uuid4().hex[:16], name=opts.dataset, purposes=list(opts.purposes),
        legal_basis=opts.legal_basis, responsible=opts.responsible or vault.actor.name,
        origin={"kind": "file", "file": path.name, "sha256": sha, "org": vault.org},
        columns=[_column_doc(c) for c in labels],
    )
    store.create_dataset(conn, ds, vault.clock())
    return ds.id, True


@dataclass(frozen=True)
class StoredMatch:
    """Rows that may merge only with customers stored before the job began (a package's
    customers: the seller's vault already decided who is whom, so they merge with the
    buyer's customers, never with each other). `datasets` are the ones the job writes;
    `nothing_stored` says no customer could be found by a key then, so nothing is probed."""

    datasets: tuple[str, ...]
    nothing_stored: bool


class ImportJob:
    """Per-import state; each batch is merged, sealed and written in the open transaction."""

    def __init__(self, vault: Vault, conn: Connection, dataset_id: str, opts: ImportOptions,
                 labels: Sequence[ColumnLabel], rules: ValueRules, summary: ImportSummary,
                 groups: dict[str, str] | None = None, dropped: frozenset[int] = frozenset(),
                 new_dataset: bool = False, match: StoredMatch | None = None):
        self.vault, self.conn, self.ds, self.opts = vault, conn, dataset_id, opts
        self.groups = groups if groups is not None else {}
        self.match = match
        self.dropped = dropped
        # A dataset created by this import holds only what this import wrote: its row
        # digests are kept here (16 bytes each) instead of probing the index per batch.
        self.written: set[bytes] | None = set() if new_dataset else None
        self.labels = [c.label for c in labels]
        self.rules, self.summary = rules, summary
        self.next_id = store.next_record_id(conn)
        # Customers the last batch created: nothing is stored for them before that batch.
        self.created: set[str] = set()
        self.now = vault.clock()
        self.today = self.now.date()
        # The columns that give identity keys and their normalisers, found once, not per row.
        self.key_columns = [(i, label, rules.normaliser(label))
                            for i, label in enumerate(self.labels)
                            if label in KEY_SOURCES and i not in dropped]
        self._token, self._digest = vault.keys.index.token_bytes, vault.keys.index.digest_bytes

    def _parse(self, row_no: int, cells: list[str]) -> _Row | None:
        labels, drop = self.labels, self.dropped
        n = len(cells)
        if n > len(labels):
            raise InputError(f"row {row_no}: {n} cells but {len(labels)} columns")
        values = [(i, labels[i], v) for i, c in enumerate(cells)
                  if c and (v := c.strip()) and i not in drop]
        if not values:
            return None
        normalised: dict[str, list[str]] = {}
        for i, label, normalise in self.key_columns:
            if i < n and (v := cells[i].strip()) and (norm := normalise(v)):
                normalised.setdefault(label, []).append(norm)
        minor = False
        if self.opts.guardian_consent:
            for _, label, v in values:
                if label in BIRTH_LABELS:
                    born = self.rules.birth_date(label, v)
                    if born is not None:
                        minor = is_minor(born, self.today)
                        break
        token = self._token
        tokens = [(k, token(k, text)) for k, text in identity_keys(normalised)]
        digest = self._digest(self.ds, *[f"{i}={v}" for i, _, v in values])
        return _Row(row_no, values, digest, tokens, minor)

    def run_batch(self, batch: list[tuple[int, list[str]]],
                  group_keys: Sequence[str] | None = None) -> list[_Row]:
        """Merge, seal and write one batch; returns the rows written (with customers)."""
        return self.write_parsed(self.parse_batch(batch, group_keys))

    def parse_batch(self, batch: list[tuple[int, list[str]]],
                    group_keys: Sequence[str] | None = None) -> ParsedBatch:
        """The batch's rows with their keyed digests and identity tokens. Reads and writes
        nothing stored, so it may run in a worker process forked from this one."""
        parsed = []
        for n, (row_no, cells) in enumerate(batch):
            row = self._parse(row_no, cells)
            if row is not None:
                row.group = group_keys[n] if group_keys is not None else None
                parsed.append(row)
        return ParsedBatch(len(batch), parsed)

    def write_parsed(self, batch: ParsedBatch) -> list[_Row]:
        """Merge, seal and write a parsed batch; returns the rows written."""
        s = self.summary
        s.rows += batch.rows
        s.rejected += batch.rows - len(batch.parsed)
        parsed = batch.parsed
        if self.written is not None:
            seen = {r.digest for r in parsed if r.digest in self.written}
        else:
            seen = store.existing_digests(self.conn, self.ds, {r.digest for r in parsed})
        self.created = set()
        fresh: list[_Row] = []
        for r in parsed:
            if r.digest in seen:
                s.already_present += 1
            else:
                seen.add(r.digest)
                fresh.append(r)
        if fresh:
            self._write(fresh)
            if self.written is not None:
                self.written.update(r.digest for r in fresh)
                if len(self.written) > WRITTEN_CAP:  # memory stays bounded: probe from here on
                    self.written = None
        return fresh

    def _assign(self, rows: list[_Row]
                ) -> tuple[set[str], list[tuple[bytes, str, str, bytes | None]]]:
        holders = stored = self._stored_holders({t for r in rows for _, t in r.tokens})
        if self.match is not None:  # candidates come from `stored` alone, never the batch
            holders = {t: list(held) for t, held in stored.items()}
        strong = store.tokens_of(self.conn, {c for held in stored.values() for c, _ in held},
                                 STRONG_LABEL)
        new_customers: set[str] = set()
        fresh_ids = new_customer_ids(len(rows))
        new_links: list[tuple[bytes, str, str, bytes | None]] = []
        for r in rows:
            tokens = r.tokens
            mail_of = named_emails(tokens)  # name+e-mail token → e-mail token
            match = self.groups.get(r.group) if r.group is not None else None
            if match is None and not stored.keys().isdisjoint([t for _, t in tokens]):
                # The first customer holding one of the row's merge keys whose resident ID,
                # if any, is the row's own: two different resident IDs are two people.
                own_ids = {t for lab, t in tokens if lab == STRONG_LABEL}
                match = next((c for c in _holders_of(tokens, mail_of, stored)
                              if not (own_ids and strong.get(c, own_ids) - own_ids)), None)
            if match is None:
                match = next(fresh_ids)
                new_customers.add(match)
                self.summary.customers_new += 1
            else:
                self.summary.customers_merged += 1
            r.customer = match
            if r.group is not None:
                self.groups[r.group] = match
            for label, t in tokens:
                if label == STRONG_LABEL:
                    strong.setdefault(match, set()).add(t)
                elif label == NAME_EMAIL_LABEL and (match, t) in holders[mail_of[t]]:
                    continue  # the customer's e-mail entry carries this name+e-mail key
                held = holders.get(t)
                if held is None:
                    held = holders[t] = []
                elif len(held) >= SHARED_KEY_HOLDERS or any(c == match for c, _ in held):
                    continue  # each customer is found by each of their keys, once
                q = None
                if label == EMAIL_LABEL and mail_of:
                    q = next((ne for ne, m in mail_of.items() if m == t), None)
                held.append((match, q))
                new_links.append((t, match, label, q))
        return new_customers, new_links

    def _stored_holders(self, tokens: set[bytes]
                        ) -> dict[bytes, list[tuple[str, bytes | None]]]:
        """The stored customers holding `tokens` that this job's rows may merge with."""
        m = self.match
        if m is None:
            return store.customers_by_token(self.conn, tokens)
        if m.nothing_stored:
            return {}
        return store.customers_by_token(self.conn, tokens, outside=m.datasets)

    def _write(self, rows: list[_Row]) -> None:
        new_customers, new_links = self._assign(rows)
        self.created = new_customers
        keys = self.vault.keys
        data_keys: dict[str, tuple[bytes, int]] = {}
        customer_rows = []
        for cid, dk in zip(sorted(new_customers), new_keys(len(new_customers)), strict=True):
            wrapped, version = keys.wrap_data_key(cid, dk)
            data_keys[cid] = (dk, 1)
            customer_rows.append({"id": cid, "state": "active", "wrapped_key": wrapped,
                                  "key_version": version, "key_generation": 1,
                                  "created_at": self.now})
        old = {r.customer for r in rows} - new_customers
        for cid, k in store.customer_keys(self.conn, old).items():
            assert k.wrapped_key is not None and k.key_version is not None
            data_keys[cid] = (keys.unwrap_data_key(cid, k.wrapped_key, k.key_version),
                              k.key_generation)
        record_rows = []
        for r in rows:
            dk, gen = data_keys[r.customer]
            cipher = keys.cipher(r.customer, dk, gen)
            sealed = seal_record(cipher, f"{self.ds}/{r.digest.hex()}", r.values)
            record_rows.append({"id": self.next_id, "customer_id": r.customer,
                                "dataset_id": self.ds, "row_no": r.row_no, "digest": r.digest,
                                "sealed": sealed, "created_at": self.now})
            self.next_id += 1
        bulk_insert(self.conn, customers, customer_rows)
        bulk_insert(self.conn, records, record_rows)
        new_links.sort(key=itemgetter(0))  # inserts in key order: each index page once
        # Matching stored customers only, a customer made earlier in this job (a package
        # customer with records in two datasets) may already hold a key: kept once.
        bulk_insert(self.conn, lookup, ignore_existing=self.match is not None, rows=[
            {"token": t, "customer_id": c, "label": lab, "qualifier": q}
            for t, c, lab, q in new_links])
        self._consents(rows)
        self.summary.imported += len(rows)

    def _consents(self, rows: list[_Row]) -> None:
        o = self.opts
        if not (o.consent_evidence or o.guardian_consent or o.separate_consent):
            return
        evidence = o.consent_evidence or f"recorded at import by {self.vault.actor.name}"
        wanted: set[tuple[str, str, str, str | None]] = set()
        for r in rows:
            for p in o.purposes:
                if o.consent_evidence:
                    wanted.add((r.customer, p, "purpose", None))
                if o.guardian_consent and r.minor:
                    wanted.add((r.customer, p, "guardian", None))
                present = {label for _, label, _ in r.values}
                for label in o.separate_consent:
                    if label in present:
                        wanted.add((r.customer, p, "separate", label))
        wanted -= store.existing_consents(self.conn, self.ds,
                                          {r.customer for r in rows} - self.created)
        if wanted:
            bulk_insert(self.conn, consents, [
                {"customer_id": c, "dataset_id": self.ds, "purpose": p, "kind": k, "label": lab,
                 "evidence": evidence, "recorded_at": self.now}
                for c, p, k, lab in sorted(wanted, key=lambda w: (w[0], w[1], w[2], w[3] or ""))
            ])


def _holders_of(tokens: list[tuple[str, bytes]], mail_of: dict[bytes, bytes],
                holders: dict[bytes, list[tuple[str, bytes | None]]]) -> Iterator[str]:
    """Customers holding one of a row's merge keys, key by key; a name+e-mail key is held
    by its own entry or by the e-mail entry that carries it."""
    for label, t in tokens:
        if label in MERGE_LABELS:
            for c, _ in holders.get(t, ()):
                yield c
            if label == NAME_EMAIL_LABEL:
                for c, q in holders.get(mail_of[t], ()):
                    if q == t:
                        yield c


def new_customer_ids(n: int) -> Iterator[str]:
    """Up to `n` stable, opaque customer ids; time-ordered so that index inserts stay local:
    the millisecond each is made, then 40 random bits (drawn for all `n` in one read)."""
    pool = secrets.token_hex(5 * n)
    return (f"c{time.time_ns() // 1_000_000:011x}{pool[i:i + 10]}"
            for i in range(0, 10 * n, 10))


