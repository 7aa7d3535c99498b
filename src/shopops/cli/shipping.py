"""The ``shopops ship`` commands: parcels through pick, pack, ship and delivery; metrics."""

from __future__ import annotations

import datetime as dt
import getpass
from collections.abc import Callable
from enum import StrEnum
from typing import Annotated, TypeVar

import polars as pl
import typer

from shopops.analytics.fulfillment_metrics import GroupBy
from shopops.bootstrap import App
from shopops.cli.console import console, fail
from shopops.cli.render import print_frame
from shopops.domain.shipping import ShipmentStep, ShippingError, Step
from shopops.errors import ShopOpsError
from shopops.services import fulfillment_reports as reports
from shopops.services import shipping as service

ship_app = typer.Typer(
    name="ship",
    help="Shipments: create parcels, pick, pack, ship, deliver; metrics and orders at risk.",
    no_args_is_help=True,
)

Result = TypeVar("Result")

ShipmentArgument = Annotated[int, typer.Argument(help="Shipment number.")]
User = Annotated[
    str,
    typer.Option(envvar="SHOPOPS_USER", help="Who reports the step (default: your login)."),
]
Note = Annotated[str | None, typer.Option(help="What happened, or why.")]
At = Annotated[
    dt.datetime | None,
    typer.Option(
        formats=["%Y-%m-%d %H:%M", "%Y-%m-%dT%H:%M"],
        help="When it happened, UTC (default: now).",
    ),
]
Day = Annotated[dt.datetime, typer.Option(formats=["%Y-%m-%d"])]


class MetricsBy(StrEnum):
    WAREHOUSE = "warehouse"
    CARRIER = "carrier"


_GROUPS: dict[MetricsBy | None, GroupBy] = {
    None: None,
    MetricsBy.WAREHOUSE: "warehouse",
    MetricsBy.CARRIER: "carrier",
}


def _default_user() -> str:
    try:
        return getpass.getuser()
    except (KeyError, OSError):
        return "unknown"


def _run(ctx: typer.Context, use_case: Callable[[App], Result]) -> Result:
    from shopops.cli.app import build_app

    application = build_app(ctx)
    try:
        return use_case(application)
    except (ShopOpsError, ShippingError) as error:
        raise fail(str(error)) from error


@ship_app.command()
def create(
    ctx: typer.Context,
    orders: Annotated[
        list[str] | None, typer.Argument(help="External order ids (or order numbers).")
    ] = None,
    all_reserved: Annotated[
        bool, typer.Option("--all-reserved", help="Every order with reserved lines not shipped.")
    ] = False,
    user: User = "",
    at: At = None,
) -> None:
    """Make parcels of orders' reserved lines: one per order and warehouse."""
    if bool(orders) == all_reserved:
        raise fail("name the orders, or give --all-reserved (not both)")
    who = user or _default_user()

    def work(application: App) -> tuple[list[service.CreatedShipment], list[str]]:
        uow = application.unit_of_work
        ids = (
            service.orders_to_ship(uow())
            if all_reserved
            else service.resolve_orders(uow(), orders or [])
        )
        created: list[service.CreatedShipment] = []
        refused: list[str] = []
        for order_id in ids:
            try:
                created.extend(service.create_shipments(order_id, uow(), now=at, by=who))
            except ShippingError as error:
                refused.append(str(error))
        return created, refused

    created, refused = _run(ctx, work)
    if created:
        print_frame(_created_frame(created), f"Shipments created ({len(created):,})")
    else:
        console.print("No reserved lines waiting for a parcel.")
    for reason in refused:
        console.print(f"[yellow]not created:[/] {reason}", highlight=False)
    if refused and not created:
        raise typer.Exit(1)


def _created_frame(created: list[service.CreatedShipment]) -> pl.DataFrame:
    return pl.DataFrame(
        {
            "shipment_id": [c.shipment_id for c in created],
            "order_id": [c.order_id for c in created],
            "warehouse_id": [c.warehouse_id for c in created],
            "lines": [", ".join(map(str, c.line_nos)) for c in created],
            "carton": [c.carton_code for c in created],
            "service": [c.service_id for c in created],
            "why": [c.service_choice for c in created],
            "billable_kg": [c.billable_weight_kg for c in created],
            "postage_usd": [c.shipping_cost_usd for c in created],
            "arrives": [c.arrival_date for c in created],
        }
    )


def _advance(
    ctx: typer.Context,
    shipment_id: int,
    step: Step,
    *,
    user: str,
    at: dt.datetime | None,
    note: str | None = None,
    tracking: str | None = None,
) -> None:
    command = ShipmentStep(shipment_id, step, tracking_number=tracking, note=note)
    who = user or _default_user()
    result = _run(ctx, lambda a: service.advance(a.unit_of_work(), command, now=at, by=who))
    console.print(result.message, highlight=False)
    for warning in result.warnings:
        console.print(f"[yellow]warning:[/] {warning}", highlight=False)


@ship_app.command()
def ship(
    ctx: typer.Context,
    shipment: ShipmentArgument,
    tracking: Annotated[str | None, typer.Option(help="The carrier's tracking number.")] = None,
    note: Note = None,
    user: User = "",
    at: At = None,
) -> None:
    """The carrier picked the parcel up; a tracking number off its pattern is warned about."""
    _advance(ctx, shipment, Step.SHIP, user=user, at=at, note=note, tracking=tracking)


@ship_app.command()
def exception(
    ctx: typer.Context,
    shipment: ShipmentArgument,
    note: Annotated[str, typer.Option(help="What the carrier reported (required).")],
    user: User = "",
    at: At = None,
) -> None:
    """The carrier reported a problem (address not found, damaged, held at depot)."""
    _advance(ctx, shipment, Step.EXCEPTION, user=user, at=at, note=note)


def _step_command(step: Step, name: str, summary: str) -> None:
    """Register ``ship NAME SHIPMENT``: the step with an optional note, user and time."""

    def command(
        ctx: typer.Context,
        shipment: ShipmentArgument,
        note: Note = None,
        user: User = "",
        at: At = None,
    ) -> None:
        _advance(ctx, shipment, step, user=user, at=at, note=note)

    command.__doc__ = summary
    ship_app.command(name)(command)


for _step, _name, _summary in (
    (Step.PICK, "pick", "Picking done: the units and the carton leave the shelf."),
    (Step.PACK, "pack", "Packing done: the parcel waits for the carrier."),
    (Step.IN_TRANSIT, "in-transit", "The carrier scanned the parcel at a hub."),
    (
        Step.DELIVER,
        "deliver",
        "The parcel was delivered; the order is delivered once all its parcels are.",
    ),
    (
        Step.CANCEL,
        "cancel",
        "Cancel a parcel before the carrier's pickup; its lines go back to their reservation.",
    ),
):
    _step_command(_step, _name, _summary)


@ship_app.command()
def history(ctx: typer.Context, shipment: ShipmentArgument) -> None:
    """Show a shipment's steps: from what to what, when and who."""
    events = _run(ctx, lambda a: service.shipment_history(a.unit_of_work(), shipment))
    print_frame(events, f"Shipment {shipment}")


@ship_app.command()
def metrics(
    ctx: typer.Context,
    from_: Annotated[dt.datetime, typer.Option("--from", formats=["%Y-%m-%d"], help="First day.")],
    to: Annotated[dt.datetime, typer.Option(formats=["%Y-%m-%d"], help="Last day.")],
    by: Annotated[MetricsBy | None, typer.Option(help="One row per warehouse or carrier.")] = None,
) -> None:
    """Late dispatch, on-time delivery and valid tracking rates for a period."""
    frame = _run(
        ctx,
        lambda a: reports.metrics(
            a.unit_of_work(),
            start=from_.date(),
            end=to.date(),
            by=_GROUPS[by],
        ),
    )
    print_frame(frame, f"Fulfillment {from_:%Y-%m-%d} to {to:%Y-%m-%d}")


@ship_app.command("at-risk")
def at_risk(
    ctx: typer.Context,
    limit: Annotated[int, typer.Option(min=1, help="Most rows to show.")] = 30,
) -> None:
    """Orders not handed to a carrier, most at risk of a late dispatch first."""
    ranked = _run(ctx, lambda a: reports.at_risk(a.unit_of_work(), limit=limit))
    shown = ranked.select(
        pl.col("rank").alias("#"),
        pl.col("external_order_id").alias("order"),
        pl.col("warehouse_id").alias("from"),
        pl.col("stage").str.replace("to_", ""),
        pl.col("deadline").dt.strftime("%m-%d %H:%M"),
        pl.col("slack_hours").round(1).alias("slack h"),
    )
    print_frame(shown, "Orders at risk of a late dispatch, most urgent first")
    if ranked.height:
        console.print(f"Most at risk: {ranked['reason'][0]}", highlight=False)
