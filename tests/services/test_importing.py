"""Importing customer files: merge, idempotence, consent, all-or-nothing, no plaintext leaks."""

from __future__ import annotations

import csv
import logging
from collections.abc import Callable
from pathlib import Path

import pytest
from sqlalchemy import func, select

from custody.errors import AccessDenied, InputError, StorageError
from custody.sampledata import HEADERS, generate_rows, write_customers_csv
from custody.services import customers, users
from custody.services.audit import verify_audit
from custody.services.importing import SHARED_KEY_HOLDERS
from custody.services.reveal import reveal_field
from custody.services.vault import Vault
from custody.storage.tables import audit_events, consents, records
from custody.storage.tables import customers as customers_t

Import = Callable[..., object]


def read_rows(path: Path) -> list[list[str]]:
    with path.open(encoding="utf-8", newline="") as f:
        return list(csv.reader(f))[1:]


def count(v: Vault, table: object) -> int:
    with v.engine.connect() as c:
        return int(c.execute(select(func.count()).select_from(table)).scalar_one())  # type: ignore[arg-type]


@pytest.fixture
def sample_csv(tmp_path: Path) -> Path:
    return write_customers_csv(tmp_path / "学员.csv", 120, seed=3)


def test_import_merges_rows_of_the_same_customer(vault: Vault, sample_csv: Path,
                                                 do_import: Import) -> None:
    s = do_import(vault, sample_csv)
    assert s.rows == s.imported == 120  # type: ignore[attr-defined]
    assert s.customers_new + s.customers_merged == 120  # type: ignore[attr-defined]
    assert s.customers_merged >= 1  # type: ignore[attr-defined]
    assert count(vault, customers_t) == s.customers_new  # type: ignore[attr-defined]


def test_import_leaves_every_row_with_its_customer_and_constraints_back_on(
        vault: Vault, sample_csv: Path, do_import: Import) -> None:
    do_import(vault, sample_csv, consent_evidence="signed form")
    with vault.engine.connect() as c:
        for t in ("records", "lookup", "consents"):
            assert c.exec_driver_sql(f"SELECT count(*) FROM {t} WHERE customer_id NOT IN "
                                     "(SELECT id FROM customers)").scalar_one() == 0
    with pytest.raises(StorageError), vault.transaction("orphan") as conn:
        conn.execute(records.insert().values(
            id=10**9, customer_id="c-none", dataset_id="ds-none", row_no=1, digest=b"\0" * 16,
            sealed=b"", created_at=vault.clock()))


def test_reimporting_the_same_file_changes_nothing(vault: Vault, sample_csv: Path,
                                                   do_import: Import) -> None:
    do_import(vault, sample_csv)
    before = (count(vault, customers_t), count(vault, records), count(vault, consents))
    again = do_import(vault, sample_csv)
    assert again.imported == 0  # type: ignore[attr-defined]
    assert (count(vault, customers_t), count(vault, records), count(vault, consents)) == before


def test_overlapping_file_adds_only_new_rows(vault: Vault, tmp_path: Path,
                                             do_import: Import) -> None:
    rows = list(generate_rows(60, seed=5))
    first, second = tmp_path / "a.csv", tmp_path / "b.csv"
    for path, part in ((first, rows[:40]), (second, rows[20:])):
        with path.open("w", newline="", encoding="utf-8") as f:
            csv.writer(f).writerows([HEADERS, *part])
    do_import(vault, first)
    s = do_import(vault, second)
    assert s.imported == 20 and s.already_present == 20  # type: ignore[attr-defined]


def _rid(body: str) -> str:
    weights = [7, 9, 10, 5, 8, 4, 2, 1, 6, 3, 7, 9, 10, 5, 8, 4, 2]
    return body + "10X98765432"[sum(int(c) * w for c, w in zip(body, weights, strict=True)) % 11]


def test_customers_sharing_a_mobile_stay_apart_yet_are_all_found_by_it(
        vault: Vault, tmp_path: Path, do_import: Import, engine_parts: object) -> None:
    # Two siblings on a parent's mobile, each with their own resident ID: two customers.
    first, second = _rid("11010120150307123"), _rid("11010120170511456")
    path = tmp_path / "siblings.csv"
    path.write_text("姓名,手机,身份证号,邮箱\n"
                    f"王小明,13812345678,{first},home@example.com\n"
                    f"王小红,13812345678,{second},home@example.com\n"
                    f"王小红,,{second},\n", encoding="utf-8")
    s = do_import(vault, path)
    assert (s.customers_new, s.customers_merged) == (2, 1)  # type: ignore[attr-defined]
    rules = engine_parts.rules  # type: ignore[attr-defined]
    by_mobile = customers.find_customers(vault, "contact.mobile", "138 1234 5678", rules=rules)
    by_mail = customers.find_customers(vault, "contact.email", "HOME@example.com", rules=rules)
    by_id = customers.find_customers(vault, "identity.resident_id", second, rules=rules)
    assert len(by_mobile) == 2 and sorted(by_mail) == sorted(by_mobile)
    assert by_id[0] in by_mobile and len(by_id) == 1
    # A later row with the mobile and the second ID joins the second sibling.
    more = tmp_path / "more.csv"
    more.write_text(f"手机,身份证号,会员等级\n13812345678,{second},银卡\n", encoding="utf-8")
    assert do_import(vault, more, dataset="会员").customers_merged == 1  # type: ignore[attr-defined]
    assert customers.find_customers(vault, "contact.mobile", "13812345678", rules=rules
                                    ) == by_mobile


def test_a_placeholder_mobile_shared_by_many_links_a_bounded_number_of_customers(
        vault: Vault, tmp_path: Path, do_import: Import, engine_parts: object) -> None:
    path = tmp_path / "front-desk.csv"
    lines = [f"学员{i},13800000000,{_rid(f'11010120100101{i:03d}')}" for i in range(40)]
    path.write_text("姓名,手机,身份证号\n" + "\n".join(lines) + "\n", encoding="utf-8")
    assert do_import(vault, path).customers_new == 40  # type: ignore[attr-defined]
    found = customers.find_customers(vault, "contact.mobile", "13800000000",
                                     rules=engine_parts.rules)  # type: ignore[attr-defined]
    assert len(found) == SHARED_KEY_HOLDERS


def test_name_and_email_together_merge_and_neither_alone_does(
        vault: Vault, tmp_path: Path, do_import: Import) -> None:
    def run(name: str, text: str) -> object:
        path = tmp_path / name
        path.write_text("姓名,手机,邮箱\n" + text, encoding="utf-8")
        return do_import(vault, path, dataset=name)

    s = run("a.csv", "张伟,13812345678,zw@example.com\n李娜,13912345678,home@example.com\n")
    assert s.customers_new == 2  # type: ignore[attr-defined]
    # 张伟 is also known as 张大伟 (his mobile says so): both names now go with his e-mail.
    s = run("b.csv", "张大伟,13812345678,ZW@example.com\n")
    assert s.customers_merged == 1  # type: ignore[attr-defined]
    s = run("c.csv", "张伟,,zw@example.com\n张 大伟,,zw@example.com\n"
                     "李娜,,HOME@example.com\n王芳,,home@example.com\n王芳,,\n")
    # Each name with its e-mail joins its customer; 王芳 on a shared e-mail is someone new.
    assert (s.customers_new, s.customers_merged) == (2, 3)  # type: ignore[attr-defined]
    with vault.engine.connect() as c:
        kinds = c.exec_driver_sql("SELECT label, count(*), count(qualifier) FROM lookup "
                                  "GROUP BY label ORDER BY label").all()
    # E-mail entries carry the name+e-mail key; only 张伟's second name needs its own.
    assert [tuple(k) for k in kinds] == [("contact.email", 3, 3), ("contact.mobile", 2, 0),
                                         ("merge.name_email", 1, 0)]


def test_gbk_file_imports(vault: Vault, tmp_path: Path, do_import: Import) -> None:
    path = write_customers_csv(tmp_path / "gbk.csv", 30, seed=9, encoding="gb18030")
    assert do_import(vault, path).imported == 30  # type: ignore[attr-defined]


@pytest.mark.parametrize(("content", "problem"), [
    (b"", "empty"),
    ("姓名,手机\n".encode(), "no data rows"),
    ("姓名,手机\n张三,13812345678\n李四,13912345678,多余\n".encode(), "row 3"),
    ("姓名,手机\n张三,13812345678\n".encode() + "李四,13912345678\n".encode("gbk"), "row"),
])
def test_broken_file_is_one_line_error_and_changes_nothing(
    vault: Vault, tmp_path: Path, do_import: Import, content: bytes, problem: str
) -> None:
    path = tmp_path / "broken.csv"
    path.write_bytes(content)
    before = count(vault, audit_events)
    with pytest.raises(InputError) as exc:
        do_import(vault, path)
    message = str(exc.value)
    assert "\n" not in message and "broken.csv" in message
    assert count(vault, records) == 0 and count(vault, customers_t) == 0
    assert count(vault, audit_events) == before
    assert "13812345678" not in message and "张三" not in message


def test_consent_options_are_recorded_per_customer_and_purpose(
    vault: Vault, sample_csv: Path, do_import: Import
) -> None:
    s = do_import(vault, sample_csv, consent_evidence="签字报名表 2026", guardian_consent=True,
                  separate_consent=("identity.resident_id",))
    with vault.engine.connect() as c:
        kinds = dict(c.execute(select(consents.c.kind, func.count()).group_by(consents.c.kind)
                               ).all())
    assert kinds["purpose"] == s.customers_new  # type: ignore[attr-defined]
    assert kinds["separate"] == s.customers_new  # type: ignore[attr-defined]
    assert 0 < kinds["guardian"] < s.customers_new  # type: ignore[attr-defined]


def test_without_consent_options_no_consent_is_recorded_and_reveal_is_refused(
    vault: Vault, sample_csv: Path, do_import: Import
) -> None:
    do_import(vault, sample_csv)
    assert count(vault, consents) == 0
    row = read_rows(sample_csv)[0]
    cid = customers.find_customers(vault, "contact.mobile", row[4],
                                   rules=_rules())[0]
    with pytest.raises(AccessDenied):
        reveal_field(vault, cid, "contact.mobile", "教学服务", rules=_rules())


def _rules():  # type: ignore[no-untyped-def]
    from custody.bootstrap import discovery

    return discovery().rules


def test_reveal_is_audited_and_masked_view_hides_values(
    vault: Vault, sample_csv: Path, do_import: Import
) -> None:
    do_import(vault, sample_csv, consent_evidence="签字报名表")
    row = read_rows(sample_csv)[0]
    cid = customers.find_customers(vault, "contact.mobile", f"+86 {row[4]}", rules=_rules())[0]
    view = customers.show_customer(vault, cid)
    shown = " ".join(str(f.masked) for r in view.records for f in r.fields)
    assert row[4] not in shown and row[3] not in shown and row[0] not in shown
    out = reveal_field(vault, cid, "contact.mobile", "教学服务", rules=_rules())
    assert out[0].text == row[4]
    with vault.engine.connect() as c:
        last = c.execute(select(audit_events).order_by(audit_events.c.seq.desc())).first()
    assert last is not None and last.action == "field.reveal" and last.result == "ok"


def test_no_plaintext_reaches_the_audit_table_or_logs(
    vault: Vault, sample_csv: Path, do_import: Import, caplog: pytest.LogCaptureFixture,
    as_user: Callable[[Vault, str], Vault],
) -> None:
    caplog.set_level(logging.DEBUG)
    do_import(vault, sample_csv, consent_evidence="签字报名表")
    rows = read_rows(sample_csv)
    users.add_user(vault, "auditor", "auditor")
    for row in rows[:5]:
        cid = customers.find_customers(vault, "contact.mobile", row[4], rules=_rules())[0]
        customers.show_customer(vault, cid)
        reveal_field(vault, cid, "contact.mobile", "教学服务", rules=_rules())
        with pytest.raises(AccessDenied) as exc:
            reveal_field(as_user(vault, "auditor"), cid, "contact.mobile", "教学服务",
                         rules=_rules())
        assert row[4] not in str(exc.value)
    with vault.engine.connect() as c:
        dump = " ".join(str(tuple(r)) for r in c.execute(select(audit_events)))
    for row in rows:
        for value in (row[0], row[3], row[4], row[5]):
            assert value not in dump
            assert value not in caplog.text
    assert verify_audit(vault).ok


def test_crypto_shredded_customer_is_unreadable_and_leaves_a_tombstone(
    vault: Vault, sample_csv: Path, do_import: Import
) -> None:
    do_import(vault, sample_csv, consent_evidence="签字报名表")
    row = read_rows(sample_csv)[0]
    cid = customers.find_customers(vault, "contact.mobile", row[4], rules=_rules())[0]
    customers.delete_customer(vault, cid)
    assert customers.find_customers(vault, "contact.mobile", row[4], rules=_rules()) == []
    view = customers.show_customer(vault, cid)
    assert view.state == "shredded" and view.records == []
    with vault.engine.connect() as c:
        tomb = c.execute(select(customers_t).where(customers_t.c.id == cid)).one()
    assert tomb.wrapped_key is None and tomb.shredded_at is not None


def test_drop_unneeded_leaves_out_columns_no_purpose_needs(
    vault: Vault, sample_csv: Path, engine_parts: object
) -> None:
    from custody.services.importing import ImportOptions, import_file

    parts = engine_parts
    s = import_file(vault, sample_csv, ImportOptions(
        dataset="学员", purposes=("marketing",), drop_unneeded=True),
        reader=parts.reader, classifier=parts.classifier, rules=parts.rules,  # type: ignore[attr-defined]
        unneeded=parts.unneeded)  # type: ignore[attr-defined]
    dropped = {c["label"] for c in s.columns if c["dropped"]}
    assert "identity.resident_id" in dropped and "contact.mobile" not in dropped
    row = read_rows(sample_csv)[0]
    cid = customers.find_customers(vault, "contact.mobile", row[4], rules=_rules())[0]
    labels = {f.label for r in customers.show_customer(vault, cid).records for f in r.fields}
    assert "identity.resident_id" not in labels


def test_a_pupil_known_only_by_grade_is_revealed_only_with_guardian_consent(
    vault: Vault, tmp_path: Path, do_import: Import
) -> None:
    pupils = tmp_path / "pupils.csv"
    pupils.write_text("姓名,手机,年级\n赵一鸣,13900001111,初一\n李四海,13900002222,高二\n",
                      encoding="utf-8")
    do_import(vault, pupils, consent_evidence="报名表")
    young, older = (customers.find_customers(vault, "contact.mobile", m, rules=_rules())[0]
                    for m in ("13900001111", "13900002222"))
    with pytest.raises(AccessDenied, match="guardian"):
        reveal_field(vault, young, "contact.mobile", "教学服务", rules=_rules())
    assert reveal_field(vault, older, "contact.mobile", "教学服务", rules=_rules())
