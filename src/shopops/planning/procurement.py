"""From inventory policies to proposed purchase orders: the procurement step of the plan.

1. **net**: requirements per SKU x warehouse from the policies, stock, open supply and
   forecast (:func:`~shopops.planning.netting.net_requirements`). Packaging (boxes,
   mailers) is netted the same way: its demand is the goods' forecast in parcels times
   each warehouse's recent carton mix (:func:`~shopops.planning.packaging.packaging_plan_inputs`).
2. **prepare**: offers valid on the planning day with prices in US dollars, suppliers with
   a risk score (mean of country, financial and compliance risk) and their standing.
3. **award**: the supplier award MILP (:mod:`shopops.planning.sourcing`).
4. **propose**: one proposed purchase order per supplier and warehouse, a line per award
   whose requirement must be ordered within ``RELEASE_DAYS``, priced at the tier reached in
   the offer's currency. Awards for later requirements stay planned (no PO yet): they show
   the spend ahead, and the next run re-plans them with fresher stock and forecast.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable
from dataclasses import dataclass

import polars as pl

from shopops.data.bundles import PACKAGING_HISTORY_WEEKS, SourcingSnapshot
from shopops.data.schemas import (
    AWARD_ALTERNATIVES,
    NET_REQUIREMENTS,
    PURCHASE_ORDER_EVENTS,
    PURCHASE_ORDER_LINES,
    PURCHASE_ORDERS,
    SOURCING_AWARDS,
)
from shopops.domain.supply import PurchaseOrderStatus
from shopops.planning.netting import POLICY_COLUMNS, net_requirements
from shopops.planning.packaging import packaging_plan_inputs
from shopops.planning.sourcing import Award, SourcingRules, award_suppliers

RELEASE_DAYS = 7
STOCKOUT_GOODWILL_SHARE = 0.5
PACKAGING_REVIEW_DAYS = 7
PACKAGING_COVER_DAYS = 14
PROCUREMENT_STEPS = ("net requirements", "prepare offers", "award suppliers", "propose orders")
StepReport = Callable[[str, int, int], None]


@dataclass(frozen=True)
class ProcurementPlan:
    """Requirements, the award and the proposed purchase orders of one sourcing run."""

    requirements: pl.DataFrame
    award: Award
    purchase_orders: pl.DataFrame
    purchase_order_lines: pl.DataFrame
    awards: pl.DataFrame


def plan_procurement(
    snapshot: SourcingSnapshot,
    standing: pl.DataFrame,
    *,
    proposer: str,
    progress: StepReport | None = None,
) -> ProcurementPlan:
    """Net, award and propose (see the module docstring).

    ``standing`` has supplier_id, excluded_reason and warning (blocked suppliers, expired
    certificates, scorecards); ``proposer`` is written as the POs' ``created_by``.
    """
    report = progress or (lambda description, done, total: None)
    total = len(PROCUREMENT_STEPS)
    params = snapshot.params
    report(PROCUREMENT_STEPS[0], 0, total)
    policies, forecast = with_packaging(snapshot)
    netted = net_requirements(
        policies,
        snapshot.stock,
        snapshot.open_supply,
        forecast,
        as_of=snapshot.as_of,
        horizon_days=params.forecast_horizon_days,
        projection_skus=(),
    )
    report(PROCUREMENT_STEPS[1], 1, total)
    offers, tiers = offers_in_usd(
        snapshot.supplier_offers, snapshot.offer_price_tiers, snapshot.currencies, snapshot.as_of
    )
    requirements = sourcing_requirements(
        netted.requirements,
        snapshot.skus,
        policies,
        snapshot.cartons.select("sku_id").drop_nulls(),
    )
    report(PROCUREMENT_STEPS[2], 2, total)
    award = award_suppliers(
        requirements,
        offers,
        tiers,
        supplier_risk(snapshot.suppliers, standing),
        order_date=snapshot.as_of,
        rules=SourcingRules(
            category_share_cap=params.category_share_cap,
            dual_source_min_share=params.dual_source_min_share,
            risk_penalty_rate=params.risk_penalty_rate,
            late_penalty_rate_per_day=params.late_penalty_rate_per_day,
            mip_gap=params.sourcing_mip_gap,
        ),
    )
    report(PROCUREMENT_STEPS[3], 3, total)
    headers, lines, awards = proposed_purchase_orders(
        award.lines,
        requirements,
        snapshot.supplier_offers,
        snapshot.offer_price_tiers,
        proposer=proposer,
        as_of=snapshot.as_of,
    )
    report(PROCUREMENT_STEPS[3], total, total)
    return ProcurementPlan(requirements, award, headers, lines, awards)


def with_packaging(snapshot: SourcingSnapshot) -> tuple[pl.DataFrame, pl.DataFrame]:
    """The goods' policies and weekly forecast with the packaging SKUs' stacked under them."""
    first_tier = (
        snapshot.offer_price_tiers.sort("min_quantity_units")
        .group_by("offer_id")
        .first()
        .select("offer_id", "unit_price")
    )
    priced = (
        snapshot.supplier_offers.join(first_tier, on="offer_id")
        .join(snapshot.currencies.select("currency_code", "usd_per_unit"), on="currency_code")
        .with_columns(unit_price_usd=pl.col("unit_price") * pl.col("usd_per_unit"))
    )
    packaging = packaging_plan_inputs(
        snapshot.shipments,
        snapshot.shipped_lines,
        snapshot.cartons,
        snapshot.forecast,
        priced,
        as_of=snapshot.as_of,
        weeks=PACKAGING_HISTORY_WEEKS,
        review_days=PACKAGING_REVIEW_DAYS,
        cover_days=PACKAGING_COVER_DAYS,
    )
    columns = ["sku_id", "warehouse_id", *POLICY_COLUMNS]
    packaging_skus = snapshot.cartons.select("sku_id").drop_nulls()
    goods = snapshot.policies.join(packaging_skus, on="sku_id", how="anti")
    policies = pl.concat(
        [
            goods.select(*columns, "abc_class"),
            packaging.policies.select(*columns).with_columns(abc_class=pl.lit(None, pl.String)),
        ],
        how="vertical_relaxed",
    )
    weekly = ["sku_id", "warehouse_id", "week_start", "units"]
    forecast = pl.concat(
        [snapshot.forecast.select(weekly), packaging.forecast.select(weekly)],
        how="vertical_relaxed",
    )
    return policies, forecast


def offers_in_usd(
    offers: pl.DataFrame, tiers: pl.DataFrame, currencies: pl.DataFrame, as_of: dt.date
) -> tuple[pl.DataFrame, pl.DataFrame]:
    """Offers valid on ``as_of`` (sourcing's columns) and their tiers priced in USD."""
    valid = offers.filter(
        (pl.col("valid_from") <= as_of)
        & (pl.col("valid_to").is_null() | (pl.col("valid_to") >= as_of))
    )
    rates = currencies.select("currency_code", "usd_per_unit")
    usd_tiers = (
        tiers.join(valid.select("offer_id", "currency_code"), on="offer_id")
        .join(rates, on="currency_code")
        .select(
            "offer_id",
            "min_quantity_units",
            unit_price_usd=pl.col("unit_price") * pl.col("usd_per_unit"),
        )
    )
    return valid.rename({"lead_time_mean_days": "lead_time_days"}), usd_tiers


def sourcing_requirements(
    requirements: pl.DataFrame,
    skus: pl.DataFrame,
    policies: pl.DataFrame,
    packaging_skus: pl.DataFrame | None = None,
) -> pl.DataFrame:
    """Requirements with category, ABC class and the cost of a unit left short.

    A unit of goods left short is a sale lost and a buyer let down: its price plus
    ``STOCKOUT_GOODWILL_SHARE`` of it (marketplaces rank shops that run out lower). A
    packaging unit left short holds up a parcel: it costs what a typical unit of goods does.
    """
    packaging = packaging_skus if packaging_skus is not None else skus.clear().select("sku_id")
    goods_price = skus.join(packaging, on="sku_id", how="anti")["price_usd"].median()
    typical = float(goods_price) if isinstance(goods_price, int | float) else 0.0
    is_packaging = pl.col("sku_id").is_in(packaging["sku_id"].implode())
    lost = pl.when(is_packaging).then(pl.lit(typical)).otherwise(pl.col("price_usd")) * (
        1 + STOCKOUT_GOODWILL_SHARE
    )
    return requirements.join(
        skus.select("sku_id", "category_id", shortfall_cost_usd_per_unit=lost), on="sku_id"
    ).join(
        policies.select("sku_id", "warehouse_id", "abc_class"),
        on=["sku_id", "warehouse_id"],
        how="left",
    )


def supplier_risk(suppliers: pl.DataFrame, standing: pl.DataFrame) -> pl.DataFrame:
    """supplier_id, risk_score (mean of the three risk scores), excluded_reason, warning."""
    risk = (
        pl.col("country_risk_score")
        + pl.col("financial_risk_score")
        + pl.col("compliance_risk_score")
    ) / 3
    return suppliers.select("supplier_id", risk_score=risk).join(
        standing.select("supplier_id", "excluded_reason", "warning"), on="supplier_id", how="left"
    )


def proposed_purchase_orders(
    lines: pl.DataFrame,
    requirements: pl.DataFrame,
    offers: pl.DataFrame,
    tiers: pl.DataFrame,
    *,
    proposer: str,
    as_of: dt.date | None = None,
    release_days: int = RELEASE_DAYS,
) -> tuple[pl.DataFrame, pl.DataFrame, pl.DataFrame]:
    """Purchase orders (status proposed) for award ``lines``, one per supplier x warehouse.

    Only lines whose requirement's order-by date is at most ``release_days`` away are
    ordered now. Returns ``purchase_orders`` and ``purchase_order_lines`` rows (price of the
    tier reached, in the offer's currency; expected on the award's arrival date) and all the
    award lines with the ``po_id`` they became (null: planned, not yet ordered). POs are
    numbered from 1; :func:`result_tables` moves them to the first free numbers.
    """
    release = (as_of or dt.date.min) + dt.timedelta(days=release_days)
    due = requirements.filter(pl.col("order_by_date") <= release).select("requirement_id")
    released = lines.join(due, on="requirement_id", how="semi")
    priced = (
        released.join(
            offers.select("offer_id", "currency_code", "incoterm"), on="offer_id", how="left"
        )
        .join(
            tiers.select(
                "offer_id", tier_min_quantity_units="min_quantity_units", unit_price="unit_price"
            ),
            on=["offer_id", "tier_min_quantity_units"],
            how="left",
        )
        .sort("supplier_id", "warehouse_id", "sku_id", "requirement_id")
    )
    numbered = priced.with_columns(
        po_id=pl.struct("supplier_id", "warehouse_id").rank("dense").cast(pl.Int64)
    ).with_columns(line_no=pl.int_range(1, pl.len() + 1, dtype=pl.Int64).over("po_id"))
    headers = numbered.group_by("po_id").agg(
        pl.col("supplier_id", "warehouse_id", "currency_code", "incoterm").first()
    )
    headers = headers.sort("po_id").with_columns(
        status=pl.lit(PurchaseOrderStatus.PROPOSED.value),
        ordered_date=pl.lit(None, pl.Date),
        created_at=pl.lit(None, pl.Datetime("us")),
        created_by=pl.lit(proposer),
    )
    po_lines = numbered.select(
        "po_id",
        "line_no",
        "sku_id",
        "quantity_units",
        "unit_price",
        expected_date="arrival_date",
        cancelled_units=pl.lit(0, pl.Int64),
    )
    awards = lines.join(
        numbered.select("requirement_id", "offer_id", "po_id"),
        on=["requirement_id", "offer_id"],
        how="left",
    )
    return headers, po_lines, awards


def result_tables(
    plan: ProcurementPlan,
    run_id: int,
    created_at: dt.datetime,
    *,
    first_po_id: int,
    first_event_id: int,
) -> dict[str, pl.DataFrame]:
    """The rows a sourcing run stores, table by table in load order, the proposed POs
    numbered from ``first_po_id`` and their creation events from ``first_event_id``."""
    shift = pl.col("po_id") + (first_po_id - 1)
    headers = plan.purchase_orders.with_columns(
        po_id=shift, created_at=pl.lit(created_at, pl.Datetime("us"))
    ).with_columns(
        po_number=pl.format(
            "PO-{}-{}", pl.lit(created_at.year), pl.col("po_id").cast(pl.String).str.zfill(7)
        )
    )
    po_lines = plan.purchase_order_lines.with_columns(po_id=shift)
    awards = plan.awards.with_columns(po_id=shift, run_id=pl.lit(run_id, pl.Int64))
    events = headers.select(
        pl.int_range(first_event_id, first_event_id + pl.len(), dtype=pl.Int64).alias("event_id"),
        "po_id",
        from_status=pl.lit(None, pl.String),
        to_status=pl.lit(PurchaseOrderStatus.PROPOSED.value),
        changed_at="created_at",
        changed_by="created_by",
        note=pl.lit(None, pl.String),
    )
    return {
        PURCHASE_ORDERS.name: PURCHASE_ORDERS.conform(headers),
        PURCHASE_ORDER_EVENTS.name: PURCHASE_ORDER_EVENTS.conform(events),
        PURCHASE_ORDER_LINES.name: PURCHASE_ORDER_LINES.conform(po_lines),
        NET_REQUIREMENTS.name: NET_REQUIREMENTS.conform(_requirements_outcome(plan, run_id)),
        SOURCING_AWARDS.name: SOURCING_AWARDS.conform(awards),
        AWARD_ALTERNATIVES.name: AWARD_ALTERNATIVES.conform(
            plan.award.alternatives.with_columns(run_id=pl.lit(run_id, pl.Int64))
        ),
    }


def _requirements_outcome(plan: ProcurementPlan, run_id: int) -> pl.DataFrame:
    """Each requirement with the units awarded and those left short, and why."""
    awarded = plan.award.lines.group_by("requirement_id").agg(
        awarded_units=pl.col("quantity_units").sum()
    )
    short = plan.award.shortfalls.select(
        "requirement_id", shortfall_units="quantity_units", shortfall_reason="reason"
    )
    return (
        plan.requirements.join(awarded, on="requirement_id", how="left")
        .join(short, on="requirement_id", how="left")
        .with_columns(
            run_id=pl.lit(run_id, pl.Int64),
            awarded_units=pl.col("awarded_units").fill_null(0),
            shortfall_units=pl.col("shortfall_units").fill_null(0),
        )
    )
