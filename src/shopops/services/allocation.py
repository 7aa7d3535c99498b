"""Allocating open orders: where each ships from and with which carrier service.

A run loads the open orders and the stock available to them, allocates the batch at least
cost (the optimiser) and by the two rules teams use without one (nearest warehouse that
has everything; cheapest single warehouse), and stores the optimised line allocations
and a summary row per method, so a manager sees what optimising saves. With ``apply``
the optimised allocation is turned into stock reservations in the same run.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

import numpy as np
import polars as pl

from shopops.domain.orders import AllocationMethod
from shopops.domain.params import PlanParams
from shopops.domain.planning import PlanRunKind, PlanRunStatus
from shopops.errors import ShopOpsError
from shopops.planning.fulfillment import (
    AllocationResult,
    AllocationRules,
    allocate_all_methods,
)
from shopops.planning.fulfillment.rates import RateTable
from shopops.services.orders import reserve_lines
from shopops.services.planning import Clock, utc_now
from shopops.services.progress import Progress, no_progress
from shopops.store.allocation import (
    AllocationBatch,
    has_open_lines,
    load_allocation_batch,
    save_allocation,
)
from shopops.store.plan_runs import add_run, finish_run
from shopops.store.snapshot import load_plan_params
from shopops.store.unit_of_work import AbstractUnitOfWork

RULE_METHODS = {
    AllocationMethod.NEAREST_WAREHOUSE: "nearest",
    AllocationMethod.CHEAPEST_SINGLE_WAREHOUSE: "cheapest_single",
}
"""The rule baselines and the engine's name for each."""


class NothingToAllocateError(ShopOpsError):
    """Every open order's lines are already reserved, shipped or cancelled."""


@dataclass(frozen=True)
class AllocationReport:
    """A finished allocation run: the optimised result and every method's summary."""

    run_id: int
    ship_date: dt.date
    optimised: AllocationResult
    summaries: pl.DataFrame
    message: str
    reservations: pl.DataFrame | None = None


def allocation_rules(params: PlanParams, ship_date: dt.date) -> AllocationRules:
    """The engine's rules from the user's planning parameters."""
    return AllocationRules(
        ship_date=ship_date,
        split_penalty_usd_per_parcel=params.split_penalty_usd_per_parcel,
        late_penalty_usd_per_day=params.late_delivery_penalty_usd_per_day,
        packing_factor=params.packing_volume_factor,
    )


def next_business_day(day: dt.date) -> dt.date:
    """``day`` if it is a weekday, else the Monday after."""
    rolled = np.busday_offset(np.datetime64(day, "D"), 0, roll="forward")
    return dt.date.fromisoformat(str(rolled))


def run_allocation(
    uow: AbstractUnitOfWork,
    *,
    ship_date: dt.date,
    apply: bool = False,
    clock: Clock = utc_now,
    progress: Progress = no_progress,
) -> AllocationReport:
    """Allocate the open orders for dispatch on ``ship_date`` (rolled to a business day).

    With ``apply``, the optimised allocation becomes stock reservations afterwards, each line
    at its chosen warehouse and never beyond what is available by then (stock can have
    moved since the batch was read); ``reservations`` reports each line's outcome.
    """
    ship_date = next_business_day(ship_date)
    with uow:
        if not has_open_lines(uow.frames.connection):
            raise NothingToAllocateError("no open order lines to allocate")
        params = load_plan_params(uow.frames)
        run_id = add_run(
            uow.frames,
            kind=PlanRunKind.ALLOCATION,
            as_of=ship_date,
            params=params,
            started_at=clock(),
        )
        uow.commit()
        batch = load_allocation_batch(uow.frames)
    try:
        optimised, summaries = _allocate(batch, allocation_rules(params, ship_date), progress)
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
    message = summarise(summaries)
    with uow:
        save_allocation(
            uow.frames,
            line_allocations(optimised, run_id),
            summaries.with_columns(run_id=pl.lit(run_id)),
        )
        finish_run(
            uow.frames, run_id, status=PlanRunStatus.DONE, finished_at=clock(), message=message
        )
        uow.commit()
    reservations = _reserve(uow, optimised.assignments) if apply else None
    return AllocationReport(run_id, ship_date, optimised, summaries, message, reservations)


def _reserve(uow: AbstractUnitOfWork, assignments: pl.DataFrame) -> pl.DataFrame:
    """Reserve the allocated lines in one transaction."""
    with uow:
        outcome = reserve_lines(uow.frames.connection, assignments.sort("order_id", "line_no"))
        uow.commit()
    return outcome


def _allocate(
    batch: AllocationBatch, rules: AllocationRules, progress: Progress
) -> tuple[AllocationResult, pl.DataFrame]:
    """The optimised result and the summary of it and of each rule."""
    rates = RateTable.from_frames(batch.services, batch.rate_cards, batch.transit_times)
    frames = (
        batch.orders,
        batch.lines,
        batch.skus,
        batch.stock,
        batch.warehouses,
        batch.zones,
        rates,
        rules,
    )
    progress("Allocating", 0, 1)
    results = allocate_all_methods(*frames)
    progress("Allocating", 1, 1)
    optimised = results[AllocationMethod.OPTIMISED.value]
    rows = [optimised.summary.with_columns(method=pl.lit(AllocationMethod.OPTIMISED.value))]
    rows += [
        results[engine_name].summary.with_columns(method=pl.lit(method.value))
        for method, engine_name in RULE_METHODS.items()
    ]
    return optimised, pl.concat(rows, how="vertical_relaxed")


def line_allocations(result: AllocationResult, run_id: int) -> pl.DataFrame:
    """Each allocated line with its parcel's ship and arrival dates, for the run's record."""
    parcels = result.parcels.select(
        "order_id", "warehouse_id", "service_id", "ship_date", "arrival_date", "on_time"
    )
    return (
        result.assignments.join(parcels, on=["order_id", "warehouse_id", "service_id"])
        .with_columns(run_id=pl.lit(run_id))
        .select(
            "run_id",
            "order_id",
            "line_no",
            "warehouse_id",
            "service_id",
            "ship_date",
            "arrival_date",
            "on_time",
        )
    )


def summarise(summaries: pl.DataFrame) -> str:
    """One line: cost per order, split rate and on-time share, optimised against the rules.

    The difference is in total cost, penalties for late and unallocated units included:
    the objective both the optimiser and the rules are priced by.
    """
    by_method = {row["method"]: row for row in summaries.iter_rows(named=True)}
    best = by_method[AllocationMethod.OPTIMISED.value]
    text = (
        f"{best['orders_allocated']:,} of {best['orders']:,} orders allocated at "
        f"{best['cost_per_order_usd']:.2f} USD per order, {best['split_rate']:.1%} split, "
        f"{best['on_time_share']:.1%} on time"
    )
    for method in RULE_METHODS:
        rule = by_method[method.value]
        extra = rule["total_cost_usd"] - best["total_cost_usd"]
        text += (
            f"; {method.value.replace('_', ' ')}: {rule['cost_per_order_usd']:.2f} USD per "
            f"order, {rule['on_time_share']:.1%} on time, {extra:+,.0f} USD in total with "
            "penalties"
        )
    return text
