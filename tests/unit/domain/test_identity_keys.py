"""Which keys a row offers for merging, and how e-mail and name+e-mail keys pair up."""

from __future__ import annotations

from hypothesis import given
from hypothesis import strategies as st

from custody.domain.customers import identity_keys, named_emails

emails = st.lists(st.sampled_from(["a@x.cn", "b@x.cn", "c@x.cn"]), max_size=4)


def test_name_and_email_give_a_name_email_key_per_email() -> None:
    keys = identity_keys({"person.name": ["王 芳", "李四"], "contact.email": ["a@x.cn", "b@x.cn"],
                          "contact.mobile": ["+8613812345678"]})
    assert keys == [("contact.mobile", "+8613812345678"), ("contact.email", "a@x.cn"),
                    ("contact.email", "b@x.cn"), ("merge.name_email", "王芳\x1fa@x.cn"),
                    ("merge.name_email", "王芳\x1fb@x.cn")]


def test_without_a_name_no_email_is_named() -> None:
    assert named_emails(identity_keys({"contact.email": ["a@x.cn"]})) == {}


@given(emails)
def test_every_name_email_key_pairs_with_the_email_it_was_made_from(mails: list[str]) -> None:
    pairs = named_emails(identity_keys({"person.name": ["王芳"], "contact.email": mails}))
    assert pairs == {f"王芳\x1f{m}": m for m in mails}
