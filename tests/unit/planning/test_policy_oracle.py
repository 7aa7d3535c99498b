"""The policy engines against stockpyl, instance by instance, on small random samples.

stockpyl (Snyder's reference implementation of the textbook) is the oracle: for each sample the
engines must give the same integer policies and the same costs. The exact (r, Q) and (s, S)
searches of stockpyl take time growing with the square of the lot size, so those samples use
small lots.
"""

from __future__ import annotations

import numpy as np
import pytest

from shopops.planning import policy as pp

eoq = pytest.importorskip("stockpyl.eoq")
loss_functions = pytest.importorskip("stockpyl.loss_functions")
newsvendor = pytest.importorskip("stockpyl.newsvendor")
rq = pytest.importorskip("stockpyl.rq")
ss = pytest.importorskip("stockpyl.ss")


def _rng(seed: int) -> np.random.Generator:
    return np.random.default_rng(seed)


def _normal_instances(seed: int, count: int) -> list[tuple[float, ...]]:
    """(h, p, K, annual demand, annual sd, lead time in years), textbook-style magnitudes."""
    rng = _rng(seed)
    return [
        (
            float(rng.uniform(0.1, 5.0)),
            float(rng.uniform(2.0, 60.0)),
            float(rng.uniform(5.0, 100.0)),
            float(rng.uniform(100.0, 3000.0)),
            float(rng.uniform(20.0, 300.0)),
            float(rng.uniform(0.01, 0.3)),
        )
        for _ in range(count)
    ]


@pytest.mark.parametrize("instance", _normal_instances(1, 12))
def test_normal_newsvendor_matches_stockpyl(instance: tuple[float, ...]) -> None:
    h, p, _, mean, sd, _ = instance
    for lead in (0, 3):
        expected_level, expected_cost = newsvendor.newsvendor_normal(h, p, mean, sd, lead)
        plan = pp.newsvendor_normal(h, p, mean, sd, lead_time_periods=lead)
        assert plan.stock_level_units[0] == pytest.approx(expected_level, rel=1e-12)
        assert plan.expected_cost_usd[0] == pytest.approx(expected_cost, rel=1e-9)


@pytest.mark.parametrize("seed", range(12))
def test_poisson_newsvendor_matches_stockpyl(seed: int) -> None:
    rng = _rng(100 + seed)
    h, p, mean = rng.uniform(0.1, 5.0), rng.uniform(0.5, 60.0), rng.uniform(0.2, 300.0)
    expected_level, expected_cost = newsvendor.newsvendor_poisson(h, p, mean)
    plan = pp.newsvendor_poisson(h, p, mean)
    assert plan.stock_level_units[0] == expected_level
    assert plan.expected_cost_usd[0] == pytest.approx(expected_cost, rel=1e-9)


@pytest.mark.parametrize("seed", range(10))
def test_loss_functions_match_stockpyl(seed: int) -> None:
    rng = _rng(200 + seed)
    mean, sd = rng.uniform(1.0, 200.0), rng.uniform(0.5, 50.0)
    x = float(np.round(mean + rng.uniform(-3.0, 3.0) * sd))
    pairs = [
        (pp.normal_loss(x, mean, sd), loss_functions.normal_loss(x, mean, sd)),
        (pp.normal_second_loss(x, mean, sd), loss_functions.normal_second_loss(x, mean, sd)),
        (pp.poisson_loss(int(x), mean), loss_functions.poisson_loss(int(x), mean)),
        (pp.poisson_second_loss(int(x), mean), loss_functions.poisson_second_loss(int(x), mean)),
    ]
    for ours, theirs in pairs:
        # stockpyl's textbook formula loses digits in the far tail; 1e-9 units is plenty
        np.testing.assert_allclose(np.ravel(ours), np.ravel(theirs), rtol=1e-9, atol=1e-9)


@pytest.mark.parametrize("seed", range(10))
def test_discount_order_quantities_match_stockpyl(seed: int) -> None:
    rng = _rng(300 + seed)
    tiers = int(rng.integers(2, 5))
    upper = np.sort(rng.choice(np.arange(50, 3000, 50), tiers - 1, replace=False))
    breaks = [0.0, *(float(b) for b in upper)]
    prices = [float(c) for c in np.sort(rng.uniform(1.0, 50.0, tiers))[::-1]]
    fixed = float(rng.uniform(5.0, 500.0))
    rate, demand = float(rng.uniform(0.05, 0.4)), float(rng.uniform(100, 20000))
    for kind, oracle in (
        ("all_units", eoq.economic_order_quantity_with_all_units_discounts),
        ("incremental", eoq.economic_order_quantity_with_incremental_discounts),
    ):
        quantity, region, cost = oracle(fixed, rate, demand, breaks, prices)
        plan = pp.discounted_order_quantity(fixed, rate, demand, breaks, prices, kind=kind)  # type: ignore[arg-type]
        assert plan.order_quantity_units[0] == pytest.approx(quantity, rel=1e-12)
        assert plan.tier_index[0] == region
        assert plan.cost_usd_per_day[0] == pytest.approx(cost, rel=1e-12)


@pytest.mark.parametrize("instance", _normal_instances(400, 10))
def test_normal_r_q_cost_and_best_reorder_point_match_stockpyl(instance: tuple[float, ...]) -> None:
    h, p, k, mean, sd, lead = instance
    quantity = float(np.sqrt(2 * k * mean / h))
    reorder = mean * lead
    cost = pp.r_q_cost_normal(reorder, quantity, h, p, k, mean, sd, lead)
    expected = rq.r_q_cost(reorder, quantity, h, p, k, mean, sd, lead)
    assert cost.expected_cost_usd_per_day[0] == pytest.approx(expected, rel=1e-12)
    best = pp.r_q_optimal_reorder_point_normal(quantity, h, p, k, mean, sd, lead)
    # stockpyl bisects to 1e-6 by default; ask for far tighter to compare
    expected_r = rq.r_q_optimal_r_for_q(quantity, h, p, mean, sd, lead, tol=1e-12)
    assert best.reorder_point_units[0] == pytest.approx(expected_r, abs=1e-6 * sd)


@pytest.mark.parametrize("instance", _normal_instances(500, 8))
def test_normal_r_q_approximations_match_stockpyl(instance: tuple[float, ...]) -> None:
    h, p, k, mean, sd, lead = instance
    cases = [
        (pp.r_q_loss_function_approximation, rq.r_q_loss_function_approximation, 1e-6),
        (pp.r_q_eoqb_approximation, rq.r_q_eoqb_approximation, 1e-6),
        (pp.r_q_eoq_safety_stock_approximation, rq.r_q_eoqss_approximation, 1e-12),
    ]
    for ours, theirs, tolerance in cases:
        plan = ours(h, p, k, mean, sd, lead)
        expected_r, expected_q = theirs(h, p, k, mean, sd, lead)[:2]
        assert plan.order_quantity_units[0] == pytest.approx(expected_q, rel=tolerance)
        scale = sd * np.sqrt(lead)
        assert plan.reorder_point_units[0] == pytest.approx(expected_r, abs=tolerance * scale * 10)
    eil = pp.r_q_eil_approximation(h, p, k, mean, sd, lead)
    if np.isfinite(eil.order_quantity_units[0]):
        expected_r, expected_q, expected_cost = rq.r_q_eil_approximation(h, p, k, mean, sd, lead)
        assert eil.order_quantity_units[0] == pytest.approx(expected_q, rel=1e-6)
        assert eil.reorder_point_units[0] == pytest.approx(
            expected_r, abs=1e-5 * sd * np.sqrt(lead)
        )
        assert eil.expected_cost_usd_per_day[0] == pytest.approx(expected_cost, rel=1e-6)


def _small_poisson_instances(seed: int, count: int) -> list[tuple[float, ...]]:
    """(h, p, K, demand per period, lead time) with lots of 5-40 units."""
    rng = _rng(seed)
    instances: list[tuple[float, ...]] = []
    for _ in range(count):
        mean = float(rng.uniform(0.3, 8.0))
        h = float(rng.uniform(0.2, 3.0))
        lot = float(rng.uniform(5.0, 40.0))
        k = h * lot * lot / (2 * mean)
        ratio = float(rng.uniform(0.7, 0.98))
        instances.append((h, h * ratio / (1 - ratio), k, mean, float(rng.integers(0, 4))))
    return instances


@pytest.mark.parametrize("instance", _small_poisson_instances(600, 6))
def test_poisson_r_q_exact_matches_stockpyl(instance: tuple[float, ...]) -> None:
    h, p, k, mean, lead = instance
    lead = lead + 0.5
    expected_r, expected_q, expected_cost = rq.r_q_poisson_exact(h, p, k, mean, lead)
    plan = pp.r_q_exact_poisson(h, p, k, mean, lead)
    assert (plan.reorder_point_units[0], plan.order_quantity_units[0]) == (expected_r, expected_q)
    assert plan.expected_cost_usd_per_day[0] == pytest.approx(expected_cost, rel=1e-10)


@pytest.mark.parametrize("instance", _small_poisson_instances(700, 6))
def test_poisson_s_s_exact_and_cost_match_stockpyl(instance: tuple[float, ...]) -> None:
    h, p, k, mean, _ = instance
    expected_s, expected_big_s, expected_cost = ss.s_s_discrete_exact(h, p, k, True, mean)
    plan = pp.s_s_exact_poisson(h, p, k, mean)
    assert plan.reorder_point_units[0] == expected_s
    assert plan.order_up_to_level_units[0] == expected_big_s
    assert plan.expected_cost_usd_per_period[0] == pytest.approx(expected_cost, rel=1e-10)
    other_s, other_big_s = expected_s - 2, expected_big_s + 3
    cost = pp.s_s_cost_poisson(other_s, other_big_s, h, p, k, mean)
    expected = ss.s_s_cost_discrete(other_s, other_big_s, h, p, k, True, mean)
    assert cost.expected_cost_usd_per_period[0] == pytest.approx(expected, rel=1e-10)


@pytest.mark.parametrize("instance", _normal_instances(800, 12))
def test_power_approximation_matches_stockpyl(instance: tuple[float, ...]) -> None:
    h, p, k, mean, sd, _ = instance
    expected_s, expected_big_s = ss.s_s_power_approximation(h, p, k, mean / 52, sd / 7)
    plan = pp.s_s_power_approximation(h, p, k, mean / 52, sd / 7)
    assert plan.reorder_point_units[0] == pytest.approx(expected_s, rel=1e-12, abs=1e-9)
    assert plan.order_up_to_level_units[0] == pytest.approx(expected_big_s, rel=1e-12)
