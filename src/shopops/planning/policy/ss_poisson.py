"""Exact (s, S) policies for Poisson demand under periodic review (Zheng & Federgruen 1991).

Each period (a review interval: a day for daily review) the inventory position is raised to
``S`` whenever it is at or below ``s``. Per-period demand is Poisson with mean ``μ``; an order
arrives ``L`` periods later, so a level ``y`` reached now meets ``L + 1`` periods of demand and
costs ``G(y) = h E[(y - D)+] + p E[(D - y)+]`` with ``D ~ Poisson((L + 1)μ)``: the Poisson
convolution of ``L + 1`` periods is Poisson again (Veinott & Wagner 1965; Snyder & Shen, 2nd
ed., §4.5-4.6). The cost per period is::

    c(s, S) = (K + Σ_{j=0}^{S-s-1} m(j) G(S - j)) / M(S - s)

where ``m(j)`` is the expected number of periods that start with ``j`` units already demanded
since the last order (the renewal mass of one-period demand) and ``M(n) = Σ_{j<n} m(j)``.

**Method.** ``F_s(S) = Σ_j m(j) G(S - j)`` obeys the renewal recursion
``(1 - p₀) F_s(y) = G(y) + Σ_{d>=1} p_d F_s(y - d)`` for ``y > s`` (zero at and below ``s``),
so one pass over the stock levels gives ``c(s, S)`` for every ``S`` at once. Starting from any
``s``, the policy iteration ``c ← min_S c(s, S)``, ``s ← max{y < y*: G(y) >= c}`` never raises
the cost, and it stops only at the optimum: at a fixed point ``G(s + 1) < c``, and were
``c > c*`` then moving ``s`` up to ``s*`` (dropping points cheaper than the average) would
make ``c(s*, S*)`` lower than ``c``, a contradiction. Zheng & Federgruen's bounds
(``G(s*) >= c* >= G(s* + 1)`` and ``G(S*) <= c*``) confine the search to the stock levels with
``G <= c``; rows whose first window turns out too narrow are solved again in the window those
bounds give. The recursion runs over all rows of a chunk together (rows of similar window
width are grouped), one vector step per stock level.
"""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import dataclass

import numpy as np
from scipy import special

from shopops.planning.policy._arrays import FloatArray, IntArray, Numbers, PolicyTable, as_rows
from shopops.planning.policy._poisson_curve import PoissonCostCurve
from shopops.planning.policy.rq_poisson import _optimal_run

_CELLS_PER_CHUNK = 1 << 21
_MAX_ROUNDS = 500


@dataclass(frozen=True, slots=True)
class SSPolicy(PolicyTable):
    """An (s, S) policy, its expected cost per period, and the inputs behind it.

    ``demand_sd_units_per_period`` is ``√μ`` for Poisson demand. The power approximation
    leaves ``expected_cost_usd_per_period`` as ``nan`` (its levels are not integers).
    """

    demand_mean_units_per_period: FloatArray
    demand_sd_units_per_period: FloatArray
    lead_time_periods: FloatArray
    holding_cost_usd_per_unit_period: FloatArray
    stockout_cost_usd_per_unit_period: FloatArray
    fixed_order_cost_usd: FloatArray
    lead_time_demand_mean_units: FloatArray
    reorder_point_units: FloatArray
    order_up_to_level_units: FloatArray
    expected_cost_usd_per_period: FloatArray


@dataclass(frozen=True, slots=True)
class _DemandBand:
    """One-period demand pmf on the band ``first .. last`` (``first >= 1``) and ``P(D = 0)``."""

    zero: FloatArray  # P(D = 0) per row
    pmf: FloatArray  # rows x (last - first + 1)
    first: int
    last: int


def _demand_band(mean: FloatArray, width: int) -> _DemandBand:
    """The part of the pmf that matters: outside it every row's tail is below 1e-20."""
    spread = 10.0 * np.sqrt(mean)
    first = int(max(1.0, np.floor(np.min(mean - spread))))
    last = int(min(width - 1, np.ceil(np.max(mean + spread + 12.0))))
    d = np.arange(first, max(last, first - 1) + 1, dtype=np.float64)
    with np.errstate(divide="ignore"):
        log_pmf = d * np.log(mean[:, None]) - mean[:, None] - special.gammaln(d + 1.0)
    return _DemandBand(np.exp(-mean), np.exp(log_pmf), first, last)


def _renewal_sums(values: FloatArray, band: _DemandBand) -> FloatArray:
    """``F(t) = (values(t) + Σ_{d>=1} P(D = d) F(t - d)) / (1 - P(D = 0))``, row by row."""
    rows, width = values.shape
    scale = 1.0 / (1.0 - band.zero)
    scaled = values * scale[:, None]
    if band.last < band.first:
        return scaled
    weights = np.ascontiguousarray(band.pmf[:, ::-1] * scale[:, None])
    reach = band.last
    span = band.last - band.first + 1
    out = np.zeros((rows, reach + width))
    for t in range(width):
        past = out[:, t : t + span]
        out[:, reach + t] = scaled[:, t] + np.einsum("ij,ij->i", weights, past)
    return out[:, reach:]


@dataclass(frozen=True, slots=True)
class _Window:
    """Stock levels ``low .. low + width - 1`` of a chunk of rows, with G and the renewal sums."""

    low: FloatArray
    cost: FloatArray  # G(y), rows x width
    band: _DemandBand
    cumulative_mass: FloatArray  # M(n) at index n - 1, rows x width

    def subset(self, rows: IntArray) -> _Window:
        band = self.band
        sub_band = _DemandBand(band.zero[rows], band.pmf[rows], band.first, band.last)
        return _Window(self.low[rows], self.cost[rows], sub_band, self.cumulative_mass[rows])

    def policy_costs(self, s_index: IntArray, fixed: FloatArray) -> FloatArray:
        """``c(s, S)`` for every ``S`` of the window (``inf`` for ``S <= s``)."""
        index = np.arange(self.cost.shape[1])
        after = index[None, :] > s_index[:, None]
        sums = _renewal_sums(np.where(after, self.cost, 0.0), self.band)
        count = np.maximum(index[None, :] - s_index[:, None] - 1, 0)
        mass = np.take_along_axis(self.cumulative_mass, count, axis=1)
        return np.where(after, (fixed[:, None] + sums) / mass, np.inf)


def _window(
    curve: PoissonCostCurve, period_mean: FloatArray, rows: IntArray, low: FloatArray, width: int
) -> _Window:
    levels = low[:, None] + np.arange(width, dtype=np.float64)[None, :]
    band = _demand_band(period_mean, width)
    impulse = np.zeros((rows.shape[0], width))
    impulse[:, 0] = 1.0
    mass = np.cumsum(_renewal_sums(impulse, band), axis=1)
    return _Window(low, curve.value(levels, rows), band, mass)


def _solve_window(
    window: _Window, centre_index: IntArray, start_index: IntArray, fixed: FloatArray
) -> tuple[IntArray, IntArray, FloatArray]:
    """Policy iteration on ``s`` within one window; returns (s index, S index, cost)."""
    count = window.cost.shape[0]
    s_index, big_index, level = start_index.copy(), np.zeros(count, np.int64), np.zeros(count)
    left = np.arange(window.cost.shape[1])[None, :] < centre_index[:, None]
    active = np.arange(count)
    for _ in range(_MAX_ROUNDS):  # the cost falls every round, so s cannot cycle
        if active.size == 0:
            break
        sub = window.subset(active)
        costs = sub.policy_costs(s_index[active], fixed[active])
        best = np.argmin(costs, axis=1)
        c = costs[np.arange(active.size), best]
        new_s = (left[active] & (sub.cost >= c[:, None])).sum(axis=1) - 1
        big_index[active], level[active] = best, c
        moved = new_s != s_index[active]
        s_index[active] = new_s
        active = active[moved]
    return s_index, big_index, level


def _chunks(widths: IntArray) -> Iterator[IntArray]:
    """Row indices grouped by window width (within 25 %), each group small enough for memory."""
    order = np.argsort(widths, kind="stable")
    sorted_widths = widths[order]
    start = 0
    while start < order.size:
        limit = 1.25 * sorted_widths[start] + 16
        stop = int(np.searchsorted(sorted_widths, limit, side="right"))
        stop = min(stop, start + max(1, _CELLS_PER_CHUNK // int(sorted_widths[stop - 1])))
        yield order[start:stop]
        start = stop


def _inputs(
    holding: Numbers,
    stockout: Numbers,
    fixed: Numbers,
    demand: Numbers,
    lead_time: Numbers,
    *extra: Numbers,
) -> tuple[PoissonCostCurve, list[FloatArray]]:
    h, p, k, mean, lead, *rest = as_rows(holding, stockout, fixed, demand, lead_time, *extra)
    return PoissonCostCurve(mean * (lead + 1.0), h, p), [h, p, k, mean, lead, *rest]


def _table(
    curve: PoissonCostCurve,
    inputs: list[FloatArray],
    reorder_point: FloatArray,
    order_up_to: FloatArray,
    cost: FloatArray,
) -> SSPolicy:
    h, p, k, mean, lead = inputs[:5]
    return SSPolicy(
        demand_mean_units_per_period=mean,
        demand_sd_units_per_period=np.sqrt(mean),
        lead_time_periods=lead,
        holding_cost_usd_per_unit_period=h,
        stockout_cost_usd_per_unit_period=p,
        fixed_order_cost_usd=k,
        lead_time_demand_mean_units=curve.mean,
        reorder_point_units=reorder_point,
        order_up_to_level_units=order_up_to,
        expected_cost_usd_per_period=cost,
    )


def s_s_cost_poisson(
    reorder_point_units: Numbers,
    order_up_to_level_units: Numbers,
    holding_cost_usd_per_unit_period: Numbers,
    stockout_cost_usd_per_unit_period: Numbers,
    fixed_order_cost_usd: Numbers,
    demand_mean_units_per_period: Numbers,
    *,
    lead_time_periods: Numbers = 0.0,
) -> SSPolicy:
    """Expected cost per period of given integer (s, S) policies under Poisson demand.

    Examples
    --------
    >>> plan = s_s_cost_poisson(4, 10, 1.0, 4.0, 5.0, 6.0)
    >>> round(float(plan.expected_cost_usd_per_period[0]), 6)
    8.034112
    """
    curve, inputs = _inputs(
        holding_cost_usd_per_unit_period,
        stockout_cost_usd_per_unit_period,
        fixed_order_cost_usd,
        demand_mean_units_per_period,
        lead_time_periods,
        reorder_point_units,
        order_up_to_level_units,
    )
    s, big_s = inputs[5], inputs[6]
    cost = np.full(curve.mean.shape, np.nan)
    valid = (big_s > s) & (inputs[3] > 0.0)
    widths = np.where(valid, big_s - s, 1).astype(np.int64)
    for rows in _chunks(widths):
        rows = rows[valid[rows]]
        if rows.size == 0:
            continue
        window = _window(curve, inputs[3][rows], rows, s[rows] + 1.0, int(widths[rows].max()))
        costs = window.policy_costs(np.full(rows.size, -1), inputs[2][rows])
        cost[rows] = costs[np.arange(rows.size), widths[rows] - 1]
    return _table(curve, inputs, s, big_s, cost)


def s_s_exact_poisson(
    holding_cost_usd_per_unit_period: Numbers,
    stockout_cost_usd_per_unit_period: Numbers,
    fixed_order_cost_usd: Numbers,
    demand_mean_units_per_period: Numbers,
    *,
    lead_time_periods: Numbers = 0.0,
) -> SSPolicy:
    """Optimal integer (s, S) for Poisson demand with a lead time, for every row.

    Examples
    --------
    >>> plan = s_s_exact_poisson(1.0, 4.0, 5.0, 6.0)
    >>> float(plan.reorder_point_units[0]), float(plan.order_up_to_level_units[0])
    (4.0, 10.0)
    """
    curve, inputs = _inputs(
        holding_cost_usd_per_unit_period,
        stockout_cost_usd_per_unit_period,
        fixed_order_cost_usd,
        demand_mean_units_per_period,
        lead_time_periods,
    )
    h, p, k, mean = inputs[:4]
    centre = curve.minimiser()
    # The continuous-review optimum with the same G is a close guess: its reorder point
    # starts the iteration and its run, padded, is the first window.
    first, last = _optimal_run(curve, k * mean)
    pad = np.ceil(0.25 * (last - first + 1.0) + 2.0 * np.sqrt(curve.mean)) + 2.0
    low, high = first - 1.0 - pad, last + pad
    start = first - 1.0
    s, big_s, cost = (
        np.full_like(mean, np.nan),
        np.full_like(mean, np.nan),
        np.full_like(mean, np.nan),
    )
    pending = np.flatnonzero((mean > 0.0) & np.isfinite(low) & np.isfinite(high))
    for _ in range(2):
        if pending.size == 0:
            break
        pending = _solve_rows(curve, inputs, pending, centre, low, high, start, (s, big_s, cost))
        c = cost[pending]
        low[pending] = np.floor(curve.mean[pending] - c / p[pending]) - 1.0
        high[pending] = np.ceil(curve.mean[pending] + c / h[pending]) + 1.0
        start[pending] = s[pending]
    return _table(curve, inputs, s, big_s, cost)


def _solve_rows(
    curve: PoissonCostCurve,
    inputs: list[FloatArray],
    rows: IntArray,
    centre: FloatArray,
    low: FloatArray,
    high: FloatArray,
    start: FloatArray,
    out: tuple[FloatArray, FloatArray, FloatArray],
) -> IntArray:
    """Solve ``rows`` in their windows; return the rows whose window proved too narrow."""
    widths = (high[rows] - low[rows] + 1.0).astype(np.int64)
    too_narrow = []
    for chunk in _chunks(widths):
        index = rows[chunk]
        window = _window(curve, inputs[3][index], index, low[index], int(widths[chunk].max()))
        centre_index = (centre[index] - low[index]).astype(np.int64)
        first = np.clip((start[index] - low[index]).astype(np.int64), -1, centre_index - 1)
        s_index, big_index, cost = _solve_window(window, centre_index, first, inputs[2][index])
        out[0][index] = low[index] + s_index
        out[1][index] = low[index] + big_index
        out[2][index] = cost
        narrow = (s_index < 0) | (window.cost[:, -1] <= cost)
        too_narrow.append(index[narrow])
    return np.concatenate(too_narrow) if too_narrow else rows[:0]
