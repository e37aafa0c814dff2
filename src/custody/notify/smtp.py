"""E-mail delivery over SMTP (smtplib), reporting every outcome as a DeliveryResult.

`SmtpMailer.send` never raises: connection, TLS, authentication, refusal and protocol
errors become `DeliveryResult("failed", detail)`. The detail names the stage and the
SMTP reply code only, never the server's reply text, which often echoes the recipient's
address; so no detail carries the address.
"""

from __future__ import annotations

import smtplib
import socket
import ssl
from dataclasses import dataclass
from email.message import EmailMessage
from email.utils import formatdate, make_msgid
from typing import Literal

__all__ = ["DeliveryResult", "SmtpMailer"]


@dataclass(frozen=True)
class DeliveryResult:
    """Outcome of one delivery attempt; `detail` is safe to log (no address, no content)."""

    status: Literal["delivered", "failed"]
    detail: str

    @property
    def ok(self) -> bool:
        return self.status == "delivered"


# Checked in order; the first matching class names the failure.
_FAILURES: tuple[tuple[type[BaseException], str], ...] = (
    (smtplib.SMTPSenderRefused, "sender refused"),
    (smtplib.SMTPAuthenticationError, "authentication failed"),
    (smtplib.SMTPNotSupportedError, "server does not support a required extension"),
    (smtplib.SMTPServerDisconnected, "server disconnected"),
    (smtplib.SMTPDataError, "message refused"),
    (smtplib.SMTPException, "SMTP error"),
    (ssl.SSLError, "TLS failed"),
    (TimeoutError, "timed out"),
    (ConnectionRefusedError, "connection refused"),
    (socket.gaierror, "mail server name does not resolve"),
    (OSError, "network error"),
)


def _failure(exc: BaseException) -> DeliveryResult:
    if isinstance(exc, smtplib.SMTPRecipientsRefused):
        codes = ", ".join(str(c) for c in sorted({c for c, _ in exc.recipients.values()}))
        return DeliveryResult("failed", f"recipient refused (SMTP {codes})")
    code = getattr(exc, "smtp_code", None)
    suffix = f" (SMTP {code})" if isinstance(code, int) else ""
    for kind, text in _FAILURES:
        if isinstance(exc, kind):
            return DeliveryResult("failed", text + suffix)
    return DeliveryResult("failed", "message could not be built (invalid header or address)")


class SmtpMailer:
    """Sends plain-text UTF-8 mail through one SMTP server; one connection per message."""

    def __init__(
        self,
        host: str,
        port: int,
        sender: str,
        *,
        starttls: bool = False,
        username: str | None = None,
        password: str | None = None,
        timeout: float = 30.0,
        ssl_context: ssl.SSLContext | None = None,
    ) -> None:
        self.host, self.port, self.sender = host, port, sender
        self.starttls, self.timeout = starttls, timeout
        self._username, self._password = username, password
        self._ssl_context = ssl_context

    def __repr__(self) -> str:
        return f"SmtpMailer({self.host!r}, {self.port}, starttls={self.starttls})"

    def _message(self, to: str, subject: str, body_text: str) -> EmailMessage:
        msg = EmailMessage()
        msg["From"] = self.sender
        msg["To"] = to
        msg["Subject"] = subject
        msg["Date"] = formatdate(localtime=False, usegmt=True)
        domain = self.sender.rpartition("@")[2] or None
        msg["Message-ID"] = make_msgid(domain=domain)
        msg.set_content(body_text, charset="utf-8")
        return msg

    def send(self, to: str, subject: str, body_text: str) -> DeliveryResult:
        """Deliver one message to `to`; never raises for delivery or message problems."""
        try:
            msg = self._message(to, subject, body_text)
            with smtplib.SMTP(self.host, self.port, timeout=self.timeout) as smtp:
                if self.starttls:
                    smtp.starttls(context=self._ssl_context or ssl.create_default_context())
                if self._username is not None:
                    smtp.login(self._username, self._password or "")
                smtp.send_message(msg, from_addr=self.sender, to_addrs=[to])
        except (smtplib.SMTPException, OSError, ValueError, UnicodeError) as exc:
            return _failure(exc)
        return DeliveryResult("delivered", f"accepted by {self.host}:{self.port}")
