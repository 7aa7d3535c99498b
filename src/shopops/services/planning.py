"""Running the inventory plan: snapshot, engines, results stored as a plan run.

The run is recorded first (status ``running``) and committed, so it can be watched; the
engines work on a snapshot outside any transaction; the results and the closing status go
in together. A failed run is recorded as failed with its message, and leaves no results.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable
from dataclasses import dataclass

import polars as pl

from shopops.domain.planning import PlanRunKind, PlanRunStatus
from shopops.planning.plan import InventoryPlan, plan_inventory_run, result_tables
from shopops.services.progress import Progress, no_progress
from shopops.store.plan_runs import add_run, finish_run
from shopops.store.snapshot import load_plan_params, load_snapshot
from shopops.store.unit_of_work import AbstractUnitOfWork

HISTORY_DAYS = 365

Clock = Callable[[], dt.datetime]


def utc_now() -> dt.datetime:
    """The current time in UTC, without a time zone (as the database stores times)."""
    return dt.datetime.now(dt.UTC).replace(tzinfo=None)


@dataclass(frozen=True)
class InventoryPlanReport:
    """A finished inventory plan run: its number, the results and a one-line summary."""

    run_id: int
    plan: InventoryPlan
    message: str


def run_inventory_plan(
    uow: AbstractUnitOfWork,
    *,
    as_of: dt.date,
    policies: bool = True,
    clock: Clock = utc_now,
    progress: Progress = no_progress,
) -> InventoryPlanReport:
    """Forecast, classify, set policies and back-test them as of ``as_of``; store the run.

    With ``policies`` false the run only forecasts (and back-tests the forecast).
    """
    kind = PlanRunKind.POLICY if policies else PlanRunKind.FORECAST
    with uow:
        params = load_plan_params(uow.frames)
        run_id = add_run(uow.frames, kind=kind, as_of=as_of, params=params, started_at=clock())
        uow.commit()
        snapshot = load_snapshot(uow.frames, as_of, history_days=HISTORY_DAYS)
    try:
        plan = plan_inventory_run(snapshot, progress=progress, policies=policies)
    except Exception as error:
        _close(uow, run_id, PlanRunStatus.FAILED, f"{type(error).__name__}: {error}", clock)
        raise
    message = summarise(plan)
    with uow:
        for name, frame in result_tables(plan, run_id).items():
            uow.frames.write(name, frame)
        finish_run(
            uow.frames, run_id, status=PlanRunStatus.DONE, finished_at=clock(), message=message
        )
        uow.commit()
    return InventoryPlanReport(run_id=run_id, plan=plan, message=message)


def _close(
    uow: AbstractUnitOfWork, run_id: int, status: PlanRunStatus, message: str, clock: Clock
) -> None:
    with uow:
        finish_run(uow.frames, run_id, status=status, finished_at=clock(), message=message)
        uow.commit()


def summarise(plan: InventoryPlan) -> str:
    """One line a planner reads first: policies set, and the back-tested fill rate."""
    if plan.policies.is_empty():
        return f"{plan.forecast_models.height:,} SKU x warehouse series forecast"
    planned = plan.policies.filter(pl.col("policy_status") == "planned").height
    overall = plan.policy_backtest.filter(pl.col("segment_kind") == "all")
    if overall.is_empty():
        return f"{planned:,} policies set; nothing to back-test"
    row = overall.row(0, named=True)
    return (
        f"{planned:,} of {plan.policies.height:,} SKU x warehouse policies set; back-tested "
        f"fill rate {row['fill_rate_achieved']:.1%} against a target of "
        f"{row['fill_rate_target']:.1%}"
    )
