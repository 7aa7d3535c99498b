"""Stock levels for slow movers from discrete demand, reviewed once a day.

Where a row sells a handful of units over its lead time, the normal approximation misplaces
the level by whole units (and puts it below zero). Here the demand of ``T`` days is a negative
binomial with mean ``μT`` and variance ``Tσ² + μ²σ_L²`` (the random-sum variance of
:func:`~shopops.planning.policy.compute_lead_time_demand`), a Poisson where that is not above
the mean. ``n_T`` and ``n2_T`` are its first- and second-order loss functions, and
``Σ_{y=a+1}^{b} n_T(y) = n2_T(a) - n2_T(b)``.

- **(r, Q), nightly review.** Ordering the multiple of ``Q`` that lifts the inventory
  position above ``r`` leaves it uniform on ``r + 1 .. r + Q`` (any integer demand). Day
  ``s``'s demand meets the position of ``L`` days before less ``L`` days of demand, so the
  units it finds short are ``(D_{L+1} - y)+ - (D_L - y)+``, on average::

      short per day = [n2_{L+1}(r) - n2_{L+1}(r + Q) - n2_L(r) + n2_L(r + Q)] / Q

  and the fill rate is ``1 - short / μ``: Hadley & Whitin (1963), §4.9, with daily batches
  of any size instead of single units.
- **Order-up-to ``S`` every ``R`` days**: a review's shortage is ``n_{L+R}(S) - n_L(S)``
  against ``μR`` units (Silver, Pyke & Thomas, 4th ed., §7.4, keeping the second term).
- **Cycle service level ``α``**: the smallest level with ``P(D <= level) >= α`` over the
  protection interval.

Each level is the smallest integer meeting its target, found for all rows together by
integer bisection (every condition is monotone in the level).
"""

from __future__ import annotations

from collections.abc import Callable

import numpy as np
import numpy.typing as npt
import polars as pl
from scipy import special

from shopops.planning.policy import (
    compute_lead_time_demand,
    negative_binomial_loss,
    negative_binomial_second_loss,
    poisson_loss,
    poisson_second_loss,
)

FloatArray = npt.NDArray[np.float64]
BoolArray = npt.NDArray[np.bool_]
Test = Callable[[FloatArray], BoolArray]
_ROUNDS = 64


def _overdispersed(mean: FloatArray, sd: FloatArray) -> BoolArray:
    return np.asarray((mean > 0.0) & (sd * sd > mean * (1.0 + 1e-9)))


def _negative_binomial_inputs(
    mean: FloatArray, sd: FloatArray
) -> tuple[BoolArray, FloatArray, FloatArray]:
    """Where the negative binomial applies, and its mean and sd (harmless values elsewhere)."""
    over = _overdispersed(mean, sd)
    return over, np.where(over, mean, 1.0), np.where(over, sd, 2.0)


def shortage(level: FloatArray, mean: FloatArray, sd: FloatArray) -> FloatArray:
    """First-order loss ``n(level) = E[(D - level)+]``."""
    over, nb_mean, nb_sd = _negative_binomial_inputs(mean, sd)
    nb = negative_binomial_loss(level, nb_mean, nb_sd).loss
    return np.where(over, nb, poisson_loss(level, mean).loss)


def second_shortage(level: FloatArray, mean: FloatArray, sd: FloatArray) -> FloatArray:
    """Second-order loss ``n2(level) = ½ E[(D - level)(D - level - 1); D > level]``."""
    over, nb_mean, nb_sd = _negative_binomial_inputs(mean, sd)
    nb = negative_binomial_second_loss(level, nb_mean, nb_sd).loss
    return np.where(over, nb, poisson_second_loss(level, mean).loss)


def probability_at_most(level: FloatArray, mean: FloatArray, sd: FloatArray) -> FloatArray:
    """``P(D <= level)`` for integer ``level``."""
    over, nb_mean, nb_sd = _negative_binomial_inputs(mean, sd)
    p = nb_mean / (nb_sd * nb_sd)
    k = np.maximum(level, 0.0)
    nb = special.betainc(nb_mean * p / (1.0 - p), k + 1.0, p)
    return np.where(level < 0, 0.0, np.where(over, nb, special.pdtr(k, mean)))


class DailyDemand:
    """Daily demand and lead time of each row; ``over(extra)`` is the demand of ``L + extra``
    days as (mean, sd)."""

    def __init__(
        self, mean: FloatArray, sd: FloatArray, lead_mean: FloatArray, lead_sd: FloatArray
    ) -> None:
        self.mean, self.sd, self.lead_mean, self.lead_sd = mean, sd, lead_mean, lead_sd

    def over(self, extra_days: FloatArray | float) -> tuple[FloatArray, FloatArray]:
        ltd = compute_lead_time_demand(self.mean, self.sd, self.lead_mean, self.lead_sd, extra_days)
        return ltd.lead_time_demand_mean_units, ltd.lead_time_demand_sd_units


def rq_shortage_per_day(r: FloatArray, q: FloatArray, demand: DailyDemand) -> FloatArray:
    """Expected units short per day under (r, Q) with nightly review (module notes)."""

    def run(extra: float) -> FloatArray:
        mean, sd = demand.over(extra)
        return second_shortage(r, mean, sd) - second_shortage(r + q, mean, sd)

    return np.maximum(run(1.0) - run(0.0), 0.0) / q


def periodic_shortage_per_review(
    level: FloatArray, review_days: FloatArray, demand: DailyDemand
) -> FloatArray:
    """Expected units short per review of an order-up-to level (module notes)."""
    whole, lead = demand.over(review_days), demand.over(0.0)
    return np.maximum(shortage(level, *whole) - shortage(level, *lead), 0.0)


def reorder_point_for_fill_rate(
    demand: DailyDemand, q: FloatArray, fill_rate: FloatArray, lowest: FloatArray
) -> FloatArray:
    """Smallest integer ``r >= lowest`` whose daily shortage is at most ``(1 - β) μ``."""
    allowed = (1.0 - fill_rate) * demand.mean
    top = _ceiling(*demand.over(1.0))
    return _bisect(lambda r: rq_shortage_per_day(r, q, demand) <= allowed, lowest - 1.0, top)


def order_up_to_for_fill_rate(
    demand: DailyDemand, review_days: FloatArray, fill_rate: FloatArray
) -> FloatArray:
    """Smallest integer ``S >= 0`` whose shortage per review is at most ``(1 - β) μR``."""
    allowed = (1.0 - fill_rate) * demand.mean * review_days
    top = _ceiling(*demand.over(review_days))

    def meets(level: FloatArray) -> BoolArray:
        return periodic_shortage_per_review(level, review_days, demand) <= allowed

    return _bisect(meets, np.full(allowed.shape, -1.0), top)


def level_for_cycle_service(mean: FloatArray, sd: FloatArray, alpha: FloatArray) -> FloatArray:
    """Smallest integer level ``>= 0`` with ``P(D <= level) >= α``."""
    start = np.full(mean.shape, -1.0)
    return _bisect(lambda x: probability_at_most(x, mean, sd) >= alpha, start, _ceiling(mean, sd))


def _ceiling(mean: FloatArray, sd: FloatArray) -> FloatArray:
    """A level every target is met at: far above the mean."""
    return np.ceil(mean + 40.0 * np.maximum(sd, np.sqrt(np.maximum(mean, 1.0))) + 40.0)


def _bisect(meets: Test, low: FloatArray, high: FloatArray) -> FloatArray:
    """Smallest integer in ``(low, high]`` where the monotone test ``meets`` holds."""
    low, high = np.floor(low).astype(np.float64), np.ceil(high).astype(np.float64)
    for _ in range(_ROUNDS):
        open_ = high - low > 1.0
        if not open_.any():
            break
        middle = np.floor((low + high) / 2.0)
        good = np.asarray(meets(middle), dtype=bool)
        high = np.where(open_ & good, middle, high)
        low = np.where(open_ & ~good, middle, low)
    return high


def discrete_policy_levels(policies: pl.DataFrame, *, lost_sales: bool = True) -> pl.DataFrame:
    """Levels and achieved service of :func:`~shopops.planning.policy.compute_policies` rows,
    recomputed from discrete demand (module notes).

    Returns
    -------
    polars.DataFrame
        ``reorder_point_units``, ``order_up_to_level_units``, ``safety_stock_units``,
        ``expected_shortage_per_cycle_units``, ``fill_rate_achieved`` and
        ``cycle_service_level_achieved``, one row per input row. With ``lost_sales`` no
        level is below zero: stock that never goes negative never falls below it.
    """
    col = {name: _array(policies, name) for name in _READ}
    demand = DailyDemand(
        col["demand_mean_units_per_day"],
        col["demand_sd_units_per_day"],
        col["lead_time_mean_days"],
        col["lead_time_sd_days"],
    )
    review = col["review_period_days"]
    periodic, by_fill = review > 0.0, ~np.isnan(col["fill_rate"])
    q = np.maximum(np.round(col["order_quantity_units"]), 1.0)
    beta = np.where(by_fill, col["fill_rate"], 0.5)
    lowest = np.zeros_like(q) if lost_sales else -q
    mean, sd = col["lead_time_demand_mean_units"], col["lead_time_demand_sd_units"]
    csl_level = level_for_cycle_service(
        mean, sd, np.where(by_fill, 0.5, col["cycle_service_level"])
    )
    level = np.where(
        by_fill,
        np.where(
            periodic,
            order_up_to_for_fill_rate(demand, review, beta),
            reorder_point_for_fill_rate(demand, q, beta, lowest),
        ),
        csl_level,
    )
    per_review = demand.mean * review
    cycle_short = np.where(
        periodic,
        periodic_shortage_per_review(level, review, demand),
        rq_shortage_per_day(level, q, demand) * q / np.maximum(demand.mean, 1e-300),
    )
    with np.errstate(divide="ignore", invalid="ignore"):
        fill = 1.0 - cycle_short / np.where(periodic, per_review, q)
    return pl.DataFrame(
        {
            "reorder_point_units": np.where(periodic, np.nan, level),
            "order_up_to_level_units": np.where(periodic, level, level + q),
            "safety_stock_units": level - mean,
            "expected_shortage_per_cycle_units": cycle_short,
            "fill_rate_achieved": fill,
            "cycle_service_level_achieved": probability_at_most(level, mean, sd),
        }
    )


_READ = (
    "demand_mean_units_per_day",
    "demand_sd_units_per_day",
    "lead_time_mean_days",
    "lead_time_sd_days",
    "review_period_days",
    "fill_rate",
    "cycle_service_level",
    "lead_time_demand_mean_units",
    "lead_time_demand_sd_units",
    "order_quantity_units",
)


def _array(frame: pl.DataFrame, name: str) -> FloatArray:
    if name not in frame.columns:
        missing = np.nan if name in {"fill_rate", "cycle_service_level"} else 0.0
        return np.full(frame.height, missing)
    return frame.get_column(name).cast(pl.Float64).fill_null(np.nan).to_numpy()
