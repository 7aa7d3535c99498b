"""What buyers read: supplier, warehouse and carrier scorecards, budgets, negotiation briefs.

Each reads the tables it needs in one transaction and hands them to the analytics
engines; nothing here writes.
"""

from __future__ import annotations

import datetime as dt

import polars as pl
import sqlalchemy as sa

from shopops.analytics.budgets import budget_status
from shopops.analytics.negotiation import BRIEF_TABLES, negotiation_brief_data
from shopops.analytics.scorecards import (
    carrier_metrics,
    certification_alerts,
    describe_metrics,
    score,
    supplier_metrics,
    warehouse_metrics,
)
from shopops.domain.params import PlanParams
from shopops.domain.planning import PlanRunKind, PlanRunStatus
from shopops.domain.supply import PurchaseOrderStatus, ScorecardKind
from shopops.errors import ShopOpsError
from shopops.reports.negotiation_brief import render_negotiation_brief
from shopops.store.frames import FrameStore
from shopops.store.snapshot import load_plan_params
from shopops.store.sourcing import latest_policy_run
from shopops.store.tables import SQL_TABLES
from shopops.store.unit_of_work import AbstractUnitOfWork

_RUNS = SQL_TABLES["plan_runs"]
BRIEF_HORIZON_WEEKS = 13
BRIEF_ORDERS_PER_PERIOD = 4


def scorecard(
    uow: AbstractUnitOfWork, *, kind: ScorecardKind, as_of: dt.date, period: str = "quarter"
) -> pl.DataFrame:
    """The scored scorecard of ``kind`` per subject and period with transactions."""
    with uow:
        params = load_plan_params(uow.frames)
        metrics = _metrics(uow.frames, kind, as_of, period, params)
        weights = uow.frames.read("scorecard_weights")
    return score(
        metrics,
        weights,
        kind.value,
        warn_below=params.scorecard_warn_below,
        block_below=params.scorecard_block_below,
    )


def scorecard_metrics(kind: ScorecardKind) -> pl.DataFrame:
    """What each metric of a scorecard measures, its formula and direction."""
    return describe_metrics(kind.value)


def certification_report(uow: AbstractUnitOfWork, *, as_of: dt.date) -> pl.DataFrame:
    """Certificates expired or expiring within the warning days."""
    with uow:
        params = load_plan_params(uow.frames)
        certifications = uow.frames.read("supplier_certifications")
    return certification_alerts(
        certifications, as_of=as_of, warning_days=params.certification_warning_days
    )


def budget_report(uow: AbstractUnitOfWork) -> pl.DataFrame:
    """Each budget: committed, received, invoiced and planned spend, and what is left.

    Planned spend is the latest sourcing run's proposals still awaiting approval and its
    planned later awards, on the day they must be ordered.
    """
    with uow:
        frames = uow.frames
        tables = {
            name: frames.read(name)
            for name in (
                "budgets",
                "purchase_orders",
                "purchase_order_lines",
                "receipts",
                "supplier_invoices",
                "supplier_invoice_lines",
                "skus",
                "currencies",
            )
        }
        planned = _planned_spend(frames, tables)
    return budget_status(
        tables["budgets"],
        tables["purchase_orders"],
        tables["purchase_order_lines"],
        tables["receipts"],
        tables["supplier_invoices"],
        tables["supplier_invoice_lines"],
        tables["skus"],
        tables["currencies"],
        planned_spend=planned,
    )


def negotiation_brief(uow: AbstractUnitOfWork, *, supplier_id: str, as_of: dt.date) -> str:
    """The one-page negotiation brief of a supplier, as HTML."""
    with uow:
        frames = uow.frames
        tables = {name: frames.read(name) for name in BRIEF_TABLES}
        if supplier_id not in set(tables["suppliers"]["supplier_id"]):
            raise ShopOpsError(f"no supplier {supplier_id!r}")
        run_id = latest_policy_run(frames.connection)
        forecast = frames.read("demand_forecasts", where="run_id = :r", params={"r": run_id})
        params = load_plan_params(frames)
        metrics = _metrics(frames, ScorecardKind.SUPPLIER, as_of, "quarter", params)
        weights = frames.read("scorecard_weights")
    scored = score(
        metrics.filter(pl.col("supplier_id") == supplier_id),
        weights,
        ScorecardKind.SUPPLIER.value,
        warn_below=params.scorecard_warn_below,
        block_below=params.scorecard_block_below,
    )
    data = negotiation_brief_data(
        tables,
        forecast,
        supplier_id=supplier_id,
        as_of=as_of,
        horizon_weeks=BRIEF_HORIZON_WEEKS,
        orders_per_period=BRIEF_ORDERS_PER_PERIOD,
        scorecard=_long_scorecard(scored),
    )
    return render_negotiation_brief(data)


def _metrics(
    frames: FrameStore, kind: ScorecardKind, as_of: dt.date, period: str, params: PlanParams
) -> pl.DataFrame:
    read = frames.read
    if kind is ScorecardKind.SUPPLIER:
        return supplier_metrics(
            read("purchase_orders"),
            read("purchase_order_lines"),
            read("receipts"),
            read("supplier_offers"),
            read("offer_price_tiers"),
            read("supplier_invoices"),
            read("supplier_invoice_lines"),
            read("currencies"),
            as_of=as_of,
            period=period,  # type: ignore[arg-type]
            price_tolerance_share=params.invoice_price_tolerance,
            quantity_tolerance_share=params.invoice_quantity_tolerance,
        )
    shipped = (read("shipments"), read("orders"), read("order_lines"), read("returns"))
    if kind is ScorecardKind.WAREHOUSE:
        return warehouse_metrics(
            *shipped,
            read("warehouses"),
            as_of=as_of,
            period=period,  # type: ignore[arg-type]
        )
    return carrier_metrics(
        *shipped,
        read("carrier_services"),
        read("rate_cards"),
        as_of=as_of,
        period=period,  # type: ignore[arg-type]
    )


def _long_scorecard(scored: pl.DataFrame) -> pl.DataFrame:
    """The supplier's scored periods as rows of (period, metric, value, score, standing)."""
    if scored.is_empty():
        return pl.DataFrame(
            schema={
                "period": pl.Date,
                "metric": pl.String,
                "value": pl.Float64,
                "score": pl.Float64,
                "standing": pl.String,
            }
        )
    return scored.select(
        period="period_start",
        metric=pl.lit("overall score"),
        value="score",
        score="score",
        standing=pl.col("standing").cast(pl.String),
    ).sort("period")


def _planned_spend(frames: FrameStore, tables: dict[str, pl.DataFrame]) -> pl.DataFrame:
    """Proposed POs awaiting approval and the latest sourcing run's later awards, in USD."""
    rates = tables["currencies"].select("currency_code", "usd_per_unit")
    categories = tables["skus"].select("sku_id", "category_id")
    proposed = (
        tables["purchase_order_lines"]
        .join(
            tables["purchase_orders"].filter(
                pl.col("status") == PurchaseOrderStatus.PROPOSED.value
            ),
            on="po_id",
        )
        .join(rates, on="currency_code")
        .join(categories, on="sku_id")
        .select(
            "category_id",
            order_date=pl.col("created_at").dt.date(),
            value_usd=pl.col("quantity_units") * pl.col("unit_price") * pl.col("usd_per_unit"),
        )
    )
    run_id = frames.connection.execute(
        sa.select(sa.func.max(_RUNS.c.run_id)).where(
            _RUNS.c.kind == PlanRunKind.SOURCING.value,
            _RUNS.c.status == PlanRunStatus.DONE.value,
        )
    ).scalar_one()
    if run_id is None:
        return proposed
    of_run, run = "run_id = :r", {"r": int(run_id)}
    later = (
        frames.read("sourcing_awards", where=of_run, params=run)
        .filter(pl.col("po_id").is_null())
        .join(
            frames.read("net_requirements", where=of_run, params=run).select(
                "run_id", "requirement_id", "order_by_date"
            ),
            on=["run_id", "requirement_id"],
        )
        .join(categories, on="sku_id")
        .select(
            "category_id",
            order_date="order_by_date",
            value_usd=pl.col("quantity_units") * pl.col("landed_cost_usd_per_unit"),
        )
    )
    return pl.concat([proposed, later])
