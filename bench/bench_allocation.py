"""Benchmark: allocating a day's open orders to (warehouse, carrier service), next to one HiGHS LP.

The batch (seeded, built in memory): ``--orders`` open orders to 60 regions, ``--warehouses``
warehouses, the first ``--services`` of the demo's carrier services with their rate cards
and pickup capacities, ``--skus`` SKUs with Zipf-like popularity (weights 0.1-8 kg), each
stocked at 60 % of the warehouses with 1-20 days of the day's demand each, except 10 % of
the SKUs that are short (1.3 times the day's demand over all their warehouses);
outbound capacity about 1.15 times the orders, uneven across warehouses; 20 % of the orders
have 2-3 lines; quantities 1-3; promised delivery in 2, 3 or 5 business days, 2 % of the
orders already past their dispatch date.

``allocate_orders`` is timed end to end (frames in, frames out); the script prints orders/s,
the process's peak memory (``ru_maxrss``), which path ran (batches over
``AllocationRules.exact_up_to_orders`` take the large-batch path), the total cost, the
proven lower bound and the gap. Then, in the same run, the reference: the single-line orders
of the first ``--reference-orders`` orders as one general HiGHS LP (a column per order x
warehouse x service, with a time limit), against ``allocate_orders`` on the same orders.

    python bench/bench_allocation.py                        # 1,000,000 orders
    python bench/bench_allocation.py --orders 100000 --reference-orders 100000
    python bench/bench_allocation.py --orders 10000 --exact-up-to 10000   # the exact path
"""

from __future__ import annotations

import argparse
import datetime as dt
import resource
import time

import numpy as np
import polars as pl

from shopops.data.synth.carriers import build_carriers
from shopops.planning import solvers
from shopops.planning.fulfillment import AllocationRules, allocate_orders
from shopops.planning.fulfillment.allocate import _context
from shopops.planning.fulfillment.costs import price_parcels
from shopops.planning.fulfillment.rates import RateTable

SHIP_DATE = dt.date(2026, 11, 11)
REGIONS = 60
SERVICE_ORDER = ("LBP-GA", "NWP-GRD", "RLX-HOME", "NWP-2DA", "LKR-GRD", "LBP-PRI", "RLX-SAVER")


def make_batch(orders: int, warehouses: int, services: int, skus: int, seed: int) -> dict:
    """The inputs of :func:`allocate_orders` (frames and rate table) of a synthetic batch."""
    rng = np.random.default_rng(seed)
    sku = _skus(rng, skus)
    order_frame, line_frame = _orders(rng, orders, skus)
    demand = line_frame.group_by("sku_id").agg(pl.col("quantity_units").sum()).sort("sku_id")
    return {
        "orders": order_frame,
        "lines": line_frame,
        "skus": sku,
        "stock": _stock(rng, demand, warehouses),
        "warehouses": _warehouses(rng, warehouses, orders),
        "zones": _zones(rng, warehouses),
        "rates": _rates(rng, services, orders / warehouses),
    }


def _skus(rng: np.random.Generator, skus: int) -> pl.DataFrame:
    weight = np.clip(rng.lognormal(np.log(0.6), 0.9, skus), 0.1, 8.0)
    side = np.cbrt(weight * 4000.0) * rng.uniform(0.8, 1.25, (3, skus))
    side.sort(axis=0)
    return pl.DataFrame(
        {
            "sku_id": [f"SKU{k:06d}" for k in range(skus)],
            "weight_kg": np.round(weight, 3),
            "length_cm": np.round(side[2], 1),
            "width_cm": np.round(side[1], 1),
            "height_cm": np.round(side[0], 1),
        }
    )


def _orders(rng: np.random.Generator, orders: int, skus: int) -> tuple[pl.DataFrame, pl.DataFrame]:
    popularity = 1.0 / np.arange(1, skus + 1) ** 0.9
    popularity /= popularity.sum()
    region_weight = rng.lognormal(0.0, 0.7, REGIONS)
    region_weight /= region_weight.sum()
    n_lines = np.where(rng.random(orders) < 0.2, rng.integers(2, 4, orders), 1)
    order_of_line = np.repeat(np.arange(orders), n_lines)
    line_no = np.arange(len(order_of_line)) - np.repeat(np.cumsum(n_lines) - n_lines, n_lines) + 1
    sku = rng.choice(skus, size=len(order_of_line), p=popularity)
    quantity = rng.choice([1, 2, 3], size=len(order_of_line), p=[0.85, 0.12, 0.03])
    ship = np.datetime64(SHIP_DATE)
    days = rng.choice([2, 3, 5], size=orders, p=[0.3, 0.5, 0.2])
    dispatch_by = np.where(rng.random(orders) < 0.02, ship - 1, ship)
    order_frame = pl.DataFrame(
        {
            "order_id": np.arange(1, orders + 1),
            "region_id": pl.Series([f"R{r:02d}" for r in range(REGIONS)]).gather(
                rng.choice(REGIONS, size=orders, p=region_weight)
            ),
            "promised_dispatch_date": dispatch_by,
            "promised_delivery_date": np.busday_offset(ship, days),
        }
    )
    line_frame = pl.DataFrame(
        {
            "order_id": order_of_line + 1,
            "line_no": line_no,
            "sku_id": pl.Series([f"SKU{k:06d}" for k in range(skus)]).gather(sku),
            "quantity_units": quantity,
        }
    ).unique(["order_id", "sku_id"], keep="first", maintain_order=True)
    return order_frame, line_frame


def _stock(rng: np.random.Generator, demand: pl.DataFrame, warehouses: int) -> pl.DataFrame:
    held = rng.random((demand.height, warehouses)) < 0.6
    held[np.arange(demand.height), rng.integers(0, warehouses, demand.height)] = True
    share = rng.gamma(1.0, 1.0, (demand.height, warehouses)) * held
    share /= share.sum(axis=1, keepdims=True)
    day = demand["quantity_units"].to_numpy()[:, None]
    weeks_of_cover = day * rng.uniform(1.0, 20.0, (demand.height, warehouses))
    short = rng.random(demand.height) < 0.1
    units = np.ceil(np.where(short[:, None], day * 1.3 * share, weeks_of_cover)).astype(np.int64)
    k, w = np.nonzero(held)
    return pl.DataFrame(
        {
            "sku_id": demand["sku_id"].gather(k),
            "warehouse_id": [f"W{x:02d}" for x in w],
            "available_units": units[k, w],
        }
    )


def _warehouses(rng: np.random.Generator, warehouses: int, orders: int) -> pl.DataFrame:
    share = rng.uniform(0.5, 1.5, warehouses)
    share /= share.sum()
    return pl.DataFrame(
        {
            "warehouse_id": [f"W{w:02d}" for w in range(warehouses)],
            "outbound_capacity_orders_per_day": np.ceil(share * orders * 1.15).astype(np.int64),
            "handling_cost_usd_per_order": np.round(rng.uniform(1.6, 3.2, warehouses), 2),
            "handling_cost_usd_per_unit": np.round(rng.uniform(0.2, 0.5, warehouses), 2),
        }
    )


def _zones(rng: np.random.Generator, warehouses: int) -> pl.DataFrame:
    site = rng.uniform(0, 4000, (warehouses, 2))
    region = rng.uniform(0, 4000, (REGIONS, 2))
    distance = np.linalg.norm(site[:, None, :] - region[None, :, :], axis=2) * 1.2 + 20
    w, r = np.indices(distance.shape)
    return pl.DataFrame(
        {
            "warehouse_id": [f"W{x:02d}" for x in w.ravel()],
            "region_id": [f"R{x:02d}" for x in r.ravel()],
            "zone": np.clip(np.ceil(distance.ravel() / 500), 1, 8).astype(np.int64),
            "distance_km": np.round(distance.ravel(), 1),
        }
    )


def _rates(rng: np.random.Generator, services: int, per_warehouse: float) -> RateTable:
    carriers = build_carriers(rng, per_warehouse)
    keep = list(SERVICE_ORDER[:services])
    return RateTable.from_frames(
        carriers.services.filter(pl.col("service_id").is_in(keep)),
        carriers.rate_cards,
        carriers.transit_times,
    )


def reference_lp(batch: dict, rules: AllocationRules, time_limit: float) -> tuple:
    """The batch's orders as one HiGHS LP: a column per order x warehouse x service that can
    ship, one unallocated column per order; rows per order, stock, outbound and pickup."""
    context = _context(**batch, rules=rules)
    network, orders = context.network, context.orders
    n, n_w, n_s = orders.num_orders, network.num_warehouses, network.num_services
    sku, qty = orders.line_sku[orders.line_start[:-1]], orders.line_quantity[orders.line_start[:-1]]
    cost = price_parcels(
        network,
        context.rates,
        rules,
        warehouse=np.arange(n_w)[None, :, None],
        service=np.arange(n_s)[None, None, :],
        region=orders.region[:, None, None],
        units=qty[:, None, None],
        weight_kg=(qty * network.sku_weight_kg[sku])[:, None, None],
        volume_cm3=(qty * network.sku_volume_cm3[sku])[:, None, None],
        dispatch_by=orders.dispatch_by[:, None, None],
        deliver_by=orders.deliver_by[:, None, None],
    ).cost_usd
    cost = np.where((network.stock_units[sku] >= qty[:, None])[:, :, None], cost, np.inf)
    o, w, s = np.nonzero(np.isfinite(cost))
    m = len(o)
    stock_row = n + sku[o] * n_w + w
    outbound_row = n + network.stock_units.size + w
    pickup_row = n + network.stock_units.size + n_w + w * n_s + s
    columns = np.arange(m)
    rows = solvers.SparseRows.from_coo(
        row=np.concatenate([o, stock_row, outbound_row, pickup_row, np.arange(n)]),
        column=np.concatenate([columns, columns, columns, columns, m + np.arange(n)]),
        value=np.concatenate([np.ones(m), qty[o], np.ones(2 * m), np.ones(n)]),
        lower=np.concatenate(
            [np.ones(n), np.full(network.stock_units.size + n_w + n_w * n_s, -np.inf)]
        ),
        upper=np.concatenate(
            [
                np.ones(n),
                network.stock_units.ravel(),
                network.outbound_capacity,
                network.pickup_capacity.ravel(),
            ]
        ).astype(np.float64),
    )
    penalty = rules.unallocated_penalty_usd_per_unit * qty
    problem = solvers.LinearProblem(
        cost=np.concatenate([cost[o, w, s], penalty]),
        lower=np.zeros(m + n),
        upper=np.full(m + n, np.inf),
        rows=rows,
    )
    solution = solvers.solve(problem, solvers.SolverOptions(time_limit_seconds=time_limit))
    return solution, m + n


def _single_line_subset(batch: dict, orders: int) -> dict:
    lines = batch["lines"].filter(pl.col("order_id") <= orders)
    single = lines.group_by("order_id").len().filter(pl.col("len") == 1)["order_id"]
    return {
        **batch,
        "orders": batch["orders"].filter(pl.col("order_id").is_in(single.implode())),
        "lines": lines.filter(pl.col("order_id").is_in(single.implode())),
    }


def _peak_gb() -> float:
    return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024**2


def _cpu_seconds() -> float:
    usage = resource.getrusage(resource.RUSAGE_SELF)
    return usage.ru_utime + usage.ru_stime


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--orders", type=int, default=1_000_000)
    parser.add_argument("--warehouses", type=int, default=10)
    parser.add_argument("--services", type=int, default=4)
    parser.add_argument("--skus", type=int, default=5_000)
    parser.add_argument("--seed", type=int, default=11)
    parser.add_argument("--lp-time-limit", type=float, default=120.0)
    parser.add_argument("--exact-up-to", type=int, default=20_000)
    parser.add_argument("--reference-orders", type=int, default=100_000)
    args = parser.parse_args()
    started = time.perf_counter()
    batch = make_batch(args.orders, args.warehouses, args.services, args.skus, args.seed)
    multi = batch["lines"].group_by("order_id").len().filter(pl.col("len") > 1).height
    print(
        f"{args.orders:,} orders ({multi / args.orders:.0%} multi-line), "
        f"{batch['lines'].height:,} lines, {args.skus:,} SKUs, {args.warehouses} warehouses, "
        f"{args.services} services (generated in {time.perf_counter() - started:.1f} s)"
    )
    rules = AllocationRules(ship_date=SHIP_DATE, exact_up_to_orders=args.exact_up_to)
    started, cpu = time.perf_counter(), _cpu_seconds()
    result = allocate_orders(**batch, rules=rules)
    seconds, cpu = time.perf_counter() - started, _cpu_seconds() - cpu
    stats = result.stats
    assert stats is not None
    row = result.summary.row(0, named=True)
    print(
        f"allocate_orders  {seconds:6.2f} s (cpu {cpu:.2f} s)  "
        f"{args.orders / seconds:,.0f} orders/s  peak memory {_peak_gb():.2f} GB\n"
        f"  {stats.path} path: total {row['total_cost_usd']:,.2f} USD  "
        f"lower bound {stats.lower_bound_usd:,.2f}  gap {stats.gap * 100:.4f} %  "
        f"exact {stats.exact}\n"
        f"  {stats.groups:,} groups, {stats.active_groups:,} priced, {stats.rounds} rounds, "
        f"{stats.split_orders:,} orders split by the large path; "
        f"{row['parcels']:,} parcels, {row['split_orders']:,} split orders, "
        f"on time {row['on_time_share']:.1%}, {result.unallocated.height:,} lines unallocated"
    )
    if args.reference_orders <= 0:
        return
    subset = _single_line_subset(batch, args.reference_orders)
    count = subset["orders"].height
    started, cpu = time.perf_counter(), _cpu_seconds()
    ours = allocate_orders(**subset, rules=rules)
    ours_seconds, ours_cpu = time.perf_counter() - started, _cpu_seconds() - cpu
    started, cpu = time.perf_counter(), _cpu_seconds()
    reference, columns = reference_lp(subset, rules, args.lp_time_limit)
    reference_seconds, reference_cpu = time.perf_counter() - started, _cpu_seconds() - cpu
    ours_total = ours.summary["total_cost_usd"][0]
    print(
        f"reference on the {count:,} single-line orders among the first "
        f"{args.reference_orders:,}:\n"
        f"  allocate_orders {ours_seconds:6.2f} s (cpu {ours_cpu:.2f} s)  total {ours_total:,.2f}\n"
        f"  HiGHS LP        {reference_seconds:6.2f} s (cpu {reference_cpu:.2f} s)  "
        f"({columns:,} columns, {reference.status.value})  objective {reference.objective:,.2f}\n"
        f"  speed-up {reference_seconds / ours_seconds:.1f}x "
        f"(cpu {reference_cpu / ours_cpu:.1f}x); "
        f"allocate_orders vs LP {(ours_total - reference.objective) / reference.objective:+.5%}"
    )


if __name__ == "__main__":
    main()
