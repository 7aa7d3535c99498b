"""The sales calendar: marketplace events, holidays and flash sales, and how they lift demand.

Dates are real: 6.18, 11.11 and 12.12 are fixed days, Black Friday is the day after US
Thanksgiving (the fourth Thursday of November) and Cyber Monday three days later.
Every day of the history (and a planning horizon after it) gets a demand index per
category: yearly seasonality times the events' uplift, with a small dip in the days
before the big sales, when buyers wait for them.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable
from dataclasses import dataclass
from typing import NamedTuple

import numpy as np
import polars as pl

from shopops.data.schemas import SALES_EVENTS
from shopops.data.synth.categories import LEAVES
from shopops.data.synth.config import MarketplaceConfig
from shopops.data.synth.randomness import stream

PLANNING_HORIZON_DAYS = 150
"""Days past the history the indexes cover, for replenishment looking ahead."""
PRE_EVENT_DIP = 0.85
FLASH_UPLIFT = (5.0, 15.0)
FLASH_LEAD_DAYS = 30
"""Flash sales are scheduled this far ahead, so those in the next days are known."""


class Event(NamedTuple):
    event_id: str
    name: str
    event_type: str
    start: int  # day index
    end: int
    leaf: int  # -1: marketplace-wide
    channel: str | None
    uplift: np.ndarray  # per leaf category
    dip_days: int


@dataclass(frozen=True)
class SalesCalendar:
    """Events as a frame and per-category, per-day demand indexes."""

    events: pl.DataFrame
    event_ids: pl.Series  # every event, index = event number in the arrays below
    season: np.ndarray  # [leaf, day]: yearly seasonality (mean 1)
    uplift: np.ndarray  # [leaf, day]: realised event uplift (dips below 1)
    planned_uplift: np.ndarray  # [leaf, day]: the uplift planners expected
    event_tag: np.ndarray  # [leaf, day]: event (not flash sale) lines count towards, or -1
    flash_event: np.ndarray  # [day]: the day's live-stream flash sale, or -1
    flash_leaf: np.ndarray  # [day]: the category it promotes, or -1
    weekday: np.ndarray  # [day]: weekday factor (mean 1)


def build_calendar(config: MarketplaceConfig) -> SalesCalendar:
    """Events of the history and the known upcoming ones, with their demand effect."""
    rng = stream(config.seed, "calendar")
    n_days = config.days + max(config.upcoming_event_days, PLANNING_HORIZON_DAYS)
    start = config.start_date
    events = _fixed_events(rng, start, n_days)
    events += _flash_sales(rng, start, n_days, config, events)
    events.sort(key=lambda e: (e.start, e.event_id))
    n_leaves = len(LEAVES)
    uplift = np.ones((n_leaves, n_days))
    planned = np.ones((n_leaves, n_days))
    for event in events:
        rows = slice(None) if event.leaf < 0 else slice(event.leaf, event.leaf + 1)
        effect = event.uplift[rows, None]
        uplift[rows, event.start : event.end + 1] *= effect
        planned[rows, event.start : event.end + 1] *= effect * rng.lognormal(-0.2, 0.25)
        dip = slice(max(0, event.start - event.dip_days), event.start)
        uplift[rows, dip] *= PRE_EVENT_DIP
        planned[rows, dip] *= PRE_EVENT_DIP
    flash_event = np.full(n_days, -1, dtype=np.int64)
    flash_leaf = np.full(n_days, -1, dtype=np.int64)
    for i, event in enumerate(events):
        if event.event_type == "flash_sale":
            flash_event[event.start], flash_leaf[event.start] = i, event.leaf
    profile = np.asarray(config.weekday_profile, dtype=np.float64)
    weekday_of_day = (start.weekday() + np.arange(n_days)) % 7
    listed = [e for e in events if e.start < config.days + config.upcoming_event_days]
    return SalesCalendar(
        events=_frame(listed, start),
        event_ids=pl.Series([e.event_id for e in events]),
        season=_seasonality(start, n_days),
        uplift=uplift,
        planned_uplift=planned,
        event_tag=_tags(events, n_leaves, n_days),
        flash_event=flash_event,
        flash_leaf=flash_leaf,
        weekday=(profile / profile.mean())[weekday_of_day],
    )


def _tags(events: list[Event], n_leaves: int, n_days: int) -> np.ndarray:
    """The event an order line of a category counts towards on each day (not flash sales).

    A marketplace-wide sale takes precedence over a category's holiday on the same day.
    """
    tag = np.full((n_leaves, n_days), -1, dtype=np.int64)
    ranked = sorted(range(len(events)), key=lambda i: (events[i].leaf >= 0, i))
    for i in ranked:
        event = events[i]
        if event.event_type == "flash_sale":
            continue
        rows = slice(None) if event.leaf < 0 else slice(event.leaf, event.leaf + 1)
        days = slice(event.start, event.end + 1)
        tag[rows, days] = np.where(tag[rows, days] < 0, i, tag[rows, days])
    return tag


def thanksgiving(year: int) -> dt.date:
    """US Thanksgiving: the fourth Thursday of November."""
    first = dt.date(year, 11, 1)
    return first + dt.timedelta(days=(3 - first.weekday()) % 7 + 21)


class MarketplaceSale(NamedTuple):
    """A yearly marketplace-wide sale: when it falls and how much it lifts demand."""

    code: str
    name: str
    event_type: str
    first_day: Callable[[int], dt.date]
    extra_days: int  # days after the first
    uplift: tuple[float, float]  # range of the per-category multiple
    dip_days: int  # days of waiting before it
    electronics_bonus: float = 0.0


SALES = (
    MarketplaceSale("618", "6.18 Mid-Year Sale", "mid_year_sale", lambda y: dt.date(y, 6, 16), 2,
                    (1.8, 2.6), 4),
    MarketplaceSale("1111", "Singles' Day 11.11", "singles_day", lambda y: dt.date(y, 11, 11), 0,
                    (0.85, 1.15), 5),
    MarketplaceSale("BF", "Black Friday", "black_friday",
                    lambda y: thanksgiving(y) + dt.timedelta(days=1), 0, (3.0, 4.5), 3),
    MarketplaceSale("CM", "Cyber Monday", "cyber_monday",
                    lambda y: thanksgiving(y) + dt.timedelta(days=4), 0, (3.0, 4.0), 0, 1.0),
    MarketplaceSale("1212", "Double 12 Sale", "double_twelve", lambda y: dt.date(y, 12, 12), 0,
                    (2.0, 3.0), 0),
)  # fmt: skip
"""Singles' Day's range multiplies each category's own ``singles_day_uplift``."""


def _fixed_events(rng: np.random.Generator, start: dt.date, n_days: int) -> list[Event]:
    """The yearly marketplace sales and gifting holidays falling in the window."""
    events: list[Event] = []
    for year in range(start.year, (start + dt.timedelta(days=n_days)).year + 1):
        for sale in SALES:
            day = (sale.first_day(year) - start).days
            uplift = _sale_uplift(rng, sale)
            if 0 <= day < n_days - sale.extra_days:
                events.append(
                    Event(f"{sale.code}-{year}", f"{sale.name} {year}", sale.event_type, day,
                          day + sale.extra_days, -1, None, uplift, sale.dip_days)
                )  # fmt: skip
        events += _holidays(year, start, n_days)
    return events


def _sale_uplift(rng: np.random.Generator, sale: MarketplaceSale) -> np.ndarray:
    """Per-category demand multiple of a marketplace sale."""
    drawn = rng.uniform(*sale.uplift, len(LEAVES))
    if sale.event_type == "singles_day":
        drawn *= np.array([c.singles_day_uplift for c in LEAVES])
    electronics = np.array([c.kind == "electronics" for c in LEAVES])
    return np.asarray(drawn + sale.electronics_bonus * electronics)


_HOLIDAYS = (
    ("VAL", "Valentine's Day", (2, 7), 7, {"FAS-JEW": 1.8, "BEA-FRA": 1.7}),
    ("MOM", "Mother's Day", None, 7, {"BEA-SKN": 1.5, "FAS-JEW": 1.6}),
    ("BTS", "Back to School", (8, 1), 20, {"ELE-CMP": 1.5, "FAS-BAG": 1.3}),
    ("XMAS", "Holiday Gifting", (12, 13), 9, {"TOY": 2.0, "ELE-AUD": 1.6}),
    ("NEWYEAR", "New Year Fitness", (1, 1), 14, {"SPO-FIT": 1.8}),
)


def _holidays(year: int, start: dt.date, n_days: int) -> list[Event]:
    """Gifting holidays that lift a few categories for a week or two."""
    codes = [c.code for c in LEAVES]
    events = []
    for code, name, month_day, length, lifts in _HOLIDAYS:
        if month_day is None:  # the week before the second Sunday of May
            first_may = dt.date(year, 5, 1)
            second_sunday = first_may + dt.timedelta(days=(6 - first_may.weekday()) % 7 + 7)
            first = second_sunday - dt.timedelta(days=length)
        else:
            first = dt.date(year, *month_day)
        day = (first - start).days
        if not 0 <= day < n_days - length:
            continue
        for leaf_code, lift in lifts.items():
            leaf = codes.index(leaf_code)
            uplift = np.ones(len(LEAVES))
            uplift[leaf] = lift
            events.append(
                Event(
                    f"{code}-{year}-{leaf_code}",
                    f"{name} {year}: {LEAVES[leaf].name}",
                    "holiday",
                    day,
                    day + length - 1,
                    leaf,
                    None,
                    uplift,
                    0,
                )
            )
    return events


def _flash_sales(
    rng: np.random.Generator,
    start: dt.date,
    n_days: int,
    config: MarketplaceConfig,
    fixed: list[Event],
) -> list[Event]:
    """One-day live-stream sales of one category, away from the big marketplace events."""
    last = min(n_days, config.days + FLASH_LEAD_DAYS)
    allowed = np.ones(last, dtype=bool)
    for event in fixed:
        if event.leaf < 0:
            allowed[max(0, event.start - 7) : event.end + 4] = False
    candidates = np.flatnonzero(allowed)
    count = min(len(candidates), round(config.flash_sales_per_month * last / 30.4))
    days = np.sort(rng.choice(candidates, size=count, replace=False))
    shares = np.array([c.catalog_share for c in LEAVES])
    leaves = rng.choice(len(LEAVES), size=count, p=shares / shares.sum())
    lifts = rng.uniform(*FLASH_UPLIFT, size=count)
    events = []
    for day, leaf, lift in zip(days.tolist(), leaves.tolist(), lifts.tolist(), strict=True):
        date = start + dt.timedelta(days=day)
        uplift = np.ones(len(LEAVES))
        uplift[leaf] = lift
        events.append(
            Event(
                f"FS-{date:%Y%m%d}-{LEAVES[leaf].code}",
                f"Live flash sale: {LEAVES[leaf].name}",
                "flash_sale",
                day,
                day,
                leaf,
                "live_stream",
                uplift,
                0,
            )
        )
    return events


def _seasonality(start: dt.date, n_days: int) -> np.ndarray:
    """Yearly swing per category: a cosine peaking on the category's peak day."""
    day_of_year = (start.timetuple().tm_yday - 1 + np.arange(n_days)) % 365
    amplitude = np.array([c.season_amplitude for c in LEAVES])[:, None]
    peak = np.array([c.season_peak_day for c in LEAVES])[:, None]
    return np.asarray(1.0 + amplitude * np.cos(2 * np.pi * (day_of_year - peak) / 365.0))


def _frame(events: list[Event], start: dt.date) -> pl.DataFrame:
    """``sales_events`` rows of the events listed."""
    codes = [c.code for c in LEAVES]
    frame = pl.DataFrame(
        {
            "event_id": [e.event_id for e in events],
            "name": [e.name for e in events],
            "event_type": [e.event_type for e in events],
            "start_date": [start + dt.timedelta(days=e.start) for e in events],
            "end_date": [start + dt.timedelta(days=e.end) for e in events],
            "category_id": [None if e.leaf < 0 else codes[e.leaf] for e in events],
            "channel": [e.channel for e in events],
        },
        schema_overrides={"category_id": pl.String, "channel": pl.String},
    )
    return SALES_EVENTS.conform(frame)
