"""Builders of the sourcing input frames for the tests, and the checks on those inputs."""

from __future__ import annotations

import datetime as dt
from typing import Any

import polars as pl
import pytest

from shopops.planning.sourcing import SourcingRules, award_suppliers

ORDER_DATE = dt.date(2025, 3, 3)
"""A Monday: need-by dates 0-6 days after a Monday share its week."""
NO_LIMIT = 10**9

REQUIREMENT_SCHEMA = {
    "requirement_id": pl.Int64,
    "sku_id": pl.Utf8,
    "category_id": pl.Utf8,
    "warehouse_id": pl.Utf8,
    "abc_class": pl.Utf8,
    "need_by_date": pl.Date,
    "quantity_units": pl.Int64,
    "shortfall_cost_usd_per_unit": pl.Float64,
}
OFFER_SCHEMA = {
    "offer_id": pl.Utf8,
    "supplier_id": pl.Utf8,
    "sku_id": pl.Utf8,
    "moq_units": pl.Int64,
    "order_multiple_units": pl.Int64,
    "lead_time_days": pl.Float64,
    "capacity_units_per_week": pl.Int64,
    "freight_usd_per_unit": pl.Float64,
    "duty_rate": pl.Float64,
    "fixed_order_cost_usd": pl.Float64,
    "expedite_lead_time_days": pl.Float64,
    "expedite_cost_usd_per_unit": pl.Float64,
}
TIER_SCHEMA = {"offer_id": pl.Utf8, "min_quantity_units": pl.Int64, "unit_price_usd": pl.Float64}
SUPPLIER_SCHEMA = {
    "supplier_id": pl.Utf8,
    "risk_score": pl.Float64,
    "excluded_reason": pl.Utf8,
    "warning": pl.Utf8,
}


def requirement(
    requirement_id: int,
    quantity_units: int,
    *,
    sku_id: str = "K1",
    need_in_days: int = 30,
    category_id: str = "C1",
    warehouse_id: str = "W1",
    abc_class: str | None = "C",
    shortfall_cost: float = 100.0,
) -> dict[str, Any]:
    return {
        "requirement_id": requirement_id,
        "sku_id": sku_id,
        "category_id": category_id,
        "warehouse_id": warehouse_id,
        "abc_class": abc_class,
        "need_by_date": ORDER_DATE + dt.timedelta(days=need_in_days),
        "quantity_units": quantity_units,
        "shortfall_cost_usd_per_unit": shortfall_cost,
    }


def offer(
    offer_id: str,
    supplier_id: str,
    *,
    sku_id: str = "K1",
    moq: int = 0,
    multiple: int = 1,
    lead_days: float = 10.0,
    capacity: int = NO_LIMIT,
    freight: float = 0.0,
    duty: float = 0.0,
    fixed: float = 0.0,
    expedite_days: float | None = None,
    expedite_cost: float | None = None,
) -> dict[str, Any]:
    return {
        "offer_id": offer_id,
        "supplier_id": supplier_id,
        "sku_id": sku_id,
        "moq_units": moq,
        "order_multiple_units": multiple,
        "lead_time_days": lead_days,
        "capacity_units_per_week": capacity,
        "freight_usd_per_unit": freight,
        "duty_rate": duty,
        "fixed_order_cost_usd": fixed,
        "expedite_lead_time_days": expedite_days,
        "expedite_cost_usd_per_unit": expedite_cost,
    }


def supplier(
    supplier_id: str,
    *,
    risk: float = 0.0,
    excluded: str | None = None,
    warning: str | None = None,
) -> dict[str, Any]:
    return {
        "supplier_id": supplier_id,
        "risk_score": risk,
        "excluded_reason": excluded,
        "warning": warning,
    }


def frames(
    requirements: list[dict[str, Any]],
    offers: list[dict[str, Any]],
    tiers: list[tuple[str, int, float]],
    suppliers: list[dict[str, Any]] | None = None,
) -> dict[str, pl.DataFrame]:
    """The four input frames; suppliers default to every supplier of ``offers``, no risk."""
    if suppliers is None:
        names = sorted({o["supplier_id"] for o in offers})
        suppliers = [supplier(name) for name in names]
    return {
        "requirements": pl.DataFrame(requirements, schema=REQUIREMENT_SCHEMA),
        "offers": pl.DataFrame(offers, schema=OFFER_SCHEMA),
        "tiers": pl.DataFrame(
            [dict(zip(TIER_SCHEMA, t, strict=True)) for t in tiers], schema=TIER_SCHEMA
        ),
        "suppliers": pl.DataFrame(suppliers, schema=SUPPLIER_SCHEMA),
    }


def award(inputs: dict[str, pl.DataFrame], rules: SourcingRules | None = None) -> Any:
    """The decomposed award of ``inputs`` placed on :data:`ORDER_DATE`, solved exactly."""
    rules = rules or SourcingRules(mip_gap=1e-9)
    return award_suppliers(**inputs, order_date=ORDER_DATE, rules=rules, workers=1)


def lines_by_offer(result: Any) -> dict[str, int]:
    """Units awarded per offer over all requirements."""
    grouped = result.lines.group_by("offer_id").agg(pl.col("quantity_units").sum())
    return dict(zip(grouped["offer_id"], grouped["quantity_units"], strict=True))


def _simple_inputs() -> dict[str, pl.DataFrame]:
    return frames([requirement(1, 10)], [offer("O1", "S1")], [("O1", 1, 5.0)])


@pytest.mark.parametrize(
    ("frame", "column"),
    [
        ("requirements", "need_by_date"),
        ("requirements", "shortfall_cost_usd_per_unit"),
        ("offers", "capacity_units_per_week"),
        ("offers", "expedite_cost_usd_per_unit"),
        ("tiers", "unit_price_usd"),
        ("suppliers", "excluded_reason"),
    ],
)
def test_a_missing_column_is_named_in_the_error(frame: str, column: str) -> None:
    inputs = _simple_inputs()
    inputs[frame] = inputs[frame].drop(column)
    with pytest.raises(ValueError, match=column):
        award(inputs)


def test_duplicate_requirement_ids_and_empty_quantities_are_refused() -> None:
    twice = frames([requirement(1, 10), requirement(1, 5)], [offer("O1", "S1")], [("O1", 1, 5.0)])
    with pytest.raises(ValueError, match="requirement_id must be unique"):
        award(twice)
    empty = frames([requirement(1, 0)], [offer("O1", "S1")], [("O1", 1, 5.0)])
    with pytest.raises(ValueError, match="quantity_units must be positive"):
        award(empty)


def test_rules_outside_their_range_are_refused() -> None:
    with pytest.raises(ValueError, match="category_share_cap"):
        SourcingRules(category_share_cap=0.0)
    with pytest.raises(ValueError, match="dual_source_min_share"):
        SourcingRules(dual_source_min_share=0.6)
    assert SourcingRules(category_share_cap=0.7).suppliers_for_share_cap == 2
    assert SourcingRules(category_share_cap=0.3).suppliers_for_share_cap == 4


def test_no_requirements_give_empty_frames_with_their_columns() -> None:
    result = award(frames([], [offer("O1", "S1")], [("O1", 1, 5.0)]))
    assert result.lines.is_empty()
    assert "explanation" in result.lines.columns
    assert result.alternatives.columns[:4] == [
        "requirement_id",
        "offer_id",
        "supplier_id",
        "status",
    ]
    assert result.stats.objective_usd == 0.0


def test_an_offer_without_tiers_or_of_an_unknown_supplier_is_excluded_with_the_reason() -> None:
    inputs = frames(
        [requirement(1, 10)],
        [offer("O1", "S1"), offer("O2", "S9"), offer("O3", "S3")],
        [("O2", 1, 1.0), ("O3", 1, 6.0)],
        [supplier("S1"), supplier("S3")],
    )
    reasons = dict(award(inputs).alternatives.select("offer_id", "reason").iter_rows())
    assert reasons == {
        "O1": "no price tiers",
        "O2": "supplier not in the supplier list",
        "O3": None,
    }
