"""Vectorised models of intermittent demand: Croston (SBA), TSB, ADIDA and IMAPA.

Each takes a time-major ``(periods, series)`` array (``nan`` before a series' first sale)
and returns one flat rate per series, the expected units per period over the horizon;
``nan`` for a series never observed. Time is the only Python loop, so the whole catalogue's
slow movers are forecast at once; these agree with statsforecast's CrostonClassic and TSB
for the same smoothing constants.
"""

from __future__ import annotations

import numpy as np

from shopops.planning.forecast.panel import FloatArray, IntArray
from shopops.planning.forecast.smoothing import first_observed, smooth_level

CROSTON_ALPHA = 0.1
TSB_DEMAND_ALPHA = 0.1
TSB_PROBABILITY_ALPHAS = (0.02, 0.05, 0.1, 0.2)
AGGREGATE_ALPHAS = (0.1, 0.2, 0.3)
MAX_AGGREGATION = 56


def croston(
    values: FloatArray, *, alpha: float = CROSTON_ALPHA, debiased: bool = True
) -> FloatArray:
    r"""Croston's method (Croston 1972), by default with the Syntetos–Boylan correction.

    Demand sizes :math:`z` and the intervals :math:`p` between demands are smoothed
    separately, both updated only in periods with demand and started at the first demand.
    The rate is :math:`z/p`; the SBA version multiplies it by :math:`1 - \alpha/2` to remove
    Croston's upward bias (Syntetos & Boylan 2005, IJF 21(2)).
    """
    n_periods, n_series = values.shape
    start = first_observed(values)
    size = np.full(n_series, np.nan)
    interval = np.full(n_series, np.nan)
    since = np.zeros(n_series)
    for t in range(int(start.min(initial=n_periods)), n_periods):
        x = values[t]
        since += t >= start
        demand = x > 0
        first = demand & np.isnan(size)
        update = demand & ~first
        size = np.where(first, x, np.where(update, size + alpha * (x - size), size))
        interval = np.where(
            first, since, np.where(update, interval + alpha * (since - interval), interval)
        )
        since = np.where(demand, 0.0, since)
    rate = size / interval * (1.0 - alpha / 2.0 if debiased else 1.0)
    return _zero_if_observed(rate, start, n_periods)


def tsb(
    values: FloatArray,
    *,
    demand_alpha: float = TSB_DEMAND_ALPHA,
    probability_alphas: tuple[float, ...] = TSB_PROBABILITY_ALPHAS,
) -> FloatArray:
    r"""Teunter–Syntetos–Babai (2011, EJOR 214(3)): demand probability times demand size.

    The probability :math:`d` of a demand is smoothed every period (so it decays while no
    demand comes, unlike Croston's interval) and the size :math:`z` only in periods with
    demand; the rate is :math:`d\,z`. Per series the probability constant of
    ``probability_alphas`` with the least one-step squared error is kept.
    """
    n_periods, n_series = values.shape
    start = first_observed(values)
    grid = np.asarray(probability_alphas, dtype=np.float64)[:, None]
    columns = np.arange(n_series)
    first_value = np.nan_to_num(values[np.minimum(start, n_periods - 1), columns])
    probability = np.tile((first_value > 0).astype(np.float64), (len(grid), 1))
    size = np.where(first_value > 0, first_value, np.nan)
    squared = np.zeros_like(probability)
    for t in range(int(start.min(initial=n_periods)), n_periods):
        x = values[t]
        later = t > start
        error = np.where(later, x - probability * np.nan_to_num(size), 0.0)
        squared += error * error
        occurred = (x > 0).astype(np.float64)
        probability += np.where(later, grid * (occurred - probability), 0.0)
        grow = later & (x > 0)
        size = np.where(grow & np.isnan(size), x, size)
        size = np.where(grow, size + demand_alpha * (x - size), size)
    best = squared.argmin(axis=0)
    rate = probability[best, columns] * size
    return _zero_if_observed(rate, start, n_periods)


def adida(values: FloatArray, adi: FloatArray) -> FloatArray:
    """ADIDA (Nikolopoulos et al. 2011): SES of demand summed over buckets of ADI periods.

    Each series is summed over non-overlapping buckets of ``round(ADI)`` periods ending
    with the last period, the bucket totals are smoothed, and the level is spread evenly
    over the periods of a bucket.
    """
    level = _aggregation_level(adi)
    running = _Running(values)
    rate = np.full(values.shape[1], np.nan)
    for k in np.unique(level):
        columns = np.flatnonzero(level == k)
        rate[columns] = running.rate(int(k), columns)
    return _zero_if_observed(rate, first_observed(values), values.shape[0])


def imapa(values: FloatArray, adi: FloatArray) -> FloatArray:
    """IMAPA (Petropoulos & Kourentzes 2015): mean of the ADIDA rates at levels 1..round(ADI).

    Combining several aggregation levels captures both the short and the long view of a
    slow mover, and is more robust than any single level.
    """
    level = _aggregation_level(adi)
    running = _Running(values)
    total = np.zeros(values.shape[1])
    for k in range(1, int(level.max(initial=1)) + 1):
        columns = np.flatnonzero(level >= k)
        total[columns] += np.nan_to_num(running.rate(k, columns))
    rate = total / level
    return _zero_if_observed(rate, first_observed(values), values.shape[0])


def _aggregation_level(adi: FloatArray) -> FloatArray:
    level = np.where(np.isfinite(adi), np.rint(adi), 1.0)
    return np.clip(level, 1.0, MAX_AGGREGATION)


class _Running:
    """Running totals of a panel, so any bucket total is a difference of two rows."""

    def __init__(self, values: FloatArray) -> None:
        zero = np.zeros((1, values.shape[1]))
        self.units = np.vstack([zero, np.cumsum(np.nan_to_num(values), axis=0)])
        self.missing = np.vstack([zero, np.cumsum(np.isnan(values), axis=0)])

    def rate(self, k: int, columns: IntArray) -> FloatArray:
        """Units per period from SES of ``k``-period bucket totals (partial buckets dropped)."""
        n_periods = self.units.shape[0] - 1
        buckets = n_periods // k
        if buckets == 0:
            return np.full(columns.size, np.nan)
        edges = n_periods - k * np.arange(buckets, -1, -1)
        totals = np.diff(self.units[edges][:, columns], axis=0)
        incomplete = np.diff(self.missing[edges][:, columns], axis=0) > 0
        totals = np.where(incomplete, np.nan, totals)
        return np.asarray(smooth_level(totals, AGGREGATE_ALPHAS).level / k)


def _zero_if_observed(rate: FloatArray, start: IntArray, n_periods: int) -> FloatArray:
    """Rates of series observed but without a usable estimate become 0; unobserved stay nan."""
    observed = start < n_periods
    return np.where(observed, np.nan_to_num(rate, nan=0.0, posinf=0.0), np.nan)
