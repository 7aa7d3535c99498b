"""Economic order quantities: plain, with planned backorders, and with a finite production rate.

Deterministic demand at rate ``λ``, fixed cost ``K`` per order, holding cost ``h`` per unit per
day (Snyder & Shen, 2nd ed., §3.2-3.4; Harris 1913; Hadley & Whitin 1963, ch. 2):

- EOQ: ``Q* = √(2Kλ/h)``, cost ``g(Q) = Kλ/Q + hQ/2``, ``g(Q*) = √(2Kλh)``.
- planned backorders at ``p`` per unit per day, a share ``x`` of each cycle out of stock:
  ``g(Q, x) = h(1 - x)²Q/2 + p x² Q/2 + Kλ/Q``; optimum ``x* = h/(h + p)``,
  ``Q* = √(2Kλ(h + p)/(hp))``, ``g* = √(2Kλhp/(h + p))``.
- production at rate ``μ > λ`` (EPQ): with ``ρ = λ/μ``, ``g(Q) = Kλ/Q + h(1 - ρ)Q/2``,
  ``Q* = √(2Kλ/(h(1 - ρ)))``.

Every function takes an optional ``order_quantity_units`` (and ``stockout_fraction``): where it
is given the cost of that quantity is reported instead of the optimum's.
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np

from shopops.planning.policy._arrays import FloatArray, Numbers, PolicyTable, as_rows


@dataclass(frozen=True, slots=True)
class OrderQuantity(PolicyTable):
    """An order quantity, the cost per day it implies, and the inputs behind it.

    ``stockout_fraction`` is the share of each cycle spent in backorder (0 without
    backorders); ``production_rate_units_per_day`` is ``inf`` for instantaneous delivery.
    """

    demand_units_per_day: FloatArray
    fixed_order_cost_usd: FloatArray
    holding_cost_usd_per_unit_day: FloatArray
    stockout_cost_usd_per_unit_day: FloatArray
    production_rate_units_per_day: FloatArray
    order_quantity_units: FloatArray
    stockout_fraction: FloatArray
    orders_per_day: FloatArray
    cost_usd_per_day: FloatArray


def economic_order_quantity(
    fixed_order_cost_usd: Numbers,
    holding_cost_usd_per_unit_day: Numbers,
    demand_units_per_day: Numbers,
    *,
    order_quantity_units: Numbers = np.nan,
) -> OrderQuantity:
    """Classic EOQ ``Q* = √(2Kλ/h)`` and its cost ``Kλ/Q + hQ/2``.

    Examples
    --------
    >>> eoq = economic_order_quantity(8.0, 0.225, 1300.0)
    >>> round(float(eoq.order_quantity_units[0]), 4), round(float(eoq.cost_usd_per_day[0]), 4)
    (304.0468, 68.4105)
    """
    return economic_production_quantity(
        fixed_order_cost_usd,
        holding_cost_usd_per_unit_day,
        demand_units_per_day,
        np.inf,
        order_quantity_units=order_quantity_units,
    )


def economic_production_quantity(
    fixed_order_cost_usd: Numbers,
    holding_cost_usd_per_unit_day: Numbers,
    demand_units_per_day: Numbers,
    production_rate_units_per_day: Numbers,
    *,
    order_quantity_units: Numbers = np.nan,
) -> OrderQuantity:
    """EOQ with a finite production (or delivery) rate: ``Q* = √(2Kλ / (h(1 - λ/μ)))``."""
    fixed, holding, demand, rate, given = as_rows(
        fixed_order_cost_usd,
        holding_cost_usd_per_unit_day,
        demand_units_per_day,
        production_rate_units_per_day,
        order_quantity_units,
    )
    effective = holding * (1.0 - demand / rate)
    quantity = np.where(np.isnan(given), np.sqrt(2.0 * fixed * demand / effective), given)
    cost = fixed * demand / quantity + effective * quantity / 2.0
    return OrderQuantity(
        demand_units_per_day=demand,
        fixed_order_cost_usd=fixed,
        holding_cost_usd_per_unit_day=holding,
        stockout_cost_usd_per_unit_day=np.full_like(demand, np.inf),
        production_rate_units_per_day=rate,
        order_quantity_units=quantity,
        stockout_fraction=np.zeros_like(demand),
        orders_per_day=demand / quantity,
        cost_usd_per_day=cost,
    )


def economic_order_quantity_with_backorders(
    fixed_order_cost_usd: Numbers,
    holding_cost_usd_per_unit_day: Numbers,
    stockout_cost_usd_per_unit_day: Numbers,
    demand_units_per_day: Numbers,
    *,
    order_quantity_units: Numbers = np.nan,
    stockout_fraction: Numbers = np.nan,
) -> OrderQuantity:
    """EOQ with planned backorders: ``Q* = √(2Kλ(h + p)/(hp))``, ``x* = h/(h + p)``.

    Examples
    --------
    >>> plan = economic_order_quantity_with_backorders(8.0, 0.225, 5.0, 1300.0)
    >>> round(float(plan.order_quantity_units[0]), 4), round(float(plan.stockout_fraction[0]), 6)
    (310.8126, 0.043062)
    """
    fixed, holding, stockout, demand, given_q, given_x = as_rows(
        fixed_order_cost_usd,
        holding_cost_usd_per_unit_day,
        stockout_cost_usd_per_unit_day,
        demand_units_per_day,
        order_quantity_units,
        stockout_fraction,
    )
    best_x = holding / (holding + stockout)
    best_q = np.sqrt(2.0 * fixed * demand * (holding + stockout) / (holding * stockout))
    quantity = np.where(np.isnan(given_q), best_q, given_q)
    share = np.where(np.isnan(given_x), best_x, given_x)
    cost = (
        holding * (1.0 - share) ** 2 * quantity / 2.0
        + stockout * share * share * quantity / 2.0
        + fixed * demand / quantity
    )
    return OrderQuantity(
        demand_units_per_day=demand,
        fixed_order_cost_usd=fixed,
        holding_cost_usd_per_unit_day=holding,
        stockout_cost_usd_per_unit_day=stockout,
        production_rate_units_per_day=np.full_like(demand, np.inf),
        order_quantity_units=quantity,
        stockout_fraction=share,
        orders_per_day=demand / quantity,
        cost_usd_per_day=cost,
    )
