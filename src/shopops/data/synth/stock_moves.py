"""Stock movements outside orders and receipts: opening balances, transfers, cycle counts."""

from __future__ import annotations

import numpy as np
import polars as pl

from shopops.data.schemas import STOCK_TRANSFERS
from shopops.data.synth.columns import US_PER_HOUR, dates
from shopops.data.synth.ledger import Arrival, Movements
from shopops.data.synth.purchasing import policy_levels
from shopops.data.synth.state import SimulationState
from shopops.domain.inventory import MovementReference, MovementType
from shopops.domain.params import PlanParams

SURPLUS_COVER_DAYS = 60.0
SHORT_COVER_DAYS = 7.0
TRANSFER_COVER_DAYS = 28.0
COUNTED_SHARE = 0.001
"""Share of SKU x warehouse bins counted per day."""


def opening_balances(state: SimulationState) -> Movements:
    """Stock on the first morning: between the reorder point and the order-up-to level."""
    world = state.world
    pairs = np.flatnonzero(world.stocked.reshape(-1))
    _, reorder, up_to = policy_levels(world, 0, pairs)
    units = np.round(reorder + state.rng.random(len(pairs)) * (up_to - reorder)).astype(np.int64)
    state.on_hand.reshape(-1)[pairs] = units
    n_wh = world.network.size
    return Movements.of(
        MovementType.ADJUSTMENT,
        MovementReference.OPENING_BALANCE,
        sku=pairs // n_wh,
        warehouse=pairs % n_wh,
        quantity=units,
        moved_at_us=np.full(len(pairs), state.day_start_us(0)),
    )


def plan_transfers(state: SimulationState, day: int) -> Movements:
    """Move surplus of a SKU from the warehouse holding most cover to one about to run out."""
    world, rng = state.world, state.rng
    rate = world.units_per_day * world.demand.life(day)[:, None]
    on_hand, position = state.on_hand, state.on_hand + state.on_order
    usable = world.stocked & (rate > 0)
    cover = np.where(usable, on_hand / np.maximum(rate, 1e-9), -np.inf)
    shortage = np.where(usable, position / np.maximum(rate, 1e-9), np.inf)
    source, target = cover.argmax(axis=1), shortage.argmin(axis=1)
    rows = np.arange(len(source))
    candidate = (
        (cover[rows, source] > SURPLUS_COVER_DAYS)
        & (shortage[rows, target] < SHORT_COVER_DAYS)
        & (source != target)
        & (on_hand[rows, source] >= 4)
    )
    limit = max(1, len(source) // 200)
    sku = np.flatnonzero(candidate)
    sku = sku[np.argsort(shortage[sku, target[sku]], kind="stable")[:limit]]
    src, dst = source[sku], target[sku]
    units = np.minimum(on_hand[sku, src] // 2, np.ceil(rate[sku, dst] * TRANSFER_COVER_DAYS))
    units = np.maximum(units, 1).astype(np.int64)
    transfer_id = state.take_ids("transfer", len(sku))
    on_hand[sku, src] -= units
    state.on_order[sku, dst] += units
    arrival = Arrival(
        MovementType.TRANSFER, MovementReference.TRANSFER, sku, dst, units, units, transfer_id
    )
    state.inbound.add_by_day(day + world.network.transfer_days[src, dst], arrival, state.last_day)
    departs = state.day_start_us(day) + rng.integers(12 * US_PER_HOUR, 14 * US_PER_HOUR, len(sku))
    state.add("stock_transfers", _transfer_rows(state, day, transfer_id, sku, src, dst, units))
    return Movements.of(
        MovementType.TRANSFER,
        MovementReference.TRANSFER,
        sku=sku,
        warehouse=src,
        quantity=-units,
        moved_at_us=departs,
        reference_id=transfer_id,
    )


def _transfer_rows(
    state: SimulationState,
    day: int,
    transfer_id: np.ndarray,
    sku: np.ndarray,
    src: np.ndarray,
    dst: np.ndarray,
    units: np.ndarray,
) -> pl.DataFrame:
    """``stock_transfers`` rows of the day's moves, costed at the default transfer rates."""
    world = state.world
    costs = PlanParams()
    kg_100km = world.catalog.weight_kg[sku] * world.network.road_km[src, dst] / 100.0
    per_unit = (
        costs.transfer_handling_usd_per_unit + costs.transfer_cost_usd_per_kg_100km * kg_100km
    )
    arrived = day + world.network.transfer_days[src, dst] <= state.last_day
    ids = world.network.warehouse_ids
    frame = pl.DataFrame(
        {
            "transfer_id": transfer_id,
            "run_id": pl.Series([None] * len(sku), dtype=pl.Int64),
            "sku_id": world.catalog.sku_ids.gather(sku),
            "from_warehouse_id": ids.gather(src),
            "to_warehouse_id": ids.gather(dst),
            "quantity_units": units,
            "status": np.where(arrived, "received", "shipped"),
            "proposed_date": dates(np.full(len(sku), state.first_day + day)),
            "transfer_cost_usd": np.round(units * per_unit, 2),
            "shipping_saved_usd": np.zeros(len(sku)),
            "explanation": pl.Series(["cover for a warehouse about to run out"] * len(sku)),
        }
    )
    return STOCK_TRANSFERS.conform(frame)


def count_cycles(state: SimulationState, day: int) -> Movements:
    """Count a few bins: most differences are small losses, some small finds."""
    rng = state.rng
    flat = state.on_hand.reshape(-1)
    n = max(1, round(flat.size * COUNTED_SHARE))
    pairs = np.unique(rng.integers(0, flat.size, n))
    pairs = pairs[flat[pairs] > 0]
    size = rng.geometric(0.6, len(pairs))
    loss = rng.random(len(pairs)) < 0.65
    delta = np.where(loss, -np.minimum(flat[pairs], size), size)
    flat[pairs] += delta
    n_wh = state.world.network.size
    at = state.day_start_us(day) + rng.integers(19 * US_PER_HOUR, 22 * US_PER_HOUR, len(pairs))
    return Movements.of(
        MovementType.ADJUSTMENT,
        MovementReference.CYCLE_COUNT,
        sku=pairs // n_wh,
        warehouse=pairs % n_wh,
        quantity=delta,
        moved_at_us=at,
        reference_id=state.take_ids("count", len(pairs)),
    )
