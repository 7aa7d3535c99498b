"""``shopops orders promise``: the delivery options a buyer would see at checkout."""

from __future__ import annotations

import datetime as dt
from typing import Annotated

import polars as pl
import typer

from shopops.cli.console import console, fail
from shopops.cli.render import print_frame
from shopops.errors import ShopOpsError
from shopops.services.promising import PromiseReferenceCache, PromiseRequest, promise_delivery


def promise(
    ctx: typer.Context,
    lines: Annotated[
        list[str], typer.Argument(help="Cart lines as SKU=QUANTITY (SKU alone: 1 unit).")
    ],
    region: Annotated[str, typer.Option(help="Destination region id.")],
    at: Annotated[
        dt.datetime | None,
        typer.Option(
            formats=["%Y-%m-%dT%H:%M", "%Y-%m-%d %H:%M"], help="Order time, UTC (default: now)."
        ),
    ] = None,
) -> None:
    """Promise delivery for a cart: each service's date and cost, fastest first."""
    from shopops.cli.app import build_app

    try:
        request = PromiseRequest(region, [_line(text) for text in lines])
    except ValueError as error:
        raise fail(str(error)) from error
    application = build_app(ctx)
    try:
        result = promise_delivery(
            request, application.unit_of_work(), cache=PromiseReferenceCache(), now=at
        )
    except ShopOpsError as error:
        raise fail(str(error)) from error
    if result.reason is not None:
        console.print(f"No delivery option: {result.reason}.", highlight=False)
        return
    shown = result.options.select(
        "service_id",
        "delivery_date",
        "ship_date",
        "parcels",
        pl.col("ship_from").list.unique(maintain_order=True).list.join(", "),
        pl.col("cost_usd").map_elements(lambda usd: f"{usd:.2f}", return_dtype=pl.String),
    )
    print_frame(shown, f"Delivery to {region}")


def _line(text: str) -> tuple[str, int]:
    """``SKU=QUANTITY`` (or ``SKU``) as a cart line."""
    sku_id, _, quantity = text.partition("=")
    if not sku_id.strip():
        raise ValueError(f"cart line {text!r}: no SKU; expected SKU=QUANTITY")
    if not quantity:
        return sku_id.strip(), 1
    if not quantity.strip().isdigit() or int(quantity) < 1:
        raise ValueError(f"cart line {text!r}: quantity {quantity!r}; expected a whole number >= 1")
    return sku_id.strip(), int(quantity)
