"""SMS-gateway CSV and SMTP delivery against a real local aiosmtpd server (issue 4)."""

from __future__ import annotations

import csv
import email
import email.policy
import socket
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
from aiosmtpd.controller import Controller
from aiosmtpd.smtp import Envelope

from custody.errors import InputError
from custody.notify import DeliveryResult, SmtpMailer, notices_csv

ADDRESS = "zhang.san@example.com"


# ----------------------------------------------------------------------------- CSV


def test_csv_has_bom_header_and_rows_excel_can_open(tmp_path: Path) -> None:
    out = tmp_path / "notices.csv"
    rows = [
        {"name": "张三", "mobile": "+86 138 0013 8000", "message": "您的信息将转移给乙公司"},
        {"name": "李四", "mobile": "13900139000", "message": "如有异议请于30日内回复"},
    ]
    assert notices_csv(rows, out) == 2
    raw = out.read_bytes()
    assert raw.startswith(b"\xef\xbb\xbf")
    assert b"\r\n" in raw
    with out.open(encoding="utf-8-sig", newline="") as fh:
        assert list(csv.DictReader(fh)) == rows
    assert out.stat().st_mode & 0o077 == 0
    assert [p.name for p in tmp_path.iterdir()] == ["notices.csv"]


def test_csv_uses_the_callers_columns_and_blanks_missing(tmp_path: Path) -> None:
    out = tmp_path / "n.csv"
    notices_csv(iter([{"mobile": "13800138000"}]), out, columns=["mobile", "name"])
    assert out.read_text(encoding="utf-8-sig").splitlines() == ["mobile,name", "13800138000,"]


def test_csv_neutralises_formulas_but_keeps_phone_numbers(tmp_path: Path) -> None:
    out = tmp_path / "n.csv"
    notices_csv([{"a": '=HYPERLINK("x")', "b": "+86 138", "c": "-1", "d": "+SUM(1)"}], out)
    with out.open(encoding="utf-8-sig", newline="") as fh:
        row = next(csv.DictReader(fh))
    assert row == {"a": '\'=HYPERLINK("x")', "b": "+86 138", "c": "-1", "d": "'+SUM(1)"}


def test_csv_refuses_unknown_fields_and_leaves_nothing(tmp_path: Path) -> None:
    with pytest.raises(InputError, match="row 2"):
        notices_csv([{"a": "1"}, {"a": "2", "secret": "x"}], tmp_path / "n.csv")
    assert list(tmp_path.iterdir()) == []


def test_csv_with_no_rows_still_has_the_header(tmp_path: Path) -> None:
    assert notices_csv([], tmp_path / "n.csv", columns=["name", "mobile"]) == 0
    assert (tmp_path / "n.csv").read_bytes() == b"\xef\xbb\xbfname,mobile\r\n"


# ----------------------------------------------------------------------------- SMTP


def _free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        port: int = sock.getsockname()[1]
        return port


class _Inbox:
    """aiosmtpd handler that keeps what it receives and can refuse recipients."""

    def __init__(self) -> None:
        self.messages: list[Envelope] = []
        self.refuse = False

    async def handle_RCPT(  # aiosmtpd's hook name
        self, server: Any, session: Any, envelope: Envelope, address: str, options: Any
    ) -> str:
        if self.refuse:
            return f"550 5.1.1 <{address}> user unknown"
        envelope.rcpt_tos.append(address)
        return "250 OK"

    async def handle_DATA(  # aiosmtpd's hook name
        self, server: Any, session: Any, envelope: Envelope
    ) -> str:
        self.messages.append(envelope)
        return "250 Message accepted"


@pytest.fixture
def smtp_server() -> Iterator[tuple[_Inbox, int]]:
    inbox, port = _Inbox(), _free_port()
    controller = Controller(inbox, hostname="127.0.0.1", port=port)
    controller.start()
    try:
        yield inbox, port
    finally:
        controller.stop()


def test_message_arrives_with_utf8_subject_and_body(smtp_server: tuple[_Inbox, int]) -> None:
    inbox, port = smtp_server
    mailer = SmtpMailer("127.0.0.1", port, "notice@seller.example.com", timeout=5)
    body_text = "尊敬的客户：\n您的信息将转移给乙公司。\n"
    result = mailer.send(ADDRESS, "关于您个人信息转移的告知", body_text)
    assert result == DeliveryResult("delivered", f"accepted by 127.0.0.1:{port}")
    assert result.ok
    [envelope] = inbox.messages
    assert envelope.mail_from == "notice@seller.example.com"
    assert envelope.rcpt_tos == [ADDRESS]
    assert isinstance(envelope.content, bytes)
    msg = email.message_from_bytes(envelope.content, policy=email.policy.default)
    assert msg["Subject"] == "关于您个人信息转移的告知"
    assert msg["To"] == ADDRESS
    assert msg.get_content_charset() == "utf-8"
    body = msg.get_body()
    assert body is not None
    text = body.get_content()
    assert text.replace("\r\n", "\n") == body_text  # SMTP carries CRLF line ends


def test_closed_port_gives_a_failed_result() -> None:
    mailer = SmtpMailer("127.0.0.1", _free_port(), "notice@seller.example.com", timeout=5)
    result = mailer.send(ADDRESS, "告知", "正文")
    assert result.status == "failed"
    assert result.detail == "connection refused"


def test_refused_recipient_is_failed_without_the_address(smtp_server: tuple[_Inbox, int]) -> None:
    inbox, port = smtp_server
    inbox.refuse = True
    result = SmtpMailer("127.0.0.1", port, "notice@seller.example.com", timeout=5).send(
        ADDRESS, "告知", "正文"
    )
    assert result == DeliveryResult("failed", "recipient refused (SMTP 550)")
    assert "zhang" not in result.detail
    assert inbox.messages == []


def test_header_injection_is_a_failed_result(smtp_server: tuple[_Inbox, int]) -> None:
    inbox, port = smtp_server
    result = SmtpMailer("127.0.0.1", port, "notice@seller.example.com", timeout=5).send(
        ADDRESS, "告知\r\nBcc: victim@example.com", "正文"
    )
    assert result.status == "failed"
    assert "example.com" not in result.detail
    assert inbox.messages == []


def test_starttls_unsupported_is_a_failed_result(smtp_server: tuple[_Inbox, int]) -> None:
    _, port = smtp_server
    mailer = SmtpMailer("127.0.0.1", port, "notice@seller.example.com", starttls=True, timeout=5)
    result = mailer.send(ADDRESS, "告知", "正文")
    assert result == DeliveryResult("failed", "server does not support a required extension")
