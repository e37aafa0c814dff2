"""Adapters that reach customers: SMS-gateway CSV files and e-mail over SMTP."""

from __future__ import annotations

from custody.notify.sms_csv import notices_csv
from custody.notify.smtp import DeliveryResult, SmtpMailer

__all__ = ["DeliveryResult", "SmtpMailer", "notices_csv"]
