#!/usr/bin/env python3
"""Notes written unlike the development set (not a test): our own sentence templates for
training schools, parcel stations and consultancies, filled with Faker zh_CN values, with
the truth known by construction. The dev notes come from a handful of templates; the notes
a business writes do not, so spans must hold on phrasings nobody tuned on.

    python bench/eval_note_phrasings.py [--seed 2026] [--notes 3000] [--errors LABEL]

Values vary the way users write them: +86 and spaced or dashed mobiles, full-width digits,
cards in groups of four, lower-case x in resident IDs, addresses with or without province.
"""

from __future__ import annotations

import argparse
import random
import re
import sys
from collections.abc import Callable
from pathlib import Path
from typing import Any

from faker import Faker

sys.path.insert(0, str(Path(__file__).resolve().parent))
from eval_discovery import Score, custody_scanner, eval_records, print_table  # noqa: E402

TEMPLATES = (
    # training schools
    "学员{PERSON}的妈妈来电，手机{MOBILE}，想调到周六上午",
    "{PERSON}（家长）反映孩子作业太多，回电{MOBILE}",
    "{PERSON}老师说{PERSON}同学进步很大",
    "家长：{PERSON}，手机：{MOBILE}",
    "{PERSON}今天没来上课，已电话{MOBILE}联系",
    "试听课后{PERSON}报名了暑假班",
    "{PERSON}阿姨来接孩子",
    "给{PERSON}寄了教材，地址是{ADDRESS}",
    "补录身份证号{RESIDENT_ID}，姓名{PERSON}",
    "退费已原路退回，卡号{BANK_CARD}",
    # parcel stations
    "快递到了，通知{PERSON}来取，尾号核对{MOBILE}",
    "收件人{PERSON}，地址{ADDRESS}，电话{MOBILE}",
    "驿站包裹超过三天未取，已短信提醒{PERSON}（{MOBILE}）",
    "{PERSON}的快递放在前台",
    "送到{ADDRESS}，放门卫",
    "运单号SF1234567890123已签收",
    # consultancies
    "拜访{ORG}，对接人{PERSON}，电话{MOBILE}",
    "合同已寄出，对方联系人{PERSON}，邮箱{EMAIL}",
    "已给{ORG}开票，联系人{PERSON}",
    "客户要求退款，退到{BANK_CARD}，开户人{PERSON}",
    "把资料发到{EMAIL}，抄送{PERSON}",
    "客户{PERSON}身份证{RESIDENT_ID}手机{MOBILE}",
    "{PERSON}，{MOBILE}，{ADDRESS}",
    "今天{PERSON}和{PERSON}一起来的",
    "与{PERSON}电话沟通，确认地址为{ADDRESS}",
    "会员卡号8800123456，积分已清零",
    "课时包剩余12节，有效期到年底",
)
_ID_WEIGHTS = (7, 9, 10, 5, 8, 4, 2, 1, 6, 3, 7, 9, 10, 5, 8, 4, 2)
_WIDE = str.maketrans("0123456789Xx", "０１２３４５６７８９Ｘｘ")


class Values:
    """Fictional values of each span label, written in the ways our users write them."""

    def __init__(self, seed: int) -> None:
        self.fake = Faker("zh_CN")
        self.fake.seed_instance(seed)
        self.rng = random.Random(seed)

    def digits(self, n: int) -> str:
        return "".join(str(self.rng.randint(0, 9)) for _ in range(n))

    def mobile(self) -> str:
        m = self.rng.choice(("13", "15", "17", "18", "19")) + self.digits(9)
        return self.rng.choice(
            (m, m, "+86" + m, f"+86 {m[:3]} {m[3:7]} {m[7:]}", f"{m[:3]}-{m[3:7]}-{m[7:]}",
             m.translate(_WIDE))
        )  # fmt: skip

    def resident_id(self) -> str:
        born = self.fake.date_of_birth(minimum_age=5, maximum_age=70).strftime("%Y%m%d")
        body = self.rng.choice(("110101", "320102", "440305", "510107")) + born + self.digits(3)
        total = sum(int(c) * w for c, w in zip(body, _ID_WEIGHTS, strict=True))
        value = body + "10X98765432"[total % 11]
        return self.rng.choice((value, value, value.lower(), value.translate(_WIDE)))

    def bank_card(self) -> str:
        body = self.rng.choice(("622202", "621700", "436742", "622848")) + self.digits(9)
        total = 0
        for position, char in enumerate(reversed(body)):
            digit = int(char) * (1 if position % 2 else 2)
            total += digit - 9 if digit > 9 else digit
        card = body + str((10 - total % 10) % 10)
        grouped = " ".join(card[k : k + 4] for k in range(0, len(card), 4))
        return self.rng.choice((card, card, grouped, card.translate(_WIDE)))

    def address(self) -> str:
        f, rng = self.fake, self.rng
        street = f"{f.street_name()}{rng.randint(1, 300)}号"
        room = rng.choice(("", f"{rng.randint(1, 30)}栋{rng.randint(101, 2504)}室", "小区南门"))
        return rng.choice(
            (f"{f.province()}{f.city()}{f.district()}{street}{room}",
             f"{f.district()}区{street}", f.address())
        )  # fmt: skip

    def generators(self) -> dict[str, Callable[[], str]]:
        return {
            "PERSON": self.fake.name, "MOBILE": self.mobile, "ADDRESS": self.address,
            "BANK_CARD": self.bank_card, "RESIDENT_ID": self.resident_id,
            "EMAIL": self.fake.email, "ORG": self.fake.company,
        }  # fmt: skip


def notes(count: int, seed: int) -> list[dict[str, Any]]:
    """`count` notes with their spans, each from a template drawn at random."""
    values = Values(seed)
    make = values.generators()
    out = []
    for _ in range(count):
        template = values.rng.choice(TEMPLATES)
        text, spans, pos = "", [], 0
        for m in re.finditer(r"\{(\w+)\}", template):
            text += template[pos : m.start()]
            value = make[m.group(1)]()
            spans.append({"start": len(text), "end": len(text) + len(value), "label": m.group(1)})
            text += value
            pos = m.end()
        out.append({"text": text + template[pos:], "spans": spans})
    return out


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--seed", type=int, default=2026)
    ap.add_argument("--notes", type=int, default=3000)
    ap.add_argument("--errors", help="print the errors of one label on stderr")
    args = ap.parse_args()
    records = notes(args.notes, args.seed)
    score: Score = eval_records(records, custody_scanner(), errors=args.errors)
    labels = ["MOBILE", "RESIDENT_ID", "BANK_CARD", "EMAIL", "PERSON", "ADDRESS", "ORG"]
    print_table(f"{len(records)} notes in {len(TEMPLATES)} phrasings, seed {args.seed}",
                score, None, labels)  # fmt: skip


if __name__ == "__main__":
    main()
