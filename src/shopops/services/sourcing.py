"""Running sourcing: net requirements, award suppliers, propose purchase orders; stored as a run.

Like the inventory plan, the run is recorded first and committed so it can be watched; the
engines work on a snapshot outside any transaction; the results go in together with the
closing status. Proposals of earlier runs that nobody approved are cancelled in the same
transaction ("superseded"), so the buyer only ever sees the latest proposals.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

import polars as pl

from shopops.analytics.scorecards import score, sourcing_standing, supplier_metrics
from shopops.data.bundles import SourcingSnapshot
from shopops.domain.planning import PlanRunKind, PlanRunStatus
from shopops.planning.procurement import ProcurementPlan, plan_procurement, result_tables
from shopops.services.planning import Clock, utc_now
from shopops.services.progress import Progress, no_progress
from shopops.store.plan_runs import add_run, finish_run
from shopops.store.snapshot import load_plan_params
from shopops.store.sourcing import (
    PROPOSER_PREFIX,
    latest_policy_run,
    load_sourcing_snapshot,
    next_event_id,
    next_po_id,
    supersede_proposals,
)
from shopops.store.unit_of_work import AbstractUnitOfWork


@dataclass(frozen=True)
class SourcingReport:
    """A finished sourcing run: its number, what it planned, and a one-line summary."""

    run_id: int
    plan: ProcurementPlan
    superseded_po_ids: list[int]
    message: str


def run_sourcing(
    uow: AbstractUnitOfWork,
    *,
    as_of: dt.date,
    clock: Clock = utc_now,
    progress: Progress = no_progress,
) -> SourcingReport:
    """Source the requirements of the latest inventory policies as of ``as_of``; store it."""
    with uow:
        latest_policy_run(uow.frames.connection)
        params = load_plan_params(uow.frames)
        run_id = add_run(
            uow.frames, kind=PlanRunKind.SOURCING, as_of=as_of, params=params, started_at=clock()
        )
        uow.commit()
        snapshot = load_sourcing_snapshot(uow.frames, as_of)
    try:
        plan = plan_procurement(
            snapshot,
            supplier_standing(snapshot),
            proposer=f"{PROPOSER_PREFIX}{run_id}",
            progress=progress,
        )
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
    message = summarise(plan)
    with uow:
        now = clock()
        conn = uow.frames.connection
        superseded = supersede_proposals(conn, run_id, now)
        tables = result_tables(
            plan, run_id, now, first_po_id=next_po_id(conn), first_event_id=next_event_id(conn)
        )
        for name, frame in tables.items():
            uow.frames.write(name, frame)
        finish_run(uow.frames, run_id, status=PlanRunStatus.DONE, finished_at=now, message=message)
        uow.commit()
    return SourcingReport(run_id, plan, superseded, message)


def supplier_standing(snapshot: SourcingSnapshot) -> pl.DataFrame:
    """Who may be sourced from: status, certificates, and the supplier scorecard."""
    params = snapshot.params
    metrics = supplier_metrics(
        snapshot.purchase_orders,
        snapshot.purchase_order_lines,
        snapshot.receipts,
        snapshot.supplier_offers,
        snapshot.offer_price_tiers,
        snapshot.supplier_invoices,
        snapshot.supplier_invoice_lines,
        snapshot.currencies,
        as_of=snapshot.as_of,
        period="quarter",
        price_tolerance_share=params.invoice_price_tolerance,
        quantity_tolerance_share=params.invoice_quantity_tolerance,
    )
    scored = score(
        metrics,
        snapshot.scorecard_weights,
        "supplier",
        warn_below=params.scorecard_warn_below,
        block_below=params.scorecard_block_below,
    )
    return sourcing_standing(
        snapshot.suppliers,
        snapshot.supplier_certifications,
        scored,
        as_of=snapshot.as_of,
        warning_days=params.certification_warning_days,
    )


def summarise(plan: ProcurementPlan) -> str:
    """One line a buyer reads first: requirements, proposed POs and their cost."""
    award = plan.award
    ordered = plan.awards.filter(pl.col("po_id").is_not_null())
    short = int(award.shortfalls["quantity_units"].sum()) if award.shortfalls.height else 0
    return (
        f"{plan.requirements.height:,} requirements; {plan.purchase_orders.height:,} proposed "
        f"POs ({ordered.height:,} lines, {ordered['total_cost_usd'].sum():,.0f} USD); "
        f"{plan.awards.height - ordered.height:,} later lines planned; "
        f"{short:,} units short; gap {award.stats.gap:.3%}"
    )
