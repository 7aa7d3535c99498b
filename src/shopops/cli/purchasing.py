"""The ``shopops po`` commands: purchase orders through their lifecycle, receipts, invoices."""

from __future__ import annotations

import datetime as dt
import getpass
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import Annotated, TypeVar

import polars as pl
import typer

from shopops.bootstrap import App
from shopops.cli.console import console, fail
from shopops.cli.render import print_frame
from shopops.domain.purchasing import (
    CancelPurchaseOrder,
    ChangeStatus,
    InvoiceLine,
    PurchasingError,
    ReceiveCommand,
    RecordInvoice,
)
from shopops.domain.supply import PurchaseOrderStatus
from shopops.errors import ShopOpsError
from shopops.services import purchasing as service

po_app = typer.Typer(
    name="po",
    help="Purchase orders: list, approve, send, receive, invoice, match and expedite.",
    no_args_is_help=True,
)

Result = TypeVar("Result")

PoArgument = Annotated[str, typer.Argument(help="PO number (PO-2026-0001) or PO id.")]
User = Annotated[
    str,
    typer.Option(envvar="SHOPOPS_USER", help="Who makes the change (default: your login)."),
]
Note = Annotated[str | None, typer.Option(help="Why, or what came with it.")]
Day = Annotated[
    dt.datetime | None, typer.Option(formats=["%Y-%m-%d"], help="Day (default: today).")
]


def _default_user() -> str:
    try:
        return getpass.getuser()
    except (KeyError, OSError):
        return "unknown"


@contextmanager
def _refusals() -> Iterator[None]:
    """Print a refused request as an error line and exit with status 1."""
    try:
        yield
    except (ShopOpsError, PurchasingError) as error:
        raise fail(str(error)) from error


def _app(ctx: typer.Context) -> App:
    from shopops.cli.app import build_app

    return build_app(ctx)


def _run(ctx: typer.Context, use_case: Callable[[App], Result]) -> Result:
    application = _app(ctx)
    with _refusals():
        return use_case(application)


def _po_id(application: App, reference: str) -> int:
    return service.resolve_po(application.unit_of_work(), reference)


@po_app.command("list")
def list_(
    ctx: typer.Context,
    status: Annotated[
        list[PurchaseOrderStatus] | None, typer.Option(help="Only this status (repeatable).")
    ] = None,
    supplier: Annotated[str | None, typer.Option(help="Only this supplier.")] = None,
    limit: Annotated[int, typer.Option(min=1, help="Most POs to show, newest first.")] = 50,
) -> None:
    """List purchase orders, newest first, with open units and value."""
    frame = _run(
        ctx,
        lambda a: service.list_purchase_orders(
            a.unit_of_work(), statuses=status or (), supplier_id=supplier, limit=limit
        ),
    )
    print_frame(frame, "Purchase orders")


@po_app.command()
def show(ctx: typer.Context, po: PoArgument) -> None:
    """Show a PO: its lines with received and open units, receipts and status history."""
    details = _run(
        ctx,
        lambda a: service.purchase_order_details(a.unit_of_work(), _po_id(a, po)),
    )
    header = details.purchase_order
    console.print(
        f"[bold]{header.label}[/] {header.status.value}: {header.supplier_id} to "
        f"{header.warehouse_id}, prices in {header.currency_code}, ordered "
        f"{header.ordered_date or 'not yet'}"
    )
    print_frame(details.lines, "Lines")
    if not details.receipts.is_empty():
        print_frame(details.receipts.drop("po_id"), "Receipts")
    print_frame(details.events, "Status history")


def _change(ctx: typer.Context, po: str, command: Callable[[int], ChangeStatus], user: str) -> None:
    result = _run(
        ctx, lambda a: service.change_status(a.unit_of_work(), command(_po_id(a, po)), user)
    )
    console.print(result.message)
    for warning in result.warnings:
        console.print(f"[yellow]warning:[/] {warning}")


@po_app.command()
def approve(ctx: typer.Context, po: PoArgument, note: Note = None, user: User = "") -> None:
    """Approve a proposed PO, checked against the budgets of its categories."""
    target = PurchaseOrderStatus.APPROVED
    _change(ctx, po, lambda po_id: ChangeStatus(po_id, target, note), user or _default_user())


@po_app.command()
def send(
    ctx: typer.Context, po: PoArgument, date: Day = None, note: Note = None, user: User = ""
) -> None:
    """Record an approved PO as sent to the supplier (its order date)."""
    day = date.date() if date else None
    _change(
        ctx,
        po,
        lambda po_id: ChangeStatus(po_id, PurchaseOrderStatus.SENT, note, ordered_date=day),
        user or _default_user(),
    )


@po_app.command()
def confirm(ctx: typer.Context, po: PoArgument, note: Note = None, user: User = "") -> None:
    """Record the supplier's confirmation of a sent PO."""
    target = PurchaseOrderStatus.CONFIRMED
    _change(ctx, po, lambda po_id: ChangeStatus(po_id, target, note), user or _default_user())


@po_app.command()
def cancel(
    ctx: typer.Context,
    po: PoArgument,
    reason: Annotated[str | None, typer.Option(help="Why it is cancelled.")] = None,
    user: User = "",
) -> None:
    """Cancel a PO; a partially received one keeps what came and is closed."""
    who = user or _default_user()
    result = _run(
        ctx,
        lambda a: service.cancel(a.unit_of_work(), CancelPurchaseOrder(_po_id(a, po), reason), who),
    )
    console.print(result.message)


@po_app.command()
def receive(
    ctx: typer.Context,
    po: PoArgument,
    line: Annotated[int, typer.Argument(help="PO line number.")],
    reference: Annotated[
        str, typer.Option(help="Goods-received or delivery note number; books the receipt once.")
    ],
    units: Annotated[int, typer.Option(help="Units counted in.")],
    damaged: Annotated[int, typer.Option(help="Units received damaged.")] = 0,
    rejected: Annotated[int, typer.Option(help="Units rejected at inspection.")] = 0,
    date: Day = None,
    user: User = "",
) -> None:
    """Book goods received against a PO line; accepted units go into stock."""
    day = date.date() if date else dt.date.today()
    who = user or _default_user()

    def book(application: App) -> service.ReceiptResult:
        command = ReceiveCommand(
            reference, _po_id(application, po), line, day, units, damaged, rejected
        )
        return service.receive(application.unit_of_work(), command, who)

    result = _run(ctx, book)
    console.print(result.message)


@po_app.command()
def invoice(
    ctx: typer.Context,
    supplier: Annotated[str, typer.Option(help="Supplier id.")],
    number: Annotated[str, typer.Option(help="The supplier's invoice number.")],
    currency: Annotated[str, typer.Option(help="Currency invoiced (ISO 4217).")],
    date: Day = None,
    line: Annotated[
        list[str] | None,
        typer.Option(help="PO:LINE:UNITS:UNIT_PRICE, e.g. PO-2026-0001:1:100:3.40 (repeatable)."),
    ] = None,
    lines: Annotated[
        Path | None,
        typer.Option(
            exists=True, dir_okay=False, help="CSV of po_id,line_no,quantity_units,unit_price."
        ),
    ] = None,
) -> None:
    """Record a supplier invoice; the same invoice number is booked once."""
    day = date.date() if date else dt.date.today()

    def book(application: App) -> service.InvoiceResult:
        parsed = service.read_invoice_lines(lines) if lines else ()
        parsed += tuple(_invoice_line(application, text) for text in line or ())
        command = RecordInvoice(supplier, number, day, currency, parsed)
        return service.record_invoice(application.unit_of_work(), command)

    result = _run(ctx, book)
    console.print(result.message)


def _invoice_line(application: App, text: str) -> InvoiceLine:
    parts = text.rsplit(":", 3)
    try:
        reference, line_no, units, price = parts
        return InvoiceLine(_po_id(application, reference), int(line_no), int(units), float(price))
    except ValueError:
        raise fail(f"--line {text!r}: expected PO:LINE:UNITS:UNIT_PRICE") from None


@po_app.command()
def match(
    ctx: typer.Context,
    po: Annotated[str | None, typer.Option(help="Only this PO.")] = None,
    supplier: Annotated[str | None, typer.Option(help="Only this supplier's POs.")] = None,
    everything: Annotated[bool, typer.Option("--all", help="Show matched lines too.")] = False,
) -> None:
    """Three-way match of PO lines, receipts and invoices; what to ask suppliers."""
    frame = _run(
        ctx,
        lambda a: service.match_invoices(
            a.unit_of_work(), po_id=_po_id(a, po) if po else None, supplier_id=supplier
        ),
    )
    shown = frame if everything else frame.filter(pl.col("match_status") != "matched")
    console.print(
        f"{frame.height:,} PO lines matched; "
        f"{frame.filter(pl.col('match_status') != 'matched').height:,} need attention."
    )
    if shown.is_empty():
        return
    print_frame(
        shown.drop("po_id", "sku_id", "action").rename({"amount_at_stake_po_currency": "at stake"}),
        "Three-way match",
    )
    for row in shown.filter(pl.col("match_status") != "matched").iter_rows(named=True):
        console.print(f"{row['po_number']} line {row['line_no']}: {row['action']}")


@po_app.command()
def expedite(
    ctx: typer.Context,
    as_of: Annotated[
        dt.datetime | None,
        typer.Option(formats=["%Y-%m-%d"], help="Day to judge lateness by (default: today)."),
    ] = None,
    top: Annotated[int, typer.Option(min=1, help="How many lines to show.")] = 20,
) -> None:
    """Late and at-risk PO lines, ranked by the sales they hold up."""
    day = as_of.date() if as_of else None
    frame = _run(ctx, lambda a: service.expediting(a.unit_of_work(), as_of=day)).head(top)
    if frame.is_empty():
        console.print("No open PO line is late or at risk.")
        return
    print_frame(
        frame.select(
            "rank",
            "po_number",
            "line_no",
            "supplier_id",
            "sku_id",
            "warehouse_id",
            "reason",
            "open_units",
            "expected_date",
            "days_late",
            "stockout_date",
            "customer_orders_waiting",
            "units_at_risk",
            "value_at_risk_usd",
        ),
        "Expediting list",
    )
    for row in frame.iter_rows(named=True):
        console.print(f"{row['rank']}. {row['action']}")
