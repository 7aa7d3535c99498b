"""The frame-level policy engine and the shape of every result: inputs kept beside the answers."""

from __future__ import annotations

import doctest
import importlib
import pkgutil
from types import ModuleType

import numpy as np
import polars as pl
import pytest

from shopops.planning import policy as pp


def _items() -> pl.DataFrame:
    return pl.DataFrame(
        {
            "sku_id": ["A", "B", "C", "D"],
            "warehouse_id": ["W1", "W1", "W2", "W2"],
            "demand_mean_units_per_day": [10.0, 5.0, 40.0, 0.5],
            "demand_sd_units_per_day": [3.0, 3.0, 15.0, 0.6],
            "lead_time_mean_days": [4.0, 7.0, 5.0, 14.0],
            "lead_time_sd_days": [1.0, 0.0, 0.0, 2.0],
            "review_period_days": [0.0, 7.0, 0.0, 7.0],
            "cycle_service_level": [0.95, 0.95, None, 0.9],
            "fill_rate": [None, 0.99, 0.99, None],
            "fixed_order_cost_usd": [30.0, 30.0, 30.0, 30.0],
            "holding_cost_rate_per_day": [0.25 / 365] * 4,
            "tier_min_quantity_units": [[1.0, 100.0, 500.0], [10.0], [50.0, 1000.0], [1.0]],
            "tier_unit_price_usd": [[12.0, 11.0, 10.0], [5.0], [6.0, 5.5], [25.0]],
            "moq_units": [0.0, 20.0, 0.0, 0.0],
            "order_multiple_units": [0.0, 0.0, 12.0, 0.0],
        }
    )


def test_compute_policies_keeps_every_input_column_and_adds_the_answers() -> None:
    items = _items()
    plan = pp.compute_policies(items)
    assert plan.columns[: len(items.columns)] == items.columns
    assert plan.select(items.columns).equals(items)
    for column in (
        "lead_time_demand_mean_units",
        "lead_time_demand_sd_units",
        "z",
        "safety_stock_units",
        "reorder_point_units",
        "order_up_to_level_units",
        "order_quantity_units",
        "tier_index",
        "unit_price_usd",
        "cycle_service_level_achieved",
        "fill_rate_achieved",
    ):
        assert column in plan.columns


def test_compute_policies_follows_the_review_mode_and_service_target_of_each_row() -> None:
    plan = pp.compute_policies(_items())
    reorder = plan["reorder_point_units"].to_numpy()
    order_up_to = plan["order_up_to_level_units"].to_numpy()
    quantity = plan["order_quantity_units"].to_numpy()
    assert np.isnan(reorder[[1, 3]]).all()
    np.testing.assert_allclose(order_up_to[[0, 2]], reorder[[0, 2]] + quantity[[0, 2]])
    np.testing.assert_allclose(plan["cycle_service_level_achieved"].to_numpy()[[0, 3]], [0.95, 0.9])
    np.testing.assert_allclose(plan["fill_rate_achieved"].to_numpy()[[1, 2]], [0.99, 0.99])
    assert quantity[2] % 12 == 0
    assert quantity[1] >= 20


def test_compute_policies_matches_the_array_engines() -> None:
    plan = pp.compute_policies(_items().slice(0, 1))
    stock = pp.reorder_point_for_cycle_service(10.0, 3.0, 4.0, 0.95, lead_time_sd_days=1.0)
    lot = pp.discounted_order_quantity(
        30.0, 0.25 / 365, 10.0, [1.0, 100.0, 500.0], [12.0, 11.0, 10.0]
    )
    assert plan["reorder_point_units"][0] == pytest.approx(stock.stock_level_units[0])
    assert plan["order_quantity_units"][0] == pytest.approx(lot.order_quantity_units[0])


def test_compute_policies_accepts_a_single_price_instead_of_tiers() -> None:
    items = _items().drop("tier_min_quantity_units", "tier_unit_price_usd")
    plan = pp.compute_policies(items.with_columns(unit_price_usd=pl.lit(12.0)))
    assert (plan["tier_index"] == 0).all()


def test_compute_policies_of_no_rows_is_an_empty_frame_with_the_answer_columns() -> None:
    plan = pp.compute_policies(_items().clear())
    assert plan.height == 0
    assert "reorder_point_units" in plan.columns


def test_compute_policies_names_a_missing_column() -> None:
    with pytest.raises(ValueError, match="demand_sd_units_per_day"):
        pp.compute_policies(_items().drop("demand_sd_units_per_day"))


def test_compute_policies_needs_a_service_target_per_row() -> None:
    items = _items().with_columns(cycle_service_level=pl.lit(None, pl.Float64))
    with pytest.raises(ValueError, match="cycle_service_level or a fill_rate"):
        pp.compute_policies(items)


@pytest.mark.parametrize(("column", "value"), [("cycle_service_level", 1.0), ("fill_rate", 0.0)])
def test_compute_policies_refuses_service_targets_outside_zero_to_one(
    column: str, value: float
) -> None:
    with pytest.raises(ValueError, match=f"{column} must lie strictly between 0 and 1"):
        pp.compute_policies(_items().with_columns(pl.lit(value).alias(column)))


def test_results_become_frames_with_inputs_beside_answers() -> None:
    results: list[pp.PolicyTable] = [
        pp.compute_lead_time_demand([1.0, 2.0], 1.0, 3.0),
        pp.reorder_point_for_cycle_service([1.0, 2.0], 1.0, 3.0, 0.9),
        pp.economic_order_quantity(8.0, 0.2, [10.0, 20.0]),
        pp.discounted_order_quantity(8.0, 0.2, [10.0, 20.0], [0.0, 50.0], [2.0, 1.8]),
        pp.newsvendor_normal(1.0, 4.0, [5.0, 6.0], 1.0),
        pp.one_shot_buy(10.0, 4.0, 1.0, [50.0, 60.0], 8.0),
        pp.r_q_exact_normal(1.0, 9.0, 30.0, [5.0, 6.0], 2.0, 4.0),
        pp.r_q_eil_approximation(1.0, 90.0, 30.0, [5.0, 6.0], 2.0, 4.0),
        pp.r_q_exact_poisson(1.0, 9.0, 30.0, [5.0, 6.0], 4.0),
        pp.s_s_exact_poisson(1.0, 9.0, 30.0, [5.0, 6.0]),
        pp.s_s_power_approximation(1.0, 9.0, 30.0, [5.0, 6.0], 2.0),
    ]
    for result in results:
        frame = result.to_frame()
        assert frame.height == 2
        assert all(dtype.is_numeric() for dtype in frame.dtypes)


def test_inputs_are_not_modified() -> None:
    mean = np.array([5.0, 6.0])
    quantity = np.array([100.0, 120.0])
    before = (mean.copy(), quantity.copy())
    pp.reorder_point_for_fill_rate(mean, 2.0, 4.0, 0.98, quantity)
    pp.s_s_exact_poisson(1.0, 9.0, 30.0, mean)
    np.testing.assert_array_equal(mean, before[0])
    np.testing.assert_array_equal(quantity, before[1])


def test_public_names_are_all_exported() -> None:
    public = {
        name
        for name, value in vars(pp).items()
        if not name.startswith("_") and not isinstance(value, ModuleType)
    }
    assert set(pp.__all__) == public
    assert len(pp.__all__) == len(set(pp.__all__))


def _policy_modules() -> list[ModuleType]:
    names = [info.name for info in pkgutil.iter_modules(pp.__path__)]
    return [importlib.import_module(f"{pp.__name__}.{name}") for name in sorted(names)]


@pytest.mark.parametrize("module", _policy_modules(), ids=lambda m: m.__name__.rsplit(".", 1)[1])
def test_docstring_examples_run(module: ModuleType) -> None:
    result = doctest.testmod(module, optionflags=doctest.NORMALIZE_WHITESPACE)
    assert result.failed == 0
