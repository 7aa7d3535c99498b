"""The checks an order passes before it is stored, and the dates it is promised.

:func:`check_order` gathers every problem of an order (its own fields, then the codes
it names, then its dates) and raises them together, or returns the promised dispatch and
delivery dates (:mod:`shopops.planning.order_dates`): the delivery date is the one the
checkout page shows for the order's cheapest option. What does not change from order to
order (parameters, warehouses, lanes, rate cards) is read once per transaction into an
:class:`IntakeContext`, so an import of many orders reads it once; each order then reads
its SKUs' sizes and available stock.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

import polars as pl
import sqlalchemy as sa

from shopops.domain.ordering import FieldProblem, InvalidOrderError, PlaceOrder
from shopops.domain.params import PlanParams
from shopops.planning.fulfillment.rates import RateTable
from shopops.planning.order_dates import (
    promised_delivery_date,
    promised_dispatch_date,
    with_skus,
)
from shopops.planning.promise import PromiseReference, PromiseRules
from shopops.store import orders as store
from shopops.store.frames import FrameStore
from shopops.store.snapshot import load_plan_params
from shopops.store.stock import available_stock

_NO_CUTOFF = 24
"""Cut-off hour used when there is no warehouse: every order counts from its own day."""

_NO_SKUS = pl.DataFrame(
    schema={
        name: pl.Float64() if name != "sku_id" else pl.String()
        for name in ("sku_id", "weight_kg", "length_cm", "width_cm", "height_cm")
    }
)
"""The reference is loaded without SKUs: each order adds its own (:func:`with_skus`)."""


@dataclass(frozen=True)
class IntakeContext:
    """What promising dates needs besides the order: parameters, cut-offs, and what the
    checkout promise is worked out from (warehouses, lanes, rates), to which each order
    adds its SKUs' sizes."""

    params: PlanParams
    latest_cutoff_hour: int
    reference: PromiseReference

    @classmethod
    def load(cls, frames: FrameStore) -> IntakeContext:
        conn = frames.connection
        cutoff = store.latest_cutoff_hour(conn)
        params = load_plan_params(frames)
        reference = PromiseReference.from_frames(
            warehouses=frames.read("warehouses"),
            shipping_zones=frames.read("shipping_zones"),
            skus=_NO_SKUS,
            rates=RateTable.from_frames(*store.rate_frames(conn)),
            rules=PromiseRules(packing_factor=params.packing_volume_factor),
        )
        return cls(
            params=params,
            latest_cutoff_hour=_NO_CUTOFF if cutoff is None else cutoff,
            reference=reference,
        )


def check_order(
    conn: sa.Connection, context: IntakeContext, command: PlaceOrder, now: dt.datetime
) -> tuple[dt.date, dt.date]:
    """The order's promised dispatch and delivery dates, once it passed every check.

    Raises
    ------
    InvalidOrderError
        With every problem found, each naming its field.
    """
    known = store.known_references(
        conn,
        sku_ids=[line.sku_id for line in command.lines],
        region_ids=[command.region_id],
        event_ids=[] if command.event_id is None else [command.event_id],
    )
    problems = command.problems(now) + command.reference_problems(known)
    dispatch = promised_dispatch_date(
        command.ordered_at_utc,
        latest_cutoff_hour=context.latest_cutoff_hour,
        dispatch_business_days=context.params.dispatch_business_days,
    )
    delivery = command.promised_delivery_date
    if delivery is None and not problems:
        delivery = _promised_delivery(conn, context, command, dispatch)
        if delivery is None:
            problems.append(
                FieldProblem(
                    "promised_delivery_date",
                    f"no carrier service delivers this order to region {command.region_id}; "
                    "give the date the buyer was promised",
                )
            )
    elif delivery is not None and delivery < dispatch:
        problems.append(
            FieldProblem(
                "promised_delivery_date",
                f"{delivery} is before the promised dispatch date {dispatch}",
            )
        )
    if problems or delivery is None:
        raise InvalidOrderError(command.external_order_id, problems)
    return dispatch, delivery


def _promised_delivery(
    conn: sa.Connection, context: IntakeContext, command: PlaceOrder, dispatch: dt.date
) -> dt.date | None:
    """The cheapest checkout option's date for the order's lines at ``ordered_at``."""
    skus = sorted({line.sku_id for line in command.lines})
    cart = pl.DataFrame(
        {
            "sku_id": [line.sku_id for line in command.lines],
            "quantity_units": [int(line.quantity_units) for line in command.lines],
        },
        schema={"sku_id": pl.String(), "quantity_units": pl.Int64()},
    )
    return promised_delivery_date(
        cart,
        command.region_id,
        command.ordered_at_utc,
        available_stock(conn, skus),
        with_skus(context.reference, store.sku_parcels(conn, skus)),
        dispatch_date=dispatch,
    )
