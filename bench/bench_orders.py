"""Benchmark: placing orders with their stock reserved, one by one and from many workers.

Generates a marketplace into a temporary SQLite file (or the PostgreSQL database given with
``--database-url``), then:

- ``sequential``: ``place_order(..., reserve=True)`` for random 1-3-line carts of SKUs in
  stock, one after the other; latency p50 / p95 / p99.
- ``reference``: in the same run, for the same carts, the bare availability query
  (``available_stock``) alone; the ratio says what intake, promise and reservation add.
- ``workers``: the same kind of orders from ``--workers`` threads at once, each with its own
  unit of work; orders per second, and the check that no SKU x warehouse went below zero.

    python bench/bench_orders.py
    python bench/bench_orders.py --orders 2000 --database-url postgresql://postgres@127.0.0.1/bench
"""

from __future__ import annotations

import argparse
import datetime as dt
import random
import tempfile
import threading
import time
from pathlib import Path

import numpy as np
import sqlalchemy as sa

from shopops.data.synth import MarketplaceConfig
from shopops.domain.ordering import OrderLineRequest, PlaceOrder
from shopops.services.generating import generate_into_database
from shopops.services.order_intake import IntakeContext
from shopops.services.orders import place_order
from shopops.store.db import create_engine
from shopops.store.migrate import reset_database
from shopops.store.stock import available_stock
from shopops.store.unit_of_work import SqlUnitOfWork

END_DATE = dt.date(2026, 1, 31)
NOW = dt.datetime(2026, 2, 2, 10, 0)


def marketplace(url: str | None, skus: int, days: int) -> sa.Engine:
    if url is None:
        url = f"sqlite:///{Path(tempfile.mkdtemp()) / 'bench.db'}"
    engine = create_engine(url, pool_size=20)
    reset_database(engine)
    config = MarketplaceConfig(skus=skus, warehouses=6, days=days, end_date=END_DATE, seed=5)
    started = time.perf_counter()
    generate_into_database(config, SqlUnitOfWork(engine), replace=True)
    print(f"generated {skus:,} SKUs x {days} days in {time.perf_counter() - started:.1f} s")
    return engine


def stocked(engine: sa.Engine) -> tuple[list[str], list[str]]:
    """Active SKUs with stock available somewhere, and regions with a shipping zone."""
    with engine.connect() as conn:
        skus = conn.execute(sa.text("SELECT sku_id FROM skus WHERE status = 'active'")).scalars()
        stock = available_stock(conn, list(skus))
        regions = conn.execute(sa.text("SELECT DISTINCT region_id FROM shipping_zones")).scalars()
        region_ids = sorted(regions)
    in_stock = stock.filter(stock["available_units"] > 3)["sku_id"].unique().sort().to_list()
    return in_stock, region_ids


def carts(skus: list[str], regions: list[str], count: int, prefix: str) -> list[PlaceOrder]:
    rng = random.Random(count)
    return [
        PlaceOrder(
            external_order_id=f"{prefix}-{n:06d}",
            channel="live_stream",
            ordered_at=NOW,
            region_id=rng.choice(regions),
            lines=tuple(
                OrderLineRequest(sku, rng.randint(1, 3), 9.9)
                for sku in rng.sample(skus, rng.randint(1, 3))
            ),
        )
        for n in range(count)
    ]


def percentiles(seconds: list[float]) -> tuple[float, float, float]:
    ms = np.array(seconds) * 1000
    return (
        float(np.percentile(ms, 50)),
        float(np.percentile(ms, 95)),
        float(np.percentile(ms, 99)),
    )


def sequential(
    engine: sa.Engine, orders: list[PlaceOrder], context: IntakeContext | None = None
) -> list[float]:
    timings = []
    for command in orders:
        started = time.perf_counter()
        place_order(command, SqlUnitOfWork(engine), now=NOW, reserve=True, context=context)
        timings.append(time.perf_counter() - started)
    return timings


def reference(engine: sa.Engine, orders: list[PlaceOrder]) -> list[float]:
    timings = []
    for command in orders:
        started = time.perf_counter()
        with engine.connect() as conn:
            available_stock(conn, [line.sku_id for line in command.lines])
        timings.append(time.perf_counter() - started)
    return timings


def workers(engine: sa.Engine, orders: list[PlaceOrder], count: int) -> float:
    shares = [orders[w::count] for w in range(count)]
    threads = [threading.Thread(target=sequential, args=(engine, share)) for share in shares]
    started = time.perf_counter()
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    return time.perf_counter() - started


def below_zero(engine: sa.Engine, skus: list[str]) -> int:
    with engine.connect() as conn:
        stock = available_stock(conn, skus)
    return stock.filter(stock["available_units"] < 0).height


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--database-url")
    parser.add_argument("--skus", type=int, default=500)
    parser.add_argument("--days", type=int, default=60)
    parser.add_argument("--orders", type=int, default=500)
    parser.add_argument("--workers", type=int, default=8)
    args = parser.parse_args()

    engine = marketplace(args.database_url, args.skus, args.days)
    skus, regions = stocked(engine)
    print(f"{engine.dialect.name}: {len(skus):,} SKUs in stock, {len(regions)} regions")
    one_by_one = carts(skus, regions, args.orders, "SEQ")
    placed = percentiles(sequential(engine, one_by_one))
    with SqlUnitOfWork(engine) as uow:
        held = IntakeContext.load(uow.frames)
    cached = percentiles(sequential(engine, carts(skus, regions, args.orders, "CTX"), held))
    bare = percentiles(reference(engine, one_by_one))
    print(f"place_order(reserve=True), {args.orders:,} orders one by one:")
    for label, (p50, p95, p99) in (
        ("context read per order", placed),
        ("context held by the process", cached),
        ("bare available_stock query", bare),
    ):
        print(f"  {label:<28} p50 {p50:6.1f} ms   p95 {p95:6.1f} ms   p99 {p99:6.1f} ms")
    print(f"  ratio to the bare query (held context): p50 {cached[0] / bare[0]:.1f}x")

    together = carts(skus, regions, args.orders, "PAR")
    below_before = below_zero(engine, skus)
    seconds = workers(engine, together, args.workers)
    print(
        f"{args.workers} workers, {args.orders:,} orders: {seconds:.1f} s, "
        f"{args.orders / seconds:.0f} orders/s; SKU x warehouse pairs below zero available: "
        f"{below_before} before, {below_zero(engine, skus)} after"
    )
    engine.dispose()


if __name__ == "__main__":
    main()
