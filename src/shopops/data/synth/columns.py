"""Small helpers that turn NumPy arrays of indexes, days and times into frame columns."""

from __future__ import annotations

import datetime as dt
from collections.abc import Sequence

import numpy as np
import polars as pl

EPOCH = dt.date(1970, 1, 1)
US_PER_DAY = 86_400_000_000
US_PER_HOUR = 3_600_000_000
US_PER_MINUTE = 60_000_000


def epoch_day(day: dt.date) -> int:
    """Days since 1970-01-01, the integer form of dates used throughout the generator."""
    return (day - EPOCH).days


def pick(values: Sequence[str] | pl.Series, index: np.ndarray, name: str = "") -> pl.Series:
    """``values[index]`` as a string column; a negative index gives null."""
    series = values if isinstance(values, pl.Series) else pl.Series(list(values), dtype=pl.String)
    idx = pl.Series(np.asarray(index, dtype=np.int64))
    if (np.asarray(index) < 0).any():
        idx = idx.set(idx < 0, None)
    return series.gather(idx).alias(name)


def numbered(prefix: str, numbers: np.ndarray, digits: int, name: str = "") -> pl.Series:
    """Codes like ``SKU-000042``: ``prefix`` and the number padded to ``digits``."""
    frame = pl.DataFrame({"n": np.asarray(numbers, dtype=np.int64)})
    code = pl.lit(prefix) + pl.col("n").cast(pl.String).str.zfill(digits)
    return frame.select(code.alias(name)).to_series()


def dates(day_numbers: np.ndarray, name: str = "", *, null_if_negative: bool = False) -> pl.Series:
    """Epoch day numbers as a Date column (optionally null where negative)."""
    series = pl.Series(name, np.asarray(day_numbers, dtype=np.int32)).cast(pl.Date)
    if null_if_negative:
        series = series.set(pl.Series(np.asarray(day_numbers) < 0), None)
    return series


def datetimes(micros: np.ndarray, name: str = "", *, null_if_negative: bool = False) -> pl.Series:
    """Microseconds since the epoch as a Datetime column (optionally null where negative)."""
    series = pl.Series(name, np.asarray(micros, dtype=np.int64)).cast(pl.Datetime("us"))
    if null_if_negative:
        series = series.set(pl.Series(np.asarray(micros) < 0), None)
    return series


def draw_codes(rng: np.random.Generator, shares: dict[str, float], size: int) -> np.ndarray:
    """``size`` codes drawn with the given relative shares."""
    codes = np.array(list(shares), dtype=object)
    weights = np.array(list(shares.values()), dtype=np.float64)
    return np.asarray(codes[rng.choice(len(codes), size=size, p=weights / weights.sum())])


def group_starts(keys: np.ndarray) -> np.ndarray:
    """For sorted ``keys``, True where a new run of equal keys starts."""
    starts = np.ones(len(keys), dtype=bool)
    starts[1:] = keys[1:] != keys[:-1]
    return starts


def rank_within_groups(keys: np.ndarray) -> np.ndarray:
    """For sorted ``keys``: 0, 1, 2... within each run of equal keys."""
    position = np.arange(len(keys))
    first = np.maximum.accumulate(np.where(group_starts(keys), position, 0))
    return position - first


def cumsum_within_groups(keys: np.ndarray, values: np.ndarray) -> np.ndarray:
    """For sorted ``keys``: running total of ``values`` restarting at each new key."""
    total = np.cumsum(values)
    starts = group_starts(keys)
    before = np.where(starts, total - values, 0)
    return total - np.maximum.accumulate(np.where(starts, before, 0))


def nice_round(values: np.ndarray) -> np.ndarray:
    """Round quantities to what buyers quote: 1-9, then 10s, 25s, 50s, 100s..."""
    v = np.maximum(np.asarray(values, dtype=np.float64), 1.0)
    step = np.select([v < 10, v < 100, v < 500, v < 2000], [1, 5, 25, 100], default=500)
    return np.asarray(np.maximum(np.round(v / step) * step, step), dtype=np.int64)
