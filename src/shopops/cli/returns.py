"""The ``shopops returns`` commands: RMAs from request to refund, and return-rate reports."""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable
from enum import StrEnum
from typing import Annotated, TypeVar

import polars as pl
import typer

from shopops.bootstrap import App
from shopops.cli.console import console, fail
from shopops.cli.render import print_frame
from shopops.domain.orders import ReturnStatus
from shopops.domain.returning import (
    InspectReturn,
    ReceiveReturn,
    RejectReturn,
    RequestReturn,
    ReturnError,
    parse_grade,
    parse_reason,
)
from shopops.errors import ShopOpsError
from shopops.services import returns as service

returns_app = typer.Typer(
    name="returns",
    help="Returns: request an RMA, receive, inspect and refund, reject; return-rate reports.",
    no_args_is_help=True,
)

Result = TypeVar("Result")

RmaArgument = Annotated[str, typer.Argument(help="RMA number, e.g. RMA-0002.")]
Day = Annotated[
    dt.datetime | None, typer.Option(formats=["%Y-%m-%d"], help="Day (default: today).")
]
REPORT_COLUMNS = (
    "shipped_units",
    "returned_units",
    "return_rate",
    "top_reason",
    "quality_units",
    "quality_share",
)


class ReportGrouping(StrEnum):
    SKU = "sku"
    CATEGORY = "category"
    SUPPLIER = "supplier"


def _run(ctx: typer.Context, use_case: Callable[[App], Result]) -> Result:
    from shopops.cli.app import build_app

    application = build_app(ctx)
    try:
        return use_case(application)
    except (ShopOpsError, ReturnError) as error:
        raise fail(str(error)) from error


def _day(value: dt.datetime | None) -> dt.date | None:
    return value.date() if value else None


@returns_app.command()
def request(
    ctx: typer.Context,
    order: Annotated[str, typer.Argument(help="The marketplace's order id, e.g. TT-5790001.")],
    line: Annotated[int, typer.Option(help="Order line number.")],
    quantity: Annotated[int, typer.Option(help="Units to return.")],
    reason: Annotated[
        str,
        typer.Option(
            help="damaged, defective, wrong_item, not_as_described, size_fit, changed_mind "
            "or late_delivery."
        ),
    ],
    date: Day = None,
) -> None:
    """Open an RMA (or refund at once when the item is not worth its postage back)."""

    def use_case(application: App) -> service.ReturnResult:
        command = RequestReturn(order, line, quantity, parse_reason(reason))
        return service.request_return(application.unit_of_work(), command, today=_day(date))

    result = _run(ctx, use_case)
    console.print(result.message, highlight=False)


@returns_app.command()
def receive(
    ctx: typer.Context,
    rma: RmaArgument,
    warehouse: Annotated[str, typer.Option(help="Warehouse the parcel came back to.")],
    date: Day = None,
) -> None:
    """Book a returned parcel in at a warehouse."""

    def use_case(application: App) -> service.ReturnResult:
        command = ReceiveReturn(rma, warehouse, _day(date))
        return service.receive_return(application.unit_of_work(), command)

    console.print(_run(ctx, use_case).message, highlight=False)


@returns_app.command()
def inspect(
    ctx: typer.Context,
    rma: RmaArgument,
    grade: Annotated[str, typer.Option(help="A as new, B open box, C damaged, D scrap.")],
) -> None:
    """Grade a received return: disposition, refund and restock follow, and it is closed."""

    def use_case(application: App) -> service.ReturnResult:
        command = InspectReturn(rma, parse_grade(grade))
        return service.inspect_return(application.unit_of_work(), command)

    console.print(_run(ctx, use_case).message, highlight=False)


@returns_app.command()
def reject(
    ctx: typer.Context,
    rma: RmaArgument,
    reason: Annotated[str, typer.Option(help="Why the return is refused.")],
) -> None:
    """Reject a return that is not closed; nothing is refunded."""
    result = _run(
        ctx,
        lambda a: service.reject_return(a.unit_of_work(), RejectReturn(rma, reason)),
    )
    console.print(result.message, highlight=False)


@returns_app.command("list")
def list_(
    ctx: typer.Context,
    status: Annotated[
        list[ReturnStatus] | None, typer.Option(help="Only this status (repeatable).")
    ] = None,
    limit: Annotated[int, typer.Option(min=1, help="Most returns to show, newest first.")] = 50,
) -> None:
    """List returns, newest first."""
    frame = _run(
        ctx,
        lambda a: service.list_returns(a.unit_of_work(), statuses=status or (), limit=limit),
    )
    shown = frame.select(
        pl.col("rma_number").alias("rma"),
        "status",
        pl.col("requested_date").alias("requested"),
        pl.col("external_order_id").alias("order"),
        pl.col("line_no").alias("line"),
        pl.col("sku_id").alias("sku"),
        pl.col("quantity_units").alias("units"),
        "reason",
        pl.col("warehouse_id").alias("warehouse"),
        pl.col("condition_grade").alias("grade"),
        "disposition",
        _money(frame["refund_usd"]).alias("refund_usd"),
        _money(frame["recovered_value_usd"]).alias("recovered_usd"),
    )
    print_frame(shown, f"Returns ({frame.height:,})")


def _money(values: pl.Series) -> pl.Series:
    """Amounts to the cent, right-aligned as text; empty where not known."""
    texts = ["" if v is None else f"{v:,.2f}" for v in values]
    width = max((len(t) for t in texts), default=0)
    return pl.Series([t.rjust(width) for t in texts], dtype=pl.String)


@returns_app.command()
def report(
    ctx: typer.Context,
    start: Annotated[dt.datetime, typer.Option("--from", formats=["%Y-%m-%d"], help="First day.")],
    end: Annotated[dt.datetime, typer.Option("--to", formats=["%Y-%m-%d"], help="Last day.")],
    by: Annotated[
        ReportGrouping, typer.Option(help="Group by sku, category or supplier.")
    ] = ReportGrouping.SKU,
    limit: Annotated[int, typer.Option(min=1, help="Most rows to show.")] = 30,
) -> None:
    """Return rates and reasons for a period, most returned first."""
    frame = _run(
        ctx,
        lambda a: service.returns_report(
            a.unit_of_work(), start=start.date(), end=end.date(), by=by.value
        ),
    )
    key = frame.columns[0]
    shown = frame.select(key, *REPORT_COLUMNS).with_columns(
        pl.col("return_rate", "quality_share").round(3)
    )
    print_frame(shown.head(limit), f"Returns by {by.value}, {start:%Y-%m-%d} to {end:%Y-%m-%d}")
    shipped, returned = int(frame["shipped_units"].sum()), int(frame["returned_units"].sum())
    rate = f"{returned / shipped:.1%}" if shipped else "n/a"
    console.print(f"{returned:,} units returned of {shipped:,} shipped: {rate}.")
