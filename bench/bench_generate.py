"""Benchmark: generate a marketplace and load it into a fresh SQLite file.

Each size runs in its own process, so its wall time and peak memory are its own. Next to
it, a reference measured in the same run: the same number of rows of a plain five-column
table inserted with ``sqlite3`` ``executemany``, the raw bulk-insert speed of this
machine. The ratio says how close the generator and the data model's load path come to
it (the data model adds keys, checks, indexes and wide rows).

    python bench/bench_generate.py --skus 2000 --warehouses 6
    python bench/bench_generate.py --skus 2000 --warehouses 6 \
        --skus-large 100000 --warehouses-large 10
"""

from __future__ import annotations

import argparse
import datetime as dt
import json
import os
import sqlite3
import subprocess
import sys
import tempfile
import time
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path

from rich.console import Console
from rich.table import Table

END_DATE = dt.date(2025, 10, 31)
REFERENCE_BATCH_ROWS = 250_000


@dataclass(frozen=True)
class Run:
    """What one measured process did."""

    wall_seconds: float
    peak_mb: float
    rows: dict[str, int]

    @property
    def total_rows(self) -> int:
        return sum(self.rows.values())

    @property
    def rows_per_second(self) -> float:
        return self.total_rows / self.wall_seconds


def generate_child(skus: int, warehouses: int, days: int, database: Path, out: Path) -> None:
    """In the child process: generate into a new SQLite file and write the row counts."""
    from shopops.data.synth import MarketplaceConfig
    from shopops.services.generating import generate_into_database
    from shopops.store.db import create_engine
    from shopops.store.tables import metadata
    from shopops.store.unit_of_work import SqlUnitOfWork

    engine = create_engine(f"sqlite:///{database}")
    metadata.create_all(engine)
    config = MarketplaceConfig(skus=skus, warehouses=warehouses, days=days, end_date=END_DATE)
    report = generate_into_database(config, SqlUnitOfWork(engine))
    engine.dispose()
    out.write_text(json.dumps(report.rows))


def reference_child(rows: int, database: Path, out: Path) -> None:
    """In the child process: insert ``rows`` plain rows with sqlite3 executemany."""
    connection = sqlite3.connect(database)
    connection.execute("PRAGMA journal_mode = WAL")
    connection.execute("PRAGMA synchronous = NORMAL")
    connection.execute(
        "CREATE TABLE plain (id INTEGER PRIMARY KEY, quantity INTEGER, amount REAL,"
        " code TEXT, moved_at TEXT)"
    )
    for batch in _plain_batches(rows):
        connection.executemany("INSERT INTO plain VALUES (?, ?, ?, ?, ?)", batch)
    connection.commit()
    connection.close()
    out.write_text(json.dumps({"plain": rows}))


def _plain_batches(rows: int) -> Iterator[list[tuple[int, int, float, str, str]]]:
    for start in range(0, rows, REFERENCE_BATCH_ROWS):
        stop = min(rows, start + REFERENCE_BATCH_ROWS)
        yield [
            (i, i % 7, i * 0.25, f"SKU-{i % 100_000:06d}", "2025-10-31 12:00:00.000000")
            for i in range(start, stop)
        ]


def measure(task: list[str]) -> Run:
    """Run ``bench_generate.py <task...>`` in a child process; its wall time and peak RSS."""
    with tempfile.TemporaryDirectory(prefix="shopops-bench-") as scratch:
        out = Path(scratch) / "rows.json"
        database = Path(scratch) / "bench.db"
        command = [sys.executable, __file__, *task, "--database", str(database), "--out", str(out)]
        started = time.perf_counter()
        child = subprocess.Popen(command)
        _, status, usage = os.wait4(child.pid, 0)
        wall = time.perf_counter() - started
        child.returncode = os.waitstatus_to_exitcode(status)
        if child.returncode != 0:
            raise SystemExit(f"benchmark step {task} failed with exit code {child.returncode}")
        rows = json.loads(out.read_text())
    return Run(wall_seconds=wall, peak_mb=usage.ru_maxrss / 1024, rows=rows)


def report(console: Console, sizes: list[tuple[str, Run, Run]]) -> None:
    """Print the summary table and the rows per table of each size."""
    summary = Table(title="Generate + load into SQLite (fresh file, one transaction)")
    headers = ("SKUs x WH x days", "wall s", "rows", "rows/s", "peak MB", "raw rows/s", "raw s",
               "vs raw")  # fmt: skip
    for header in headers:
        summary.add_column(header, justify="right")
    for label, run, raw in sizes:
        summary.add_row(
            label,
            f"{run.wall_seconds:,.1f}",
            f"{run.total_rows:,}",
            f"{run.rows_per_second:,.0f}",
            f"{run.peak_mb:,.0f}",
            f"{raw.rows_per_second:,.0f}",
            f"{raw.wall_seconds:,.1f}",
            f"{run.rows_per_second / raw.rows_per_second:.2f}",
        )
    console.print(summary)
    console.print(
        "raw: the same number of rows of a plain 5-column table, sqlite3 executemany;"
        " vs raw: rows/s over raw rows/s"
    )
    per_table = Table(title="Rows per table")
    per_table.add_column("table")
    for label, _, _ in sizes:
        per_table.add_column(label, justify="right")
    for name in sizes[0][1].rows:
        per_table.add_row(name, *(f"{run.rows.get(name, 0):,}" for _, run, _ in sizes))
    console.print(per_table)


def main(argv: list[str] | None = None) -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--skus", type=int, default=2000)
    parser.add_argument("--warehouses", type=int, default=6)
    parser.add_argument("--days", type=int, default=365)
    parser.add_argument("--skus-large", type=int, help="also run this many SKUs")
    parser.add_argument("--warehouses-large", type=int, default=10)
    parser.add_argument("--child", choices=["generate", "reference"], help=argparse.SUPPRESS)
    parser.add_argument("--rows", type=int, help=argparse.SUPPRESS)
    parser.add_argument("--database", type=Path, help=argparse.SUPPRESS)
    parser.add_argument("--out", type=Path, help=argparse.SUPPRESS)
    args = parser.parse_args(argv)
    if args.child == "generate":
        return generate_child(args.skus, args.warehouses, args.days, args.database, args.out)
    if args.child == "reference":
        return reference_child(args.rows, args.database, args.out)
    plan = [(args.skus, args.warehouses)]
    if args.skus_large:
        plan.append((args.skus_large, args.warehouses_large))
    console = Console()
    sizes = []
    for skus, warehouses in plan:
        label = f"{skus:,} x {warehouses} x {args.days}"
        console.print(f"[bold]{label}[/]: generating and loading...")
        run = measure(["--child", "generate", "--skus", str(skus),
                       "--warehouses", str(warehouses), "--days", str(args.days)])  # fmt: skip
        console.print(f"  {run.total_rows:,} rows in {run.wall_seconds:,.1f} s; reference...")
        raw = measure(["--child", "reference", "--rows", str(run.total_rows)])
        sizes.append((label, run, raw))
    report(console, sizes)
    return None


if __name__ == "__main__":
    main()
