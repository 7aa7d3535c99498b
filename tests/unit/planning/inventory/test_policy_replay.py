"""The policy replay: vectorised days equal a plain loop, and the fill rate meets the maths."""

from __future__ import annotations

import datetime as dt

import numpy as np
import numpy.typing as npt
import polars as pl
import pytest

from shopops.planning.inventory.discrete import DailyDemand, rq_shortage_per_day
from shopops.planning.inventory.simulation import (
    PolicyArrays,
    StartingStock,
    simulate_inventory,
    steady_starting_stock,
)
from shopops.planning.policy import r_q_cost_poisson
from shopops.planning.replay import (
    fixed_lead_times,
    normal_lead_times,
    replay_policies,
    replay_summary,
)

START = dt.date(2025, 1, 1)


def _loop(
    policy: PolicyArrays,
    demand: npt.NDArray[np.float64],
    leads: npt.NDArray[np.int64],
    start: StartingStock,
    backorders: bool,
) -> npt.NDArray[np.float64]:
    """The simulation rules written out for one row and one day at a time."""
    rows, days = demand.shape
    out = []
    for i in range(rows):
        arrivals = {j: float(u) for j, u in enumerate(start.arrivals_units[i]) if u}
        net, served_total, short_total, orders, ordered = (
            float(start.on_hand_units[i]),
            0.0,
            0.0,
            0,
            0.0,
        )
        cycles = stocked_out = 0
        shorted = False
        for t in range(days):
            d = float(demand[i, t])
            served = min(max(net, 0.0), d)
            net -= d if backorders else served
            served_total += served
            short_total += d - served
            shorted = shorted or d - served > 0
            got = arrivals.pop(t, 0.0)
            net += got
            if got > 0:
                cycles += 1
                stocked_out += shorted
                shorted = False
            position = net + sum(arrivals.values())
            r, q, s_up = (policy.reorder_point_units[i], policy.order_quantity_units[i],
                          policy.order_up_to_level_units[i])  # fmt: skip
            review = int(policy.review_period_days[i])
            quantity = 0.0
            if review == 0:
                while position + quantity <= r:
                    quantity += q
            elif t % review == 0 and (position <= r if not np.isnan(r) else position < s_up):
                multiple = policy.order_multiple_units[i] or 1.0
                quantity = max(
                    np.ceil((s_up - position) / multiple) * multiple, policy.moq_units[i]
                )
            if quantity > 0:
                arrivals[t + int(leads[i, t])] = arrivals.get(t + int(leads[i, t]), 0.0) + quantity
                orders += 1
                ordered += quantity
        out.append((served_total, short_total, orders, ordered, cycles, stocked_out, net))
    return np.array(out)


def _policies() -> PolicyArrays:
    return PolicyArrays(
        reorder_point_units=np.array([5.0, 0.0, 12.0, np.nan, 20.0, -2.0]),
        order_quantity_units=np.array([10.0, 4.0, 30.0, 0.0, 0.0, 6.0]),
        order_up_to_level_units=np.array([15.0, 4.0, 42.0, 30.0, 50.0, 4.0]),
        review_period_days=np.array([0, 0, 0, 7, 5, 0]),
        moq_units=np.array([0.0, 0.0, 0.0, 12.0, 0.0, 0.0]),
        order_multiple_units=np.array([0.0, 0.0, 0.0, 6.0, 4.0, 0.0]),
    )


@pytest.mark.parametrize("backorders", [False, True])
def test_vectorised_days_equal_a_plain_loop(backorders: bool) -> None:
    rng = np.random.default_rng(11)
    policy = _policies()
    demand = rng.poisson([[1.0], [0.3], [3.0], [2.0], [4.0], [0.5]], (6, 150)).astype(float)
    leads = rng.integers(1, 9, (6, 150))
    start = StartingStock(np.array([8.0, 2.0, 20.0, 10.0, 0.0, 3.0]), np.zeros((6, 4)))
    start.arrivals_units[4, 2] = 30.0
    totals = simulate_inventory(policy, demand, leads, start, backorders=backorders)
    expected = _loop(policy, demand, leads, start, backorders)
    got = np.column_stack(
        [totals.served_units, totals.short_units, totals.orders_placed, totals.units_ordered,
         totals.cycles, totals.cycles_stocked_out, totals.ending_net_stock_units]
    )  # fmt: skip
    np.testing.assert_allclose(got, expected)
    assert totals.demand_units == pytest.approx(demand.sum(axis=1))


def test_poisson_fill_rate_meets_the_analytic_r_q_fill_rate() -> None:
    """Poisson demand of 2 a day, a fixed 10-day lead time, (r, Q) = (21, 40), backorders.

    A nightly review orders on average half a day after the position crosses r, so the
    continuous-review fill rate ``1 - (n(r) - n(r + Q)) / Q`` is taken at a 10.5-day lead
    time; the daily-batch formula of the discrete planner uses the exact 10 and 11 days.
    """
    rows, days, rate, lead, r, q = 400, 2000, 2.0, 10, 21.0, 40.0
    rng = np.random.default_rng(5)
    policy = PolicyArrays(
        np.full(rows, r), np.full(rows, q), np.full(rows, r + q), np.zeros(rows, np.int64),
        np.zeros(rows), np.zeros(rows),
    )  # fmt: skip
    start = steady_starting_stock(
        policy, np.full(rows, rate), np.full(rows, 10.0), rng.random(rows)
    )
    demand = rng.poisson(rate, (rows, days)).astype(float)
    leads = np.full((rows, days), lead)
    totals = simulate_inventory(policy, demand, leads, start, backorders=True)
    simulated = totals.served_units.sum() / totals.demand_units.sum()
    analytic = float(r_q_cost_poisson(r, q, 1.0, 1.0, 1.0, rate, lead + 0.5).fill_rate[0])
    daily = DailyDemand(np.array([rate]), np.array([rate**0.5]), np.array([10.0]), np.zeros(1))
    exact = 1.0 - float(rq_shortage_per_day(np.array([r]), np.array([q]), daily)[0]) / rate
    assert 0.85 < analytic < 0.97
    assert simulated == pytest.approx(analytic, abs=0.01)
    assert simulated == pytest.approx(exact, abs=0.003)


def test_lost_sales_serve_at_least_as_well_as_backorders() -> None:
    rng = np.random.default_rng(2)
    rows = 50
    policy = PolicyArrays(
        np.full(rows, 3.0), np.full(rows, 10.0), np.full(rows, 13.0), np.zeros(rows, np.int64),
        np.zeros(rows), np.zeros(rows),
    )  # fmt: skip
    demand = rng.poisson(1.0, (rows, 500)).astype(float)
    leads = rng.integers(3, 8, (rows, 500))
    start = StartingStock(np.full(rows, 13.0), np.zeros((rows, 1)))
    lost = simulate_inventory(policy, demand, leads, start, backorders=False)
    kept = simulate_inventory(policy, demand, leads, start, backorders=True)
    assert lost.served_units.sum() >= kept.served_units.sum()
    assert lost.orders_placed.sum() <= kept.orders_placed.sum()


def test_steady_start_spreads_rows_over_the_cycle_with_orders_in_transit() -> None:
    policy = PolicyArrays(
        np.array([35.0, 35.0]), np.array([20.0, 20.0]), np.array([55.0, 55.0]),
        np.zeros(2, np.int64), np.zeros(2), np.zeros(2),
    )  # fmt: skip
    # 2 a day: a 10-day cycle, a 15-day lead time. At phase 0.3 the position is 55 - 6 = 49
    # and the orders of 3 and 13 days ago are on their way (due in 12 and 2 days); at phase
    # 0.9 it is 55 - 18 = 37 with one order, placed 9 days ago, due in 6 days.
    start = steady_starting_stock(policy, np.full(2, 2.0), np.full(2, 15.0), np.array([0.3, 0.9]))
    assert start.arrivals_units[0, 11] == 20.0
    assert start.arrivals_units[0, 1] == 20.0
    assert start.arrivals_units[1, 5] == 20.0
    assert start.arrivals_units.sum() == 60.0
    assert start.on_hand_units.tolist() == pytest.approx([9.0, 17.0])


def _frames() -> tuple[pl.DataFrame, pl.DataFrame]:
    policies = pl.DataFrame(
        {
            "sku_id": ["A", "B", "C"],
            "warehouse_id": ["W1", "W1", "W2"],
            "policy_status": ["planned", "planned", "no_usable_offer"],
            "abc_class": ["A", "B", "C"],
            "fill_rate": [0.95, 0.9, None],
            "reorder_point_units": [6.0, 2.0, None],
            "order_quantity_units": [12.0, 5.0, None],
            "order_up_to_level_units": [18.0, 7.0, None],
            "lead_time_mean_days": [4.0, 6.0, None],
            "lead_time_sd_days": [1.0, 0.0, None],
            "unit_price_usd": [10.0, 4.0, None],
            "fixed_order_cost_usd": [50.0, 20.0, None],
            "holding_cost_rate_per_day": [0.001, 0.001, None],
            "demand_mean_units_per_day": [1.5, 0.5, 1.0],
        }
    )
    rng = np.random.default_rng(8)
    days = [START + dt.timedelta(days=i) for i in range(-10, 70)]
    demand = pl.DataFrame(
        {
            "sku_id": np.repeat(["A", "B", "C"], len(days)),
            "warehouse_id": np.repeat(["W1", "W1", "W2"], len(days)),
            "date": days * 3,
            "units": rng.poisson(1.2, 3 * len(days)).astype(float),
        }
    )
    return policies, demand


def test_replay_reports_each_planned_row_and_its_costs() -> None:
    policies, demand = _frames()
    replayed = replay_policies(policies, demand, start=START, days=60, seed=4)
    assert replayed["sku_id"].to_list() == ["A", "B"]  # the row without a policy is left out
    a = replayed.row(0, named=True)
    window = demand.filter(
        (pl.col("sku_id") == "A")
        & (pl.col("date") >= START)
        & (pl.col("date") < START + dt.timedelta(days=60))
    )
    assert a["demand_units"] == window["units"].sum()
    assert a["fill_rate_achieved"] == pytest.approx(a["served_units"] / a["demand_units"])
    assert a["fill_rate_target"] == 0.95
    assert a["ordering_cost_usd"] == 50.0 * a["orders_placed"]
    assert a["holding_cost_usd"] == pytest.approx(a["average_on_hand_units"] * 60 * 10.0 * 0.001)
    assert a["total_cost_usd"] == pytest.approx(
        a["ordering_cost_usd"] + a["holding_cost_usd"] + a["purchase_cost_usd"]
    )
    again = replay_policies(policies, demand, start=START, days=60, seed=4)
    assert again.equals(replayed)


def test_summary_weights_targets_by_demand() -> None:
    policies, demand = _frames()
    replayed = replay_policies(
        policies, demand, start=START, days=60, lead_time_sampler=fixed_lead_times
    )
    total = replay_summary(replayed).row(0, named=True)
    units = replayed["demand_units"].to_numpy()
    assert total["fill_rate_target"] == pytest.approx((units * [0.95, 0.9]).sum() / units.sum())
    assert total["fill_rate_achieved"] == pytest.approx(
        replayed["served_units"].sum() / units.sum()
    )
    by_class = replay_summary(replayed, by=["abc_class"])
    assert by_class["abc_class"].to_list() == ["A", "B"]


def test_lead_time_samplers() -> None:
    rng = np.random.default_rng(0)
    drawn = normal_lead_times(rng, np.array([20.0, 1.0]), np.array([4.0, 3.0]), 5000)
    assert drawn.min() >= 1
    assert drawn[0].mean() == pytest.approx(20.0, abs=0.3)
    fixed = fixed_lead_times(rng, np.array([6.4, 0.2]), np.array([4.0, 3.0]), 3)
    assert fixed.tolist() == [[6, 6, 6], [1, 1, 1]]
