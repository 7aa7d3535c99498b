"""The ``shopops orders`` commands: import order files, cancel, list and show orders."""

from __future__ import annotations

from collections.abc import Callable, Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import Annotated, TypeVar

import polars as pl
import typer

from shopops.bootstrap import App
from shopops.cli.console import console, fail
from shopops.cli.render import print_frame
from shopops.domain.ordering import CancelOrder
from shopops.domain.orders import CancelReason, OrderStatus
from shopops.errors import ShopOpsError
from shopops.services.order_import import import_orders
from shopops.services.order_views import list_orders, order_details
from shopops.services.orders import cancel_order

orders_app = typer.Typer(
    name="orders",
    help="Customer orders: import them, reserve their stock, cancel, list and show.",
    no_args_is_help=True,
)

Result = TypeVar("Result")

ExternalId = Annotated[str, typer.Argument(help="The marketplace's order id (external_order_id).")]


@contextmanager
def _refusals() -> Iterator[None]:
    """Print a refused request as an error and exit with status 1."""
    try:
        yield
    except ShopOpsError as error:
        raise fail(str(error)) from error


def _run(ctx: typer.Context, use_case: Callable[[App], Result]) -> Result:
    from shopops.cli.app import build_app

    application = build_app(ctx)
    with _refusals():
        return use_case(application)


@orders_app.command("import")
def import_(
    ctx: typer.Context,
    file: Annotated[
        Path,
        typer.Argument(
            exists=True,
            dir_okay=False,
            help="CSV or Parquet file, one row per order line: external_order_id, channel, "
            "ordered_at, region_id, customer_id, sku_id, quantity_units, unit_price_usd, "
            "and optionally event_id, promised_delivery_date.",
        ),
    ],
    reserve: Annotated[
        bool, typer.Option(help="Reserve stock for each new order as it comes in.")
    ] = False,
    max_errors: Annotated[int, typer.Option(min=1, help="Most problems to list.")] = 100,
) -> None:
    """Import orders; nothing is written if any row is bad, orders imported before are skipped."""
    report = _run(
        ctx,
        lambda a: import_orders(file, a.unit_of_work(), reserve=reserve, max_errors=max_errors),
    )
    console.print(report.message)
    if reserve:
        console.print(
            f"{report.reserved_units:,} units reserved; {len(report.short_lines):,} lines "
            "wait for stock."
        )
    if report.short_lines:
        short = pl.DataFrame(
            [
                (x.order_id, x.line_no, x.sku_id, x.quantity_units, x.reason)
                for x in report.short_lines
            ],
            schema=["order_id", "line_no", "sku_id", "units", "why"],
            orient="row",
        )
        print_frame(short, "Lines left open")


@orders_app.command()
def cancel(
    ctx: typer.Context,
    external_id: ExternalId,
    reason: Annotated[CancelReason, typer.Option(help="Why it is cancelled.")],
    line: Annotated[
        list[int] | None, typer.Option(help="Cancel only this line number (repeatable).")
    ] = None,
) -> None:
    """Cancel an order or some of its lines; their reserved stock becomes available again."""
    command = CancelOrder(external_id, reason, tuple(line or ()))
    outcome = _run(ctx, lambda a: cancel_order(command, a.unit_of_work()))
    console.print(outcome.message)


@orders_app.command("list")
def list_(
    ctx: typer.Context,
    status: Annotated[
        list[OrderStatus] | None, typer.Option(help="Only this status (repeatable).")
    ] = None,
    limit: Annotated[int, typer.Option(min=1, help="Most orders to show, newest first.")] = 50,
) -> None:
    """List orders, newest first, with units, units reserved and value."""
    frame = _run(ctx, lambda a: list_orders(a.unit_of_work(), statuses=status or (), limit=limit))
    shown = frame.with_columns(pl.col("ordered_at").dt.strftime("%Y-%m-%d %H:%M")).rename(
        _LIST_HEADINGS
    )
    print_frame(shown, "Orders")


_LINE_HEADINGS = {
    "line_no": "line",
    "sku_id": "sku",
    "quantity_units": "units",
    "unit_price_usd": "price $",
    "warehouse_id": "warehouse",
    "reserved_units": "reserved",
    "cancel_reason": "reason",
}
_LIST_HEADINGS = {
    "order_id": "#",
    "external_order_id": "order",
    "region_id": "to",
    "reserved_units": "reserved",
    "value_usd": "value $",
    "promised_dispatch_date": "dispatch by",
    "promised_delivery_date": "deliver by",
}


@orders_app.command()
def show(ctx: typer.Context, external_id: ExternalId) -> None:
    """Show an order: its lines, the warehouse holding each, and the stock of its SKUs."""
    details = _run(ctx, lambda a: order_details(a.unit_of_work(), external_id))
    order = details.order
    console.print(
        f"[bold]order {order.external_order_id}[/] (#{order.order_id}) {order.status.value}: "
        f"{order.channel} order of {order.ordered_at:%Y-%m-%d %H:%M} to {order.region_id}; "
        f"dispatch by {order.promised_dispatch_date}, delivery promised "
        f"{order.promised_delivery_date}",
        highlight=False,
    )
    prices = [f"{price:,.2f}" for price in details.lines["unit_price_usd"]]
    lines = details.lines.with_columns(pl.Series("unit_price_usd", prices))
    print_frame(lines.rename(_LINE_HEADINGS), "Lines")
    reserved = int(details.lines["reserved_units"].sum())
    console.print(f"{reserved:,} units reserved for this order.")
    print_frame(details.stock, "Stock of its SKUs (available = on hand - reserved)")
