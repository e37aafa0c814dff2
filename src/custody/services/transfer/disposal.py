"""TR-19: the report template for the provincial-level authority, filled from the vault."""

from __future__ import annotations

from custody.domain.access import Action
from custody.domain.transfer.disposal_report import DisposalReport, render_disposal_report
from custody.domain.transfer.route import DealType
from custody.services.transfer.common import load
from custody.services.vault import Vault
from custody.storage import customer_store

__all__ = ["disposal_report"]


def disposal_report(vault: Vault, transfer_id: str, *, lang: str = "zh") -> str:
    """The report of the disposal plan and the recipient (NDSMR Art. 28, 32) as Markdown,
    with blanks for what only a person can say."""
    vault.require(Action.TRANSFER_MANAGE)
    with vault.transaction("transfer disposal report") as conn:
        row = load(conn, transfer_id, "seller")
        individuals = customer_store.count_active_customers(conn)
    a = row.document["agreement"]
    report = DisposalReport(
        transfer_id=transfer_id,
        deal_type=DealType(a["deal_type"]),
        seller=a["seller"]["name"],
        seller_contact=a["seller"]["contact"],
        recipient=a["buyer"]["name"],
        recipient_contact=a["buyer"]["contact"],
        distinct_individuals=individuals,
        important_data=row.important_data,
        datasets=tuple(a["scope"]["datasets"]),
        customers_in_scope=int(a["scope"]["customer_count"]),
        no_successor=row.no_successor,
        prepared_on=vault.clock().date(),
    )
    return render_disposal_report(report, lang)
