"""Exact (r, Q) policies for normally distributed lead-time demand, vectorised over rows.

Continuous review; an order of ``Q`` units is placed when the inventory position falls to
``r``. With demand rate ``λ``, lead-time demand ``N(μ, σ²)``, holding cost ``h`` and backorder
cost ``p`` per unit per day, and fixed order cost ``K``, the inventory position is uniform on
``[r, r + Q]`` and the cost per day is (Snyder & Shen, 2nd ed., §5.2; Zipkin 2000, §6.4)::

    g(r, Q) = (Kλ + ∫_r^{r+Q} G(y) dy) / Q,   G(y) = h(y - μ) + (h + p) n(y)
    ∫_a^b G(y) dy = h((b - μ)² - (a - μ)²)/2 + (h + p)(n2(a) - n2(b))

with ``n`` and ``n2`` the first- and second-order normal loss functions.

``G`` is convex with minimum at ``y* = μ + σΦ⁻¹(p/(p + h))``. For fixed ``Q`` the best ``r``
solves ``G(r) = G(r + Q)``. At the joint optimum both ends also equal the optimal cost ``c*``
(Zheng 1992), so the optimal policy is the level set ``{y: G(y) <= c*}`` and ``c*`` solves::

    ψ(c) = ∫ (c - G(y))+ dy - Kλ = 0,   ψ'(c) = y_hi(c) - y_lo(c) = Q(c)

``ψ`` is convex and increasing, so Newton's method started at the upper bound
``c₀ = G(y*) + √(2Kλhp/(h + p))`` (where ``ψ(c₀) >= 0`` because ``G``'s slopes lie in
``[-p, h]``) falls monotonically to ``c*``; each step finds the two ends of the level set by
safeguarded Newton steps on ``G``. All rows move together; a row costs microseconds.
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np
from scipy import special

from shopops.planning.policy._arrays import FloatArray, IntArray, Numbers, PolicyTable, as_rows
from shopops.planning.policy._roots import find_root
from shopops.planning.policy.lead_time import LeadTimeDemand, compute_lead_time_demand
from shopops.planning.policy.loss_normal import normal_second_shortage, normal_shortage


@dataclass(frozen=True, slots=True)
class RQPolicy(PolicyTable):
    """An (r, Q) policy with its expected cost and the inputs that produced it.

    ``safety_stock_units`` is ``r - μ_LTD``; ``fill_rate`` is the share of demand met from
    stock, ``1 - (n(r) - n(r + Q)) / Q``.
    """

    demand_mean_units_per_day: FloatArray
    demand_sd_units_per_day: FloatArray
    lead_time_mean_days: FloatArray
    lead_time_sd_days: FloatArray
    holding_cost_usd_per_unit_day: FloatArray
    stockout_cost_usd_per_unit_day: FloatArray
    fixed_order_cost_usd: FloatArray
    lead_time_demand_mean_units: FloatArray
    lead_time_demand_sd_units: FloatArray
    reorder_point_units: FloatArray
    order_quantity_units: FloatArray
    safety_stock_units: FloatArray
    fill_rate: FloatArray
    expected_cost_usd_per_day: FloatArray


@dataclass(frozen=True, slots=True)
class _CostCurve:
    """``G(y)`` for every row, with the pieces the solvers need."""

    mean: FloatArray
    sd: FloatArray
    holding: FloatArray
    stockout: FloatArray

    def value(self, y: FloatArray, rows: IntArray) -> FloatArray:
        h, p = self.holding[rows], self.stockout[rows]
        mu = self.mean[rows]
        return h * (y - mu) + (h + p) * normal_shortage(y, mu, self.sd[rows])

    def slope(self, y: FloatArray, rows: IntArray) -> FloatArray:
        h, p, mu, sd = self.holding[rows], self.stockout[rows], self.mean[rows], self.sd[rows]
        with np.errstate(divide="ignore", invalid="ignore"):
            cdf = np.where(sd > 0.0, special.ndtr((y - mu) / sd), (y >= mu).astype(np.float64))
        return -p + (h + p) * cdf

    def integral(self, low: FloatArray, high: FloatArray, rows: IntArray) -> FloatArray:
        h, p, mu, sd = self.holding[rows], self.stockout[rows], self.mean[rows], self.sd[rows]
        second = normal_second_shortage(low, mu, sd) - normal_second_shortage(high, mu, sd)
        return h * ((high - mu) ** 2 - (low - mu) ** 2) / 2.0 + (h + p) * second

    def minimiser(self) -> FloatArray:
        ratio = self.stockout / (self.stockout + self.holding)
        return self.mean + np.where(self.sd > 0.0, self.sd * special.ndtri(ratio), 0.0)


def _inputs(
    holding: Numbers,
    stockout: Numbers,
    fixed: Numbers,
    demand_mean: Numbers,
    demand_sd: Numbers,
    lead_time: Numbers,
    lead_time_sd: Numbers,
    *extra: Numbers,
) -> tuple[LeadTimeDemand, FloatArray, FloatArray, FloatArray, list[FloatArray]]:
    h, p, k, mean, sd, lead, lead_sd, *rest = as_rows(
        holding, stockout, fixed, demand_mean, demand_sd, lead_time, lead_time_sd, *extra
    )
    return compute_lead_time_demand(mean, sd, lead, lead_sd), h, p, k, rest


def _policy(
    ltd: LeadTimeDemand,
    h: FloatArray,
    p: FloatArray,
    k: FloatArray,
    reorder_point: FloatArray,
    quantity: FloatArray,
) -> RQPolicy:
    mu, sd = ltd.lead_time_demand_mean_units, ltd.lead_time_demand_sd_units
    curve = _CostCurve(mu, sd, h, p)
    rows = np.arange(mu.shape[0])
    demand = ltd.demand_mean_units_per_day
    with np.errstate(divide="ignore", invalid="ignore"):
        cost = (
            k * demand + curve.integral(reorder_point, reorder_point + quantity, rows)
        ) / quantity
        short = normal_shortage(reorder_point, mu, sd) - normal_shortage(
            reorder_point + quantity, mu, sd
        )
        fill = 1.0 - short / quantity
    return RQPolicy(
        demand_mean_units_per_day=demand,
        demand_sd_units_per_day=ltd.demand_sd_units_per_day,
        lead_time_mean_days=ltd.lead_time_mean_days,
        lead_time_sd_days=ltd.lead_time_sd_days,
        holding_cost_usd_per_unit_day=h,
        stockout_cost_usd_per_unit_day=p,
        fixed_order_cost_usd=k,
        lead_time_demand_mean_units=mu,
        lead_time_demand_sd_units=sd,
        reorder_point_units=reorder_point,
        order_quantity_units=quantity,
        safety_stock_units=reorder_point - mu,
        fill_rate=fill,
        expected_cost_usd_per_day=cost,
    )


def r_q_cost_normal(
    reorder_point_units: Numbers,
    order_quantity_units: Numbers,
    holding_cost_usd_per_unit_day: Numbers,
    stockout_cost_usd_per_unit_day: Numbers,
    fixed_order_cost_usd: Numbers,
    demand_mean_units_per_day: Numbers,
    demand_sd_units_per_day: Numbers,
    lead_time_days: Numbers,
    *,
    lead_time_sd_days: Numbers = 0.0,
) -> RQPolicy:
    """Expected cost per day of given (r, Q) policies (closed form, see module notes).

    Examples
    --------
    >>> plan = r_q_cost_normal(126.8, 328.5, 0.225, 7.5, 8, 1300, 150, 1 / 12)
    >>> round(float(plan.expected_cost_usd_per_day[0]), 6)
    78.071163
    """
    ltd, h, p, k, (r, q) = _inputs(
        holding_cost_usd_per_unit_day,
        stockout_cost_usd_per_unit_day,
        fixed_order_cost_usd,
        demand_mean_units_per_day,
        demand_sd_units_per_day,
        lead_time_days,
        lead_time_sd_days,
        reorder_point_units,
        order_quantity_units,
    )
    return _policy(ltd, h, p, k, r, q)


def r_q_optimal_reorder_point_normal(
    order_quantity_units: Numbers,
    holding_cost_usd_per_unit_day: Numbers,
    stockout_cost_usd_per_unit_day: Numbers,
    fixed_order_cost_usd: Numbers,
    demand_mean_units_per_day: Numbers,
    demand_sd_units_per_day: Numbers,
    lead_time_days: Numbers,
    *,
    lead_time_sd_days: Numbers = 0.0,
) -> RQPolicy:
    """Best reorder point for a given ``Q``: the ``r`` with ``G(r) = G(r + Q)``.

    Equivalently ``n(r) - n(r + Q) = hQ/(h + p)``. ``G(r + Q) - G(r)`` rises with ``r`` and
    changes sign on ``[y* - Q, y*]``, so the root is bracketed and unique.
    """
    ltd, h, p, k, (q,) = _inputs(
        holding_cost_usd_per_unit_day,
        stockout_cost_usd_per_unit_day,
        fixed_order_cost_usd,
        demand_mean_units_per_day,
        demand_sd_units_per_day,
        lead_time_days,
        lead_time_sd_days,
        order_quantity_units,
    )
    curve = _CostCurve(ltd.lead_time_demand_mean_units, ltd.lead_time_demand_sd_units, h, p)
    return _policy(ltd, h, p, k, _balanced_reorder_point(curve, q), q)


def _balanced_reorder_point(curve: _CostCurve, quantity: FloatArray) -> FloatArray:
    def gap(r: FloatArray, rows: IntArray) -> tuple[FloatArray, FloatArray]:
        q = quantity[rows]
        value = curve.value(r + q, rows) - curve.value(r, rows)
        return value, curve.slope(r + q, rows) - curve.slope(r, rows)

    top = curve.minimiser()
    return find_root(gap, top - quantity, top, increasing=True)


def r_q_exact_normal(
    holding_cost_usd_per_unit_day: Numbers,
    stockout_cost_usd_per_unit_day: Numbers,
    fixed_order_cost_usd: Numbers,
    demand_mean_units_per_day: Numbers,
    demand_sd_units_per_day: Numbers,
    lead_time_days: Numbers,
    *,
    lead_time_sd_days: Numbers = 0.0,
) -> RQPolicy:
    """Optimal (r, Q) for normal lead-time demand, to machine precision, for every row.

    Examples
    --------
    >>> plan = r_q_exact_normal(0.225, 7.5, 8, 1300, 150, 1 / 12)
    >>> round(float(plan.reorder_point_units[0]), 3), round(float(plan.order_quantity_units[0]), 3)
    (126.867, 328.449)
    """
    ltd, h, p, k, _ = _inputs(
        holding_cost_usd_per_unit_day,
        stockout_cost_usd_per_unit_day,
        fixed_order_cost_usd,
        demand_mean_units_per_day,
        demand_sd_units_per_day,
        lead_time_days,
        lead_time_sd_days,
    )
    curve = _CostCurve(ltd.lead_time_demand_mean_units, ltd.lead_time_demand_sd_units, h, p)
    low, high = _optimal_level_set(curve, k * ltd.demand_mean_units_per_day)
    return _policy(ltd, h, p, k, low, high - low)


def _optimal_level_set(
    curve: _CostCurve, fixed_per_day: FloatArray
) -> tuple[FloatArray, FloatArray]:
    """Ends ``(y_lo, y_hi)`` of ``{G <= c*}`` by Newton's method on ``ψ(c)``."""
    rows = np.arange(curve.mean.shape[0])
    centre = curve.minimiser()
    bottom = curve.value(centre, rows)
    h, p = curve.holding, curve.stockout
    level = bottom + np.sqrt(2.0 * fixed_per_day * h * p / (h + p))
    low, high = centre.copy(), centre.copy()
    active = rows[np.isfinite(level)]
    for _ in range(100):
        if active.size == 0:
            break
        c = level[active]
        low[active] = _level_end(curve, c, centre[active], active, low[active], left=True)
        high[active] = _level_end(curve, c, centre[active], active, high[active], left=False)
        width = high[active] - low[active]
        area = c * width - curve.integral(low[active], high[active], active)
        with np.errstate(divide="ignore", invalid="ignore"):
            step = (area - fixed_per_day[active]) / width
        step = np.where(np.isfinite(step) & (step > 0.0), step, 0.0)
        level[active] = c - step
        active = active[step > 1e-14 * np.maximum(np.abs(c), 1e-300)]
    return low, high


def _level_end(
    curve: _CostCurve,
    level: FloatArray,
    centre: FloatArray,
    rows: IntArray,
    start: FloatArray,
    *,
    left: bool,
) -> FloatArray:
    """The point left (or right) of ``y*`` where ``G`` reaches ``level``."""

    def excess(y: FloatArray, sub: IntArray) -> tuple[FloatArray, FloatArray]:
        index = rows[sub]
        return curve.value(y, index) - level[sub], curve.slope(y, index)

    mean = curve.mean[rows]
    if left:
        outer = np.minimum(mean - level / curve.stockout[rows], centre)
        return find_root(excess, outer, centre, increasing=False, start=start)
    outer = np.maximum(mean + level / curve.holding[rows], centre)
    return find_root(excess, centre, outer, increasing=True, start=start)
