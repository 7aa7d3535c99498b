"""Weekly inventory placement: propose stock transfers, then approve or cancel them.

Demand is the units ordered per SKU and destination region over the last
``history_weeks`` weeks (order lines by the orders' region: the stored forecasts are per
warehouse as orders were routed, so they cannot say where the buyers are), scaled to the
``cover_weeks`` ahead. A warehouse's stock is what it can ship: available (on hand less
reserved), less approved transfers leaving it, plus approved and shipped ones coming in.

Like the other plan runs, the ``placement`` run is recorded first and committed; the
engine works outside any transaction; the proposals, the cancellation of older runs'
proposals nobody acted on, and the closing status go in together. Approving or cancelling
takes effect once: a conditional ``UPDATE`` settles concurrent requests, and a repeated
request reports the transfer as it is.
"""

from __future__ import annotations

import datetime as dt
import math
import time
from collections.abc import Callable
from dataclasses import dataclass
from typing import TypeVar

import polars as pl
import sqlalchemy as sa

from shopops.domain.inventory import TransferStatus
from shopops.domain.params import PlanParams
from shopops.domain.planning import PlanRunKind, PlanRunStatus
from shopops.errors import ShopOpsError
from shopops.planning.fulfillment.rates import RateTable
from shopops.planning.placement import (
    Placement,
    PlacementNetwork,
    PlacementRules,
    propose_transfers,
)
from shopops.planning.solvers import SolveStatus
from shopops.services.planning import Clock, utc_now
from shopops.store import placement as store
from shopops.store.frames import FrameStore
from shopops.store.plan_runs import add_run, finish_run
from shopops.store.purchasing import is_write_conflict
from shopops.store.snapshot import load_plan_params
from shopops.store.stock import available_stock
from shopops.store.unit_of_work import AbstractUnitOfWork

HISTORY_WEEKS = 4
COVER_WEEKS = 4
_STOCK_CHUNK = 5000
_ATTEMPTS = 5
Result = TypeVar("Result")


class TransferError(ShopOpsError):
    """A transfer that does not exist, or whose status does not allow the change."""


@dataclass(frozen=True)
class PlacementReport:
    """A finished placement run: its number, the proposals, and what it cancelled."""

    run_id: int
    placement: Placement
    transfer_ids: list[int]
    cancelled_transfer_ids: list[int]
    message: str


@dataclass(frozen=True)
class TransferChange:
    """A transfer after a request; ``changed`` is false when it was so already."""

    transfer_id: int
    status: TransferStatus
    changed: bool
    message: str


def propose_placement(
    uow: AbstractUnitOfWork,
    *,
    as_of: dt.date,
    clock: Clock = utc_now,
    history_weeks: int = HISTORY_WEEKS,
    cover_weeks: int = COVER_WEEKS,
) -> PlacementReport:
    """Propose the week's transfers as of ``as_of`` and store them with a ``placement`` run."""
    if history_weeks < 1 or cover_weeks < 1:
        raise ValueError("history_weeks and cover_weeks must be at least 1")
    with uow:
        params = load_plan_params(uow.frames)
        run_id = add_run(
            uow.frames, kind=PlanRunKind.PLACEMENT, as_of=as_of, params=params, started_at=clock()
        )
        uow.commit()
    try:
        with uow:
            inputs = _load_inputs(uow.frames, as_of, history_weeks, cover_weeks)
        placement = propose_transfers(*inputs, _rules(params, cover_weeks))
    except Exception as error:
        with uow:
            finish_run(
                uow.frames,
                run_id,
                status=PlanRunStatus.FAILED,
                finished_at=clock(),
                message=f"{type(error).__name__}: {error}",
            )
            uow.commit()
        raise
    with uow:
        conn = uow.frames.connection
        cancelled = store.cancel_earlier_proposals(conn, run_id)
        rows = _transfer_rows(placement, run_id, as_of, store.next_transfer_id(conn))
        uow.frames.write("stock_transfers", rows)
        message = summarise(placement, len(cancelled))
        finish_run(
            uow.frames, run_id, status=PlanRunStatus.DONE, finished_at=clock(), message=message
        )
        uow.commit()
    return PlacementReport(run_id, placement, rows["transfer_id"].to_list(), cancelled, message)


def approve_transfer(uow: AbstractUnitOfWork, transfer_id: int) -> TransferChange:
    """Approve a proposed transfer; approving it again changes nothing."""
    return _change(uow, transfer_id, TransferStatus.APPROVED, (TransferStatus.PROPOSED,))


def cancel_transfer(uow: AbstractUnitOfWork, transfer_id: int) -> TransferChange:
    """Cancel a proposed or approved transfer (not one on the road); again changes nothing."""
    allowed = (TransferStatus.PROPOSED, TransferStatus.APPROVED)
    return _change(uow, transfer_id, TransferStatus.CANCELLED, allowed)


def list_transfers(
    uow: AbstractUnitOfWork, *, status: TransferStatus | None = None, limit: int | None = 50
) -> pl.DataFrame:
    """Transfers newest first, optionally of one status."""
    with uow:
        statuses = (status,) if status else ()
        return store.transfer_list(uow.frames.connection, statuses=statuses, limit=limit)


def summarise(placement: Placement, cancelled: int) -> str:
    """One line: proposals, units and lanes, postage saved against transfer cost (per unit,
    per line and per lane), whether the solve was stopped short, what was cancelled."""
    transfers = placement.transfers
    saved = float(transfers["shipping_saved_usd"].sum()) if transfers.height else 0.0
    cost = float(transfers["transfer_cost_usd"].sum()) if transfers.height else 0.0
    return (
        f"{transfers.height:,} transfers proposed ({placement.units:,} units on "
        f"{placement.lanes:,} lanes): {saved:,.2f} USD postage saved for {cost:,.2f} USD of "
        f"transfers, net {placement.net_saving_usd:,.2f} USD{_stopped_short(placement)}; "
        f"{cancelled:,} earlier proposals cancelled"
    )


def _stopped_short(placement: Placement) -> str:
    if placement.status is not SolveStatus.FEASIBLE:
        return ""
    if math.isfinite(placement.gap):
        return f" (time limit reached: at most {placement.gap:.1%} below the best possible)"
    return " (time limit reached before the best possible was bounded)"


def _rules(params: PlanParams, cover_weeks: int) -> PlacementRules:
    return PlacementRules(
        handling_usd_per_unit=params.transfer_handling_usd_per_unit,
        cost_usd_per_kg_100km=params.transfer_cost_usd_per_kg_100km,
        packing_factor=params.packing_volume_factor,
        cover_weeks=cover_weeks,
    )


def placement_inputs(
    uow: AbstractUnitOfWork,
    *,
    as_of: dt.date,
    history_weeks: int = HISTORY_WEEKS,
    cover_weeks: int = COVER_WEEKS,
) -> tuple[pl.DataFrame, pl.DataFrame, pl.DataFrame, PlacementNetwork]:
    """What a run as of ``as_of`` gives the engine: demand, stock, SKU sizes and network."""
    with uow:
        return _load_inputs(uow.frames, as_of, history_weeks, cover_weeks)


def _load_inputs(
    frames: FrameStore, as_of: dt.date, history_weeks: int, cover_weeks: int
) -> tuple[pl.DataFrame, pl.DataFrame, pl.DataFrame, PlacementNetwork]:
    """Demand over the cover period, stock positions, SKU sizes and the network."""
    conn = frames.connection
    start = as_of - dt.timedelta(weeks=history_weeks)
    demand = store.regional_demand(conn, start, as_of).with_columns(
        pl.col("units") * (cover_weeks / history_weeks)
    )
    sku_ids = demand["sku_id"].unique().sort().to_list()
    rates = RateTable.from_frames(
        frames.read("carrier_services"), frames.read("rate_cards"), frames.read("transit_times")
    )
    network = PlacementNetwork.from_frames(
        warehouses=frames.read("warehouses"),
        shipping_zones=frames.read("shipping_zones"),
        rates=rates,
    )
    skus = frames.read("skus").filter(pl.col("sku_id").is_in(sku_ids))
    return demand, _positions(conn, sku_ids), skus, network


def _positions(conn: sa.Connection, sku_ids: list[str]) -> pl.DataFrame:
    """Units each warehouse can ship from: available, less approved moves out, plus moves in."""
    available = pl.concat(
        [
            available_stock(conn, sku_ids[i : i + _STOCK_CHUNK])
            for i in range(0, len(sku_ids), _STOCK_CHUNK)
        ]
        or [available_stock(conn, [])]
    ).select("sku_id", "warehouse_id", pl.col("available_units").alias("units"))
    moving = store.transfers_in_flight(conn).filter(pl.col("sku_id").is_in(sku_ids))
    leaving = moving.filter(pl.col("status") == TransferStatus.APPROVED.value).select(
        "sku_id", pl.col("from_warehouse_id").alias("warehouse_id"), -pl.col("quantity_units")
    )
    coming = moving.select(
        "sku_id", pl.col("to_warehouse_id").alias("warehouse_id"), pl.col("quantity_units")
    )
    changes = pl.concat([leaving, coming]).rename({"quantity_units": "units"})
    return (
        pl.concat([available, changes.cast({"units": pl.Int64})])
        .group_by("sku_id", "warehouse_id")
        .agg(pl.col("units").sum().alias("stock_units"))
        .sort("sku_id", "warehouse_id")
    )


def _transfer_rows(
    placement: Placement, run_id: int, as_of: dt.date, first_id: int
) -> pl.DataFrame:
    proposals = placement.transfers
    return proposals.select(
        (pl.int_range(pl.len(), dtype=pl.Int64) + first_id).alias("transfer_id"),
        pl.lit(run_id, dtype=pl.Int64).alias("run_id"),
        "sku_id",
        "from_warehouse_id",
        "to_warehouse_id",
        "quantity_units",
        pl.lit(TransferStatus.PROPOSED.value).alias("status"),
        pl.lit(as_of, dtype=pl.Date).alias("proposed_date"),
        "transfer_cost_usd",
        "shipping_saved_usd",
        "explanation",
    )


def _change(
    uow: AbstractUnitOfWork,
    transfer_id: int,
    target: TransferStatus,
    allowed: tuple[TransferStatus, ...],
) -> TransferChange:
    def work(frames: FrameStore) -> TransferChange:
        conn = frames.connection
        transfer = store.load_transfer(conn, transfer_id)
        if transfer is None:
            raise TransferError(f"transfer_id: no transfer {transfer_id}")
        if _done_before(transfer.status, target):
            return TransferChange(
                transfer_id, transfer.status, False, f"{transfer.label} is {transfer.status}"
            )
        if transfer.status not in allowed:
            wanted = " or ".join(s.value for s in allowed)
            raise TransferError(
                f"{transfer.label} is {transfer.status}: only a {wanted} transfer can be "
                f"{target.value}"
            )
        if not store.change_transfer_status(conn, transfer_id, transfer.status, target):
            now = store.load_transfer(conn, transfer_id)
            assert now is not None
            return TransferChange(transfer_id, now.status, False, f"{now.label} is {now.status}")
        message = f"{transfer.label}: {transfer.status} -> {target}"
        return TransferChange(transfer_id, target, True, message)

    return _transaction(uow, work)


def _done_before(status: TransferStatus, target: TransferStatus) -> bool:
    """Whether a transfer in ``status`` is at ``target`` or went through it."""
    if target is TransferStatus.APPROVED:
        return status in (TransferStatus.APPROVED, TransferStatus.SHIPPED, TransferStatus.RECEIVED)
    return status is target


def _transaction(uow: AbstractUnitOfWork, work: Callable[[FrameStore], Result]) -> Result:
    """Run ``work`` in one committed transaction, again if a concurrent one got in first."""
    for attempt in range(1, _ATTEMPTS + 1):
        try:
            with uow:
                result = work(uow.frames)
                uow.commit()
                return result
        except sa.exc.DBAPIError as error:
            if attempt == _ATTEMPTS or not is_write_conflict(error):
                raise
            time.sleep(0.02 * attempt)
    raise AssertionError("unreachable")
