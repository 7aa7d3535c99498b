"""Exact (r, Q) policies for Poisson demand (Federgruen & Zheng 1992), vectorised over rows.

Unit demands arrive as a Poisson process of rate ``λ``; lead-time demand is Poisson with mean
``λL``. The inventory position is uniform on ``{r + 1, ..., r + Q}``, so the cost per day is
(Snyder & Shen, 2nd ed., §5.3)::

    g(r, Q) = (Kλ + Σ_{y=r+1}^{r+Q} G(y)) / Q,   G(y) = h E[(y - D)+] + p E[(D - y)+]

Federgruen & Zheng (1992) show that the optimal policy covers the ``Q*`` integers with the
smallest values of ``G``, a run around the minimiser of ``G``, and that the optimal cost ``c*``
is the level at which ``{y: G(y) <= c*}`` is that run. Their algorithm grows the run one point
at a time, which takes ``O(Q*)`` steps per item. Here the same optimum is reached from above
in a handful of steps for every row at once: start with a level ``c`` known to exceed ``c*``,
take the run ``{G <= c}`` (both ends by integer bisection, ``G`` being convex), and replace
``c`` by that run's average cost. This is Newton's method on the convex, piecewise-linear
``ψ(c) = Σ_y (c - G(y))+ - Kλ``, so it stops, exactly, when the run no longer changes, and the
run it stops on has ``Kλ = Σ (c - G)+``, which no other run can beat.

The start ``c₀ = G(y*) + √(2Kλh) + h`` is the cost bound of ordering an EOQ-sized run from
``y*`` up (``G`` rises by at most ``h`` per unit).
"""

from __future__ import annotations

import numpy as np

from shopops.planning.policy._arrays import FloatArray, Numbers, as_rows
from shopops.planning.policy._poisson_curve import PoissonCostCurve
from shopops.planning.policy.lead_time import compute_lead_time_demand
from shopops.planning.policy.loss_discrete import poisson_loss
from shopops.planning.policy.rq_normal import RQPolicy


def _curve_and_inputs(
    holding: Numbers,
    stockout: Numbers,
    fixed: Numbers,
    demand: Numbers,
    lead_time: Numbers,
    *extra: Numbers,
) -> tuple[PoissonCostCurve, list[FloatArray]]:
    h, p, k, rate, lead, *rest = as_rows(holding, stockout, fixed, demand, lead_time, *extra)
    return PoissonCostCurve(rate * lead, h, p), [h, p, k, rate, lead, *rest]


def _policy(
    curve: PoissonCostCurve,
    inputs: list[FloatArray],
    reorder_point: FloatArray,
    quantity: FloatArray,
) -> RQPolicy:
    h, p, k, rate, lead = inputs[:5]
    rows = np.arange(rate.shape[0])
    mu = curve.mean
    with np.errstate(divide="ignore", invalid="ignore"):
        run = curve.total(reorder_point + 1.0, reorder_point + quantity, rows)
        cost = (k * rate + run) / quantity
        short = (
            poisson_loss(reorder_point, mu).loss - poisson_loss(reorder_point + quantity, mu).loss
        )
        fill = 1.0 - short / quantity
    ltd = compute_lead_time_demand(rate, np.sqrt(rate), lead)
    return RQPolicy(
        demand_mean_units_per_day=rate,
        demand_sd_units_per_day=ltd.demand_sd_units_per_day,
        lead_time_mean_days=lead,
        lead_time_sd_days=ltd.lead_time_sd_days,
        holding_cost_usd_per_unit_day=h,
        stockout_cost_usd_per_unit_day=p,
        fixed_order_cost_usd=k,
        lead_time_demand_mean_units=mu,
        lead_time_demand_sd_units=np.sqrt(mu),
        reorder_point_units=reorder_point,
        order_quantity_units=quantity,
        safety_stock_units=reorder_point - mu,
        fill_rate=fill,
        expected_cost_usd_per_day=cost,
    )


def r_q_cost_poisson(
    reorder_point_units: Numbers,
    order_quantity_units: Numbers,
    holding_cost_usd_per_unit_day: Numbers,
    stockout_cost_usd_per_unit_day: Numbers,
    fixed_order_cost_usd: Numbers,
    demand_units_per_day: Numbers,
    lead_time_days: Numbers,
) -> RQPolicy:
    """Expected cost per day of given integer (r, Q) policies under Poisson demand.

    Examples
    --------
    >>> plan = r_q_cost_poisson(3, 5, 20, 150, 100, 1.5, 2)
    >>> round(float(plan.expected_cost_usd_per_day[0]), 6)
    107.923581
    """
    curve, inputs = _curve_and_inputs(
        holding_cost_usd_per_unit_day,
        stockout_cost_usd_per_unit_day,
        fixed_order_cost_usd,
        demand_units_per_day,
        lead_time_days,
        reorder_point_units,
        order_quantity_units,
    )
    return _policy(curve, inputs, inputs[5], inputs[6])


def r_q_exact_poisson(
    holding_cost_usd_per_unit_day: Numbers,
    stockout_cost_usd_per_unit_day: Numbers,
    fixed_order_cost_usd: Numbers,
    demand_units_per_day: Numbers,
    lead_time_days: Numbers,
) -> RQPolicy:
    """Optimal integer (r, Q) for Poisson demand, for every row (see module notes).

    Examples
    --------
    >>> plan = r_q_exact_poisson(20, 150, 100, 1.5, 2)
    >>> float(plan.reorder_point_units[0]), float(plan.order_quantity_units[0])
    (3.0, 5.0)
    """
    curve, inputs = _curve_and_inputs(
        holding_cost_usd_per_unit_day,
        stockout_cost_usd_per_unit_day,
        fixed_order_cost_usd,
        demand_units_per_day,
        lead_time_days,
    )
    k, rate = inputs[2], inputs[3]
    first, last = _optimal_run(curve, k * rate)
    return _policy(curve, inputs, first - 1.0, last - first + 1.0)


def _optimal_run(
    curve: PoissonCostCurve, fixed_per_day: FloatArray
) -> tuple[FloatArray, FloatArray]:
    """First and last stock level of the optimal run ``{y: G(y) <= c*}``."""
    rows = np.arange(curve.mean.shape[0])
    centre = curve.minimiser()
    h, p, mu = curve.holding, curve.stockout, curve.mean
    level = curve.value(centre, rows) + np.sqrt(2.0 * fixed_per_day * h) + h
    first = np.floor(mu - level / p) - 1.0
    last = np.ceil(mu + level / h) + 1.0
    active = rows[np.isfinite(level)]
    for _ in range(500):  # Newton steps on a convex piecewise-linear function: a handful
        if active.size == 0:
            break
        c = level[active]
        new_first = curve.first_at_most(c, first[active] - 1.0, centre[active], active)
        new_last = curve.last_at_most(c, centre[active], last[active] + 1.0, active)
        changed = (new_first != first[active]) | (new_last != last[active])
        first[active], last[active] = new_first, new_last
        run = curve.total(new_first, new_last, active)
        level[active] = (fixed_per_day[active] + run) / (new_last - new_first + 1.0)
        active = active[changed]
    return first, last
