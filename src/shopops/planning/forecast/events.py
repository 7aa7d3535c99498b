"""Sales events: which series they touch, cleaning them out of the history, learning uplift.

A marketplace-wide event (``category_id`` empty) touches every series; a category event the
series whose SKU is in that category. Past event periods are replaced by the base level
around them before any model is fitted, so an 11.11 spike neither inflates the level of
the following weeks nor gets repeated by a seasonal model. The uplift of an event type in
a category is learned from its past occurrences,

    uplift(category, type) = sum of event-period units / sum of base units of those periods,

pooled over the category's series and the occurrences; a category without enough history
of the type borrows the type's uplift over all categories. Future event periods get the
base forecast times that uplift. Where events overlap, a marketplace-wide one wins.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

import numpy as np
import numpy.typing as npt
import polars as pl

from shopops.errors import DataError
from shopops.planning.forecast.panel import FloatArray, IntArray
from shopops.planning.forecast.smoothing import season_positions

EVENT_COLUMNS = ("event_type", "start_date", "end_date", "category_id")
MIN_BASE_UNITS = 20.0
"""Base units an uplift needs behind it; with fewer the event type's overall uplift is used."""


@dataclass(frozen=True)
class EventCalendar:
    """Event type of each period and series, over the history and the horizon.

    ``code[t, s]`` indexes ``types`` (-1: no event); ``category[s]`` indexes ``categories``
    (-1: unknown category).
    """

    code: npt.NDArray[np.int8]
    types: tuple[str, ...]
    category: IntArray
    categories: tuple[str, ...]
    windows: tuple[tuple[int, int, IntArray], ...]
    """Each event as (first period, last period, series touched)."""


def event_calendar(
    events: pl.DataFrame | None,
    series_category: pl.Series,
    *,
    first_date: dt.date,
    period_days: int,
    n_periods: int,
) -> EventCalendar:
    """Lay the events over ``n_periods`` periods from ``first_date`` for every series."""
    categories = tuple(sorted({c for c in series_category.to_list() if c is not None}))
    lookup = {name: i for i, name in enumerate(categories)}
    category = np.array([lookup.get(c, -1) for c in series_category.to_list()], dtype=np.int64)
    n_series = len(category)
    if events is None or events.height == 0:
        code = np.full((n_periods, n_series), -1, dtype=np.int8)
        return EventCalendar(code, (), category, categories, ())
    missing = [c for c in EVENT_COLUMNS if c not in events.columns]
    if missing:
        raise DataError(f"the events frame lacks column(s) {', '.join(missing)}")
    types = tuple(sorted(set(events["event_type"].to_list())))
    code = np.full((n_periods, n_series), -1, dtype=np.int8)
    windows = []
    ordered = events.sort(pl.col("category_id").is_null(), "start_date")  # wide ones last
    for row in ordered.iter_rows(named=True):
        first = (row["start_date"] - first_date).days // period_days
        last = (row["end_date"] - first_date).days // period_days
        if last < 0 or first >= n_periods or last < first:
            continue
        if row["category_id"] is None:
            touched = np.arange(n_series)
        else:
            touched = np.flatnonzero(category == lookup.get(row["category_id"], -2))
        first, last = max(first, 0), min(last, n_periods - 1)
        code[first : last + 1, touched] = types.index(row["event_type"])
        windows.append((first, last, touched))
    return EventCalendar(code, types, category, categories, tuple(windows))


def clean_events(
    values: FloatArray,
    calendar: EventCalendar,
    index: FloatArray,
    *,
    window: int,
) -> FloatArray:
    """History with each past event period replaced by the base level around it.

    The base is the mean deseasonalised value of the non-event periods within ``window``
    periods before and after the event, times the seasonal index of the event period.
    """
    n_periods = values.shape[0]
    cleaned = values.copy()
    m = index.shape[0]
    for first, last, touched in calendar.windows:
        if first >= n_periods or touched.size == 0:
            continue
        lo, hi = max(0, first - window), min(n_periods, last + window + 1)
        rows = np.arange(lo, hi)
        block = values[lo:hi][:, touched]
        seasonal = index[:, touched][season_positions(lo, hi - lo, m)]
        quiet = (calendar.code[lo:hi][:, touched] < 0) & ~np.isnan(block)
        count = quiet.sum(axis=0)
        level = np.where(quiet, block / seasonal, 0.0).sum(axis=0) / np.maximum(count, 1)
        event_rows = (rows >= first) & (rows <= min(last, n_periods - 1))
        base = level[None, :] * seasonal[event_rows]
        original = block[event_rows]
        keep = (count == 0)[None, :] | np.isnan(original)
        cleaned[rows[event_rows][:, None], touched[None, :]] = np.where(keep, original, base)
    return cleaned


def learn_uplift(values: FloatArray, base: FloatArray, calendar: EventCalendar) -> pl.DataFrame:
    """Uplift per category and event type from the past event periods.

    Returns
    -------
    polars.DataFrame
        ``category_id``, ``event_type``, ``event_units``, ``base_units``, ``uplift`` and
        ``learned_from`` (``category``, ``event type`` or ``none``), one row per category
        (``null``: series of unknown category) and event type.
    """
    n_types, n_cats = len(calendar.types), len(calendar.categories) + 1
    code = calendar.code[: values.shape[0]]
    cell = (code >= 0) & ~np.isnan(values)
    period, series = np.nonzero(cell)
    group = code[period, series].astype(np.int64) * n_cats + calendar.category[series] + 1
    size = n_types * n_cats
    event_units = np.bincount(group, weights=values[period, series], minlength=size)
    base_units = np.bincount(group, weights=base[period, series], minlength=size)
    event_units, base_units = (
        event_units.reshape(n_types, n_cats),
        base_units.reshape(n_types, n_cats),
    )
    type_units, type_base = event_units.sum(axis=1), base_units.sum(axis=1)
    with np.errstate(divide="ignore", invalid="ignore"):
        type_ratio = np.where(type_base >= MIN_BASE_UNITS, type_units / type_base, 1.0)
        own = base_units >= MIN_BASE_UNITS
        ratio = np.where(own, event_units / base_units, type_ratio[:, None])
    fallback = np.where(type_base >= MIN_BASE_UNITS, "event type", "none")[:, None]
    source = np.where(own, "category", fallback)
    return pl.DataFrame(
        {
            "category_id": [None, *calendar.categories] * n_types,
            "event_type": np.repeat(np.asarray(calendar.types, dtype=object), n_cats).tolist(),
            "event_units": event_units.reshape(-1),
            "base_units": base_units.reshape(-1),
            "uplift": ratio.reshape(-1),
            "learned_from": source.reshape(-1).tolist(),
        },
        schema_overrides={"category_id": pl.String, "event_type": pl.String},
    )


def uplift_factors(
    calendar: EventCalendar, uplift: pl.DataFrame, first_period: int, count: int
) -> FloatArray:
    """Multiplier of each future period and series: the uplift of its event, else 1."""
    n_cats = len(calendar.categories) + 1
    if not calendar.types:
        return np.ones((count, calendar.category.size))
    table = uplift["uplift"].to_numpy().reshape(len(calendar.types), n_cats)
    code = calendar.code[first_period : first_period + count].astype(np.int64)
    factor = table[np.maximum(code, 0), (calendar.category + 1)[None, :]]
    return np.asarray(np.where(code >= 0, factor, 1.0))
