"""Identifier recognisers for running text: matched by pattern, then validated.

Every recogniser works on the half-width form of the text (same length, same offsets), so
full-width digits and letters need no pattern of their own. A value that matches a pattern
but fails its check (checksum, birth date, issuer prefix) is not reported: order numbers,
tracking numbers and member numbers look like identifiers and are not.
"""

from __future__ import annotations

import re
from collections.abc import Callable

from custody.discovery.checksums import (
    bank_card_valid,
    landline_normalize,
    normalize_email,
    normalize_mobile,
    passport_valid,
    resident_id_valid,
    uscc_valid,
)

__all__ = ["RawSpan", "find_identifiers", "to_halfwidth_same_length"]

RawSpan = tuple[int, int, str]

# Full-width ASCII (U+FF01..U+FF5E) to half-width and the ideographic space to a space:
# one character for one character, so offsets do not move.
_HALFWIDTH = {cp: cp - 0xFEE0 for cp in range(0xFF01, 0xFF5F)}
_HALFWIDTH[0x3000] = 0x20

_FEW_WIDE = 8
_SEPARATORS = str.maketrans("", "", " -()+")
_WIDE = re.compile("[\uff01-\uff5e\u3000]")
_NOT_ALNUM_BEFORE = r"(?<![0-9A-Za-z])"
_NOT_ALNUM_AFTER = r"(?![0-9A-Za-z])"

_EMAIL = re.compile(
    r"(?<![A-Za-z0-9._%+\-])[A-Za-z0-9][A-Za-z0-9._%+\-]*@[A-Za-z0-9](?:[A-Za-z0-9\-]*"
    r"[A-Za-z0-9])?(?:\.[A-Za-z0-9](?:[A-Za-z0-9\-]*[A-Za-z0-9])?)*\.[A-Za-z]{2,24}"
    r"(?![A-Za-z0-9])"
)
# A run of digits, optionally broken by single spaces or dashes, with an optional country
# code in front (+86, 0086, (+86)). Each kind below re-checks the shape it needs.
# Written as `_NOT_ALNUM_BEFORE (?:\(\+?86\)[ -]?|(?:\+|00)86[ -]?)?\d(?:[ -]?\d)*[Xx]?(?!\d)`,
# but with every alternative opening on a literal character (the look-behind comes right
# after it), so that the engine skips to a "(", "+" or digit at once, and with possessive
# repeats, which never need to give anything back here.
# One difference: a run that opens on a digit of another script (١, ५) is not matched, nor
# is the rest of it; no identifier is written so (they are all checked as ASCII digits).
_AFTER_NOT_ALNUM = r"(?<![\dA-Za-z].)"
_DIGITS = re.compile(
    rf"(?:\({_AFTER_NOT_ALNUM}\+?86\)[ \-]?\d|\+{_AFTER_NOT_ALNUM}86[ \-]?\d"
    rf"|0{_AFTER_NOT_ALNUM}086[ \-]?\d|"
    + "|".join(digit + _AFTER_NOT_ALNUM for digit in "0123456789")
    + r")\d*+(?:[ \-]\d++)*+[Xx]?(?![0-9])"
)
_ID_SHAPE = re.compile(r"\d{6}[ \-]?\d{8}[ \-]?\d{3}[0-9Xx]")
_MOBILE_SHAPE = re.compile(
    r"(?:\(\+?86\)[ \-]?|(?:\+|00)86[ \-]?|86[ \-]?)?1[3-9]\d(?:[ \-]?\d{4}){2}|"
    r"(?:\(\+?86\)[ \-]?|(?:\+|00)86[ \-]?)?1[3-9]\d[ \-]?\d{3}[ \-]?\d{5}"
)
_LANDLINE_SHAPE = re.compile(
    r"(?:\(\+?86\)[ \-]?|(?:\+|00)86[ \-]?)?\(?0(?:10|2\d|[3-9]\d{2})\)?[ \-]?[2-9]\d{6,7}"
)
_LANDLINE_PAREN = re.compile(
    _NOT_ALNUM_BEFORE + r"[(（]0(?:10|2\d|[3-9]\d{2})[)）][ \-]?[2-9]\d{6,7}(?![0-9])"
)
_USCC = re.compile(
    r"(?<![0-9A-Za-z])[0-9A-HJ-NP-RTUWXYa-hj-np-rtuwxy]{2}\d{6}"
    r"[0-9A-HJ-NP-RTUWXYa-hj-np-rtuwxy]{10}(?![0-9A-Za-z])"
)
_PASSPORT = re.compile(
    r"(?:护照|通行证|旅行证|passport|Passport|PASSPORT)(?:号码|号|编号)?[^0-9A-Za-z，。；,;]{0,4}"
    r"([A-Za-z]{1,2}\d{6,10}|\d{8,10})(?![0-9A-Za-z])"
)
_WECHAT = re.compile(
    r"(?:微信|WeChat|wechat|weixin|VX|vx|Vx|V信|wx)(?:号|号码|id|ID)?[^0-9A-Za-z，。；,;]{0,3}"
    r"([A-Za-z][A-Za-z0-9_\-]{5,19})(?![A-Za-z0-9_\-])"
)
_QQ = re.compile(
    r"(?:QQ|qq|Qq|扣扣)(?:号|号码)?[^0-9A-Za-z，。；,;@]{0,3}([1-9]\d{4,11})(?![0-9@])"
)
_ACCOUNT_CONTEXT = re.compile(r"(?:账号|帐号|账户|帐户|户号|对公户|收款户)[^，。；,;]{0,6}$")
_CARD_CONTEXT = re.compile(r"(?:卡号|银行卡|信用卡|储蓄卡|借记卡|卡)[^，。；,;]{0,6}$")
# Words right before a number that say it is not personal information.
_NOT_PII_CONTEXT = re.compile(
    r"(?:订单|单号|运单|快递|物流|会员|编号|流水|工号|学号|批次|票号|发票|取件码|条码|"
    r"序列号|型号|货号|合同)[号码：: ]{0,3}$"
)
_ISSUER_FAMILIES = tuple(
    re.compile(p)
    for p in (
        r"62\d{14,17}",  # UnionPay
        r"4\d{15}|4\d{18}",  # Visa
        r"5[1-5]\d{14}|2(?:2[2-9]|[3-6]\d|7[01])\d{13}",  # Mastercard
        r"3[47]\d{13}",  # American Express
        r"35\d{14}",  # JCB
        r"6(?:0|5)\d{14}|6(?:0|5)\d{17}",  # Discover and domestic debit
        r"9\d{18}",  # older domestic debit cards
    )
)
_ANY_DIGIT = re.compile(r"\d")
_LETTER_BY_DIGIT = re.compile(r"\d[A-Za-z]|[A-Za-z]\d")
_CREDIT_WORD = re.compile("信用|税号|纳税|注册号")
_CUES = re.compile(
    r"微信|[Ww]e[Cc]hat|weixin|[Vv][Xx]|V信|wx|[Qq]{2}|扣扣|护照|通行证|旅行证|[Pp]assport|PASSPORT"
)
# The characters a cue of `_CUES` can start with: one fast search rules most texts out.
_CUE_START = re.compile("[微WwVvQq扣护通旅Pp]")
_CREDIT_CONTEXT = re.compile(r"(?:信用代码|社会信用|税号|纳税人识别号|注册号)[^，。；,;]{0,4}$")


def to_halfwidth_same_length(text: str) -> str:
    """Full-width ASCII characters turned half-width; the length never changes."""
    wide = _WIDE.findall(text)
    if not wide:
        return text
    if len(wide) > _FEW_WIDE:
        return text.translate(_HALFWIDTH)
    # A note holds a few full-width commas: replacing them is cheaper than `translate`,
    # which looks up every character of the text.
    for char in set(wide):
        text = text.replace(char, chr(_HALFWIDTH[ord(char)]))
    return text


def _left(norm: str, start: int, width: int = 12) -> str:
    return norm[max(0, start - width) : start]


def _classify_digits(norm: str, start: int, end: int) -> str | None:
    """The label of a run of digits at [start, end), or None when it is no identifier."""
    value = norm[start:end]
    digits = value.translate(_SEPARATORS) if end - start > 11 else value
    n = len(digits)
    if n == 18 and _ID_SHAPE.fullmatch(value) and resident_id_valid(digits):
        return "RESIDENT_ID"
    if value[-1] in "Xx" or n < 8:
        return None
    if 11 <= n <= 15 and _MOBILE_SHAPE.fullmatch(value) and normalize_mobile(value) is not None:
        return "MOBILE"
    if 10 <= n <= 16 and _LANDLINE_SHAPE.fullmatch(value) and landline_normalize(value):
        return "LANDLINE"
    return _card_or_account(norm, start, value, n)


def _card_or_account(norm: str, start: int, value: str, n: int) -> str | None:
    before = _left(norm, start)
    not_pii = _NOT_PII_CONTEXT.search(before) is not None
    if (
        15 <= n <= 19
        and bank_card_valid(value)
        and (_CARD_CONTEXT.search(before) is not None or (not not_pii and _issuer_plausible(value)))
    ):
        return "BANK_CARD"
    if not not_pii and n <= 30 and _ACCOUNT_CONTEXT.search(before):
        return "BANK_ACCOUNT"
    return None


def _issuer_plausible(value: str) -> bool:
    """Without a card word nearby, only the common issuer families and lengths count."""
    digits = value.replace(" ", "").replace("-", "")
    return any(p.fullmatch(digits) for p in _ISSUER_FAMILIES)


def _split_run(norm: str, start: int, end: int) -> list[RawSpan]:
    """A run that is no identifier as a whole may be several values side by side."""
    cuts = [start] + [i + 1 for i in range(start, end) if norm[i] == " "] + [end + 1]
    found: list[RawSpan] = []
    i = 0
    while i < len(cuts) - 1:
        for j in range(len(cuts) - 1, i, -1):
            piece_end = cuts[j] - 1
            label = _classify_digits(norm, cuts[i], piece_end)
            if label is not None:
                found.append((cuts[i], piece_end, label))
                i = j
                break
        else:
            i += 1
    return found


def _digit_spans(norm: str, first_digit: int) -> list[RawSpan]:
    found: list[RawSpan] = []
    # A run starts at most three characters before its first digit ("(+86"), and the
    # look-behind still sees the text before `pos`, so the text before it is skipped.
    for m in _DIGITS.finditer(norm, max(first_digit - 3, 0)):
        start, end = m.span()
        label = _classify_digits(norm, start, end)
        if label is not None:
            found.append((start, end, label))
        elif " " in m.group(0):
            found += _split_run(norm, start, end)
    return found


def _uscc_spans(norm: str) -> list[RawSpan]:
    found: list[RawSpan] = []
    for m in _USCC.finditer(norm):
        value = m.group(0).upper()
        if not uscc_valid(value) or resident_id_valid(value):
            continue
        if value.isdigit() and not _CREDIT_CONTEXT.search(_left(norm, m.start())):
            continue
        found.append((m.start(), m.end(), "USCC"))
    return found


def _group_spans(
    pattern: re.Pattern[str], norm: str, label: str, check: Callable[[str], bool]
) -> list[RawSpan]:
    found: list[RawSpan] = []
    for m in pattern.finditer(norm):
        if check(m.group(1)):
            found.append((m.start(1), m.end(1), label))
    return found


def _email_spans(norm: str) -> list[RawSpan]:
    return [
        (m.start(), m.end(), "EMAIL")
        for m in _EMAIL.finditer(norm)
        if normalize_email(m.group(0)) is not None
    ]


def _landline_paren_spans(norm: str) -> list[RawSpan]:
    return [
        (m.start(), m.end(), "LANDLINE")
        for m in _LANDLINE_PAREN.finditer(norm)
        if landline_normalize(m.group(0)) is not None
    ]


def _always(_: str) -> bool:
    return True


def find_identifiers(norm: str) -> list[RawSpan]:
    """Validated identifier spans in half-width text, possibly overlapping each other.

    The caller resolves overlaps; e-mail addresses come first, so a QQ number inside
    `12345@qq.com` is part of the address. Cheap tests skip the patterns that cannot
    match (no digit, no '@', no cue word).
    """
    spans = _email_spans(norm) if "@" in norm else []
    digit = _ANY_DIGIT.search(norm)
    if digit is None:
        return spans
    if _CUE_START.search(norm) is not None and _CUES.search(norm) is not None:
        spans += _group_spans(_WECHAT, norm, "IM", _always)
        spans += _group_spans(_QQ, norm, "IM", _always)
        spans += _group_spans(_PASSPORT, norm, "PASSPORT", passport_valid)
    if len(norm) >= 18 and (_LETTER_BY_DIGIT.search(norm) or _CREDIT_WORD.search(norm)):
        spans += _uscc_spans(norm)
    if "(" in norm:
        spans += _landline_paren_spans(norm)
    spans += _digit_spans(norm, digit.start())
    return spans
