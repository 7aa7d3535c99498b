"""Properties of the policy engines that must hold for any sensible input (Hypothesis)."""

from __future__ import annotations

import numpy as np
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st
from scipy import integrate, stats

from shopops.planning import policy as pp

demand_per_day = st.floats(0.05, 500.0)
cv = st.floats(0.05, 2.0)
lead_time_days = st.floats(0.5, 60.0)
lead_time_cv = st.floats(0.0, 0.5)
service = st.floats(0.5, 0.999)
unit_cost = st.floats(0.5, 500.0)
critical_ratio = st.floats(0.6, 0.995)
fixed_cost = st.floats(1.0, 200.0)

pytestmark = pytest.mark.filterwarnings("ignore::hypothesis.errors.NonInteractiveExampleWarning")


@given(demand_per_day, cv, lead_time_days, lead_time_cv, service, service)
def test_safety_stock_rises_with_the_cycle_service_level(
    mean: float, sd_ratio: float, lead: float, lead_ratio: float, low: float, high: float
) -> None:
    low, high = sorted((low, high))
    plan = pp.reorder_point_for_cycle_service(
        mean, mean * sd_ratio, lead, [low, high], lead_time_sd_days=lead * lead_ratio
    )
    assert plan.safety_stock_units[0] <= plan.safety_stock_units[1]
    np.testing.assert_allclose(plan.cycle_service_level, [low, high], rtol=1e-12)


@settings(max_examples=60, deadline=None)
@given(demand_per_day, cv, lead_time_days, st.floats(0.80, 0.9995), st.floats(0.2, 60.0))
def test_fill_rate_of_the_reorder_point_equals_the_target_by_integration(
    mean: float, sd_ratio: float, lead: float, fill_rate: float, days_of_cover: float
) -> None:
    quantity = mean * days_of_cover
    plan = pp.reorder_point_for_fill_rate(mean, mean * sd_ratio, lead, fill_rate, quantity)
    mu, sigma = plan.lead_time_demand_mean_units[0], plan.lead_time_demand_sd_units[0]
    r = plan.stock_level_units[0]

    def short(d: float) -> float:
        return float((d - r) * stats.norm.pdf(d, mu, sigma))

    # the normal density outside mu +- 12 sigma adds less than 1e-30 of the mass
    low, high = max(r, mu - 12.0 * sigma), mu + 12.0 * sigma
    shortage = 0.0
    if low < high:
        shortage, _ = integrate.quad(
            short,
            low,
            high,
            points=[mu] if low < mu else None,
            epsabs=1e-13,
            epsrel=1e-11,
            limit=200,
        )
    assert 1.0 - shortage / quantity == pytest.approx(fill_rate, abs=1e-8)


@given(st.floats(-30.0, 30.0))
def test_inverse_loss_functions_undo_the_loss_functions(z: float) -> None:
    first = pp.standard_normal_loss(z).loss
    second = pp.standard_normal_second_loss(z).loss
    assert float(pp.inverse_standard_normal_loss(first)) == pytest.approx(z, abs=1e-7)
    assert float(pp.inverse_standard_normal_second_loss(second)) == pytest.approx(z, abs=1e-7)


@given(st.floats(-8.0, 8.0), st.floats(-100.0, 100.0), st.floats(0.01, 50.0))
def test_normal_loss_agrees_with_numerical_integration(x: float, mean: float, sd: float) -> None:
    level = mean + x * sd
    top = mean + 40.0 * sd

    def integral(power: int) -> float:
        def integrand(d: float) -> float:
            return float((d - level) ** power * stats.norm.pdf(d, mean, sd))

        return integrate.quad(integrand, level, top, epsabs=0.0, epsrel=1e-12, limit=200)[0]

    first = pp.normal_loss(level, mean, sd).loss
    second = pp.normal_second_loss(level, mean, sd).loss
    assert float(first) == pytest.approx(integral(1), rel=1e-7, abs=1e-300)
    assert float(second) == pytest.approx(0.5 * integral(2), rel=1e-7, abs=1e-300)


@given(st.integers(-5, 400), st.floats(0.01, 300.0))
def test_poisson_losses_agree_with_direct_sums(x: int, mean: float) -> None:
    support = np.arange(0, int(mean + 20 * np.sqrt(mean) + 40))
    pmf = stats.poisson.pmf(support, mean)
    first = pp.discrete_loss(x, support, pmf)
    second = pp.discrete_second_loss(x, support, pmf)
    assert float(pp.poisson_loss(x, mean).loss) == pytest.approx(float(first.loss), abs=1e-9)
    assert float(pp.poisson_second_loss(x, mean).loss) == pytest.approx(
        float(second.loss), rel=1e-8, abs=1e-9
    )


@given(demand_per_day, fixed_cost, unit_cost, st.floats(1.01, 10.0))
def test_eoq_costs_no_more_than_nearby_quantities(
    demand: float, fixed: float, cost: float, speed: float
) -> None:
    holding = 0.25 * cost / 365.0
    for plan in (
        pp.economic_order_quantity(fixed, holding, demand),
        pp.economic_production_quantity(fixed, holding, demand, demand * speed),
    ):
        q = plan.order_quantity_units[0]
        rate = plan.production_rate_units_per_day[0]
        nearby = pp.economic_production_quantity(
            fixed, holding, demand, rate, order_quantity_units=[0.9 * q, 1.1 * q]
        )
        assert np.all(plan.cost_usd_per_day[0] <= nearby.cost_usd_per_day)


def _costs(cost: float, ratio: float) -> tuple[float, float]:
    holding = 0.25 * cost / 365.0
    return holding, holding * ratio / (1.0 - ratio)


@settings(max_examples=40, deadline=None)
@given(demand_per_day, cv, lead_time_days, unit_cost, critical_ratio, fixed_cost)
def test_exact_normal_r_q_beats_its_neighbours_and_the_approximations(
    mean: float, sd_ratio: float, lead: float, cost: float, ratio: float, fixed: float
) -> None:
    h, p = _costs(cost, ratio)
    args = (h, p, fixed, mean, mean * sd_ratio, lead)
    best = pp.r_q_exact_normal(*args)
    r, q, g = (
        best.reorder_point_units[0],
        best.order_quantity_units[0],
        best.expected_cost_usd_per_day[0],
    )
    shifts = np.array([[0.02, 0], [-0.02, 0], [0, 0.02], [0, -0.02], [0.02, 0.02], [-0.02, -0.02]])
    nearby = pp.r_q_cost_normal(r + shifts[:, 0] * q, q * (1 + shifts[:, 1]), *args)
    assert np.all(g <= nearby.expected_cost_usd_per_day * (1 + 1e-12))
    for method in (
        pp.r_q_loss_function_approximation,
        pp.r_q_eoqb_approximation,
        pp.r_q_eoq_safety_stock_approximation,
    ):
        assert g <= method(*args).expected_cost_usd_per_day[0] * (1 + 1e-12)


@settings(max_examples=40, deadline=None)
@given(st.floats(0.05, 60.0), st.floats(0.0, 15.0), unit_cost, critical_ratio, fixed_cost)
def test_exact_poisson_r_q_beats_its_integer_neighbours(
    rate: float, lead: float, cost: float, ratio: float, fixed: float
) -> None:
    h, p = _costs(cost, ratio)
    best = pp.r_q_exact_poisson(h, p, fixed, rate, lead)
    r, q = best.reorder_point_units[0], best.order_quantity_units[0]
    moves = np.array([[1, 0], [-1, 0], [0, 1], [0, -1], [1, -1], [-1, 1], [1, -2], [-1, 2]])
    moves = moves[q + moves[:, 1] >= 1]
    nearby = pp.r_q_cost_poisson(r + moves[:, 0], q + moves[:, 1], h, p, fixed, rate, lead)
    g = best.expected_cost_usd_per_day[0]
    assert np.all(g <= nearby.expected_cost_usd_per_day * (1 + 1e-12))


@settings(max_examples=30, deadline=None)
@given(st.floats(0.05, 40.0), st.integers(0, 10), unit_cost, critical_ratio, fixed_cost)
def test_exact_poisson_s_s_beats_its_integer_neighbours(
    mean: float, lead: int, cost: float, ratio: float, fixed: float
) -> None:
    h, p = _costs(cost, ratio)
    best = pp.s_s_exact_poisson(h, p, fixed, mean, lead_time_periods=lead)
    s, big = best.reorder_point_units[0], best.order_up_to_level_units[0]
    moves = np.array(
        [[1, 0], [-1, 0], [0, 1], [0, -1], [1, 1], [-1, -1], [2, 0], [-2, 0], [0, 2], [0, -2]]
    )
    moves = moves[big + moves[:, 1] > s + moves[:, 0]]
    nearby = pp.s_s_cost_poisson(
        s + moves[:, 0], big + moves[:, 1], h, p, fixed, mean, lead_time_periods=lead
    )
    g = best.expected_cost_usd_per_period[0]
    assert np.all(g <= nearby.expected_cost_usd_per_period * (1 + 1e-12))


@given(st.floats(0.01, 400.0), st.floats(0.01, 0.999), st.floats(0.01, 10.0))
def test_poisson_newsvendor_level_is_the_critical_fractile(
    mean: float, ratio: float, holding: float
) -> None:
    stockout = holding * ratio / (1.0 - ratio)
    level = pp.newsvendor_poisson(holding, stockout, mean).stock_level_units[0]
    critical = stockout / (stockout + holding)
    assert stats.poisson.cdf(level, mean) >= critical - 1e-12
    assert level == 0 or stats.poisson.cdf(level - 1, mean) < critical + 1e-12


@given(demand_per_day, cv, lead_time_days, st.floats(0.0, 3.0), st.floats(0.0, 14.0))
def test_lead_time_demand_follows_the_random_sum_formula(
    mean: float, sd_ratio: float, lead: float, lead_sd: float, review: float
) -> None:
    ltd = pp.compute_lead_time_demand(mean, mean * sd_ratio, lead, lead_sd, review)
    variance = (lead + review) * (mean * sd_ratio) ** 2 + mean**2 * lead_sd**2
    assert ltd.lead_time_demand_mean_units[0] == pytest.approx(mean * (lead + review))
    assert ltd.lead_time_demand_sd_units[0] ** 2 == pytest.approx(variance)
