"""The steps of one simulated day: stock arrives, orders are served, stock is reordered."""

from __future__ import annotations

import numpy as np
import polars as pl

from shopops.data.synth import fulfillment
from shopops.data.synth.allocation import promised_days
from shopops.data.synth.columns import US_PER_DAY, US_PER_HOUR, US_PER_MINUTE, dates
from shopops.data.synth.ledger import Arrival, Inbound, Movements, inbound_times, receipts_frame
from shopops.data.synth.orders import build_orders
from shopops.data.synth.po_documents import invoice_frames, po_events, receipt_references
from shopops.data.synth.purchasing import PurchaseLines, place, review
from shopops.data.synth.records import PO_STATUSES, lines_frame, orders_frame, purchase_frames
from shopops.data.synth.state import SimulationState
from shopops.domain.inventory import MovementReference, MovementType

GUEST_SHARE = 0.03
CUSTOMERS_PER_ORDER = 0.4
"""Distinct buyers per order in a region over the history: repeat buyers are common."""
RECENTLY_RECEIVED_DAYS = 30
BUYERS = ("j.alvarez", "m.chen", "s.okafor", "r.patel", "k.nguyen")


def receive(state: SimulationState, day: int) -> None:
    """Book the stock due today: receipts (with their receipt rows), returns, transfers."""
    for arrival in state.inbound.pop(day):
        book_arrival(state, day, arrival, state.rng, state.paper_rng)
        pairs = arrival.sku * state.world.network.size + arrival.warehouse
        np.add.at(state.on_hand.reshape(-1), pairs, arrival.accepted)
        np.subtract.at(state.on_order.reshape(-1), pairs, arrival.on_order_release)


def book_arrival(
    state: SimulationState,
    day: int,
    arrival: Arrival,
    rng: np.random.Generator,
    paper_rng: np.random.Generator,
) -> None:
    """The rows of an arrival: its ledger movements and, for receipts, the receipt rows
    and the supplier's invoices; booking times from ``rng``, invoice slips from ``paper_rng``."""
    n = len(arrival.sku)
    reference_id = arrival.reference_id
    if arrival.receipt is not None:
        reference_id = state.take_ids("receipt", n)
        rows: dict[str, np.ndarray | pl.Series] = {
            "receipt_id": reference_id,
            **arrival.receipt,
        }
        rows["received_date"] = dates(np.full(n, state.first_day + day))
        rows["receipt_reference"] = receipt_references(reference_id)
        state.add("receipts", receipts_frame(rows))
        _invoice(state, day, reference_id, arrival.receipt, paper_rng)
    state.move(
        Movements.of(
            arrival.kind,
            arrival.reference,
            sku=arrival.sku,
            warehouse=arrival.warehouse,
            quantity=arrival.accepted,
            moved_at_us=inbound_times(rng, state.day_start_us(day), n),
            reference_id=reference_id,
        )
    )


def _invoice(
    state: SimulationState,
    day: int,
    receipt_id: np.ndarray,
    receipt: dict[str, np.ndarray],
    rng: np.random.Generator,
) -> None:
    """The suppliers' invoices for today's receipts."""
    book = state.world.book
    headers, lines = invoice_frames(
        rng,
        lambda n: state.take_ids("invoice", n),
        {"receipt_id": receipt_id, **receipt},
        book.supplier_ids.gather(receipt["supplier"]),
        pl.Series(book.currency[receipt["sku"]], dtype=pl.String),
        state.first_day + day,
    )
    state.add("supplier_invoices", headers)
    state.add("supplier_invoice_lines", lines)


def trade(state: SimulationState, day: int) -> None:
    """The day's orders: served from stock, or left open in the last days of the history."""
    world, rng = state.world, state.rng
    demand = world.demand.day(day, rng)
    orders = build_orders(
        demand,
        day_start_us=state.day_start_us(day),
        first_order_id=state.next_id["order"],
        lines_per_order=world.config.lines_per_order,
        flash_day=bool(world.calendar.flash_leaf[day] >= 0),
        rng=rng,
    )
    state.take_ids("order", orders.n_orders)
    network = world.network
    dispatch, delivery = promised_days(
        state.first_day + day,
        orders.line_order,
        orders.sku,
        orders.region,
        world.stocked,
        network.zone,
        network.rank,
    )
    if day >= world.config.days - world.config.open_order_days:
        outcome = fulfillment.leave_open(orders)
    else:
        outcome = fulfillment.fulfil(state, day, orders, delivery)
    state.add(
        "orders",
        orders_frame(
            world,
            orders,
            status=outcome.order_status,
            dispatch_day=dispatch,
            delivery_day=delivery,
            customer=_customers(state, orders.region),
            id_clock_offset_s=state.id_clock_offset_s,
        ),
    )
    state.add(
        "order_lines",
        lines_frame(
            world,
            orders,
            status=outcome.line_status,
            warehouse=outcome.line_warehouse,
            shipment_id=outcome.line_shipment_id,
            cancel_reason=outcome.cancel_reason,
        ),
    )


def _customers(state: SimulationState, region: np.ndarray) -> np.ndarray:
    """Buyer number within the region (a skewed draw, so some buy often); -1 for guests."""
    world = state.world
    share = world.network.population / world.network.population.sum()
    expected_orders = world.config.skus * world.config.order_lines_per_sku_day * world.config.days
    pool = np.maximum(
        50, expected_orders / world.config.lines_per_order * share * CUSTOMERS_PER_ORDER
    ).astype(np.int64)
    u = state.rng.random(len(region))
    number = (pool[region] * u**1.5).astype(np.int64)
    return np.where(state.rng.random(len(region)) < GUEST_SHARE, -1, number)


def replenish(state: SimulationState, day: int) -> None:
    """Weekly review of today's suppliers: raise POs and schedule their deliveries."""
    world = state.world
    wanted = review(world, day, state.on_hand, state.on_order)
    if wanted.shape[1] == 0:
        return
    lines = place(world, day, wanted, state.rng)
    live = ~lines.cancelled_po
    pairs = lines.sku * world.network.size + lines.warehouse
    np.add.at(state.on_order.reshape(-1), pairs[live], lines.quantity[live])
    record_purchase(state, day, lines, state.rng, state.inbound)


def record_purchase(
    state: SimulationState,
    day: int,
    lines: PurchaseLines,
    rng: np.random.Generator,
    inbound: Inbound,
) -> None:
    """The POs of ``lines`` placed today: headers, lines and status history, their spend,
    and their deliveries due into ``inbound``; who raised them and when from ``rng``."""
    world = state.world
    starts = np.flatnonzero(np.r_[True, lines.po[1:] != lines.po[:-1]])
    po_id = state.take_ids("po", len(starts))
    status, cancelled_units = _po_status(state, day, lines, starts)
    by_buyer = rng.random(len(starts)) < 0.1
    created_us = (
        state.day_start_us(day)
        + np.where(by_buyer, rng.integers(14, 22, len(starts)), rng.integers(2, 4, len(starts)))
        * US_PER_HOUR
        + rng.integers(0, 60, len(starts)) * US_PER_MINUTE
    )
    created_by = np.where(
        by_buyer, np.array(BUYERS)[rng.integers(0, len(BUYERS), len(starts))], "auto-replenishment"
    )
    headers, rows = purchase_frames(
        world,
        lines,
        po_id=po_id,
        status=status,
        ordered_day=day,
        created_us=created_us,
        created_by=created_by,
        cancelled_units=cancelled_units,
    )
    state.add("purchase_orders", headers)
    state.add("purchase_order_lines", rows)
    state.add("purchase_order_events", _events(state, lines, starts, po_id, status, headers))
    live = ~lines.cancelled_po
    usd_per_unit = world.book.usd_per_unit[lines.sku[live]]
    state.spend.add(
        day, lines.sku[live], lines.quantity[live] * lines.unit_price[live] * usd_per_unit
    )
    _schedule_receipts(state, lines, po_id, rows["line_no"].to_numpy(), rng, inbound)


def _events(
    state: SimulationState,
    lines: PurchaseLines,
    starts: np.ndarray,
    po_id: np.ndarray,
    status: np.ndarray,
    headers: pl.DataFrame,
) -> pl.DataFrame:
    """Status history of the POs placed today, receipts included."""
    arrived = np.where(lines.first_day >= 0, lines.first_day, np.iinfo(np.int64).max)
    first = np.minimum.reduceat(arrived, starts)
    last = np.maximum.reduceat(np.maximum(lines.first_day, lines.second_day), starts)
    receipt_hour = 10 * US_PER_HOUR
    first_us = np.where(
        first <= state.last_day, state.day_start_us(0) + first * US_PER_DAY + receipt_hour, -1
    )
    last_us = np.where(last >= 0, state.day_start_us(0) + last * US_PER_DAY + receipt_hour, -1)
    return po_events(
        lambda n: state.take_ids("po_event", n),
        po_id,
        np.array(PO_STATUSES)[status],
        headers["created_at"].dt.epoch("us").to_numpy(),
        headers["created_by"].to_numpy(),
        first_us,
        last_us,
    )


def _po_status(
    state: SimulationState, day: int, lines: PurchaseLines, starts: np.ndarray
) -> tuple[np.ndarray, np.ndarray]:
    """Each PO's status at the end of the history, and each line's cancelled units."""
    last = state.last_day
    got_first = lines.first_day <= last
    complete = got_first & ((lines.second_day < 0) | (lines.second_day <= last))
    final = np.maximum(lines.first_day, lines.second_day)
    all_complete = np.minimum.reduceat(complete, starts)
    any_received = np.maximum.reduceat(got_first, starts)
    recent = np.maximum.reduceat(final, starts) >= last - RECENTLY_RECEIVED_DAYS
    cancelled = lines.cancelled_po[starts]
    status = np.select(
        [cancelled, all_complete & recent, all_complete, any_received, day >= last - 1],
        [
            PO_STATUSES.index(s)
            for s in ("cancelled", "received", "closed", "partially_received", "sent")
        ],
        PO_STATUSES.index("confirmed"),
    )
    cancelled_units = np.where(
        lines.cancelled_po, lines.quantity, np.where(got_first, lines.short_cancelled, 0)
    )
    return status, cancelled_units


def _schedule_receipts(
    state: SimulationState,
    lines: PurchaseLines,
    po_id: np.ndarray,
    line_no: np.ndarray,
    rng: np.random.Generator,
    inbound: Inbound,
) -> None:
    """Deliveries of the POs that were not cancelled: the first, and a backorder if any."""
    defect = state.world.book.defect_rate[lines.supplier] / 2
    live = ~lines.cancelled_po
    deliveries = (
        (lines.first_day, lines.first_units, lines.first_units + lines.short_cancelled),
        (lines.second_day, lines.second_units, lines.second_units),
    )
    for arrival_day, units, release in deliveries:
        rows = np.flatnonzero(live & (arrival_day >= 0) & (units > 0))
        damaged = rng.binomial(units[rows], defect[rows])
        rejected = rng.binomial(units[rows] - damaged, defect[rows])
        receipt = {
            "sku": lines.sku[rows],
            "supplier": lines.supplier[rows],
            "unit_price": lines.unit_price[rows],
            "po_id": po_id[lines.po[rows]],
            "line_no": line_no[rows],
            "received_units": units[rows],
            "damaged_units": damaged,
            "rejected_units": rejected,
        }
        arrival = Arrival(
            MovementType.RECEIPT,
            MovementReference.RECEIPT,
            lines.sku[rows],
            lines.warehouse[rows],
            units[rows] - damaged - rejected,
            release[rows],
            np.full(len(rows), -1),
            receipt,
        )
        inbound.add_by_day(arrival_day[rows], arrival, state.last_day)
