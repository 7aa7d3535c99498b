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
Guess = tuple[FloatArray, FloatArray] | None
_ROUNDS = 64


def _overdispersed(mean: FloatArray, sd: FloatArray) -> BoolArray:
    return np.asarray((mean > 0.0) & (sd * sd > mean * (1.0 + 1e-9)))


def _by_kind(
    level: FloatArray,
    mean: FloatArray,
    sd: FloatArray,
    negative_binomial: Callable[[FloatArray, FloatArray, FloatArray], FloatArray],
    poisson: Callable[[FloatArray, FloatArray], FloatArray],
) -> FloatArray:
    """A loss of each row from its own distribution, each computed only where it applies."""
    level, mean, sd = np.broadcast_arrays(level, mean, sd)
    over = _overdispersed(mean, sd)
    result = np.empty(level.shape)
    result[over] = negative_binomial(level[over], mean[over], sd[over])
    result[~over] = poisson(level[~over], mean[~over])
    return result


def shortage(level: FloatArray, mean: FloatArray, sd: FloatArray) -> FloatArray:
    """First-order loss ``n(level) = E[(D - level)+]``."""
    return _by_kind(
        level,
        mean,
        sd,
        lambda x, m, s: negative_binomial_loss(x, m, s).loss,
        lambda x, m: poisson_loss(x, m).loss,
    )


def second_shortage(level: FloatArray, mean: FloatArray, sd: FloatArray) -> FloatArray:
    """Second-order loss ``n2(level) = ½ E[(D - level)(D - level - 1); D > level]``."""
    return _by_kind(
        level,
        mean,
        sd,
        lambda x, m, s: negative_binomial_second_loss(x, m, s).loss,
        lambda x, m: poisson_second_loss(x, m).loss,
    )


def probability_at_most(level: FloatArray, mean: FloatArray, sd: FloatArray) -> FloatArray:
    """``P(D <= level)`` for integer ``level``."""
    k = np.maximum(level, 0.0)

    def negative_binomial(x: FloatArray, m: FloatArray, s: FloatArray) -> FloatArray:
        p = m / (s * s)
        return np.asarray(special.betainc(m * p / (1.0 - p), x + 1.0, p))

    def poisson(x: FloatArray, m: FloatArray) -> FloatArray:
        return np.asarray(special.pdtr(x, m))

    return np.where(level < 0, 0.0, _by_kind(k, mean, sd, negative_binomial, poisson))


class DailyDemand:
    """Daily demand and lead time of each row; ``over(extra)`` is the demand of ``L + extra``
    days as (mean, sd)."""

    def __init__(
        self, mean: FloatArray, sd: FloatArray, lead_mean: FloatArray, lead_sd: FloatArray
    ) -> None:
        self.mean, self.sd, self.lead_mean, self.lead_sd = mean, sd, lead_mean, lead_sd

    def take(self, rows: BoolArray) -> DailyDemand:
        """The rows selected by a mask."""
        return DailyDemand(self.mean[rows], self.sd[rows], self.lead_mean[rows], self.lead_sd[rows])

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
    demand: DailyDemand,
    q: FloatArray,
    fill_rate: FloatArray,
    lowest: FloatArray,
    guess: Guess = None,
) -> FloatArray:
    """Smallest integer ``r >= lowest`` whose daily shortage is at most ``(1 - β) μ``."""
    allowed = (1.0 - fill_rate) * demand.mean
    top = _ceiling(*demand.over(1.0))

    def meets(r: FloatArray) -> BoolArray:
        return np.asarray(rq_shortage_per_day(r, q, demand) <= allowed)

    return _bisect(meets, lowest - 1.0, top, guess)


def order_up_to_for_fill_rate(
    demand: DailyDemand, review_days: FloatArray, fill_rate: FloatArray, guess: Guess = None
) -> FloatArray:
    """Smallest integer ``S >= 0`` whose shortage per review is at most ``(1 - β) μR``."""
    allowed = (1.0 - fill_rate) * demand.mean * review_days
    top = _ceiling(*demand.over(review_days))

    def meets(level: FloatArray) -> BoolArray:
        return np.asarray(periodic_shortage_per_review(level, review_days, demand) <= allowed)

    return _bisect(meets, np.full(allowed.shape, -1.0), top, guess)


def level_for_cycle_service(
    mean: FloatArray, sd: FloatArray, alpha: FloatArray, guess: Guess = None
) -> FloatArray:
    """Smallest integer level ``>= 0`` with ``P(D <= level) >= α``."""

    def meets(level: FloatArray) -> BoolArray:
        return np.asarray(probability_at_most(level, mean, sd) >= alpha)

    return _bisect(meets, np.full(mean.shape, -1.0), _ceiling(mean, sd), guess)


def _ceiling(mean: FloatArray, sd: FloatArray) -> FloatArray:
    """A level every target is met at: far above the mean."""
    return np.ceil(mean + 40.0 * np.maximum(sd, np.sqrt(np.maximum(mean, 1.0))) + 40.0)


def _bisect(meets: Test, low: FloatArray, high: FloatArray, guess: Guess = None) -> FloatArray:
    """Smallest integer in ``(low, high]`` where the monotone test ``meets`` holds.

    ``guess`` (centre, half-width), where given, first narrows the bracket to the centre
    plus or minus the half-width when the answer lies inside it (``nan`` centres: no guess).
    """
    low, high = np.floor(low).astype(np.float64), np.ceil(high).astype(np.float64)
    if guess is not None:
        centre, width = guess
        near_low = np.clip(np.floor(np.nan_to_num(centre - width, nan=-np.inf)), low, high)
        near_high = np.clip(np.ceil(np.nan_to_num(centre + width, nan=np.inf)), low + 1.0, high)
        inside = near_low > low
        low_meets = inside & meets(near_low)
        high_meets = meets(near_high)
        low = np.where(high_meets, np.where(inside & ~low_meets, near_low, low), near_high)
        high = np.where(low_meets, near_low, np.where(high_meets, near_high, high))
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
    guess = (np.where(periodic, col["order_up_to_level_units"], col["reorder_point_units"]),
             sd + 3.0)  # fmt: skip
    level = np.zeros_like(q)
    for rows, kind in ((~by_fill, "cycle"), (by_fill & periodic, "periodic"),
                       (by_fill & ~periodic, "continuous")):  # fmt: skip
        if not rows.any():
            continue
        near = (guess[0][rows], guess[1][rows])
        if kind == "cycle":
            alpha = col["cycle_service_level"][rows]
            level[rows] = level_for_cycle_service(mean[rows], sd[rows], alpha, near)
        elif kind == "periodic":
            part = demand.take(rows)
            level[rows] = order_up_to_for_fill_rate(part, review[rows], beta[rows], near)
        else:
            part = demand.take(rows)
            level[rows] = reorder_point_for_fill_rate(part, q[rows], beta[rows], lowest[rows], near)
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
    "reorder_point_units",
    "order_up_to_level_units",
)


def _array(frame: pl.DataFrame, name: str) -> FloatArray:
    if name not in frame.columns:
        missing = np.nan if name in {"fill_rate", "cycle_service_level"} else 0.0
        return np.full(frame.height, missing)
    return frame.get_column(name).cast(pl.Float64).fill_null(np.nan).to_numpy()
