"""``shopops transfers``: weekly stock transfer proposals, approved or cancelled by hand."""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from typing import Annotated, TypeVar

import polars as pl
import typer

from shopops.bootstrap import App
from shopops.cli.console import console, fail
from shopops.cli.render import print_frame
from shopops.domain.inventory import TransferStatus
from shopops.errors import ShopOpsError
from shopops.services import placement as service

transfers_app = typer.Typer(
    name="transfers",
    help="Stock transfers between warehouses: propose the week's, list, approve, cancel.",
    no_args_is_help=True,
)

Result = TypeVar("Result")
TransferId = Annotated[int, typer.Argument(help="Transfer number.")]
SHOWN_ROWS = 15
SHOWN_COLUMNS = (
    "transfer_id",
    "sku_id",
    "from_warehouse_id",
    "to_warehouse_id",
    "quantity_units",
    "status",
    "transfer_cost_usd",
    "shipping_saved_usd",
)


@contextmanager
def _refusals() -> Iterator[None]:
    try:
        yield
    except ShopOpsError as error:
        raise fail(str(error)) from error


def _run(ctx: typer.Context, use_case: Callable[[App], Result]) -> Result:
    from shopops.cli.app import build_app

    application = build_app(ctx)
    with _refusals():
        return use_case(application)


@transfers_app.command()
def propose(
    ctx: typer.Context,
    week: Annotated[
        dt.datetime | None,
        typer.Option(formats=["%Y-%m-%d"], help="A day of the week to plan (default: today)."),
    ] = None,
) -> None:
    """Propose the week's transfers from recent regional demand; older proposals are cancelled."""
    day = week.date() if week else dt.date.today()
    monday = day - dt.timedelta(days=day.weekday())
    report = _run(ctx, lambda a: service.propose_placement(a.unit_of_work(), as_of=monday))
    transfers = report.placement.transfers.select(
        pl.Series("transfer_id", report.transfer_ids, dtype=pl.Int64), pl.all()
    )
    if transfers.height:
        largest = transfers.sort("shipping_saved_usd", descending=True)
        shown = largest.head(SHOWN_ROWS).drop("explanation")
        print_frame(shown, f"Proposed transfers for the week of {monday} ({transfers.height:,})")
        console.print("[bold]Why[/] (largest savings):")
        for text in largest.head(3)["explanation"]:
            console.print(f"  - {text}", highlight=False)
    console.print(f"Placement run {report.run_id}: {report.message}.", highlight=False)


@transfers_app.command("list")
def list_(
    ctx: typer.Context,
    status: Annotated[TransferStatus | None, typer.Option(help="Only this status.")] = None,
    limit: Annotated[int, typer.Option(min=1, help="Most transfers to show, newest first.")] = 50,
) -> None:
    """List transfers, newest first."""
    frame = _run(
        ctx, lambda a: service.list_transfers(a.unit_of_work(), status=status, limit=limit)
    )
    print_frame(frame.select(SHOWN_COLUMNS), f"Transfers ({frame.height:,} shown)")


@transfers_app.command()
def approve(ctx: typer.Context, transfer_id: TransferId) -> None:
    """Approve a proposed transfer."""
    change = _run(ctx, lambda a: service.approve_transfer(a.unit_of_work(), transfer_id))
    console.print(change.message, highlight=False)


@transfers_app.command()
def cancel(ctx: typer.Context, transfer_id: TransferId) -> None:
    """Cancel a proposed or approved transfer."""
    change = _run(ctx, lambda a: service.cancel_transfer(a.unit_of_work(), transfer_id))
    console.print(change.message, highlight=False)
