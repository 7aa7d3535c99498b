"""Safety stock, reorder point and order-up-to level for a service-level target.

Two kinds of target, for normally distributed demand over the protection interval
(mean ``μ``, sd ``σ``, from :func:`compute_lead_time_demand`):

- **cycle service level** (type 1, ``α``): the chance of no stockout in a replenishment cycle.
  ``z = Φ⁻¹(α)``, safety stock ``z σ``.
- **fill rate** (type 2, ``β``): the share of demand met from stock. Each cycle ends with
  ``n(level) = σ L(z)`` units short on average (``L`` the standard normal loss), against ``Q``
  units of demand per cycle, so ``σ L(z) = (1 - β) Q`` and ``z = L⁻¹((1 - β) Q / σ)``.

Then ``level = μ + z σ``. Source: Snyder & Shen, 2nd ed., §4.3.2 and §5.2.5; Silver, Pyke &
Thomas, 4th ed., §6.7 (the P1 and P2 service measures); Hadley & Whitin (1963), ch. 4.
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np
from scipy import special

from shopops.planning.policy._arrays import FloatArray, Numbers, PolicyTable, as_rows
from shopops.planning.policy.lead_time import LeadTimeDemand, compute_lead_time_demand
from shopops.planning.policy.loss_normal import inverse_standard_normal_loss, normal_shortage


@dataclass(frozen=True, slots=True)
class ServiceStock(PolicyTable):
    """Safety stock and the stock level that protects a service target, with its inputs.

    ``stock_level_units`` is the reorder point for continuous review (``review_period_days``
    0) and the order-up-to level for periodic review. ``units_per_cycle`` is the demand per
    replenishment cycle that the fill rate is measured against (``Q`` or one review period's
    demand). ``cycle_service_level`` and ``fill_rate`` are those achieved at the level.
    """

    demand_mean_units_per_day: FloatArray
    demand_sd_units_per_day: FloatArray
    lead_time_mean_days: FloatArray
    lead_time_sd_days: FloatArray
    review_period_days: FloatArray
    lead_time_demand_mean_units: FloatArray
    lead_time_demand_sd_units: FloatArray
    units_per_cycle: FloatArray
    z: FloatArray
    safety_stock_units: FloatArray
    stock_level_units: FloatArray
    expected_shortage_per_cycle_units: FloatArray
    cycle_service_level: FloatArray
    fill_rate: FloatArray


def _stock_for_z(ltd: LeadTimeDemand, z: FloatArray, units_per_cycle: FloatArray) -> ServiceStock:
    mean, sd = ltd.lead_time_demand_mean_units, ltd.lead_time_demand_sd_units
    safety = np.where(sd > 0.0, z * sd, 0.0)
    return _stock_for_level(ltd, z, mean + safety, units_per_cycle)


def _stock_for_level(
    ltd: LeadTimeDemand, z: FloatArray, level: FloatArray, units_per_cycle: FloatArray
) -> ServiceStock:
    mean, sd = ltd.lead_time_demand_mean_units, ltd.lead_time_demand_sd_units
    shortage = normal_shortage(level, mean, sd)
    with np.errstate(divide="ignore", invalid="ignore"):
        fill = 1.0 - shortage / units_per_cycle
        csl = np.where(sd > 0.0, special.ndtr(z), (level >= mean).astype(np.float64))
    return ServiceStock(
        demand_mean_units_per_day=ltd.demand_mean_units_per_day,
        demand_sd_units_per_day=ltd.demand_sd_units_per_day,
        lead_time_mean_days=ltd.lead_time_mean_days,
        lead_time_sd_days=ltd.lead_time_sd_days,
        review_period_days=ltd.review_period_days,
        lead_time_demand_mean_units=mean,
        lead_time_demand_sd_units=sd,
        units_per_cycle=units_per_cycle,
        z=z,
        safety_stock_units=level - mean,
        stock_level_units=level,
        expected_shortage_per_cycle_units=shortage,
        cycle_service_level=csl,
        fill_rate=fill,
    )


def reorder_point_for_cycle_service(
    demand_mean_units_per_day: Numbers,
    demand_sd_units_per_day: Numbers,
    lead_time_mean_days: Numbers,
    cycle_service_level: Numbers,
    *,
    lead_time_sd_days: Numbers = 0.0,
    order_quantity_units: Numbers = np.nan,
) -> ServiceStock:
    """Reorder point ``r = μ_LTD + Φ⁻¹(α) σ_LTD`` for a cycle service level ``α`` (type 1).

    ``order_quantity_units`` is optional; when given, the fill rate achieved is reported.

    Examples
    --------
    >>> plan = reorder_point_for_cycle_service(10.0, 3.0, 4.0, 0.95)
    >>> round(float(plan.safety_stock_units[0]), 3), round(float(plan.stock_level_units[0]), 3)
    (9.869, 49.869)
    """
    *demand, alpha, quantity = as_rows(
        demand_mean_units_per_day,
        demand_sd_units_per_day,
        lead_time_mean_days,
        lead_time_sd_days,
        cycle_service_level,
        order_quantity_units,
    )
    ltd = compute_lead_time_demand(*demand)
    return _stock_for_z(ltd, special.ndtri(alpha), quantity)


def reorder_point_for_fill_rate(
    demand_mean_units_per_day: Numbers,
    demand_sd_units_per_day: Numbers,
    lead_time_mean_days: Numbers,
    fill_rate: Numbers,
    order_quantity_units: Numbers,
    *,
    lead_time_sd_days: Numbers = 0.0,
) -> ServiceStock:
    """Reorder point for a fill rate ``β`` (type 2) with order quantity ``Q``.

    Solves ``σ_LTD L(z) = (1 - β) Q`` for ``z`` with the inverse standard normal loss, then
    ``r = μ_LTD + z σ_LTD``. With no demand uncertainty ``r = μ_LTD - (1 - β) Q``.
    """
    *demand, beta, quantity = as_rows(
        demand_mean_units_per_day,
        demand_sd_units_per_day,
        lead_time_mean_days,
        lead_time_sd_days,
        fill_rate,
        order_quantity_units,
    )
    return _fill_rate_stock(compute_lead_time_demand(*demand), beta, quantity)


def order_up_to_level(
    demand_mean_units_per_day: Numbers,
    demand_sd_units_per_day: Numbers,
    lead_time_mean_days: Numbers,
    review_period_days: Numbers,
    *,
    cycle_service_level: Numbers = np.nan,
    fill_rate: Numbers = np.nan,
    lead_time_sd_days: Numbers = 0.0,
) -> ServiceStock:
    """Order-up-to level ``S = μ_{L+R} + z σ_{L+R}`` of a periodic-review base-stock policy.

    The protection interval is the lead time plus the review period ``R``. Give, per row,
    either a ``cycle_service_level`` (``z = Φ⁻¹(α)``) or a ``fill_rate`` (shortage per review
    ``σ_{L+R} L(z) = (1 - β) μ_d R``); where both are given the fill rate wins.
    """
    *demand, alpha, beta = as_rows(
        demand_mean_units_per_day,
        demand_sd_units_per_day,
        lead_time_mean_days,
        lead_time_sd_days,
        review_period_days,
        cycle_service_level,
        fill_rate,
    )
    ltd = compute_lead_time_demand(*demand)
    per_review = ltd.demand_mean_units_per_day * ltd.review_period_days
    by_fill = _fill_rate_stock(ltd, beta, per_review)
    by_cycle = _stock_for_z(ltd, special.ndtri(alpha), per_review)
    use_fill = ~np.isnan(beta)
    z = np.where(use_fill, by_fill.z, by_cycle.z)
    level = np.where(use_fill, by_fill.stock_level_units, by_cycle.stock_level_units)
    return _stock_for_level(ltd, z, level, per_review)


def _fill_rate_stock(ltd: LeadTimeDemand, beta: FloatArray, quantity: FloatArray) -> ServiceStock:
    mean, sd = ltd.lead_time_demand_mean_units, ltd.lead_time_demand_sd_units
    short = (1.0 - beta) * quantity
    with np.errstate(divide="ignore", invalid="ignore"):
        z = inverse_standard_normal_loss(np.where(sd > 0.0, short / sd, np.nan))
    level = np.where(sd > 0.0, mean + z * sd, mean - short)
    return _stock_for_level(ltd, z, level, quantity)
