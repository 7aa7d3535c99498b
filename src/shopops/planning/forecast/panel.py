"""Demand history as a panel: one column of a 2-D array per series, one row per period.

Every model of the fast path works on the whole panel at once, stepping through time with
NumPy operations over all series (a time-major ``periods x series`` array keeps each step's
reads contiguous). A series starts at its first sale: earlier cells are ``nan`` (not on sale
yet) and never count as zero demand.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Sequence
from dataclasses import dataclass

import numpy as np
import numpy.typing as npt
import polars as pl

from shopops.errors import DataError

FloatArray = npt.NDArray[np.float64]
IntArray = npt.NDArray[np.int64]
BoolArray = npt.NDArray[np.bool_]


@dataclass(frozen=True)
class DemandPanel:
    """Demand per period and series.

    Attributes
    ----------
    keys:
        One row per series (the key columns), in column order of ``values``.
    first_date:
        Date of period 0.
    period_days:
        Days per period: 1 for daily, 7 for weekly demand.
    values:
        ``(periods, series)`` units; ``nan`` before each series' first sale.
    start:
        Period of each series' first sale (``periods`` for a series that never sold).
    """

    keys: pl.DataFrame
    first_date: dt.date
    period_days: int
    values: FloatArray
    start: IntArray

    @property
    def n_periods(self) -> int:
        """Number of periods of history."""
        return int(self.values.shape[0])

    @property
    def n_series(self) -> int:
        """Number of series."""
        return int(self.values.shape[1])

    def dates(self, first: int = 0, count: int | None = None) -> list[dt.date]:
        """Dates of ``count`` periods from period ``first`` (may run past the history)."""
        count = self.n_periods - first if count is None else count
        step = dt.timedelta(days=self.period_days)
        return [self.first_date + (first + i) * step for i in range(count)]

    def head(self, periods: int) -> DemandPanel:
        """The panel cut after its first ``periods`` periods (a back-test origin)."""
        values = self.values[:periods]
        return DemandPanel(
            self.keys, self.first_date, self.period_days, values, np.minimum(self.start, periods)
        )

    def with_values(self, values: FloatArray) -> DemandPanel:
        """The same series and dates with other values (e.g. cleaned of events)."""
        return DemandPanel(self.keys, self.first_date, self.period_days, values, self.start)


def build_panel(
    history: pl.DataFrame,
    *,
    keys: Sequence[str],
    period_days: int = 1,
    date_column: str = "date",
    units_column: str = "units",
) -> DemandPanel:
    """Pivot a long demand frame into a :class:`DemandPanel`.

    Rows of the same series and period are summed; missing periods are zero demand once
    the series has sold. Periods are ``period_days`` apart from the earliest date.

    Raises
    ------
    DataError
        If a column is missing, units are negative or a date falls between periods.
    """
    _check_columns(history, [*keys, date_column, units_column])
    if history.height == 0:
        raise DataError("the demand history is empty")
    series = history.select(keys).unique().sort(keys)
    indexed = history.join(series.with_row_index("_series"), on=list(keys), how="left")
    first_date: dt.date = history[date_column].min()  # type: ignore[assignment]
    days = (indexed[date_column] - first_date).dt.total_days().to_numpy()
    if np.any(days % period_days):
        raise DataError(f"dates of {date_column!r} are not {period_days} days apart")
    period = (days // period_days).astype(np.int64)
    units = indexed[units_column].cast(pl.Float64).to_numpy()
    if np.any(units < 0) or np.any(~np.isfinite(units)):
        raise DataError(f"{units_column!r} must be finite and not negative")
    n_periods, n_series = int(period.max()) + 1, series.height
    flat = period * n_series + indexed["_series"].to_numpy().astype(np.int64)
    counts = np.bincount(flat, weights=units, minlength=n_periods * n_series)
    values: FloatArray = counts.astype(np.float64).reshape(n_periods, n_series)
    start = _first_sale(values)
    values[np.arange(n_periods)[:, None] < start[None, :]] = np.nan
    return DemandPanel(series, first_date, period_days, values, start)


def _first_sale(values: FloatArray) -> IntArray:
    """Period of the first positive value per series, or the number of periods."""
    sold = values > 0
    first: IntArray = np.where(sold.any(axis=0), sold.argmax(axis=0), values.shape[0])
    return first.astype(np.int64)


def panel_to_frame(
    keys: pl.DataFrame, dates: Sequence[dt.date], columns: dict[str, FloatArray]
) -> pl.DataFrame:
    """Long frame of ``(periods, series)`` arrays: key columns, ``date``, one column each.

    Rows come series by series in key order, dates ascending within a series.
    """
    n_periods, n_series = len(dates), keys.height
    series = np.repeat(np.arange(n_series), n_periods)
    day = np.tile(np.asarray(dates, dtype="datetime64[D]"), n_series)
    frame = keys[series].with_columns(pl.Series("date", day))
    return frame.with_columns(
        [
            pl.Series(name, np.ascontiguousarray(array.T).reshape(-1))
            for name, array in columns.items()
        ]
    )


def _check_columns(frame: pl.DataFrame, required: Sequence[str]) -> None:
    missing = [name for name in required if name not in frame.columns]
    if missing:
        raise DataError(f"the demand history lacks column(s) {', '.join(missing)}")
