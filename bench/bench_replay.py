"""Benchmark: planning and replaying inventory policies for a large catalogue.

A synthetic catalogue of SKU x warehouse rows (lognormal demand, over-dispersed daily
demand, lead times of 5 to 45 days, tiered prices with MOQ and order multiples) is

1. planned: ``compute_policies`` for lot sizes and the discrete (negative binomial) reorder
   points for a 95 % fill rate (``discrete_policy_levels``), every row;
2. replayed: ``simulate_inventory`` over 91 days of demand drawn from the same model,
   ``rows x days`` arrays, one NumPy step per day.

The peer is the same replay written as a plain Python loop per row and day (the rules of
``shopops.planning.inventory.simulation``), run on a sample; its time per row times the
catalogue size is what it would need. Both must agree on the sample.

    python bench/bench_replay.py
    python bench/bench_replay.py --rows 1000000 --days 182 --peer-rows 200
"""

from __future__ import annotations

import argparse
import resource
import time

import numpy as np
import polars as pl

from shopops.planning.inventory.discrete import discrete_policy_levels
from shopops.planning.inventory.simulation import (
    PolicyArrays,
    StartingStock,
    simulate_inventory,
    steady_starting_stock,
)
from shopops.planning.policy import compute_policies


def catalogue(rows: int, seed: int) -> pl.DataFrame:
    """Rows as ``plan_inventory`` hands them to ``compute_policies``."""
    rng = np.random.default_rng(seed)
    demand = rng.lognormal(np.log(0.8), 1.3, rows)
    multiple = np.select([demand * 7 < 6, demand * 7 < 24], [1.0, 6.0], 24.0)
    return pl.DataFrame(
        {
            "demand_mean_units_per_day": demand,
            "demand_sd_units_per_day": np.sqrt(2.5 * demand + 0.1 * demand**2),
            "lead_time_mean_days": rng.integers(5, 46, rows).astype(float),
            "lead_time_sd_days": rng.uniform(1.0, 6.0, rows),
            "fill_rate": np.full(rows, 0.95),
            "fixed_order_cost_usd": rng.uniform(30.0, 400.0, rows),
            "holding_cost_rate_per_day": np.full(rows, 0.25 / 365),
            "moq_units": multiple * rng.integers(1, 5, rows),
            "order_multiple_units": multiple,
            "unit_price_usd": rng.lognormal(np.log(12.0), 0.8, rows),
        }
    )


def plan(items: pl.DataFrame) -> pl.DataFrame:
    """Lot sizes from ``compute_policies``, levels from discrete demand."""
    policies = compute_policies(items)
    return policies.with_columns(discrete_policy_levels(policies))


def demand_draws(policies: pl.DataFrame, days: int, seed: int) -> np.ndarray:
    """Negative binomial daily demand with the planned mean and sd."""
    rng = np.random.default_rng(seed)
    mean = policies["demand_mean_units_per_day"].to_numpy()
    variance = policies["demand_sd_units_per_day"].to_numpy() ** 2
    shape = mean * mean / np.maximum(variance - mean, 1e-9)
    rate = rng.gamma(shape[:, None], (mean / shape)[:, None], (mean.size, days))
    return rng.poisson(rate).astype(np.float64)


def arrays(policies: pl.DataFrame) -> PolicyArrays:
    column = {name: policies[name].to_numpy() for name in policies.columns}
    return PolicyArrays(
        reorder_point_units=column["reorder_point_units"],
        order_quantity_units=column["order_quantity_units"],
        order_up_to_level_units=column["order_up_to_level_units"],
        review_period_days=np.zeros(policies.height, dtype=np.int64),
        moq_units=column["moq_units"],
        order_multiple_units=column["order_multiple_units"],
    )


def loop_served(policy: PolicyArrays, demand: np.ndarray, leads: np.ndarray,
                start: StartingStock) -> np.ndarray:  # fmt: skip
    """Units served per row, one row and one day at a time (lost sales, continuous review)."""
    served = np.zeros(demand.shape[0])
    for i in range(demand.shape[0]):
        due = {j: u for j, u in enumerate(start.arrivals_units[i]) if u}
        net, r, q = (
            start.on_hand_units[i],
            policy.reorder_point_units[i],
            policy.order_quantity_units[i],
        )
        for t in range(demand.shape[1]):
            take = min(max(net, 0.0), demand[i, t])
            served[i] += take
            net -= take
            net += due.pop(t, 0.0)
            position, quantity = net + sum(due.values()), 0.0
            while position + quantity <= r:
                quantity += q
            if quantity:
                due[t + int(leads[i, t])] = due.get(t + int(leads[i, t]), 0.0) + quantity
    return served


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--rows", type=int, default=100_000)
    parser.add_argument("--days", type=int, default=91)
    parser.add_argument("--peer-rows", type=int, default=100)
    parser.add_argument("--seed", type=int, default=1)
    args = parser.parse_args()
    items = catalogue(args.rows, args.seed)
    began = time.perf_counter()
    policies = plan(items)
    planned = time.perf_counter() - began
    rng = np.random.default_rng(args.seed)
    policy = arrays(policies)
    mean = policies["demand_mean_units_per_day"].to_numpy()
    lead = policies["lead_time_mean_days"].to_numpy()
    start = steady_starting_stock(policy, mean, lead, rng.random(args.rows))
    demand = demand_draws(policies, args.days, args.seed)
    sd = policies["lead_time_sd_days"].to_numpy()
    leads = np.maximum(np.rint(rng.normal(lead[:, None], sd[:, None], demand.shape)), 1)
    leads = leads.astype(np.int64)
    began = time.perf_counter()
    totals = simulate_inventory(policy, demand, leads, start)
    replayed = time.perf_counter() - began
    n = min(args.peer_rows, args.rows)
    sample = PolicyArrays(*(getattr(policy, f)[:n] for f in PolicyArrays.__dataclass_fields__))
    began = time.perf_counter()
    peer = loop_served(
        sample,
        demand[:n],
        leads[:n],
        StartingStock(start.on_hand_units[:n], start.arrivals_units[:n]),
    )
    peer_seconds = (time.perf_counter() - began) / n * args.rows
    agree = np.allclose(peer, totals.served_units[:n])
    fill = totals.served_units.sum() / totals.demand_units.sum()
    peak_mb = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
    print(f"rows {args.rows:,} x days {args.days}: plan {planned:.2f} s, replay {replayed:.2f} s")
    print(f"plain loop (from {n} rows): {peer_seconds:.1f} s; agrees: {agree}")
    print(f"fill rate {fill:.4f} (target 0.95); peak memory {peak_mb:.0f} MB")


if __name__ == "__main__":
    main()
