"""Benchmark: the supplier award (sourcing MILP) on a synthetic catalogue, next to one HiGHS model.

The instance: ``--skus`` SKUs, each offered by 5 of a pool of 25 suppliers (one blocked, two
with warnings), 2-3 all-units tiers 2-12 % off, MOQs, order multiples, weekly capacities,
expedite on half the offers, categories of 1 to a few hundred SKUs (median 13) under the
default share cap, 20 % A-class SKUs under dual sourcing, requirements at 1-3 warehouses
per SKU.

The decomposed solve (``award_suppliers``: exact programmes per requirement, then the pieces
that break a coupling rule, over a pool of processes) is timed; its gap is proven from the
sum of the pieces' bounds. In the same run the reference: the whole award as one HiGHS
model (``solve_direct``), time-limited; at 100,000 SKUs only with ``--direct``.

    python bench/bench_sourcing.py                      # 10,000 SKUs, with the direct reference
    python bench/bench_sourcing.py --skus 100000        # decomposed only
    python bench/bench_sourcing.py --skus 1000 --direct-limit 60
"""

from __future__ import annotations

import argparse
import datetime as dt
import os
import time

import numpy as np
import polars as pl

from shopops.planning.sourcing import Award, SourcingRules, award_suppliers, solve_direct

ORDER_DATE = dt.date(2025, 3, 3)
SUPPLIER_POOL = 25
OFFERS_PER_SKU = 5
SKUS_PER_CATEGORY = 25


def make_instance(skus: int, seed: int = 7) -> dict[str, pl.DataFrame]:
    """A seeded synthetic award: requirements, offers, tiers and suppliers frames."""
    rng = np.random.default_rng(seed)
    suppliers = _suppliers(rng)
    base_price = rng.lognormal(np.log(20.0), 0.8, skus)
    size_units = rng.lognormal(np.log(300.0), 0.8, skus)
    offers = _offers(rng, base_price, size_units)
    return {
        "requirements": _requirements(rng, base_price, size_units),
        "offers": offers,
        "tiers": _tiers(rng, offers),
        "suppliers": suppliers,
    }


def _suppliers(rng: np.random.Generator) -> pl.DataFrame:
    excluded = [None] * SUPPLIER_POOL
    excluded[3] = "blocked: failed quality audit"
    warning = [None] * SUPPLIER_POOL
    warning[5], warning[11] = "probation", "scorecard warning: late deliveries"
    return pl.DataFrame(
        {
            "supplier_id": [f"S{k:02d}" for k in range(SUPPLIER_POOL)],
            "risk_score": rng.uniform(0.0, 0.6, SUPPLIER_POOL),
            "excluded_reason": pl.Series(excluded, dtype=pl.Utf8),
            "warning": pl.Series(warning, dtype=pl.Utf8),
        }
    )


def _offers(
    rng: np.random.Generator, base_price: np.ndarray, size_units: np.ndarray
) -> pl.DataFrame:
    """Five offers per SKU; weekly capacity 0.6-3 times the SKU's typical requirement."""
    skus = len(base_price)
    rows = skus * OFFERS_PER_SKU
    sku = np.repeat(np.arange(skus), OFFERS_PER_SKU)
    supplier = np.argsort(rng.uniform(size=(skus, SUPPLIER_POOL)), axis=1)[:, :OFFERS_PER_SKU]
    price = base_price[sku] * rng.uniform(0.85, 1.15, rows)
    weekly = size_units[sku]
    lead = rng.integers(5, 41, rows).astype(np.float64)
    has_expedite = rng.uniform(size=rows) < 0.5
    frame = pl.DataFrame(
        {
            "offer_id": [f"O{i:07d}" for i in range(rows)],
            "supplier_id": [f"S{k:02d}" for k in supplier.ravel()],
            "sku_id": [f"K{s:06d}" for s in sku],
            "moq_units": rng.choice([0, 10, 50, 100], rows),
            "order_multiple_units": rng.choice([1, 5, 10, 12, 24], rows),
            "lead_time_days": lead,
            "capacity_units_per_week": np.ceil(weekly * rng.uniform(0.6, 3.0, rows)).astype(
                np.int64
            ),
            "freight_usd_per_unit": price * rng.uniform(0.02, 0.08, rows),
            "duty_rate": rng.choice([0.0, 0.05, 0.1, 0.15], rows),
            "fixed_order_cost_usd": rng.uniform(20.0, 150.0, rows),
            "expedite_lead_time_days": np.where(has_expedite, np.ceil(lead / 2.0), np.nan),
            "expedite_cost_usd_per_unit": np.where(
                has_expedite, price * rng.uniform(0.05, 0.15, rows), np.nan
            ),
            "_price": price,
        }
    ).with_columns(
        pl.col("expedite_lead_time_days").fill_nan(None),
        pl.col("expedite_cost_usd_per_unit").fill_nan(None),
    )
    return frame


def _tiers(rng: np.random.Generator, offers: pl.DataFrame) -> pl.DataFrame:
    rows = offers.height
    count = rng.integers(2, 4, rows)
    first = np.maximum(offers["moq_units"].to_numpy(), 1)
    second = first + rng.choice([50, 100, 200, 300, 500], rows)
    third = second + rng.choice([200, 500, 1000], rows)
    off_second = rng.uniform(0.02, 0.06, rows)
    off_third = off_second + rng.uniform(0.02, 0.06, rows)
    price = offers["_price"].to_numpy()
    mins = np.stack([first, second, third], axis=1)
    prices = np.stack([price, price * (1 - off_second), price * (1 - off_third)], axis=1)
    keep = np.arange(3)[None, :] < count[:, None]
    offer = np.repeat(offers["offer_id"].to_numpy()[:, None], 3, axis=1)
    return pl.DataFrame(
        {
            "offer_id": offer[keep],
            "min_quantity_units": mins[keep].astype(np.int64),
            "unit_price_usd": np.round(prices[keep], 4),
        }
    )


def _requirements(
    rng: np.random.Generator, base_price: np.ndarray, size_units: np.ndarray
) -> pl.DataFrame:
    """1-3 requirements per SKU (warehouses), need-by in 1-9 weeks, shortfall cost
    1.5-3 times the price (the sale lost)."""
    skus = len(base_price)
    per_sku = rng.integers(1, 4, skus)
    sku = np.repeat(np.arange(skus), per_sku)
    rows = len(sku)
    abc = rng.choice(["A", "B", "C"], skus, p=[0.2, 0.3, 0.5])
    categories = max(skus // SKUS_PER_CATEGORY, 1)
    weights = rng.lognormal(0.0, 1.2, categories)
    category = rng.choice(categories, skus, p=weights / weights.sum())
    need_by = np.array(ORDER_DATE, dtype="datetime64[D]") + rng.integers(7, 61, rows)
    return pl.DataFrame(
        {
            "requirement_id": np.arange(1, rows + 1),
            "sku_id": [f"K{s:06d}" for s in sku],
            "category_id": [f"C{c:04d}" for c in category[sku]],
            "warehouse_id": [f"W{w}" for w in _warehouses(per_sku)],
            "abc_class": abc[sku],
            "need_by_date": need_by,
            "quantity_units": np.ceil(size_units[sku] * rng.lognormal(0.0, 0.5, rows)).astype(
                np.int64
            ),
            "shortfall_cost_usd_per_unit": base_price[sku] * rng.uniform(1.5, 3.0, rows),
        }
    ).with_columns(pl.col("need_by_date").cast(pl.Date))


def _warehouses(per_sku: np.ndarray) -> np.ndarray:
    starts = np.repeat(np.cumsum(per_sku) - per_sku, per_sku)
    return np.arange(per_sku.sum()) - starts + 1


def _inputs(instance: dict[str, pl.DataFrame]) -> dict[str, pl.DataFrame]:
    return {**instance, "offers": instance["offers"].drop("_price")}


def _row(name: str, award: Award, seconds: float) -> str:
    s = award.stats
    return (
        f"{name:<11} {seconds:9.1f} s  gap {s.gap * 100:7.3f} %  objective {s.objective_usd:,.0f}"
        f"  bound {s.best_bound_usd:,.0f}  components {s.components:,}  decided exactly "
        f"{s.exact_requirements:,}  MILPs {s.sub_problems:,} ({s.variables:,} columns, "
        f"{s.binaries:,} integer)  {s.status}"
    )


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--skus", type=int, default=10_000)
    parser.add_argument("--seed", type=int, default=7)
    parser.add_argument("--direct", action="store_true", help="run the direct reference")
    parser.add_argument("--no-direct", action="store_true", help="skip the direct reference")
    parser.add_argument("--direct-limit", type=float, default=300.0)
    parser.add_argument("--workers", type=int, default=os.cpu_count() or 1)
    args = parser.parse_args()
    started = time.perf_counter()
    instance = _inputs(make_instance(args.skus, args.seed))
    print(
        f"{args.skus:,} SKUs: {instance['requirements'].height:,} requirements, "
        f"{instance['offers'].height:,} offers, {instance['tiers'].height:,} tiers "
        f"(generated in {time.perf_counter() - started:.1f} s)"
    )
    rules = SourcingRules()
    started = time.perf_counter()
    award = award_suppliers(**instance, order_date=ORDER_DATE, rules=rules, workers=args.workers)
    decomposed = time.perf_counter() - started
    print(_row("decomposed", award, decomposed))
    run_direct = args.direct or (args.skus <= 10_000 and not args.no_direct)
    if run_direct:
        limited = SourcingRules(time_limit_seconds=args.direct_limit)
        started = time.perf_counter()
        direct = solve_direct(**instance, order_date=ORDER_DATE, rules=limited)
        reference = time.perf_counter() - started
        print(_row("direct", direct, reference))
        difference = (award.stats.objective_usd - direct.stats.objective_usd) / abs(
            direct.stats.objective_usd
        )
        print(
            f"speed-up {reference / decomposed:.1f}x; decomposed objective vs direct "
            f"{difference * 100:+.4f} %"
        )


if __name__ == "__main__":
    main()
