"""Turning the simulation's arrays into rows of the data model's tables."""

from __future__ import annotations

import datetime as dt

import numpy as np
import polars as pl

from shopops.data.schemas import (
    ORDER_LINES,
    ORDERS,
    PURCHASE_ORDER_LINES,
    PURCHASE_ORDERS,
    RETURNS,
    SHIPMENT_EVENTS,
    SHIPMENTS,
)
from shopops.data.synth.columns import dates, datetimes, epoch_day, numbered, pick
from shopops.data.synth.demand import CHANNELS
from shopops.data.synth.orders import DayOrders
from shopops.data.synth.purchasing import PurchaseLines
from shopops.data.synth.returns import DISPOSITIONS, GRADES, REASONS, STATUSES, Returns
from shopops.data.synth.shipping import CARTON_CODES, SHIPMENT_STATUSES, Shipments
from shopops.data.synth.world import World

ORDER_STATUSES = ("open", "allocated", "partially_shipped", "shipped", "delivered", "cancelled")
LINE_STATUSES = ("open", "reserved", "picked", "shipped", "cancelled")
CANCEL_REASONS = ("customer", "stockout", "fraud", "other")
PO_STATUSES = (
    "proposed",
    "approved",
    "sent",
    "confirmed",
    "partially_received",
    "received",
    "cancelled",
    "closed",
)
EXTERNAL_ID_MULTIPLIER = 7_919_311
"""Odd and not a multiple of 5, so tracking numbers ``id * m + c`` are unique modulo 10**12."""
EXTERNAL_ID_SEQUENCE_BITS = 20
"""Marketplace order ids are time-ordered: the second of the order, then 20 bits of sequence.

Orders of one second have nearly consecutive numbers, far fewer than 2**20 apart, so
the ids are unique."""
EXTERNAL_ID_BASE = 5 * 10**17
"""Marketplace order ids are 18 digits starting with 5."""


def orders_frame(
    world: World,
    orders: DayOrders,
    *,
    status: np.ndarray,
    dispatch_day: np.ndarray,
    delivery_day: np.ndarray,
    customer: np.ndarray,
    id_clock_offset_s: int,
) -> pl.DataFrame:
    """``orders`` rows; ``customer`` is a number per buyer within the region, -1 for guests.

    External ids come from the marketplace's id clock: the order time in seconds plus
    ``id_clock_offset_s``, then the order's sequence number.
    """
    seconds = orders.ordered_at_us // 1_000_000 + id_clock_offset_s
    sequence = orders.order_id % (1 << EXTERNAL_ID_SEQUENCE_BITS)
    external = EXTERNAL_ID_BASE + ((seconds << EXTERNAL_ID_SEQUENCE_BITS) | sequence)
    region = pick(world.network.region_ids, orders.region)
    customer_code = numbered("", np.maximum(customer, 0), 7)
    frame = pl.DataFrame(
        {
            "order_id": orders.order_id,
            "external_order_id": numbered("", external, 18),
            "channel": pick(CHANNELS, orders.channel),
            "ordered_at": datetimes(orders.ordered_at_us),
            "region_id": region,
            "customer_id": pl.select(
                pl.when(pl.Series(customer >= 0))
                .then(pl.lit("C-") + region + pl.lit("-") + customer_code)
                .otherwise(None)
            ).to_series(),
            "status": pick(ORDER_STATUSES, status),
            "promised_dispatch_date": dates(dispatch_day),
            "promised_delivery_date": dates(delivery_day),
            "event_id": pick(world.calendar.event_ids, orders.event),
        }
    )
    return ORDERS.conform(frame)


def lines_frame(
    world: World,
    orders: DayOrders,
    *,
    status: np.ndarray,
    warehouse: np.ndarray,
    shipment_id: np.ndarray,
    cancel_reason: np.ndarray,
) -> pl.DataFrame:
    """``order_lines`` rows; -1 in ``warehouse``, ``shipment_id``, ``cancel_reason`` is null."""
    shipment = pl.Series(shipment_id)
    frame = pl.DataFrame(
        {
            "order_id": orders.order_id[orders.line_order],
            "line_no": orders.line_no,
            "sku_id": world.catalog.sku_ids.gather(orders.sku),
            "quantity_units": orders.quantity,
            "unit_price_usd": orders.unit_price_usd,
            "status": pick(LINE_STATUSES, status),
            "warehouse_id": pick(world.network.warehouse_ids, warehouse),
            "shipment_id": shipment.set(shipment < 0, None),
            "cancel_reason": pick(CANCEL_REASONS, cancel_reason),
        }
    )
    return ORDER_LINES.conform(frame)


def shipments_frame(
    world: World, shipments: Shipments, shipment_id: np.ndarray, order_id: np.ndarray
) -> pl.DataFrame:
    """``shipments`` rows; timestamps of -1 (not happened yet) are null."""
    carriers = world.network.carriers
    shipped = shipments.shipped_us >= 0
    tracking = numbered("", (shipment_id * EXTERNAL_ID_MULTIPLIER + 12_345) % 10**12, 12)
    prefix = carriers.tracking_prefix.gather(shipments.service)
    frame = pl.DataFrame(
        {
            "shipment_id": shipment_id,
            "order_id": order_id,
            "warehouse_id": world.network.warehouse_ids.gather(shipments.warehouse),
            "service_id": carriers.service_ids.gather(shipments.service),
            "status": pick(SHIPMENT_STATUSES, shipments.status),
            "carton_code": pick(CARTON_CODES, shipments.carton),
            "weight_kg": shipments.weight_kg,
            "billable_weight_kg": shipments.billable_kg,
            "zone": shipments.zone,
            "shipping_cost_usd": shipments.cost_usd,
            "tracking_number": (prefix + tracking).set(pl.Series(~shipped), None),
            "created_at": datetimes(shipments.created_us),
            "picked_at": datetimes(shipments.picked_us, null_if_negative=True),
            "packed_at": datetimes(shipments.packed_us, null_if_negative=True),
            "shipped_at": datetimes(shipments.shipped_us, null_if_negative=True),
            "delivered_at": datetimes(shipments.delivered_us, null_if_negative=True),
        }
    )
    return SHIPMENTS.conform(frame)


SHIPMENT_STEPS = (
    # from status, to status, timestamp column, hours after it
    (None, "picking", "created_at", 0),
    ("picking", "packed", "packed_at", 0),
    ("packed", "shipped", "shipped_at", 0),
    ("shipped", "in_transit", "shipped_at", 4),
    ("in_transit", "exception", "shipped_at", 24),
    ("in_transit", "delivered", "delivered_at", 0),
)
STEP_ORDER = {after: k for k, (_, after, _, _) in enumerate(SHIPMENT_STEPS)}
EXCEPTION_NOTES = ("address not found", "damaged in transit", "held at depot", "missed scan")


def shipment_events_frame(shipments: pl.DataFrame, first_event_id: int) -> pl.DataFrame:
    """``shipment_events`` rows: one per status change the shipments' timestamps record.

    A parcel is in transit from its first hub scan, four hours after carrier pick-up (at
    delivery if that came first); an exception is reported a day after pick-up.
    """
    excepted = pl.col("status") == "exception"
    steps = []
    for before, after, column, hours in SHIPMENT_STEPS:
        happened = pl.col(column).is_not_null() & (excepted if after == "exception" else True)
        at = pl.col(column) + pl.duration(hours=hours)
        if after == "in_transit":
            at = pl.min_horizontal(at, pl.col("delivered_at").fill_null(at))
        note = (
            (pl.col("shipment_id") % len(EXCEPTION_NOTES)).replace_strict(
                dict(enumerate(EXCEPTION_NOTES)), return_dtype=pl.String
            )
            if after == "exception"
            else pl.lit(None, pl.String)
        )
        steps.append(
            shipments.filter(happened).select(
                "shipment_id",
                pl.lit(before, pl.String).alias("from_status"),
                pl.lit(after).alias("to_status"),
                at.alias("changed_at"),
                pl.lit("warehouse" if after in ("picking", "packed") else "carrier feed").alias(
                    "changed_by"
                ),
                note.alias("note"),
                pl.lit(STEP_ORDER[after]).alias("step"),
            )
        )
    events = pl.concat(steps).sort("shipment_id", "step")
    frame = events.with_columns(
        pl.int_range(first_event_id, first_event_id + events.height).alias("event_id")
    )
    return SHIPMENT_EVENTS.conform(frame)


def purchase_frames(
    world: World,
    lines: PurchaseLines,
    *,
    po_id: np.ndarray,
    status: np.ndarray,
    ordered_day: int,
    created_us: np.ndarray,
    created_by: np.ndarray,
    cancelled_units: np.ndarray,
) -> tuple[pl.DataFrame, pl.DataFrame]:
    """``purchase_orders`` (one per PO, from its first line) and ``purchase_order_lines``."""
    start = world.config.start_date
    first = np.flatnonzero(np.r_[True, lines.po[1:] != lines.po[:-1]])
    year = (start + dt.timedelta(days=ordered_day)).year
    book = world.book
    headers = pl.DataFrame(
        {
            "po_id": po_id,
            "po_number": numbered(f"PO-{year}-", po_id, 7),
            "supplier_id": book.supplier_ids.gather(lines.supplier[first]),
            "warehouse_id": world.network.warehouse_ids.gather(lines.warehouse[first]),
            "status": pick(PO_STATUSES, status),
            "currency_code": book.currency[lines.sku[first]],
            "incoterm": book.incoterm[lines.sku[first]],
            "ordered_date": dates(np.full(len(first), epoch_day(start) + ordered_day)),
            "created_at": datetimes(created_us),
            "created_by": created_by,
        }
    )
    rows = pl.DataFrame(
        {
            "po_id": po_id[lines.po],
            "line_no": _line_numbers(lines.po),
            "sku_id": book.sku_ids.gather(lines.sku),
            "quantity_units": lines.quantity,
            "unit_price": lines.unit_price,
            "expected_date": dates(epoch_day(start) + lines.expected_day),
            "cancelled_units": cancelled_units,
        }
    )
    return PURCHASE_ORDERS.conform(headers), PURCHASE_ORDER_LINES.conform(rows)


def returns_frame(
    world: World,
    returns: Returns,
    *,
    return_id: np.ndarray,
    order_id: np.ndarray,
    line_no: np.ndarray,
    warehouse: np.ndarray,
) -> pl.DataFrame:
    """``returns`` rows; the warehouse is known once the parcel has arrived."""
    arrived = returns.received_day >= 0
    frame = pl.DataFrame(
        {
            "return_id": return_id,
            "rma_number": numbered("RMA-", return_id, 9),
            "order_id": order_id,
            "line_no": line_no,
            "quantity_units": returns.quantity,
            "reason": pick(REASONS, returns.reason),
            "status": pick(STATUSES, returns.status),
            "requested_date": dates(returns.requested_day),
            "received_date": dates(returns.received_day, null_if_negative=True),
            "warehouse_id": pick(world.network.warehouse_ids, np.where(arrived, warehouse, -1)),
            "condition_grade": pick(GRADES, returns.grade),
            "disposition": pick(DISPOSITIONS, returns.disposition),
            "refund_usd": returns.refund_usd,
            "recovered_value_usd": pl.Series([None] * len(return_id), dtype=pl.Float64),
        }
    )
    return RETURNS.conform(frame)


def _line_numbers(group: np.ndarray) -> np.ndarray:
    """Line numbers 1, 2, 3... within each run of equal values in sorted ``group``."""
    starts = np.r_[True, group[1:] != group[:-1]] if len(group) else np.zeros(0, bool)
    position = np.arange(len(group))
    return position - np.maximum.accumulate(np.where(starts, position, 0)) + 1
