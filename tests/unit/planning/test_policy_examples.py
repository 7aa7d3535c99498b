"""Worked examples: the three catalogue SKUs measured against stockpyl, and brute-force optima.

SKUs A (slow), B (medium) and C (fast) are the examples of the peer measurements: demand per day,
sd per day, lead time in days, unit cost, critical ratio ``CR = p/(p + h)``; holding cost 25 % a
year of the unit cost, per unit per day; ``K = $30`` per order. The published answers are
rounded to the digits shown there, so the tolerances are half a unit of the last digit.
"""

from __future__ import annotations

import itertools
from collections.abc import Callable

import numpy as np
import pytest

from shopops.planning import policy as pp

DEMAND = np.array([0.5, 5.0, 40.0])
DEMAND_SD = np.array([0.6, 3.0, 15.0])
LEAD_TIME = np.array([14.0, 7.0, 5.0])
UNIT_COST = np.array([25.0, 12.0, 6.0])
CRITICAL_RATIO = np.array([0.95, 0.95, 0.98])
HOLDING = 0.25 * UNIT_COST / 365.0
STOCKOUT = HOLDING * CRITICAL_RATIO / (1.0 - CRITICAL_RATIO)
FIXED = 30.0


def test_base_stock_levels_of_skus_a_b_c() -> None:
    plan = pp.newsvendor_normal(HOLDING, STOCKOUT, DEMAND, DEMAND_SD, lead_time_periods=LEAD_TIME)
    np.testing.assert_allclose(plan.stock_level_units, [11.32, 53.96, 315.46], atol=0.005)


@pytest.mark.parametrize(
    "method", [pp.r_q_exact_normal, pp.r_q_loss_function_approximation], ids=["exact", "loss"]
)
def test_r_q_normal_of_skus_a_b_c(method: Callable[..., pp.RQPolicy]) -> None:
    plan = method(HOLDING, STOCKOUT, FIXED, DEMAND, DEMAND_SD, LEAD_TIME)
    published_r, published_q = [5.05, 25.51, 195.54], [43.81, 198.75, 786.53]
    np.testing.assert_allclose(plan.reorder_point_units, published_r, atol=0.005)
    # The published Q came from a numerical search over a cost that is flat in Q (a 1 % change
    # of Q moves the cost by about 1e-6), so it is matched to 0.01 %; the cost to its digits.
    np.testing.assert_allclose(plan.order_quantity_units, published_q, rtol=1e-4, atol=0.005)
    np.testing.assert_allclose(plan.expected_cost_usd_per_day, [0.717, 1.556, 3.214], atol=5e-4)
    published = pp.r_q_cost_normal(
        published_r, published_q, HOLDING, STOCKOUT, FIXED, DEMAND, DEMAND_SD, LEAD_TIME
    )
    assert np.all(
        plan.expected_cost_usd_per_day <= published.expected_cost_usd_per_day * (1 + 1e-9)
    )


def test_r_q_poisson_of_skus_a_b_c() -> None:
    plan = pp.r_q_exact_poisson(HOLDING, STOCKOUT, FIXED, DEMAND, LEAD_TIME)
    np.testing.assert_array_equal(plan.reorder_point_units, [5, 25, 185])
    np.testing.assert_array_equal(plan.order_quantity_units, [44, 197, 777])
    np.testing.assert_allclose(plan.expected_cost_usd_per_day, [0.723, 1.545, 3.134], atol=5e-4)


def test_s_s_poisson_of_skus_a_b_c_with_zero_lead_time() -> None:
    plan = pp.s_s_exact_poisson(HOLDING, STOCKOUT, FIXED, DEMAND)
    np.testing.assert_array_equal(plan.reorder_point_units, [-2, -5, 24])
    np.testing.assert_array_equal(plan.order_up_to_level_units, [41, 188, 777])
    np.testing.assert_allclose(plan.expected_cost_usd_per_period, [0.700, 1.532, 3.114], atol=5e-4)


def test_s_s_power_approximation_of_skus_a_b_c() -> None:
    plan = pp.s_s_power_approximation(HOLDING, STOCKOUT, FIXED, DEMAND, DEMAND_SD)
    np.testing.assert_allclose(plan.reorder_point_units, [-1.43, -3.63, 24.71], atol=0.005)
    np.testing.assert_allclose(plan.order_up_to_level_units, [43.38, 185.71, 760.63], atol=0.005)


def _brute_force_s_s(
    h: float, p: float, k: float, mean: float, lead: float, span: range
) -> tuple[int, int, float]:
    pairs = [(s, big) for s, big in itertools.product(span, span) if big > s]
    s, big = (np.array(v, dtype=float) for v in zip(*pairs, strict=True))
    cost = pp.s_s_cost_poisson(s, big, h, p, k, mean, lead_time_periods=lead)
    best = int(np.argmin(cost.expected_cost_usd_per_period))
    return int(s[best]), int(big[best]), float(cost.expected_cost_usd_per_period[best])


@pytest.mark.parametrize(
    ("h", "p", "k", "mean", "lead"),
    [(1.0, 4.0, 5.0, 6.0, 0.0), (1.0, 9.0, 64.0, 4.0, 2.0), (0.5, 12.0, 20.0, 1.5, 5.0)],
)
def test_s_s_exact_with_lead_time_matches_brute_force(
    h: float, p: float, k: float, mean: float, lead: float
) -> None:
    plan = pp.s_s_exact_poisson(h, p, k, mean, lead_time_periods=lead)
    centre = int(mean * (lead + 1))
    s, big, cost = _brute_force_s_s(h, p, k, mean, lead, range(centre - 25, centre + 45))
    assert (plan.reorder_point_units[0], plan.order_up_to_level_units[0]) == (s, big)
    assert plan.expected_cost_usd_per_period[0] == pytest.approx(cost, rel=1e-12)


@pytest.mark.parametrize(
    ("h", "p", "k", "rate", "lead"), [(20.0, 150.0, 100.0, 1.5, 2.0), (0.3, 9.0, 25.0, 4.0, 3.0)]
)
def test_r_q_poisson_matches_brute_force(
    h: float, p: float, k: float, rate: float, lead: float
) -> None:
    plan = pp.r_q_exact_poisson(h, p, k, rate, lead)
    grid = np.array(list(itertools.product(range(-10, 40), range(1, 80))), dtype=float)
    cost = pp.r_q_cost_poisson(grid[:, 0], grid[:, 1], h, p, k, rate, lead)
    best = int(np.argmin(cost.expected_cost_usd_per_day))
    assert plan.reorder_point_units[0] == grid[best, 0]
    assert plan.order_quantity_units[0] == grid[best, 1]


@pytest.mark.parametrize("kind", ["all_units", "incremental"])
def test_order_quantity_with_moq_and_multiple_matches_brute_force(kind: pp.DiscountKind) -> None:
    breaks = [[0.0, 400.0, 800.0], [50.0, 300.0, np.nan], [10.0, np.nan, np.nan]]
    prices = [[0.75, 0.72, 0.68], [2.0, 1.7, np.nan], [5.0, np.nan, np.nan]]
    moq, multiple = np.array([0.0, 120.0, 35.0]), np.array([48.0, 25.0, 12.0])
    plan = pp.discounted_order_quantity(
        8.0, 0.3, 1300.0, breaks, prices, kind=kind, moq_units=moq, order_multiple_units=multiple
    )
    for row in range(3):
        quantities = multiple[row] * np.arange(1, 400)
        quantities = quantities[quantities >= moq[row]]
        cost = _discount_cost(kind, quantities, breaks[row], prices[row])
        assert plan.order_quantity_units[row] == quantities[int(np.nanargmin(cost))]
        assert plan.cost_usd_per_day[row] == pytest.approx(np.nanmin(cost), rel=1e-12)


def _discount_cost(
    kind: str, quantity: np.ndarray, breaks: list[float], prices: list[float]
) -> np.ndarray:
    b = np.array([x for x in breaks if not np.isnan(x)])
    c = np.array(prices[: b.size])
    tier = np.searchsorted(b, quantity, side="right") - 1
    if kind == "all_units":
        purchase = c[tier] * quantity
    else:
        edges = np.append(b, np.inf)
        below = np.concatenate([[c[0] * b[0]], c[0] * b[0] + np.cumsum(c[:-1] * np.diff(b))])
        purchase = below[tier] + c[tier] * (quantity - edges[tier])
    purchase = np.where(tier >= 0, purchase, np.nan)
    return np.asarray(1300.0 * (purchase + 8.0) / quantity + 0.3 * purchase / 2.0)
