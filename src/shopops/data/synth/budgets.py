"""Purchasing budgets per category and month, set around what was actually spent.

Past months get a budget within a band around the month's actual purchase spend; the
next months are budgeted from recent spend, with more room in November and December.
"""

from __future__ import annotations

import datetime as dt

import numpy as np
import polars as pl

from shopops.data.schemas import BUDGETS
from shopops.data.synth.categories import LEAVES
from shopops.data.synth.randomness import stream
from shopops.data.synth.world import World

FUTURE_MONTHS = 3
BLOCKING_SHARE = 0.3
"""Share of categories whose budget blocks approvals instead of warning."""


def _month_start(day: dt.date, months_later: int = 0) -> dt.date:
    """First day of the month ``months_later`` months after the month of ``day``."""
    index = day.year * 12 + day.month - 1 + months_later
    return dt.date(index // 12, index % 12 + 1, 1)


class Spend:
    """Purchase spend in USD per budget category and calendar month of the history."""

    def __init__(self, world: World) -> None:
        self.world = world
        start, end = world.config.start_date, world.config.end_date
        self.months = [_month_start(start, k) for k in range(_months_between(start, end) + 1)]
        days = np.arange(world.config.days)
        dates = np.datetime64(start) + days
        month_index = dates.astype("datetime64[M]").astype(np.int64)
        self.month_of_day = month_index - month_index[0]
        self.usd = np.zeros((len(world.book.category_ids), len(self.months)))

    def add(self, day: int, sku: np.ndarray, usd: np.ndarray) -> None:
        """Add purchases of ``sku`` placed on ``day`` worth ``usd``."""
        np.add.at(self.usd, (self.world.book.category[sku], self.month_of_day[day]), usd)

    def budgets(self) -> pl.DataFrame:
        """One budget per category and month: the history's months and the next three.

        The goods' leaf categories and the packaging category draw from streams of their
        own, so neither shifts the other's numbers.
        """
        seed = self.world.config.seed
        n_leaves = len(LEAVES)
        future_starts = [_month_start(self.months[-1], k) for k in range(1, FUTURE_MONTHS + 1)]
        goods = self._amounts(stream(seed, "budgets"), self.usd[:n_leaves], future_starts)
        packaging = self._amounts(
            stream(seed, "packaging budgets"), self.usd[n_leaves:], future_starts
        )
        amounts, blocking = (np.concatenate(p) for p in zip(goods, packaging, strict=True))
        starts = self.months + future_starts
        category, month = np.meshgrid(
            np.arange(len(amounts)), np.arange(len(starts)), indexing="ij"
        )
        frame = pl.DataFrame(
            {
                "category_id": [self.world.book.category_ids[i] for i in category.ravel()],
                "period_start": [starts[j] for j in month.ravel()],
                "period_end": [
                    _month_start(starts[j], 1) - dt.timedelta(days=1) for j in month.ravel()
                ],
                "budget_usd": np.maximum(amounts.ravel(), 0.0),
                "over_budget_action": np.where(blocking[category.ravel()], "block", "warn"),
            }
        )
        return BUDGETS.conform(frame)

    def _amounts(
        self, rng: np.random.Generator, usd: np.ndarray, future_starts: list[dt.date]
    ) -> tuple[np.ndarray, np.ndarray]:
        """[category, month] budgets from the spend ``usd``, and whether each one blocks."""
        n_categories, n_months = usd.shape
        covered = np.bincount(self.month_of_day, minlength=n_months)
        length = np.array([_days_in(m) for m in self.months])
        monthly = usd * length / np.maximum(covered, 1)
        past = monthly * rng.uniform(0.9, 1.25, monthly.shape)
        recent = monthly[:, max(0, n_months - 4) : max(1, n_months - 1)].mean(axis=1)
        peak = np.array([1.25 if m.month in (11, 12) else 1.0 for m in future_starts])
        future = (
            recent[:, None] * peak[None, :] * rng.uniform(0.95, 1.15, (n_categories, FUTURE_MONTHS))
        )
        amounts = np.round(np.concatenate([past, future], axis=1), -2)
        return amounts, np.asarray(rng.random(n_categories) < BLOCKING_SHARE)


def _months_between(start: dt.date, end: dt.date) -> int:
    """Whole calendar months from the month of ``start`` to the month of ``end``."""
    return (end.year - start.year) * 12 + end.month - start.month


def _days_in(month_start: dt.date) -> int:
    """Days in the month starting on ``month_start``."""
    return (_month_start(month_start, 1) - month_start).days
