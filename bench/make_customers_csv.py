#!/usr/bin/env python3
"""Generate a large customer CSV like the dev files (fictional values) for benchmarks.

    python bench/make_customers_csv.py big.csv --rows 1000000 [--seed 7] [--encoding utf-8]

Values come from small Faker zh_CN pools combined at random, so a million rows take
seconds: names, genders, birth dates, resident IDs (about 3% with a broken check
digit), mobiles in several spellings, e-mails at example domains, addresses, employers,
courses, amounts, dates, 18-digit member numbers and short notes; about 2% of the rows
repeat an earlier customer.
"""

from __future__ import annotations

import argparse
import csv
import datetime as dt
import random
from pathlib import Path

from faker import Faker

HEADER = ["姓名", "性别", "生日", "身份证号", "手机", "邮箱", "地址", "公司", "课程", "金额",
          "报名日期", "最近上课", "会员编号", "备注"]
COURSES = ["少儿英语", "钢琴启蒙", "小学奥数", "Python全栈开发", "数据分析", "UI设计", "初中物理"]
NOTES = ["客户满意", "下次回访", "周末上课", "要求开具发票", "已续费", "暂无", "学习态度认真"]
WEIGHTS = [7, 9, 10, 5, 8, 4, 2, 1, 6, 3, 7, 9, 10, 5, 8, 4, 2]
CHECK = "10X98765432"
REGIONS = ["110101", "310104", "440106", "320102", "510107", "330106", "420102", "610113"]


def resident_id(rng: random.Random, born: dt.date, broken: bool) -> str:
    body = rng.choice(REGIONS) + born.strftime("%Y%m%d") + f"{rng.randrange(1000):03d}"
    check = CHECK[sum(int(d) * w for d, w in zip(body, WEIGHTS, strict=True)) % 11]
    if broken:
        check = CHECK[(CHECK.index(check) + 1 + rng.randrange(9)) % 11]
    return body + (check.lower() if check == "X" and rng.random() < 0.3 else check)


def mobile(rng: random.Random) -> str:
    digits = rng.choice("3456789") + "".join(rng.choices("0123456789", k=9))
    number = "1" + digits
    style = rng.random()
    if style < 0.7:
        return number
    if style < 0.8:
        return f"+86 {number[:3]} {number[3:7]} {number[7:]}"
    if style < 0.9:
        return f"{number[:3]}-{number[3:7]}-{number[7:]}"
    return number.translate({ord(c): ord(c) + 0xFEE0 for c in "0123456789"})


def make_pools(seed: int, size: int = 3000) -> dict[str, list[str]]:
    fake = Faker("zh_CN")
    fake.seed_instance(seed)
    return {
        "name": [fake.name() for _ in range(size)],
        "address": [fake.address().split(" ")[0] for _ in range(size)],
        "company": [fake.company() for _ in range(size // 10)],
        "user": [fake.user_name() for _ in range(size)],
    }


def person(rng: random.Random, pools: dict[str, list[str]], today: dt.date) -> list[str]:
    born = today - dt.timedelta(days=rng.randrange(5 * 365, 60 * 365))
    name = rng.choice(pools["name"])
    enrolled = today - dt.timedelta(days=rng.randrange(4 * 365))
    return [
        name, rng.choice("男女"), born.isoformat() if rng.random() < 0.95 else "",
        resident_id(rng, born, rng.random() < 0.03), mobile(rng),
        f"{rng.choice(pools['user'])}{rng.randrange(100)}@example.com",
        rng.choice(pools["address"]), rng.choice(pools["company"]), rng.choice(COURSES),
        f"{rng.uniform(300, 30000):.2f}", enrolled.isoformat(),
        (enrolled + dt.timedelta(days=rng.randrange(365))).isoformat(),
        "".join(rng.choices("0123456789", k=18)), rng.choice(NOTES),
    ]


def write(path: Path, rows: int, seed: int, encoding: str) -> None:
    rng = random.Random(seed)
    pools = make_pools(seed)
    today = dt.date(2026, 11, 22)
    earlier: list[list[str]] = []
    with path.open("w", encoding=encoding, newline="") as handle:
        out = csv.writer(handle)
        out.writerow(HEADER)
        for _ in range(rows):
            if earlier and rng.random() < 0.02:
                row = list(rng.choice(earlier))
                row[12] = "".join(rng.choices("0123456789", k=18))
            else:
                row = person(rng, pools, today)
                if len(earlier) < 10000:
                    earlier.append(row)
            out.writerow(row)


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("out", type=Path)
    ap.add_argument("--rows", type=int, default=1_000_000)
    ap.add_argument("--seed", type=int, default=7)
    ap.add_argument("--encoding", default="utf-8")
    args = ap.parse_args()
    write(args.out, args.rows, args.seed, args.encoding)


if __name__ == "__main__":
    main()
