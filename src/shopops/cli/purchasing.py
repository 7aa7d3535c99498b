"""The ``shopops po`` commands: purchase orders through their lifecycle, receipts, invoices."""

from __future__ import annotations

import typer

po_app = typer.Typer(
    name="po",
    help="Purchase orders: list, approve, send, receive, invoice, match and expedite.",
    no_args_is_help=True,
)
