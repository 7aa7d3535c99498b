"""The inventory plan of the demo marketplace (2,000 SKUs, 6 warehouses, a year of orders).

Policies planned 8 weeks before the end from the history before then, replayed on the
demand that followed, must reach their demand-weighted fill-rate target within 2 points;
the forecast must beat seasonal naive on WAPE and MASE for regular and intermittent series.
"""

from __future__ import annotations

import datetime as dt

import polars as pl
import pytest

from shopops.data.bundles import PlanningSnapshot
from shopops.data.synth import MarketplaceConfig, generate_marketplace
from shopops.domain.params import PlanParams
from shopops.planning.inventory import order_line_demand
from shopops.planning.plan import InventoryPlan, plan_inventory_run

END = dt.date(2026, 11, 24)
DEMO = MarketplaceConfig(skus=2000, warehouses=6, days=365, end_date=END, seed=7)
MASTER = ("skus", "categories", "sales_events", "supplier_offers", "offer_price_tiers",
          "currencies", "suppliers", "warehouses", "shipping_zones")  # fmt: skip


@pytest.fixture(scope="module")
def plan() -> InventoryPlan:
    parts: dict[str, list[pl.DataFrame]] = {}
    for name, frame in generate_marketplace(DEMO):
        if name in (*MASTER, "orders", "order_lines"):
            parts.setdefault(name, []).append(frame)
    tables = {name: pl.concat(frames) for name, frames in parts.items()}
    snapshot = PlanningSnapshot(
        as_of=END + dt.timedelta(days=1),
        params=PlanParams(),
        demand_lines=order_line_demand(tables["order_lines"], tables["orders"]),
        **{name: tables[name] for name in MASTER},
    )
    return plan_inventory_run(snapshot)


def test_the_back_tested_fill_rate_lands_within_two_points_of_the_target(
    plan: InventoryPlan,
) -> None:
    overall = plan.policy_backtest.filter(pl.col("segment_kind") == "all").row(0, named=True)
    assert overall["demand_units"] > 50_000
    assert overall["fill_rate_achieved"] == pytest.approx(overall["fill_rate_target"], abs=0.02)


def test_every_class_gets_at_least_its_target_less_three_points(plan: InventoryPlan) -> None:
    classes = plan.policy_backtest.filter(pl.col("segment_kind") == "abc_class")
    assert classes["segment"].sort().to_list() == ["A", "B", "C"]
    gaps = classes["fill_rate_achieved"] - classes["fill_rate_target"]
    assert (gaps >= -0.03).all()


@pytest.mark.parametrize("segment", ["regular", "intermittent"])
def test_the_forecast_beats_seasonal_naive(plan: InventoryPlan, segment: str) -> None:
    row = plan.forecast_accuracy.filter(
        (pl.col("segment_kind") == "demand") & (pl.col("segment") == segment)
    ).row(0, named=True)
    assert row["series"] > 100
    assert row["wape"] < row["wape_naive"]
    assert row["mase"] < row["mase_naive"]


def test_every_forecast_sku_warehouse_has_a_policy_or_a_reason(plan: InventoryPlan) -> None:
    keys = plan.forecast.select("sku_id", "warehouse_id").unique()
    assert plan.policies.height == keys.height
    planned = plan.policies.filter(pl.col("policy_status") == "planned")
    assert planned.height >= 0.95 * plan.policies.height
    assert planned["reorder_point_units"].is_not_null().all()
    assert plan.policies["explanation"].str.len_chars().min() > 10  # type: ignore[operator]
