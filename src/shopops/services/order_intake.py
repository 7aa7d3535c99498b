"""The checks an order passes before it is stored, and the dates it is promised.

:func:`check_order` gathers every problem of an order (its own fields, then the codes
it names, then its dates) and raises them together, or returns the promised dispatch and
delivery dates (:mod:`shopops.planning.order_dates`). What does not change from order to
order (parameters, cut-off hours, rate cards) is read once per transaction into an
:class:`IntakeContext`, so an import of many orders reads it once.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

import sqlalchemy as sa

from shopops.domain.ordering import FieldProblem, InvalidOrderError, PlaceOrder
from shopops.domain.params import PlanParams
from shopops.planning.fulfillment.rates import RateTable
from shopops.planning.order_dates import (
    business_days_after,
    cheapest_transit_days,
    promised_dispatch_date,
)
from shopops.store import orders as store
from shopops.store.frames import FrameStore
from shopops.store.snapshot import load_plan_params
from shopops.store.stock import available_stock

_NO_CUTOFF = 24
"""Cut-off hour used when there is no warehouse: every order counts from its own day."""


@dataclass(frozen=True)
class IntakeContext:
    """What promising dates needs besides the order: parameters, cut-offs and carriers."""

    params: PlanParams
    latest_cutoff_hour: int
    rates: RateTable
    service_levels: dict[str, str]

    @classmethod
    def load(cls, frames: FrameStore) -> IntakeContext:
        conn = frames.connection
        cutoff = store.latest_cutoff_hour(conn)
        return cls(
            params=load_plan_params(frames),
            latest_cutoff_hour=_NO_CUTOFF if cutoff is None else cutoff,
            rates=RateTable.from_frames(*store.rate_frames(conn)),
            service_levels=store.service_levels(conn),
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
                    f"no standard or economy service delivers to region {command.region_id}; "
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
    """Dispatch plus the transit days from the warehouse that would ship the order.

    That is the nearest warehouse whose available stock covers every line, or the
    nearest one when none does.
    """
    zones = store.zones_by_distance(conn, [command.region_id])
    if zones.is_empty():
        return None
    skus = sorted({line.sku_id for line in command.lines})
    stock = available_stock(conn, skus)
    available = {
        (sku, warehouse): units
        for sku, warehouse, units in stock.select(
            "sku_id", "warehouse_id", "available_units"
        ).iter_rows()
    }
    nearest = zones.row(0, named=True)
    for zone in zones.iter_rows(named=True):
        if all(
            available.get((line.sku_id, zone["warehouse_id"]), 0) >= line.quantity_units
            for line in command.lines
        ):
            nearest = zone
            break
    parcels = store.sku_parcels(conn, skus)
    weight = sum(parcels[x.sku_id][0] * x.quantity_units for x in command.lines)
    volume = sum(parcels[x.sku_id][1] * x.quantity_units for x in command.lines)
    transit = cheapest_transit_days(
        context.rates, context.service_levels, int(nearest["zone"]), weight, volume
    )
    if transit is None:
        return None
    return business_days_after(dispatch, transit)
