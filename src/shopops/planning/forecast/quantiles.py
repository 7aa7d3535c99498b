"""Forecast quantiles from a negative binomial around the point forecast.

Demand in a period is taken as negative binomial with mean :math:`\\mu` (the forecast) and
variance :math:`\\mu + \\phi\\mu^2`: Poisson noise plus a share :math:`\\phi` that grows with
the level (forecast error, day-to-day swings). :math:`\\phi` is estimated per series by the
method of moments from the series' own back-test errors,

    phi = max(0, (sum e² - sum f) / sum f²),

so the spread reflects how wrong the chosen model actually was out of sample. Slow movers
get exact discrete quantiles (a cumulative sum of the probability mass, which is what the
inventory policies need at small counts); above :data:`EXACT_MEAN_LIMIT` units the
Wilson–Hilferty gamma approximation is used.
"""

from __future__ import annotations

from collections.abc import Sequence

import numpy as np
from scipy import special

from shopops.planning.forecast.panel import FloatArray

EXACT_MEAN_LIMIT = 40.0
MAX_TERMS = 400


MIN_FORECAST_UNITS = 1.0
"""Back-test forecast units a series needs before its own dispersion is estimated."""


def dispersion(
    squared_error: FloatArray, forecast_sum: FloatArray, forecast_squares: FloatArray
) -> FloatArray:
    """Method-of-moments :math:`\\phi` per series from back-test sums; ``nan`` without data.

    A series whose back-test forecast adds up to less than :data:`MIN_FORECAST_UNITS` says
    nothing about its dispersion (dividing by an almost-zero sum of squares would give an
    absurd spread); it is ``nan`` too, and the caller gives it the other series' value.
    """
    with np.errstate(divide="ignore", invalid="ignore"):
        phi = (squared_error - forecast_sum) / forecast_squares
    informative = (forecast_squares > 0) & (forecast_sum >= MIN_FORECAST_UNITS)
    return np.where(informative, np.maximum(phi, 0.0), np.nan)


def demand_sd(mean: FloatArray, phi: FloatArray) -> FloatArray:
    """Standard deviation :math:`\\sqrt{\\mu + \\phi\\mu^2}` of demand in each period."""
    return np.sqrt(mean + phi * mean * mean)


def negative_binomial_quantiles(
    mean: FloatArray, phi: FloatArray, levels: Sequence[float]
) -> list[FloatArray]:
    """Quantiles at ``levels`` of NB(mean, phi), one array shaped like ``mean`` per level.

    ``phi`` broadcasts against ``mean``; 0 gives the Poisson distribution.
    """
    mean = np.maximum(np.nan_to_num(mean), 0.0)
    phi = np.broadcast_to(np.nan_to_num(phi), mean.shape)
    exact = mean <= EXACT_MEAN_LIMIT
    results = [_gamma_quantile(mean, phi, q) for q in levels]
    if exact.any():
        small = _exact_quantiles(mean[exact], phi[exact], levels)
        for result, values in zip(results, small, strict=True):
            result[exact] = values
    return results


def _exact_quantiles(
    mean: FloatArray, phi: FloatArray, levels: Sequence[float]
) -> list[FloatArray]:
    """Smallest k with P(X <= k) >= q, by summing the probability mass term by term.

    The quantile at level q is the number of terms whose running sum is still below q.
    Cells drop out once their highest level is reached, so the work follows the spread of
    each cell rather than the widest one.
    """
    targets = np.asarray(levels, dtype=np.float64)[:, None] - 1e-12
    answers = np.full((len(levels), mean.size), np.nan)
    cell = np.arange(mean.size)
    mean, phi = mean.reshape(-1), phi.reshape(-1)
    log_p0 = np.where(phi > 1e-9, -np.log1p(phi * mean) / np.maximum(phi, 1e-9), -mean)
    mass = np.exp(log_p0)
    cdf = mass.copy()
    ratio = mean / (1.0 + phi * mean)
    spread = phi
    below = np.zeros((len(levels), mean.size))
    for k in range(MAX_TERMS):
        below += cdf < targets
        going = cdf < targets[-1]
        if going.sum() < 0.7 * going.size:
            answers[:, cell[~going]] = below[:, ~going]
            cell, mass, cdf, below = cell[going], mass[going], cdf[going], below[:, going]
            ratio, spread = ratio[going], spread[going]
            if cell.size == 0:
                break
        mass = mass * ratio * (1.0 + spread * k) / (k + 1.0)
        cdf = cdf + mass
    done = cdf >= targets[-1]
    answers[:, cell[done]] = below[:, done]
    result = []
    for answer, q in zip(answers, levels, strict=True):
        rest = np.isnan(answer)
        answer[rest] = _gamma_quantile(mean[rest], phi[rest], q)
        result.append(answer)
    return result


def _gamma_quantile(mean: FloatArray, phi: FloatArray, q: float) -> FloatArray:
    """Wilson–Hilferty quantile of a gamma with the NB's mean and variance."""
    variance = mean + phi * mean * mean
    with np.errstate(divide="ignore", invalid="ignore"):
        shape = np.where(variance > 0, mean * mean / variance, np.inf)
        z = np.sqrt(2.0) * special.erfinv(2.0 * q - 1.0)
        c = 1.0 / (9.0 * shape)
        cube = np.maximum(1.0 - c + z * np.sqrt(c), 0.0) ** 3
    return np.asarray(np.where(variance > 0, mean * cube, mean))
