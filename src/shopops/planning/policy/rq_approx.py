"""Approximations of the (r, Q) policy for normal lead-time demand (Snyder & Shen, 2nd ed., §5.2.4).

- **loss-function approximation**: drop ``n2(r + Q)`` from the exact cost, which is tiny once
  ``Q`` is a few sds. The first-order conditions become ``n(r) = hQ/(h + p)`` and
  ``Q = √(2(Kλ + (h + p) n2(r))/h)``; iterate from the EOQ (Hadley & Whitin 1963, §4.4).
- **EOQB**: ``Q`` from the EOQ with planned backorders, ``√(2Kλ(h + p)/(hp))``, and the best
  ``r`` for that ``Q``.
- **EOQ + safety stock**: ``Q`` = EOQ and ``r = μ + σΦ⁻¹(p/(p + h))``, the textbook shortcut.
- **EIL** (expected inventory level): a stockout penalty ``p`` per unit short (not per unit per
  day); cost ``h(r - μ + Q/2) + Kλ/Q + pλn(r)/Q``, conditions ``1 - F(r) = Qh/(pλ)`` and
  ``Q = √(2λ(K + p n(r))/h)`` (Hadley & Whitin 1963, §4.7). It has no answer where
  ``Qh >= pλ``, typical of slow movers; those rows get ``nan``.

The first three report the exact expected cost of the policy they return (same model as
:func:`r_q_exact_normal`), so they can be compared with the optimum directly.
"""

from __future__ import annotations

from dataclasses import dataclass, fields

import numpy as np
from scipy import special

from shopops.planning.policy._arrays import FloatArray, Numbers, PolicyTable, as_rows
from shopops.planning.policy.lead_time import compute_lead_time_demand
from shopops.planning.policy.loss_normal import (
    inverse_standard_normal_loss,
    normal_second_shortage,
    normal_shortage,
)
from shopops.planning.policy.rq_normal import (
    RQPolicy,
    r_q_cost_normal,
    r_q_optimal_reorder_point_normal,
)

_MAX_ROUNDS = 10_000


@dataclass(frozen=True, slots=True)
class EILPolicy(PolicyTable):
    """An (r, Q) policy from the EIL approximation; the stockout penalty is per unit short."""

    demand_mean_units_per_day: FloatArray
    demand_sd_units_per_day: FloatArray
    lead_time_mean_days: FloatArray
    lead_time_sd_days: FloatArray
    holding_cost_usd_per_unit_day: FloatArray
    stockout_cost_usd_per_unit: FloatArray
    fixed_order_cost_usd: FloatArray
    lead_time_demand_mean_units: FloatArray
    lead_time_demand_sd_units: FloatArray
    reorder_point_units: FloatArray
    order_quantity_units: FloatArray
    safety_stock_units: FloatArray
    fill_rate: FloatArray
    expected_cost_usd_per_day: FloatArray


def _level_with_shortage(mean: FloatArray, sd: FloatArray, shortage: FloatArray) -> FloatArray:
    """The stock level ``y`` with ``n(y) = shortage`` (``mean - shortage`` if ``sd`` is 0)."""
    with np.errstate(divide="ignore", invalid="ignore"):
        z = inverse_standard_normal_loss(np.where(sd > 0.0, shortage / sd, np.nan))
    return np.where(sd > 0.0, mean + sd * z, mean - shortage)


def r_q_loss_function_approximation(
    holding_cost_usd_per_unit_day: Numbers,
    stockout_cost_usd_per_unit_day: Numbers,
    fixed_order_cost_usd: Numbers,
    demand_mean_units_per_day: Numbers,
    demand_sd_units_per_day: Numbers,
    lead_time_days: Numbers,
    *,
    lead_time_sd_days: Numbers = 0.0,
    tolerance: float = 1e-12,
) -> RQPolicy:
    """Loss-function approximation of the optimal (r, Q) (see module notes).

    Examples
    --------
    >>> plan = r_q_loss_function_approximation(0.225, 7.5, 8, 1300, 150, 1 / 12)
    >>> round(float(plan.reorder_point_units[0]), 3), round(float(plan.order_quantity_units[0]), 3)
    (126.867, 328.449)
    """
    h, p, k, mean, sd, lead, lead_sd = as_rows(
        holding_cost_usd_per_unit_day,
        stockout_cost_usd_per_unit_day,
        fixed_order_cost_usd,
        demand_mean_units_per_day,
        demand_sd_units_per_day,
        lead_time_days,
        lead_time_sd_days,
    )
    ltd = compute_lead_time_demand(mean, sd, lead, lead_sd)
    mu, sigma = ltd.lead_time_demand_mean_units, ltd.lead_time_demand_sd_units
    quantity = np.sqrt(2.0 * k * mean / h)
    reorder = np.full_like(quantity, np.nan)
    active = np.flatnonzero(np.isfinite(quantity))
    for _ in range(_MAX_ROUNDS):
        if active.size == 0:
            break
        ha, pa, q = h[active], p[active], quantity[active]
        r = _level_with_shortage(mu[active], sigma[active], ha * q / (ha + pa))
        second = normal_second_shortage(r, mu[active], sigma[active])
        new_q = np.sqrt(2.0 * (k[active] * mean[active] + (ha + pa) * second) / ha)
        reorder[active], quantity[active] = r, new_q
        active = active[np.abs(new_q - q) > tolerance * np.abs(q)]
    return r_q_cost_normal(reorder, quantity, h, p, k, mean, sd, lead, lead_time_sd_days=lead_sd)


def r_q_eoqb_approximation(
    holding_cost_usd_per_unit_day: Numbers,
    stockout_cost_usd_per_unit_day: Numbers,
    fixed_order_cost_usd: Numbers,
    demand_mean_units_per_day: Numbers,
    demand_sd_units_per_day: Numbers,
    lead_time_days: Numbers,
    *,
    lead_time_sd_days: Numbers = 0.0,
) -> RQPolicy:
    """``Q`` = EOQ with planned backorders, ``r`` = the best reorder point for that ``Q``."""
    h, p, k, mean, sd, lead, lead_sd = as_rows(
        holding_cost_usd_per_unit_day,
        stockout_cost_usd_per_unit_day,
        fixed_order_cost_usd,
        demand_mean_units_per_day,
        demand_sd_units_per_day,
        lead_time_days,
        lead_time_sd_days,
    )
    quantity = np.sqrt(2.0 * k * mean * (h + p) / (h * p))
    return r_q_optimal_reorder_point_normal(
        quantity, h, p, k, mean, sd, lead, lead_time_sd_days=lead_sd
    )


def r_q_eoq_safety_stock_approximation(
    holding_cost_usd_per_unit_day: Numbers,
    stockout_cost_usd_per_unit_day: Numbers,
    fixed_order_cost_usd: Numbers,
    demand_mean_units_per_day: Numbers,
    demand_sd_units_per_day: Numbers,
    lead_time_days: Numbers,
    *,
    lead_time_sd_days: Numbers = 0.0,
) -> RQPolicy:
    """``Q`` = EOQ and ``r`` = the newsvendor level of lead-time demand, ``μ + σΦ⁻¹(p/(p+h))``."""
    h, p, k, mean, sd, lead, lead_sd = as_rows(
        holding_cost_usd_per_unit_day,
        stockout_cost_usd_per_unit_day,
        fixed_order_cost_usd,
        demand_mean_units_per_day,
        demand_sd_units_per_day,
        lead_time_days,
        lead_time_sd_days,
    )
    ltd = compute_lead_time_demand(mean, sd, lead, lead_sd)
    z = special.ndtri(p / (p + h))
    reorder = ltd.lead_time_demand_mean_units + z * ltd.lead_time_demand_sd_units
    quantity = np.sqrt(2.0 * k * mean / h)
    return r_q_cost_normal(reorder, quantity, h, p, k, mean, sd, lead, lead_time_sd_days=lead_sd)


def r_q_eil_approximation(
    holding_cost_usd_per_unit_day: Numbers,
    stockout_cost_usd_per_unit: Numbers,
    fixed_order_cost_usd: Numbers,
    demand_mean_units_per_day: Numbers,
    demand_sd_units_per_day: Numbers,
    lead_time_days: Numbers,
    *,
    lead_time_sd_days: Numbers = 0.0,
    tolerance: float = 1e-12,
) -> EILPolicy:
    """Expected-inventory-level approximation with a penalty per unit short.

    ``expected_cost_usd_per_day`` is the EIL model's own cost,
    ``h(r - μ + Q/2) + Kλ/Q + pλn(r)/Q``; ``nan`` where the model has no solution.
    """
    h, p, k, mean, sd, lead, lead_sd = as_rows(
        holding_cost_usd_per_unit_day,
        stockout_cost_usd_per_unit,
        fixed_order_cost_usd,
        demand_mean_units_per_day,
        demand_sd_units_per_day,
        lead_time_days,
        lead_time_sd_days,
    )
    ltd = compute_lead_time_demand(mean, sd, lead, lead_sd)
    mu, sigma = ltd.lead_time_demand_mean_units, ltd.lead_time_demand_sd_units
    quantity = np.sqrt(2.0 * k * mean / h)
    reorder = np.full_like(quantity, np.nan)
    active = np.flatnonzero(np.isfinite(quantity))
    for _ in range(_MAX_ROUNDS):
        if active.size == 0:
            break
        q = quantity[active]
        tail = q * h[active] / (p[active] * mean[active])
        r = mu[active] + sigma[active] * special.ndtri(1.0 - tail)
        short = normal_shortage(r, mu[active], sigma[active])
        new_q = np.sqrt(2.0 * mean[active] * (k[active] + p[active] * short) / h[active])
        new_q = np.where(tail < 1.0, new_q, np.nan)
        reorder[active], quantity[active] = r, new_q
        active = active[np.abs(new_q - q) > tolerance * np.abs(q)]
    tail = quantity * h / (p * mean)
    with np.errstate(invalid="ignore"):
        reorder = np.where(tail < 1.0, mu + sigma * special.ndtri(1.0 - tail), np.nan)
    exact = r_q_cost_normal(reorder, quantity, h, p, k, mean, sd, lead, lead_time_sd_days=lead_sd)
    short = normal_shortage(reorder, mu, sigma)
    cost = h * (reorder - mu + quantity / 2) + k * mean / quantity + p * mean * short / quantity
    columns = {f.name: getattr(exact, f.name) for f in fields(exact)}
    columns["stockout_cost_usd_per_unit"] = columns.pop("stockout_cost_usd_per_unit_day")
    columns["expected_cost_usd_per_day"] = cost
    return EILPolicy(**columns)
