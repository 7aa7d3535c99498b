"""A unit that can only come late is still bought when it is worth it: the late penalty cap."""

from __future__ import annotations

import datetime as dt

import polars as pl
import pytest

from shopops.planning.sourcing import SourcingRules, award_suppliers

ORDER_DATE = dt.date(2026, 11, 25)


def _award(rules: SourcingRules) -> tuple[pl.DataFrame, pl.DataFrame]:
    # 100 units needed in 5 days; the only offer takes 65 days: 60 days late.
    # Price 10 USD a unit sells for 50; 60 days x 2 %/day = 120 % of 50 = 60 USD uncapped.
    requirements = pl.DataFrame(
        {
            "requirement_id": [1],
            "sku_id": ["S"],
            "category_id": ["C"],
            "warehouse_id": ["W"],
            "abc_class": ["B"],
            "need_by_date": [ORDER_DATE + dt.timedelta(days=5)],
            "quantity_units": [100],
            "shortfall_cost_usd_per_unit": [50.0],
        }
    )
    offers = pl.DataFrame(
        {
            "offer_id": ["O"],
            "supplier_id": ["P"],
            "sku_id": ["S"],
            "moq_units": [1],
            "order_multiple_units": [1],
            "lead_time_days": [65.0],
            "capacity_units_per_week": [1_000],
            "freight_usd_per_unit": [0.0],
            "duty_rate": [0.0],
            "fixed_order_cost_usd": [0.0],
            "expedite_lead_time_days": pl.Series([None], dtype=pl.Float64),
            "expedite_cost_usd_per_unit": pl.Series([None], dtype=pl.Float64),
        }
    )
    tiers = pl.DataFrame({"offer_id": ["O"], "min_quantity_units": [1], "unit_price_usd": [10.0]})
    suppliers = pl.DataFrame(
        {
            "supplier_id": ["P"],
            "risk_score": [0.0],
            "excluded_reason": pl.Series([None], dtype=pl.String),
            "warning": pl.Series([None], dtype=pl.String),
        }
    )
    award = award_suppliers(
        requirements, offers, tiers, suppliers, order_date=ORDER_DATE, rules=rules
    )
    return award.lines, award.shortfalls


def test_a_late_unit_worth_buying_is_bought_with_the_capped_penalty() -> None:
    lines, shortfalls = _award(SourcingRules())
    assert shortfalls.is_empty()
    [line] = lines.to_dicts()
    assert line["quantity_units"] == 100
    assert line["late_days"] == 60
    assert line["total_cost_usd"] == pytest.approx(1_000.0)
    # counted in the choice, not paid: 100 x min(60 x 0.02, 0.5) x 50
    assert line["late_penalty_usd"] == pytest.approx(2_500.0)


def test_without_the_cap_the_same_units_are_left_short() -> None:
    lines, shortfalls = _award(SourcingRules(late_penalty_cap_share=1.0))
    assert lines.is_empty()
    assert shortfalls["quantity_units"].to_list() == [100]
