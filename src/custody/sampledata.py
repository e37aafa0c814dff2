"""Fictional customer files of the kind our users keep (Faker zh_CN), for demo, tests, bench."""

from __future__ import annotations

import csv
import datetime as dt
import random
from collections.abc import Iterator
from pathlib import Path

from faker import Faker

__all__ = ["HEADERS", "generate_rows", "write_customers_csv"]

HEADERS = ["学员姓名", "性别", "出生日期", "身份证号", "家长手机", "电子邮箱", "家庭住址",
           "报读课程", "已缴费用", "报名日期", "最近上课", "会员编号", "备注"]
COURSES = ["少儿编程", "小学奥数", "英语口语", "钢琴启蒙", "初中物理", "书法", "美术素描"]


def _birth(rng: random.Random, today: dt.date) -> dt.date:
    age_days = rng.randint(5 * 365, 45 * 365)
    return today - dt.timedelta(days=age_days)


def _resident_id(fake: Faker, born: dt.date) -> str:
    raw: str = fake.ssn()  # a valid region code; re-dated and re-checked below
    body = raw[:6] + born.strftime("%Y%m%d") + raw[14:17]
    weights = [7, 9, 10, 5, 8, 4, 2, 1, 6, 3, 7, 9, 10, 5, 8, 4, 2]
    check = "10X98765432"[sum(int(c) * w for c, w in zip(body, weights, strict=True)) % 11]
    return body + check


def generate_rows(n: int, *, seed: int = 7, today: dt.date | None = None,
                  duplicate_share: float = 0.02) -> Iterator[list[str]]:
    """`n` rows of a tutoring school's export; a share repeats an earlier customer."""
    fake = Faker("zh_CN")
    fake.seed_instance(seed)
    rng = random.Random(seed)
    today = today or dt.date.today()
    earlier: list[list[str]] = []
    for i in range(n):
        if earlier and rng.random() < duplicate_share:
            row = list(rng.choice(earlier))
            row[7] = rng.choice(COURSES)
            row[8] = f"{rng.randint(8, 120) * 100:.2f}"
            row[11] = f"M{100000 + i}"
            yield row
            continue
        born = _birth(rng, today)
        enrolled = today - dt.timedelta(days=rng.randint(1, 900))
        last = min(today, enrolled + dt.timedelta(days=rng.randint(0, 400)))
        mobile = fake.phone_number()
        row = [
            fake.name(), rng.choice(["男", "女"]), born.isoformat(), _resident_id(fake, born),
            mobile, f"{fake.user_name()}{i}@example.com", fake.address().split(" ")[0],
            rng.choice(COURSES), f"{rng.randint(8, 120) * 100:.2f}", enrolled.isoformat(),
            last.isoformat(), f"M{100000 + i}", f"家长{fake.name()}希望周末上课，电话{mobile}",
        ]
        if len(earlier) < 500:
            earlier.append(row)
        yield row


def write_customers_csv(path: Path, n: int, *, seed: int = 7, encoding: str = "utf-8",
                        today: dt.date | None = None) -> Path:
    """Write `n` generated rows with a header to `path`."""
    with path.open("w", newline="", encoding=encoding) as f:
        w = csv.writer(f)
        w.writerow(HEADERS)
        w.writerows(generate_rows(n, seed=seed, today=today))
    return path
