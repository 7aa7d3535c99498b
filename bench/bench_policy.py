"""Benchmark: the inventory-policy engines on a synthetic catalogue, next to stockpyl per SKU.

Each part runs in its own process, so its wall time and peak memory are its own. In the same
process a sample of the catalogue is solved with stockpyl one SKU at a time (the peer); its
time per SKU, times the catalogue size, is what the peer would need, and the answers on the
sample must agree. Parts:

- ``standard``: safety stock, reorder point, order-up-to and the all-units tiered lot size
  (with MOQ and multiples) for every row, as ``compute_policies`` plans them; peer:
  ``newsvendor_normal`` + ``economic_order_quantity_with_all_units_discounts``.
- ``rq_normal``: exact (r, Q), normal demand; peer: ``r_q_cost`` minimised over Q with
  ``r_q_optimal_r_for_q`` (stockpyl has no exact normal optimiser of its own).
- ``rq_poisson``: exact (r, Q), Poisson demand; peer ``r_q_poisson_exact``.
- ``ss_poisson``: exact (s, S), Poisson demand, zero lead time (as stockpyl); peer
  ``s_s_discrete_exact``. ``ss_lead_time``: the same with the catalogue's lead times (no peer).
- ``ss_power``: the power approximation; peer ``s_s_power_approximation``.

stockpyl's exact Poisson searches take time growing with the square of the lot size, so their
sample is drawn from rows whose EOQ is at most the catalogue's 75th percentile: the peer's
extrapolated time is then a lower bound.

    python bench/bench_policy.py
    python bench/bench_policy.py --standard-rows 1000000 --exact-rows 100000 --peer-rows 20
"""

from __future__ import annotations

import argparse
import json
import os
import resource
import subprocess
import sys
import tempfile
import time
from collections.abc import Callable
from pathlib import Path
from typing import Any

import numpy as np
import polars as pl
from rich.console import Console
from rich.table import Table

PARTS = ("standard", "rq_normal", "rq_poisson", "ss_poisson", "ss_lead_time", "ss_power")
TARGET_SECONDS = {
    "standard": 10.0,
    "rq_normal": 60.0,
    "rq_poisson": 60.0,
    "ss_poisson": 60.0,
    "ss_lead_time": 60.0,
    "ss_power": 60.0,
}


def catalogue(rows: int, seed: int) -> dict[str, np.ndarray]:
    """SKU x warehouse rows like the peer measurements': demand, lead time, costs, tiers."""
    rng = np.random.default_rng(seed)
    demand = rng.lognormal(np.log(1.5), 1.147, rows)
    unit_cost = rng.lognormal(np.log(15.0), 0.8, rows)
    ratio = rng.uniform(0.90, 0.99, rows)
    holding = 0.25 * unit_cost / 365.0
    tiers = 4
    breaks = np.sort(rng.choice(np.arange(20.0, 2000.0, 10.0), (rows, tiers)), axis=1)
    breaks[:, 0] = rng.integers(1, 20, rows)
    discounts = np.cumprod(np.c_[np.ones(rows), rng.uniform(0.96, 0.99, (rows, tiers - 1))], 1)
    unused = np.arange(tiers)[None, :] >= rng.integers(1, tiers + 1, rows)[:, None]
    return {
        "demand": demand,
        "demand_sd": demand * rng.uniform(0.4, 1.2, rows),
        "lead_time": rng.integers(2, 22, rows).astype(np.float64),
        "lead_time_sd": rng.uniform(0.0, 3.0, rows),
        "unit_cost": unit_cost,
        "ratio": ratio,
        "holding": holding,
        "stockout": holding * ratio / (1.0 - ratio),
        "fixed": rng.uniform(10.0, 60.0, rows),
        "review": np.where(rng.uniform(size=rows) < 0.3, 7.0, 0.0),
        "fill_rate": np.where(rng.uniform(size=rows) < 0.3, 0.98, np.nan),
        "moq": rng.integers(0, 50, rows).astype(np.float64),
        "multiple": rng.choice([0.0, 1.0, 6.0, 12.0, 24.0], rows),
        "breaks": np.where(unused, np.nan, breaks),
        "prices": np.where(unused, np.nan, unit_cost[:, None] * discounts),
    }


def items_frame(c: dict[str, np.ndarray], *, plain: bool = False) -> pl.DataFrame:
    """``compute_policies`` input; ``plain`` drops what stockpyl cannot express."""
    rows = c["demand"].size
    breaks = c["breaks"].copy()
    if plain:
        breaks[:, 0] = 0.0
    zeros = np.zeros(rows)
    return pl.DataFrame(
        {
            "demand_mean_units_per_day": c["demand"],
            "demand_sd_units_per_day": c["demand_sd"],
            "lead_time_mean_days": c["lead_time"],
            "lead_time_sd_days": zeros if plain else c["lead_time_sd"],
            "review_period_days": zeros if plain else c["review"],
            "cycle_service_level": c["ratio"],
            "fill_rate": np.full(rows, np.nan) if plain else c["fill_rate"],
            "fixed_order_cost_usd": c["fixed"],
            "holding_cost_rate_per_day": np.full(rows, 0.25 / 365.0),
            "tier_min_quantity_units": pl.Series(_lists(breaks), dtype=pl.List(pl.Float64)),
            "tier_unit_price_usd": pl.Series(_lists(c["prices"]), dtype=pl.List(pl.Float64)),
            "moq_units": zeros if plain else c["moq"],
            "order_multiple_units": zeros if plain else c["multiple"],
        }
    )


def _lists(table: np.ndarray) -> list[list[float]]:
    return [row[~np.isnan(row)].tolist() for row in table]


def _subset(c: dict[str, np.ndarray], index: np.ndarray) -> dict[str, np.ndarray]:
    return {key: value[index] for key, value in c.items()}


def _peer_sample(c: dict[str, np.ndarray], count: int, seed: int, cap_lots: bool) -> np.ndarray:
    rows = np.arange(c["demand"].size)
    if cap_lots:
        lot = np.sqrt(2 * c["fixed"] * c["demand"] / c["holding"])
        rows = rows[lot <= np.percentile(lot, 75)]
    return np.random.default_rng(seed + 1).choice(rows, min(count, rows.size), replace=False)


def _timed(work: Callable[[], Any]) -> tuple[Any, float]:
    started = time.perf_counter()
    result = work()
    return result, time.perf_counter() - started


def _peak_mb() -> float:
    return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024


def run_part(part: str, rows: int, peer_rows: int, seed: int) -> dict[str, Any]:
    """In the child process: time the engine on ``rows`` rows and the peer on a sample."""
    from shopops.planning import policy as pp

    c = catalogue(rows, seed)
    sample = _subset(c, _peer_sample(c, peer_rows, seed, part in ("rq_poisson", "ss_poisson")))
    items = items_frame(c) if part == "standard" else pl.DataFrame()
    before = _peak_mb()
    engine: dict[str, Callable[[dict[str, np.ndarray]], Any]] = {
        "standard": lambda d: pp.compute_policies(items if d is c else items_frame(d, plain=True)),
        "rq_normal": lambda d: pp.r_q_exact_normal(
            d["holding"], d["stockout"], d["fixed"], d["demand"], d["demand_sd"], d["lead_time"]
        ),
        "rq_poisson": lambda d: pp.r_q_exact_poisson(
            d["holding"], d["stockout"], d["fixed"], d["demand"], d["lead_time"]
        ),
        "ss_poisson": lambda d: pp.s_s_exact_poisson(
            d["holding"], d["stockout"], d["fixed"], d["demand"]
        ),
        "ss_lead_time": lambda d: pp.s_s_exact_poisson(
            d["holding"], d["stockout"], d["fixed"], d["demand"], lead_time_periods=d["lead_time"]
        ),
        "ss_power": lambda d: pp.s_s_power_approximation(
            d["holding"], d["stockout"], d["fixed"], d["demand"], d["demand_sd"]
        ),
    }
    _, seconds = _timed(lambda: engine[part](c))
    peak = _peak_mb()
    result: dict[str, Any] = {
        "part": part,
        "rows": rows,
        "seconds": seconds,
        "peak_mb": peak,
        "rise_mb": peak - before,
    }
    if part in PEERS:
        ours = engine[part](sample)
        PEERS[part](_subset(sample, np.arange(1)))  # warm up: imports and first-call costs
        theirs, peer_seconds = _timed(lambda: PEERS[part](sample))
        result.update(
            peer_rows=len(theirs), peer_seconds=peer_seconds, agreement=AGREE[part](ours, theirs)
        )
    return result


def _peer_standard(d: dict[str, np.ndarray]) -> list[tuple[float, ...]]:
    from stockpyl import eoq, newsvendor  # type: ignore[import-untyped]

    out: list[tuple[float, ...]] = []
    for i in range(d["demand"].size):
        mean = d["demand"][i] * d["lead_time"][i]
        sd = d["demand_sd"][i] * np.sqrt(d["lead_time"][i])
        level, _ = newsvendor.newsvendor_normal(1.0 - d["ratio"][i], d["ratio"][i], mean, sd)
        breaks = [0.0, *(float(b) for b in d["breaks"][i, 1:] if not np.isnan(b))]
        prices = [float(p) for p in d["prices"][i] if not np.isnan(p)]
        quantity, _, _ = eoq.economic_order_quantity_with_all_units_discounts(
            float(d["fixed"][i]), 0.25 / 365.0, float(d["demand"][i]), breaks, prices
        )
        out.append((float(level), float(quantity)))
    return out


def _peer_rq_normal(d: dict[str, np.ndarray]) -> list[tuple[float, ...]]:
    from scipy.optimize import minimize_scalar
    from stockpyl import rq

    out: list[tuple[float, ...]] = []
    for i in range(d["demand"].size):
        h, p, k = d["holding"][i], d["stockout"][i], d["fixed"][i]
        mean, sd, lead = d["demand"][i], d["demand_sd"][i], d["lead_time"][i]

        def cost(
            q: float,
            h: float = h,
            p: float = p,
            k: float = k,
            mean: float = mean,
            sd: float = sd,
            lead: float = lead,
        ) -> float:
            r = rq.r_q_optimal_r_for_q(q, h, p, mean, sd, lead)
            return float(rq.r_q_cost(r, q, h, p, k, mean, sd, lead))

        eoqb = np.sqrt(2 * k * mean * (h + p) / (h * p))
        best = minimize_scalar(
            cost, bounds=(0.3 * eoqb, 3.0 * eoqb), method="bounded", options={"xatol": 1e-6 * eoqb}
        )
        q = float(best.x)
        out.append((float(rq.r_q_optimal_r_for_q(q, h, p, mean, sd, lead)), q, float(best.fun)))
    return out


def _peer_rq_poisson(d: dict[str, np.ndarray]) -> list[tuple[float, ...]]:
    from stockpyl import rq

    keys = ("holding", "stockout", "fixed", "demand", "lead_time")
    return [
        tuple(map(float, rq.r_q_poisson_exact(*(d[k][i] for k in keys))))
        for i in range(d["demand"].size)
    ]


def _peer_ss_poisson(d: dict[str, np.ndarray]) -> list[tuple[float, ...]]:
    from stockpyl import ss

    return [
        tuple(
            map(
                float,
                ss.s_s_discrete_exact(
                    d["holding"][i], d["stockout"][i], d["fixed"][i], True, d["demand"][i]
                ),
            )
        )
        for i in range(d["demand"].size)
    ]


def _peer_ss_power(d: dict[str, np.ndarray]) -> list[tuple[float, ...]]:
    from stockpyl import ss

    keys = ("holding", "stockout", "fixed", "demand", "demand_sd")
    return [
        tuple(map(float, ss.s_s_power_approximation(*(d[k][i] for k in keys))))
        for i in range(d["demand"].size)
    ]


def _agree_standard(ours: pl.DataFrame, theirs: list[tuple[float, float]]) -> str:
    level, quantity = np.array(theirs).T
    gap_r = np.max(np.abs(ours["reorder_point_units"].to_numpy() - level) / np.abs(level))
    gap_q = np.max(np.abs(ours["order_quantity_units"].to_numpy() - quantity) / quantity)
    return f"max rel. diff r {gap_r:.0e}, Q {gap_q:.0e}"


def _agree_rq_normal(ours: Any, theirs: list[tuple[float, float, float]]) -> str:
    _, q, g = np.array(theirs).T
    ours_g = ours.expected_cost_usd_per_day
    better = int(np.sum(ours_g <= g * (1 + 1e-12)))
    gap = np.max(np.abs(ours_g - g) / g)
    gap_q = np.max(np.abs(ours.order_quantity_units - q) / q)
    return f"cost <= peer {better}/{g.size}; max rel. diff cost {gap:.0e}, Q {gap_q:.0e}"


def _agree_integer(first: str, second: str, cost: str) -> Callable[[Any, list[Any]], str]:
    def agree(ours: Any, theirs: list[tuple[float, float, float]]) -> str:
        a, b, g = np.array(theirs).T
        same = int(np.sum((getattr(ours, first) == a) & (getattr(ours, second) == b)))
        gap = np.max(np.abs(getattr(ours, cost) - g) / g)
        return f"identical {same}/{g.size}; max rel. diff cost {gap:.0e}"

    return agree


def _agree_power(ours: Any, theirs: list[tuple[float, float]]) -> str:
    s, big_s = np.array(theirs).T
    gap = max(
        np.max(np.abs(ours.reorder_point_units - s)),
        np.max(np.abs(ours.order_up_to_level_units - big_s)),
    )
    return f"max abs. diff {gap:.0e} units"


PEERS: dict[str, Callable[[dict[str, np.ndarray]], list[Any]]] = {
    "standard": _peer_standard,
    "rq_normal": _peer_rq_normal,
    "rq_poisson": _peer_rq_poisson,
    "ss_poisson": _peer_ss_poisson,
    "ss_power": _peer_ss_power,
}
AGREE: dict[str, Callable[[Any, list[Any]], str]] = {
    "standard": _agree_standard,
    "rq_normal": _agree_rq_normal,
    "rq_poisson": _agree_integer(
        "reorder_point_units", "order_quantity_units", "expected_cost_usd_per_day"
    ),
    "ss_poisson": _agree_integer(
        "reorder_point_units", "order_up_to_level_units", "expected_cost_usd_per_period"
    ),
    "ss_power": _agree_power,
}


def measure(part: str, rows: int, peer_rows: int, seed: int) -> dict[str, Any]:
    """Run one part in a child process and read what it measured."""
    with tempfile.TemporaryDirectory(prefix="shopops-bench-") as scratch:
        out = Path(scratch) / "result.json"
        command = [
            sys.executable,
            __file__,
            "--child",
            part,
            "--rows",
            str(rows),
            "--peer-rows",
            str(peer_rows),
            "--seed",
            str(seed),
            "--out",
            str(out),
        ]
        child = subprocess.Popen(command)
        _, status, _ = os.wait4(child.pid, 0)
        code = os.waitstatus_to_exitcode(status)
        if code != 0 or not out.exists():
            raise SystemExit(f"benchmark part {part} failed (exit code {code}, no result)")
        result: dict[str, Any] = json.loads(out.read_text())
    return result


def report(console: Console, results: list[dict[str, Any]]) -> None:
    table = Table(title="Inventory-policy engines vs stockpyl per SKU (same run, same machine)")
    headers = (
        "part",
        "rows",
        "ours s",
        "target s",
        "ours µs/row",
        "peer per row (n)",
        "peer, all rows",
        "speed-up",
        "peak RSS MB (+engine)",
        "agreement on sample",
    )
    for header in headers:
        table.add_column(header, justify="left" if header in ("part", headers[-1]) else "right")
    for r in results:
        per_row = r["seconds"] / r["rows"]
        peer = ("-", "-", "-", "-")
        if "peer_seconds" in r:
            peer_row = r["peer_seconds"] / r["peer_rows"]
            peer = (
                f"{_per_row(peer_row)} ({r['peer_rows']})",
                _duration(peer_row * r["rows"]),
                f"{peer_row / per_row:,.0f}x",
                r["agreement"],
            )
        table.add_row(
            r["part"],
            f"{r['rows']:,}",
            f"{r['seconds']:,.2f}" if r["seconds"] >= 0.1 else f"{r['seconds']:.3f}",
            f"{TARGET_SECONDS[r['part']]:g}",
            f"{per_row * 1e6:,.1f}" if per_row >= 1e-6 else f"{per_row * 1e6:.3f}",
            peer[0],
            peer[1],
            peer[2],
            f"{r['peak_mb']:,.0f} (+{r['rise_mb']:,.0f})",
            peer[3],
        )
    console.print(table)
    console.print(
        "peer for all rows: the peer's time per row on its sample times the rows; "
        "exact Poisson samples exclude the top quarter of lot sizes, so for those "
        "parts it is a lower bound."
    )


def _per_row(seconds: float) -> str:
    return f"{seconds * 1e6:,.1f} µs" if seconds < 1e-3 else f"{seconds * 1e3:,.1f} ms"


def _duration(seconds: float) -> str:
    if seconds < 120:
        return f"{seconds:,.1f} s"
    if seconds < 7200:
        return f"{seconds / 60:,.1f} min"
    return f"{seconds / 3600:,.1f} h"


def main(argv: list[str] | None = None) -> None:
    parser = argparse.ArgumentParser(description=(__doc__ or "").splitlines()[0])
    parser.add_argument("--standard-rows", type=int, default=1_000_000)
    parser.add_argument("--exact-rows", type=int, default=100_000)
    parser.add_argument("--peer-rows", type=int, default=20)
    parser.add_argument("--seed", type=int, default=7)
    parser.add_argument("--parts", nargs="+", choices=PARTS, default=list(PARTS))
    parser.add_argument("--child", choices=PARTS, help=argparse.SUPPRESS)
    parser.add_argument("--rows", type=int, help=argparse.SUPPRESS)
    parser.add_argument("--out", type=Path, help=argparse.SUPPRESS)
    args = parser.parse_args(argv)
    if args.child:
        result = run_part(args.child, args.rows, args.peer_rows, args.seed)
        args.out.write_text(json.dumps(result))
        return
    console = Console(width=max(Console().width, 190))
    results = []
    for part in args.parts:
        rows = args.standard_rows if part == "standard" else args.exact_rows
        console.print(f"[bold]{part}[/]: {rows:,} rows, peer on {args.peer_rows}...")
        results.append(measure(part, rows, args.peer_rows, args.seed))
    report(console, results)


if __name__ == "__main__":
    main()
