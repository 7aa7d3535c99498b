"""Serving one day's orders: cancellations, allocation, shipments, picks and returns."""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np
import polars as pl

from shopops.data.synth import shipping
from shopops.data.synth.allocation import allocate
from shopops.data.synth.columns import US_PER_DAY
from shopops.data.synth.ledger import Arrival, Movements
from shopops.data.synth.orders import DayOrders
from shopops.data.synth.records import (
    CANCEL_REASONS,
    LINE_STATUSES,
    ORDER_STATUSES,
    returns_frame,
    shipment_events_frame,
    shipments_frame,
)
from shopops.data.synth.returns import draw_returns
from shopops.data.synth.state import SimulationState
from shopops.domain.inventory import MovementReference, MovementType

FRAUD_RATE = 0.002
_DELIVERED = shipping.SHIPMENT_STATUSES.index("delivered")


@dataclass(frozen=True)
class Outcome:
    """What became of a day's orders and lines by the end of the history."""

    order_status: np.ndarray
    line_status: np.ndarray
    line_warehouse: np.ndarray  # -1: none
    line_shipment_id: np.ndarray  # -1: none
    cancel_reason: np.ndarray  # -1: not cancelled


def leave_open(orders: DayOrders) -> Outcome:
    """Orders of the last days: still open, nothing reserved."""
    n_lines = len(orders.sku)
    none = np.full(n_lines, -1)
    return Outcome(
        order_status=np.full(orders.n_orders, ORDER_STATUSES.index("open")),
        line_status=np.full(n_lines, LINE_STATUSES.index("open")),
        line_warehouse=none,
        line_shipment_id=none,
        cancel_reason=none,
    )


def fulfil(
    state: SimulationState, day: int, orders: DayOrders, promised_delivery: np.ndarray
) -> Outcome:
    """Serve the day's orders from stock and book shipments, picks and returns."""
    world, rng = state.world, state.rng
    u = rng.random(orders.n_orders)
    cancel_rate = world.config.customer_cancel_rate
    by_order = np.select(
        [u < FRAUD_RATE, u < FRAUD_RATE + cancel_rate],
        [CANCEL_REASONS.index("fraud"), CANCEL_REASONS.index("customer")],
        -1,
    )
    cancel = by_order[orders.line_order]
    region = orders.region[orders.line_order]
    warehouse = allocate(
        orders.sku, orders.quantity, region, cancel < 0, state.on_hand, world.network.rank
    )
    cancel = np.where((cancel < 0) & (warehouse < 0), CANCEL_REASONS.index("stockout"), cancel)
    served = np.flatnonzero(warehouse >= 0)
    key = orders.line_order[served] * world.network.size + warehouse[served]
    unique_key, of_line = np.unique(key, return_inverse=True)
    parcels = _ship(state, day, orders, unique_key, of_line, served, promised_delivery)
    shipment_id = state.take_ids("shipment", len(unique_key))
    line_shipment = np.full(len(orders.sku), -1)
    line_shipment[served] = shipment_id[of_line]
    shipments = shipments_frame(world, parcels, shipment_id, orders.order_id[parcels.order_row])
    state.add("shipments", shipments)
    events = shipment_events_frame(shipments, 0)
    first_event = int(state.take_ids("shipment_event", events.height)[0]) if events.height else 1
    state.add("shipment_events", events.with_columns(pl.col("event_id") + first_event))
    line_status = _line_status(cancel, served, of_line, parcels)
    _pick(state, orders, served, warehouse, parcels, of_line, shipment_id)
    _returns(state, orders, served, warehouse, parcels, of_line)
    return Outcome(
        order_status=_order_status(orders, line_status, served, of_line, parcels),
        line_status=line_status,
        line_warehouse=warehouse,
        line_shipment_id=line_shipment,
        cancel_reason=cancel,
    )


def _ship(
    state: SimulationState,
    day: int,
    orders: DayOrders,
    unique_key: np.ndarray,
    of_line: np.ndarray,
    served: np.ndarray,
    promised_delivery: np.ndarray,
) -> shipping.Shipments:
    """Shipments (one per order and warehouse) with cartons, services, costs and times."""
    world, rng = state.world, state.rng
    network = world.network
    order_row, warehouse = unique_key // network.size, unique_key % network.size
    carton, contents_kg, contents_cm3 = shipping.pack(
        world.catalog, of_line, orders.sku[served], orders.quantity[served], len(unique_key)
    )
    created, picked, packed, shipped, ship_day = shipping.times(
        rng,
        orders.ordered_at_us[order_row],
        state.day_start_us(day),
        network.cutoff_hour[warehouse],
    )
    packed = np.where(packed < state.end_us, packed, -1)
    carton, used = state.packaging.use(day, carton, warehouse, packed)
    state.move(used)
    weight, volume = shipping.packed_size(carton, contents_kg, contents_cm3)
    zone = network.zone[warehouse, orders.region[order_row]]
    service, billable, cost, arrival = shipping.choose_service(
        network.carriers, weight, volume, zone, ship_day, promised_delivery[order_row]
    )
    delivered, lost = shipping.deliveries(rng, arrival, _peak(ship_day))
    end = state.end_us
    delivered = np.where(lost | (delivered >= end), -1, delivered)
    status = np.select(
        [lost & (shipped < end), delivered >= 0, shipped < end, packed >= 0],
        [
            shipping.SHIPMENT_STATUSES.index(s)
            for s in ("exception", "delivered", "in_transit", "packed")
        ],
        shipping.SHIPMENT_STATUSES.index("picking"),
    )
    return shipping.Shipments(
        order_row=order_row,
        warehouse=warehouse,
        service=service,
        carton=carton,
        weight_kg=weight,
        billable_kg=billable,
        zone=zone,
        cost_usd=cost,
        created_us=created,
        picked_us=np.where(picked < end, picked, -1),
        packed_us=packed,
        shipped_us=np.where(shipped < end, shipped, -1),
        delivered_us=delivered,
        status=status,
    )


def _peak(ship_day: np.ndarray) -> np.ndarray:
    """Peak season for carriers: 10 November to 24 December."""
    d = ship_day.astype("datetime64[D]")
    month = d.astype("datetime64[M]").astype(np.int64) % 12 + 1
    day_of_month = (d - d.astype("datetime64[M]")).astype(np.int64) + 1
    peak = ((month == 11) & (day_of_month >= 10)) | ((month == 12) & (day_of_month <= 24))
    return np.asarray(peak)


def _line_status(
    cancel: np.ndarray, served: np.ndarray, of_line: np.ndarray, parcels: shipping.Shipments
) -> np.ndarray:
    status = np.where(cancel >= 0, LINE_STATUSES.index("cancelled"), LINE_STATUSES.index("open"))
    status[served] = np.select(
        [parcels.shipped_us[of_line] >= 0, parcels.picked_us[of_line] >= 0],
        [LINE_STATUSES.index("shipped"), LINE_STATUSES.index("picked")],
        LINE_STATUSES.index("reserved"),
    )
    return status


def _order_status(
    orders: DayOrders,
    line_status: np.ndarray,
    served: np.ndarray,
    of_line: np.ndarray,
    parcels: shipping.Shipments,
) -> np.ndarray:
    """From the lines: all cancelled, all delivered, all shipped, some shipped, or allocated."""
    n = orders.n_orders
    count = np.bincount(orders.line_order, minlength=n)
    cancelled = np.bincount(
        orders.line_order[line_status == LINE_STATUSES.index("cancelled")], minlength=n
    )
    shipped = np.bincount(
        orders.line_order[line_status == LINE_STATUSES.index("shipped")], minlength=n
    )
    arrived = served[parcels.status[of_line] == _DELIVERED]
    delivered = np.bincount(orders.line_order[arrived], minlength=n)
    kept = count - cancelled
    return np.asarray(
        np.select(
            [kept == 0, delivered == kept, shipped == kept, shipped > 0],
            [
                ORDER_STATUSES.index(s)
                for s in ("cancelled", "delivered", "shipped", "partially_shipped")
            ],
            ORDER_STATUSES.index("allocated"),
        )
    )


def _pick(
    state: SimulationState,
    orders: DayOrders,
    served: np.ndarray,
    warehouse: np.ndarray,
    parcels: shipping.Shipments,
    of_line: np.ndarray,
    shipment_id: np.ndarray,
) -> None:
    """One pick movement per picked line, at the shipment's pick time."""
    picked = parcels.picked_us[of_line] >= 0
    lines = served[picked]
    state.move(
        Movements.of(
            MovementType.PICK,
            MovementReference.SHIPMENT,
            sku=orders.sku[lines],
            warehouse=warehouse[lines],
            quantity=-orders.quantity[lines],
            moved_at_us=parcels.picked_us[of_line][picked],
            reference_id=shipment_id[of_line][picked],
        )
    )


def _returns(
    state: SimulationState,
    orders: DayOrders,
    served: np.ndarray,
    warehouse: np.ndarray,
    parcels: shipping.Shipments,
    of_line: np.ndarray,
) -> None:
    """Returns of the delivered lines; units put back on the shelf the day after arrival."""
    world = state.world
    sku = orders.sku[served]
    delivered = parcels.delivered_us[of_line]
    found = draw_returns(
        state.rng,
        leaf=world.catalog.leaf[sku],
        propensity=world.return_propensity[sku],
        quantity=orders.quantity[served],
        unit_price_usd=orders.unit_price_usd[served],
        delivered_day=np.where(delivered >= 0, delivered // US_PER_DAY, -1),
        last_day=state.first_day + state.last_day,
    )
    if len(found.line) == 0:
        return
    lines = served[found.line]
    return_id = state.take_ids("return", len(lines))
    state.add(
        "returns",
        returns_frame(
            world,
            found,
            return_id=return_id,
            order_id=orders.order_id[orders.line_order[lines]],
            line_no=orders.line_no[lines],
            warehouse=warehouse[lines],
        ),
    )
    back = found.restocked
    shelf_day = found.received_day[back] + 1 - state.first_day
    arrival = Arrival(
        MovementType.RETURN,
        MovementReference.RETURN,
        orders.sku[lines[back]],
        warehouse[lines[back]],
        found.quantity[back],
        np.zeros(int(back.sum()), dtype=np.int64),
        return_id[back],
    )
    state.inbound.add_by_day(shelf_day, arrival, state.last_day)
