"""Benchmark: delivery promises at checkout through the service layer, per request.

A marketplace of ``--skus`` SKUs and ``--days`` days of history is generated into a temporary
SQLite file (and into ``--database-url`` too, emptied first, when given). Then ``--requests``
random carts of 1-4 lines (SKUs drawn from the whole catalogue, 1-3 units each, to a random
region) are promised through :func:`shopops.services.promising.promise_delivery` with the
reference data cached, as a checkout process would run it. Printed: p50 / p95 / p99 latency
in ms, and as the reference measured in the same run on the same carts, the bare stock query
(:func:`shopops.store.stock.available_stock` on a pooled connection) alone, each query run
right after the promise of the same cart so both meet the same load; the ratio says what
the transaction and pricing the options add to reading the stock.

    python bench/bench_promise.py
    python bench/bench_promise.py --database-url postgresql://postgres@127.0.0.1:5432/test
"""

from __future__ import annotations

import argparse
import datetime as dt
import tempfile
import time
from collections.abc import Callable
from pathlib import Path

import numpy as np
import sqlalchemy as sa

from shopops.data.synth import MarketplaceConfig
from shopops.services.generating import generate_into_database
from shopops.services.promising import PromiseReferenceCache, PromiseRequest, promise_delivery
from shopops.store.db import create_engine
from shopops.store.migrate import ensure_database, reset_database
from shopops.store.stock import available_stock
from shopops.store.unit_of_work import SqlUnitOfWork

END_DATE = dt.date(2026, 11, 20)
NOW = dt.datetime(2026, 11, 23, 11, 0)
TARGET_P99_MS = 20.0


def generate(url: str, skus: int, days: int, *, fresh: bool) -> sa.Engine:
    """An engine on ``url`` holding a generated marketplace."""
    engine = create_engine(url)
    if fresh:
        reset_database(engine)
    ensure_database(engine)
    config = MarketplaceConfig(skus=skus, warehouses=6, days=days, end_date=END_DATE, seed=11)
    started = time.perf_counter()
    generate_into_database(config, SqlUnitOfWork(engine), replace=True)
    print(f"  generated {skus:,} SKUs x {days} days in {time.perf_counter() - started:.1f} s")
    return engine


def random_requests(engine: sa.Engine, count: int, seed: int = 5) -> list[PromiseRequest]:
    """Carts of 1-4 distinct SKUs of the catalogue, 1-3 units a line, to random regions."""
    with engine.connect() as conn:
        skus = [row[0] for row in conn.execute(sa.text("SELECT sku_id FROM skus ORDER BY 1"))]
        regions = [r[0] for r in conn.execute(sa.text("SELECT region_id FROM regions ORDER BY 1"))]
    rng = np.random.default_rng(seed)
    requests = []
    for _ in range(count):
        chosen = rng.choice(len(skus), size=int(rng.integers(1, 5)), replace=False)
        lines = [(skus[i], int(rng.integers(1, 4))) for i in chosen]
        requests.append(PromiseRequest(regions[int(rng.integers(len(regions)))], lines))
    return requests


def timed_ms(*calls: list[Callable[[], object]]) -> list[np.ndarray]:
    """Milliseconds of each call; the lists' i-th calls run back to back, so both lists meet
    the same load on the machine."""
    times = [np.empty(len(calls[0])) for _ in calls]
    for i in range(len(calls[0])):
        for kind, listed in enumerate(calls):
            started = time.perf_counter()
            listed[i]()
            times[kind][i] = (time.perf_counter() - started) * 1000.0
    return times


def measure(engine: sa.Engine, requests: list[PromiseRequest]) -> None:
    cache = PromiseReferenceCache(max_age=None)
    started = time.perf_counter()
    cache.get(SqlUnitOfWork(engine), NOW)
    print(f"  reference data loaded once in {(time.perf_counter() - started) * 1000:.0f} ms")

    def promise(request: PromiseRequest) -> Callable[[], object]:
        return lambda: promise_delivery(request, SqlUnitOfWork(engine), cache=cache, now=NOW)

    def stock(request: PromiseRequest) -> Callable[[], object]:
        def query() -> object:
            with engine.connect() as conn:
                return available_stock(conn, [sku for sku, _ in request.lines])

        return query

    timed_ms([promise(r) for r in requests[:50]])  # warm the pool and caches
    promised, queried = timed_ms([promise(r) for r in requests], [stock(r) for r in requests])
    offered = sum(
        promise_delivery(r, SqlUnitOfWork(engine), cache=cache, now=NOW).reason is None
        for r in requests
    )
    print(f"  {len(requests):,} requests, {offered:,} with options")
    for name, times in (("promise_delivery", promised), ("stock query alone", queried)):
        p50, p95, p99 = np.percentile(times, [50, 95, 99])
        print(f"  {name:<18} p50 {p50:6.2f} ms  p95 {p95:6.2f} ms  p99 {p99:6.2f} ms")
    ratio = np.percentile(promised, 99) / np.percentile(queried, 99)
    verdict = "met" if np.percentile(promised, 99) < TARGET_P99_MS else "MISSED"
    print(
        f"  p99 promise / p99 stock query = {ratio:.2f}; target p99 < {TARGET_P99_MS} ms {verdict}"
    )


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--skus", type=int, default=2000)
    parser.add_argument("--days", type=int, default=90)
    parser.add_argument("--requests", type=int, default=2000)
    parser.add_argument("--database-url", help="Also measure on this database (emptied first).")
    args = parser.parse_args()
    with tempfile.TemporaryDirectory() as folder:
        targets = [(f"sqlite:///{Path(folder) / 'promise.db'}", False)]
        if args.database_url:
            targets.append((args.database_url, True))
        for url, fresh in targets:
            print(sa.make_url(url).get_backend_name())
            engine = generate(url, args.skus, args.days, fresh=fresh)
            measure(engine, random_requests(engine, args.requests))
            engine.dispose()


if __name__ == "__main__":
    main()
