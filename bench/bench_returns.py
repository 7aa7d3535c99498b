"""Disposition engine speed: graded returns a second, against a plain Python loop.

Run: ``.venv/bin/python bench/bench_returns.py [items]`` (default 1,000,000). Prints the
engine's time (and its request-time returnless decision), the loop's time on a sample,
the loop's rate scaled to all items, and the ratio of the two, measured in the same run.
"""

from __future__ import annotations

import sys
import time

import numpy as np
import polars as pl

from shopops.domain.orders import ReturnReason
from shopops.planning.returns import DispositionCosts, choose_dispositions, return_decisions

COSTS = DispositionCosts()
LOOP_SAMPLE = 100_000


def _items(n: int, seed: int = 7) -> pl.DataFrame:
    rng = np.random.default_rng(seed)
    price = np.round(rng.lognormal(3.0, 0.8, n), 2)
    return pl.DataFrame(
        {
            "price_usd": price,
            "unit_cost_usd": np.round(price * rng.uniform(0.2, 0.7, n), 2),
            "condition_grade": rng.choice(list("ABCD"), n),
            "quantity_units": rng.integers(1, 4, n),
            "reason": rng.choice([r.value for r in ReturnReason], n),
            "return_freight_usd": np.round(rng.uniform(4.0, 15.0, n), 2),
        }
    )


def _loop(rows: list[tuple[float, float, str, int]]) -> list[str]:
    """The same choice, one item at a time (options in order of preference, first on ties)."""
    chosen = []
    for price, cost, grade, _ in rows:
        values = {}
        if grade == "A":
            values["restock"] = price - COSTS.restock_handling_usd_per_unit
        if grade == "B":
            values["restock"] = (
                price * (1 - COSTS.open_box_discount) - COSTS.restock_handling_usd_per_unit
            )
        if grade in "BC":
            values["refurbish"] = (
                price * COSTS.refurbished_price_share - COSTS.refurbish_cost_share * cost
            )
        if grade in "ABC":
            values["liquidate"] = COSTS.liquidation_recovery_share * cost
        values["dispose"] = -COSTS.disposal_cost_usd_per_unit
        chosen.append(max(values, key=values.__getitem__))
    return chosen


def main(n: int) -> None:
    items = _items(n)
    start = time.perf_counter()
    chosen = choose_dispositions(items, COSTS)
    engine_s = time.perf_counter() - start
    start = time.perf_counter()
    return_decisions(items, COSTS)
    decide_s = time.perf_counter() - start
    sample = items.head(LOOP_SAMPLE)
    rows = list(
        sample.select("price_usd", "unit_cost_usd", "condition_grade", "quantity_units").iter_rows()
    )
    start = time.perf_counter()
    looped = _loop(rows)
    loop_s = (time.perf_counter() - start) * n / len(rows)
    agree = sum(a == b for a, b in zip(looped, chosen["disposition"].head(len(rows)), strict=True))
    print(f"items: {n:,}")
    print(f"engine dispositions: {engine_s:.3f} s ({n / engine_s:,.0f} items/s)")
    print(f"engine returnless decisions: {decide_s:.3f} s ({n / decide_s:,.0f} items/s)")
    print(f"plain loop (scaled from {len(rows):,}): {loop_s:.3f} s")
    print(f"ratio loop / engine: {loop_s / engine_s:.1f}")
    print(f"same choice as the loop: {agree:,} of {len(rows):,}")


if __name__ == "__main__":
    main(int(sys.argv[1]) if len(sys.argv) > 1 else 1_000_000)
