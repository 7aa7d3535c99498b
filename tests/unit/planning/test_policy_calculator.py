"""The stand-alone calculator against numbers worked out independently."""

from __future__ import annotations

import math
from pathlib import Path

import polars as pl
import pytest
from scipy.stats import norm

from shopops.data.docs import render_policy_calculator
from shopops.data.policy_items import POLICY_ITEMS
from shopops.planning.calculator import POLICY_OUTPUTS, calculate_policies

DOC = Path(__file__).resolve().parents[3] / "docs" / "policy-calculator.md"


def _items(**overrides: list[object]) -> pl.DataFrame:
    row: dict[str, list[object]] = {c.name: [None] for c in POLICY_ITEMS.columns}
    row |= {
        "item_id": ["A"],
        "demand_mean_units_per_day": [10.0],
        "demand_sd_units_per_day": [3.0],
        "lead_time_mean_days": [4.0],
        "service_measure": ["cycle_service_level"],
        "service_target": [0.95],
        "unit_cost_usd": [12.0],
        "fixed_order_cost_usd": [30.0],
    }
    return POLICY_ITEMS.conform(pl.DataFrame(row | overrides, strict=False))


def test_cycle_service_reorder_point_and_eoq_are_the_textbook_ones() -> None:
    out = calculate_policies(_items()).row(0, named=True)
    sigma = 3.0 * math.sqrt(4.0)
    assert out["reorder_point_units"] == pytest.approx(40.0 + norm.ppf(0.95) * sigma, rel=1e-6)
    eoq = math.sqrt(2 * 30.0 * 10.0 / (12.0 * 0.25 / 365))
    assert out["order_quantity_units"] == pytest.approx(eoq, rel=1e-6)
    assert out["cycle_service_level_achieved"] == pytest.approx(0.95, rel=1e-6)


def test_lead_time_spread_widens_lead_time_demand() -> None:
    out = calculate_policies(_items(lead_time_sd_days=[1.5])).row(0, named=True)
    assert out["lead_time_demand_sd_units"] == pytest.approx(
        math.sqrt(4.0 * 3.0**2 + 10.0**2 * 1.5**2), rel=1e-9
    )


def test_an_all_units_tier_is_taken_when_it_is_cheaper_overall() -> None:
    items = _items(
        demand_mean_units_per_day=[0.5], demand_sd_units_per_day=[0.6], unit_cost_usd=[25.0],
        tier2_min_quantity_units=[50.0], tier2_unit_cost_usd=[24.0], moq_units=[10.0],
        order_multiple_units=[5.0],
    )  # fmt: skip
    out = calculate_policies(items).row(0, named=True)

    def daily_cost(q: float, price: float) -> float:
        return 30.0 * 0.5 / q + q / 2 * price * 0.25 / 365 + 0.5 * price

    at_base = min(daily_cost(q, 25.0) for q in range(10, 50, 5))
    assert daily_cost(50.0, 24.0) < at_base
    assert out["order_quantity_units"] == 50.0
    assert out["unit_price_usd"] == 24.0


def test_a_fill_rate_target_is_met_by_the_normal_loss_function() -> None:
    out = calculate_policies(_items(service_measure=["fill_rate"], service_target=[0.99])).row(
        0, named=True
    )
    sigma, q = 6.0, out["order_quantity_units"]
    z = (out["reorder_point_units"] - 40.0) / sigma
    loss = norm.pdf(z) - z * norm.sf(z)
    assert 1 - sigma * loss / q == pytest.approx(0.99, abs=1e-6)


def test_outputs_follow_the_items_columns() -> None:
    out = calculate_policies(_items())
    assert out.columns == [*POLICY_ITEMS.column_names, *POLICY_OUTPUTS]


def test_the_calculator_document_is_current() -> None:
    assert DOC.read_text() == render_policy_calculator()
