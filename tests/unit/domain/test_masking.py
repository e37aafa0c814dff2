"""Default display masking per shared/spec/taxonomy.md."""

from __future__ import annotations

import copy
import dataclasses
import pickle

import pytest
from hypothesis import given
from hypothesis import strategies as st

from custody.domain.masking import mask
from custody.domain.values import Plain


@pytest.mark.parametrize(("label", "value", "shown"), [
    ("person.name", "张伟", "张*"),
    ("person.name", "欧阳娜娜", "欧***"),
    ("contact.mobile", "13812345678", "138****5678"),
    ("contact.mobile", "+86 138-1234-5678", "138****5678"),
    ("contact.landline", "021-61953767", "021-****3767"),
    ("contact.email", "zhangwei@example.com", "z*******@example.com"),
    ("contact.address", "江苏省南京市玄武区中山路8号3栋", "江苏省南京市玄武区******"),
    ("identity.resident_id", "110101199003071233", "110***********1233"),
    ("financial.bank_card", "6222021234567890128", "6222***********0128"),
    ("person.birth_date", "1990-03-07", "1990-**-**"),
])
def test_taxonomy_examples_mask_as_specified(label: str, value: str, shown: str) -> None:
    assert mask(label, value) == shown


@given(st.sampled_from(["contact.mobile", "identity.resident_id", "financial.bank_card",
                        "contact.email", "person.name"]),
       st.text(alphabet="0123456789", min_size=11, max_size=19))
def test_masked_digits_never_show_the_middle(label: str, value: str) -> None:
    shown = mask(label, value)
    assert shown != value and "*" in shown


def test_plain_prints_masked_everywhere() -> None:
    p = Plain("contact.mobile", "13812345678")
    old_style = "%s" % (p,)  # noqa: UP031  (old-style formatting must mask too)
    for rendering in (str(p), repr(p), f"{p}", f"{p:>20}", old_style):
        assert "13812345678" not in rendering
    assert p.reveal() == "13812345678"


def test_plain_is_frozen_and_opaque() -> None:
    p = Plain("contact.mobile", "13812345678")
    with pytest.raises(dataclasses.FrozenInstanceError):
        p.label = "person.name"  # type: ignore[misc]  # frozen on purpose
    with pytest.raises(TypeError):
        vars(p)  # no __dict__ to read the value from
    with pytest.raises(TypeError):
        copy.deepcopy(p)
    with pytest.raises(TypeError):
        pickle.dumps(p)
    assert p == Plain("contact.mobile", "13812345678") != Plain("contact.mobile", "1")
    assert len({p, Plain("contact.mobile", "13812345678")}) == 1
