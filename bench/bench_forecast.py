"""Benchmark of the demand forecaster: speed on a large catalogue and accuracy against peers.

Synthetic daily series (Poisson counts with level x trend x weekly x yearly seasonality, and
Bernoulli x (1 + Poisson) intermittent series) are cut ``--horizon-days`` before their end;
the forecaster is fitted on the part before and scored on the held-out days. statsforecast's
AutoETS runs on a sample of the same series (its time extrapolated per series), and seasonal
naive on all of them. Then the Walmart weekly and generated-marketplace figures.

    .venv/bin/python bench/bench_forecast.py --series 100000 --days 730
"""

from __future__ import annotations

import argparse
import datetime as dt
import resource
import time
from pathlib import Path

import numpy as np
import polars as pl

from shopops.planning.forecast import DemandForecaster, accuracy_report, backtest

WALMART = Path(__file__).resolve().parents[1] / ".." / "shared" / "data"
WALMART_CSV = WALMART / "retail_demand_walmart_weekly" / "walmart_sales_weekly.csv"
FIRST_DAY = dt.date(2023, 1, 2)


def synthetic_series(n: int, days: int, intermittent_share: float, seed: int) -> np.ndarray:
    """``(days, n)`` daily counts: regular seasonal Poisson series, then intermittent ones."""
    rng = np.random.default_rng(seed)
    n_sparse = int(n * intermittent_share)
    n_regular = n - n_sparse
    t = np.arange(days)[:, None]
    level = rng.lognormal(1.0, 1.0, n_regular)
    trend = np.exp(rng.normal(0.0, 0.3, n_regular) * t / 365.0)
    weekly = 1.0 + rng.uniform(0.05, 0.3, n_regular) * np.sin(
        2 * np.pi * (t + rng.integers(0, 7, n_regular)) / 7
    )
    yearly = 1.0 + rng.uniform(0.0, 0.4, n_regular) * np.cos(
        2 * np.pi * (t - rng.integers(0, 365, n_regular)) / 365
    )
    regular = rng.poisson(level * trend * weekly * yearly)
    chance = rng.uniform(0.03, 0.30, n_sparse)
    sparse = (rng.random((days, n_sparse)) < chance) * (
        1 + rng.poisson(rng.uniform(0.5, 3.0, n_sparse), (days, n_sparse))
    )
    return np.hstack([regular, sparse]).astype(np.float64)  # fmt: skip


def to_history(values: np.ndarray) -> pl.DataFrame:
    """Long frame of the positive cells: sku_id, region_id, date, units (zeros left out)."""
    period, series = np.nonzero(values > 0)
    dates = np.datetime64(FIRST_DAY) + period.astype("timedelta64[D]")
    return pl.DataFrame(
        {
            "sku_id": pl.Series(series).cast(pl.String).str.zfill(6),
            "region_id": "R1",
            "date": dates,
            "units": values[period, series],
        }
    )


def scores(actual: np.ndarray, forecast: np.ndarray, scale: np.ndarray) -> tuple[float, float]:
    """WAPE over everything and MASE averaged over series with a positive scale."""
    wape = float(np.abs(actual - forecast).sum() / actual.sum())
    mase = np.abs(actual - forecast).mean(axis=0) / scale
    return wape, float(np.mean(mase[scale > 0]))


def naive_scale(train: np.ndarray) -> np.ndarray:
    return np.asarray(np.abs(train[7:] - train[:-7]).mean(axis=0))


def run_catalogue(args: argparse.Namespace) -> None:
    values = synthetic_series(args.series, args.days, args.intermittent_share, args.seed)
    train, test = values[: -args.horizon_days], values[-args.horizon_days :]
    history = to_history(train)
    del values
    print(f"catalogue: {args.series:,} series x {args.days} days ({history.height:,} rows)")
    start = time.perf_counter()
    forecaster = DemandForecaster(horizon_days=args.horizon_days, keys=("sku_id", "region_id"))
    forecast_frame = forecaster.fit(history).predict()
    elapsed = time.perf_counter() - start
    peak = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
    print(
        f"  fit + predict: {elapsed:.1f} s, {args.series / elapsed:,.0f} series/s, "
        f"peak RSS {peak:,.0f} MB"
    )
    order = forecaster.models_["sku_id"].cast(pl.Int64).to_numpy()
    ours = np.zeros_like(test)
    ours[:, order] = forecast_frame["units_forecast"].to_numpy().reshape(-1, args.horizon_days).T
    naive = train[-7:][np.arange(args.horizon_days) % 7]
    scale = naive_scale(train)
    for name, forecast in (("ours", ours), ("seasonal naive", naive)):
        wape, mase = scores(test, forecast, scale)
        print(f"  {name:15s} WAPE {wape:.3f}  MASE {mase:.3f}")
    counts = forecaster.models_.group_by("model").len().sort("len", descending=True)
    print("  models:", ", ".join(f"{m} {c:,}" for m, c in counts.iter_rows()))
    compare_auto_ets(train, test, ours, naive, scale, args)


def compare_auto_ets(train, test, ours, naive, scale, args: argparse.Namespace) -> None:  # type: ignore[no-untyped-def]
    """AutoETS on an evenly spaced sample of the series, against ours on the same series."""
    from statsforecast.models import AutoETS

    sample = np.linspace(0, train.shape[1] - 1, args.sample).astype(int)
    model = AutoETS(season_length=7)
    ets = np.zeros((args.horizon_days, sample.size))
    start = time.perf_counter()
    for i, column in enumerate(sample):
        y = train[:, column]
        first = int(np.argmax(y > 0))
        ets[:, i] = model.forecast(y=y[first:], h=args.horizon_days)["mean"]
    per_series = (time.perf_counter() - start) / sample.size
    print(
        f"  AutoETS: {per_series * 1000:.0f} ms/series -> "
        f"{per_series * train.shape[1] / 60:,.0f} min for all series"
    )
    for name, forecast in (
        ("ours", ours[:, sample]),
        ("AutoETS", ets),
        ("seasonal naive", naive[:, sample]),
    ):
        wape, mase = scores(test[:, sample], forecast, scale[sample])
        print(f"  sample of {sample.size}: {name:15s} WAPE {wape:.3f}  MASE {mase:.3f}")
    ours_wape = scores(test[:, sample], ours[:, sample], scale[sample])[0]
    ets_wape = scores(test[:, sample], ets, scale[sample])[0]
    print(f"  WAPE ratio ours / AutoETS: {ours_wape / ets_wape:.3f}")


def print_report(title: str, report: pl.DataFrame) -> None:
    print(title)
    for row in report.filter(pl.col("segment_kind").is_in(["all", "demand"])).iter_rows(named=True):
        print(
            f"  {row['segment']:13s} series {row['series']:>6,}  WAPE {row['wape']:.3f} vs naive "
            f"{row['wape_naive']:.3f}  MASE {row['mase']:.3f} vs naive {row['mase_naive']:.3f}"
        )


def run_walmart() -> None:
    frame = pl.read_csv(WALMART_CSV, try_parse_dates=True).select(
        pl.col("id").alias("series_id"),
        pl.col("Date").alias("date"),
        pl.col("Weekly_Sales").alias("units"),
    )  # fmt: skip
    forecaster = DemandForecaster(
        horizon_days=182, season_length=52, period_days=7, keys=("series_id",), backtest_days=91
    )
    print_report(
        "Walmart weekly, last 26 of 143 weeks:",
        accuracy_report(backtest(frame, forecaster=forecaster)),
    )


def run_marketplace() -> None:
    from shopops.data.synth import MarketplaceConfig, generate_marketplace

    config = MarketplaceConfig(
        skus=300,
        warehouses=3,
        days=730,
        end_date=dt.date(2025, 10, 31),
        order_lines_per_sku_day=3.0,
    )
    tables: dict[str, list[pl.DataFrame]] = {}
    for name, frame in generate_marketplace(config):
        if name in {"orders", "order_lines", "sales_events", "skus"}:
            tables.setdefault(name, []).append(frame)
    orders = pl.concat(tables["orders"]).select("order_id", "ordered_at", "region_id")
    history = (
        pl.concat(tables["order_lines"])
        .join(orders, on="order_id")
        .group_by("sku_id", "region_id", pl.col("ordered_at").dt.date().alias("date"))
        .agg(pl.col("quantity_units").sum().cast(pl.Float64).alias("units"))
    )
    skus, events = pl.concat(tables["skus"]), pl.concat(tables["sales_events"])
    result = backtest(
        history, forecaster=DemandForecaster(horizon_days=28), events=events, categories=skus
    )
    print_report(
        "Generated marketplace (300 SKUs x 39 regions), last 28 days:",
        accuracy_report(result, skus=skus),
    )


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--series", type=int, default=100_000)
    parser.add_argument("--days", type=int, default=730)
    parser.add_argument("--horizon-days", type=int, default=28)
    parser.add_argument("--intermittent-share", type=float, default=0.5)
    parser.add_argument("--sample", type=int, default=200, help="series given to AutoETS")
    parser.add_argument("--seed", type=int, default=7)
    parser.add_argument("--no-datasets", action="store_true", help="skip Walmart and marketplace")
    args = parser.parse_args()
    run_catalogue(args)
    if not args.no_datasets:
        run_walmart()
        run_marketplace()


if __name__ == "__main__":
    main()
