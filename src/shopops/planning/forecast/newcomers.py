"""Forecasts for series with too little history: the pattern of their peers at their own level.

A series observed for fewer than ``min_history`` periods (a SKU just launched, or just
listed in a region) cannot be back-tested. It takes the average forecast path of the
established series of its peer group (same category and region, else same category, else
all), rescaled from the group's recent level to its own recent level; a series without
any sale yet gets the group's average per series.
"""

from __future__ import annotations

import numpy as np
from scipy import sparse

from shopops.planning.forecast.panel import BoolArray, FloatArray, IntArray

OWN_LEVEL_PERIODS = 7
"""A newcomer needs this many observed periods before its own level replaces its group's."""


def newcomer_forecast(
    values: FloatArray,
    forecast: FloatArray,
    established: BoolArray,
    groups: list[IntArray],
    *,
    recent: int,
) -> FloatArray:
    """Forecast of every non-established column from its peers; others are returned as is.

    Parameters
    ----------
    values:
        ``(periods, series)`` cleaned history.
    forecast:
        ``(horizon, series)`` forecasts; only the established columns are used.
    established:
        Series with enough history to have been forecast by their own model.
    groups:
        Peer-group id per series, from the narrowest grouping to the widest.
    recent:
        Periods over which levels are measured.
    """
    result = forecast.copy()
    last = values[-recent:]
    level = np.where(
        (~np.isnan(last)).sum(axis=0) > 0,
        np.nansum(last, axis=0) / np.maximum((~np.isnan(last)).sum(axis=0), 1),
        np.nan,
    )
    observed = (~np.isnan(values)).sum(axis=0)
    own = observed >= OWN_LEVEL_PERIODS
    pending = ~established
    for group in groups:
        if not pending.any():
            break
        path, group_level = _group_profile(forecast, level, established, group)
        usable = pending & (group_level[group] > 0)
        columns = np.flatnonzero(usable)
        g = group[columns]
        scale = np.where(own[columns], level[columns] / group_level[g], 1.0)
        result[:, columns] = path[:, g] * scale[None, :]
        pending &= ~usable
    result[:, pending] = 0.0
    return result


def _group_profile(
    forecast: FloatArray, level: FloatArray, established: BoolArray, group: IntArray
) -> tuple[FloatArray, FloatArray]:
    """Mean forecast path and mean recent level per group over its established series."""
    n_groups = int(group.max(initial=0)) + 1
    member = np.flatnonzero(established)
    count = np.bincount(group[member], minlength=n_groups).astype(np.float64)
    level_sum = np.bincount(group[member], weights=np.nan_to_num(level[member]), minlength=n_groups)
    membership = sparse.csr_matrix(
        (np.ones(member.size), (group[member], np.arange(member.size))),
        shape=(n_groups, member.size),
    )
    path = np.asarray((membership @ np.nan_to_num(forecast[:, member]).T).T)
    with np.errstate(divide="ignore", invalid="ignore"):
        return path / np.maximum(count, 1.0), np.where(count > 0, level_sum / count, 0.0)
