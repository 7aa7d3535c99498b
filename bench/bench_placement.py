"""Benchmark: weekly transfer proposals with fixed costs per line and lane, and without.

A marketplace of ``--skus`` SKUs x ``--days`` days of history is generated into a temporary
SQLite file (or an existing database is read with ``--database-url``). The engine's inputs
for the week of ``--week`` are loaded once (:func:`shopops.services.placement.placement_inputs`),
then :func:`shopops.planning.placement.propose_transfers` runs ``--repeat`` times with the
default rules (5 USD a line, 150 USD a lane: the MILP) and, as the reference measured in the
same run, with both fixed costs at zero (the flow LP that proposed transfers before). Printed
per variant: transfers, units, lanes, postage saved, transfer cost, net saving, the solve's
status and gap, and the median wall time; then the reference's proposals priced with the
fixed costs, and the time ratio of the two.

    python bench/bench_placement.py
    python bench/bench_placement.py --database-url sqlite:////tmp/demo.db --week 2026-11-23
"""

from __future__ import annotations

import argparse
import dataclasses
import datetime as dt
import statistics
import tempfile
import time
from pathlib import Path

import polars as pl

from shopops.data.synth import MarketplaceConfig
from shopops.planning.placement import (
    Placement,
    PlacementNetwork,
    PlacementRules,
    propose_transfers,
)
from shopops.services.generating import generate_into_database
from shopops.services.placement import placement_inputs
from shopops.store.db import create_engine
from shopops.store.migrate import reset_database
from shopops.store.unit_of_work import SqlUnitOfWork

END_DATE = dt.date(2026, 11, 22)


def database(url: str | None, skus: int, days: int) -> str:
    if url is not None:
        return url
    url = f"sqlite:///{Path(tempfile.mkdtemp()) / 'bench.db'}"
    engine = create_engine(url)
    reset_database(engine)
    config = MarketplaceConfig(skus=skus, warehouses=6, days=days, end_date=END_DATE, seed=7)
    started = time.perf_counter()
    generate_into_database(config, SqlUnitOfWork(engine), replace=True)
    print(f"generated {skus:,} SKUs x {days} days in {time.perf_counter() - started:.1f} s")
    engine.dispose()
    return url


Inputs = tuple[pl.DataFrame, pl.DataFrame, pl.DataFrame, PlacementNetwork]


def timed(inputs: Inputs, rules: PlacementRules, repeat: int) -> tuple[Placement, float]:
    seconds, placement = [], None
    for _ in range(repeat):
        started = time.perf_counter()
        placement = propose_transfers(*inputs, rules)
        seconds.append(time.perf_counter() - started)
    assert placement is not None
    return placement, statistics.median(seconds)


def line(name: str, placement: Placement, seconds: float) -> str:
    rows = placement.transfers
    saved = float(rows["shipping_saved_usd"].sum())
    cost = float(rows["transfer_cost_usd"].sum())
    return (
        f"{name:<28} {rows.height:>9,} {placement.units:>9,} {placement.lanes:>6} "
        f"{saved:>12,.2f} {cost:>12,.2f} {placement.net_saving_usd:>12,.2f} "
        f"{placement.status.value:>9} {placement.gap:>7.2%} {seconds:>7.2f} s"
    )


def priced_with_fixed_costs(placement: Placement, rules: PlacementRules) -> tuple[float, float]:
    """Transfer cost and net saving of ``placement`` once each line and lane pays its way."""
    rows = placement.transfers
    fixed = (
        rows.height * rules.handling_usd_per_line
        + rules.dispatch_usd_per_lane
        * rows.select("from_warehouse_id", "to_warehouse_id").n_unique()
    )
    cost = float(rows["transfer_cost_usd"].sum()) + fixed
    return cost, float(rows["shipping_saved_usd"].sum()) - cost


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--database-url")
    parser.add_argument("--skus", type=int, default=2000)
    parser.add_argument("--days", type=int, default=365)
    parser.add_argument("--week", type=dt.date.fromisoformat, default=dt.date(2026, 11, 23))
    parser.add_argument("--repeat", type=int, default=3)
    args = parser.parse_args()
    url = database(args.database_url, args.skus, args.days)
    started = time.perf_counter()
    inputs = placement_inputs(SqlUnitOfWork(create_engine(url)), as_of=args.week)
    print(f"inputs for the week of {args.week} loaded in {time.perf_counter() - started:.2f} s")
    rules = PlacementRules()
    per_unit = dataclasses.replace(rules, handling_usd_per_line=0.0, dispatch_usd_per_lane=0.0)
    fixed, fixed_s = timed(inputs, rules, args.repeat)
    reference, reference_s = timed(inputs, per_unit, args.repeat)
    print(
        f"{'':<28} {'transfers':>9} {'units':>9} {'lanes':>6} {'saved USD':>12} "
        f"{'cost USD':>12} {'net USD':>12} {'status':>9} {'gap':>7} {'median':>9}"
    )
    print(line("fixed costs (MILP)", fixed, fixed_s))
    print(line("per unit only (flow LP)", reference, reference_s))
    cost, net = priced_with_fixed_costs(reference, rules)
    print(f"the flow LP's proposals with fixed costs: cost {cost:,.2f} USD, net {net:,.2f} USD")
    print(
        f"units per transfer line: {fixed.units / max(fixed.transfers.height, 1):.1f} "
        f"(flow LP {reference.units / max(reference.transfers.height, 1):.1f})"
    )
    print(f"time ratio MILP / flow LP: {fixed_s / reference_s:.1f}x")


if __name__ == "__main__":
    main()
