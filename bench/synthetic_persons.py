#!/usr/bin/env python3
"""Generated PERSON check set (not a test): Faker zh_CN names in our own sentence templates,
with jieba dictionary words drawn by frequency around them, plus name-free word salad.
The name threshold in `custody.discovery.text.names` was chosen on this, not on ner-dev.

    python bench/synthetic_persons.py [--seed 7]
"""

from __future__ import annotations

import argparse
import bisect
import itertools
import random
import string

from faker import Faker

from custody.discovery.text import build_scanner
from custody.discovery.text.lexicon import load_lexicon

TEMPLATES = (
    "{s}{n}{s}", "{s}，{n}{s}。", "{s}{n}说，{s}", "据{n}介绍，{s}", "{n}表示{s}。",
    "记者{n}报道{s}", "{s}总经理{n}在{s}", "{n}，男，{y}年出生，{s}", "{n}，女，汉族，{s}",
    "{s}、{n}和{m}{s}", "{s}教授{n}认为{s}", "{n}先生{s}", "{s}的{n}{s}", "{n}{s}",
    "{s}{n}", "导演{n}的新片{s}", "{s}董事长{n}。", "{s}，{n}、{m}等人{s}",
    "{s}主教练{n}{s}", "{n}曾任{s}", "现任{s}{n}{s}", "{s}由{n}负责{s}",
)  # fmt: skip
_NOT_SALAD = frozenset({"nr", "nrfg", "nrt", "ns", "nt", "nz", "m", "eng"})


def build(
    seed: int, positives: int = 1500, negatives: int = 1500
) -> list[tuple[str, set[tuple[int, int, str]]]]:
    rng = random.Random(seed)
    fake = Faker("zh_CN")
    fake.seed_instance(seed)
    words = [(w, f) for w, (f, t) in load_lexicon().words.items() if t not in _NOT_SALAD and f >= 3]
    cumulative = list(itertools.accumulate(f for _, f in words))

    def salad(low: int, high: int) -> str:
        picks = (
            bisect.bisect(cumulative, rng.random() * cumulative[-1])
            for _ in range(rng.randint(low, high))
        )
        return "".join(words[i][0] for i in picks)

    def fill(template: str) -> tuple[str, set[tuple[int, int, str]]]:
        text, spans = "", set[tuple[int, int, str]]()
        for literal, field, _, _ in string.Formatter().parse(template):
            text += literal
            if field == "s":
                text += salad(1, 5)
            elif field == "y":
                text += str(rng.randint(1950, 1999))
            elif field is not None:
                name = (
                    fake.name() if rng.random() < 0.9 else fake.last_name() + fake.first_name()[:1]
                )
                spans.add((len(text), len(text) + len(name), "PERSON"))
                text += name
        return text, spans

    return [fill(rng.choice(TEMPLATES)) for _ in range(positives)] + [
        (salad(4, 12), set()) for _ in range(negatives)
    ]


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--seed", type=int, default=7)
    args = ap.parse_args()
    scanner = build_scanner()
    tp = fp = fn = 0
    for text, truth in build(args.seed):
        found = {s for s in scanner.scan_raw(text) if s[2] == "PERSON"}
        tp, fp, fn = tp + len(truth & found), fp + len(found - truth), fn + len(truth - found)
    p, r = tp / (tp + fp), tp / (tp + fn)
    print(
        f"generated PERSON: P {p:.3f} R {r:.3f} F1 {2 * p * r / (p + r):.3f} ({tp} / {fp} / {fn})"
    )


if __name__ == "__main__":
    main()
