"""Fixtures for discovery tests: fictional customer tables written into tmp_path."""

from __future__ import annotations

import csv
import datetime as dt
import random
from collections.abc import Callable
from pathlib import Path

import pytest
from faker import Faker

WEIGHTS = [pow(2, 17 - i, 11) for i in range(17)]
CHECK = "10X98765432"
TODAY = dt.date(2026, 11, 22)
HEADER = ["学员姓名", "性别", "出生日期", "身份证号", "联系电话", "邮箱", "家庭住址", "学校",
          "年级", "课程", "实付金额", "报名日期", "会员编号", "备注"]
LABELS = ["person.name", "person.gender", "person.birth_date", "identity.resident_id",
          "contact.mobile", "contact.email", "contact.address", "education.school",
          "education.grade", "transaction.item", "transaction.amount", "transaction.date",
          "other", "note.free_text"]


def make_resident_id(born: dt.date, rng: random.Random, *, valid: bool = True) -> str:
    """A fictional resident ID with a correct (or deliberately wrong) check digit."""
    body = rng.choice(["110101", "310104", "440106", "510107"]) + born.strftime("%Y%m%d")
    body += f"{rng.randrange(1000):03d}"
    check = CHECK[sum(int(d) * w for d, w in zip(body, WEIGHTS, strict=True)) % 11]
    if not valid:
        check = CHECK[(CHECK.index(check) + 3) % 11]
    return body + check


def make_mobile(rng: random.Random) -> str:
    return "1" + rng.choice("3456789") + "".join(rng.choices("0123456789", k=9))


def customer_rows(count: int, seed: int = 1) -> list[list[str]]:
    """Rows shaped like a tutoring school's export (fictional, example.com e-mails)."""
    rng = random.Random(seed)
    fake = Faker("zh_CN")
    fake.seed_instance(seed)
    rows = []
    for n in range(count):
        born = TODAY - dt.timedelta(days=rng.randrange(6 * 365, 16 * 365))
        rows.append([
            fake.name(), rng.choice("男女"), born.isoformat(), make_resident_id(born, rng),
            make_mobile(rng), f"user{n}@example.com", fake.address().split(" ")[0],
            rng.choice(["城南实验小学", "第一中学", "外国语学校"]),
            rng.choice(["三年级", "初一", "五年级"]),
            rng.choice(["少儿英语", "钢琴启蒙", "小学奥数"]), f"{rng.uniform(100, 9000):.2f}",
            (TODAY - dt.timedelta(days=rng.randrange(900))).isoformat(),
            "".join(rng.choices("0123456789", k=18)),
            rng.choice(["客户满意", "下次回访", f"家长说周末有空，电话{make_mobile(rng)}"]),
        ])
    return rows


@pytest.fixture
def spec() -> tuple[list[str], list[str]]:
    """(header, true labels) of the rows customer_rows() makes."""
    return list(HEADER), list(LABELS)


@pytest.fixture
def make_rows() -> Callable[..., list[list[str]]]:
    """customer_rows(count, seed) as a fixture."""
    return customer_rows


@pytest.fixture
def make_id() -> Callable[..., str]:
    """make_resident_id(born, rng, valid=True) as a fixture."""
    return make_resident_id


@pytest.fixture
def write_csv(tmp_path: Path) -> Callable[..., Path]:
    """Writes rows (optionally under a header) as CSV in the given encoding."""

    def write(rows: list[list[str]], *, header: list[str] | None = HEADER,
              name: str = "customers.csv", encoding: str = "utf-8",
              delimiter: str = ",") -> Path:
        path = tmp_path / name
        with path.open("w", encoding=encoding, newline="") as handle:
            out = csv.writer(handle, delimiter=delimiter)
            if header is not None:
                out.writerow(header)
            out.writerows(rows)
        return path

    return write
