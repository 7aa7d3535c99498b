"""The power approximation of the optimal (s, S) policy (Ehrhardt 1979; Ehrhardt & Mosier 1984).

Closed-form regressions fitted to exact optima, for per-period demand of mean ``μ`` and sd ``σ``
and a lead time of ``L`` periods (Snyder & Shen, 2nd ed., §4.5.3; Porteus 2002, §6.5)::

    μ_L = (L + 1) μ,   σ_L = √(L + 1) σ
    Q_p = 1.30 μ^0.494 (K/h)^0.506 (1 + σ_L²/μ²)^0.116
    z   = √(Q_p h / (σ_L p))
    s_p = 0.973 μ_L + σ_L (0.183/z + 1.063 - 2.192 z),   S_p = s_p + Q_p

Ehrhardt & Mosier's revision also caps both levels at the newsvendor level
``S₀ = μ_L + σ_L Φ⁻¹(p/(p + h))`` when ``Q_p/μ <= 1.5``; that step is optional here
(``cap_at_newsvendor_level``) because the textbook answers leave it out.
"""

from __future__ import annotations

import numpy as np
from scipy import special

from shopops.planning.policy._arrays import Numbers, as_rows
from shopops.planning.policy.ss_poisson import SSPolicy


def s_s_power_approximation(
    holding_cost_usd_per_unit_period: Numbers,
    stockout_cost_usd_per_unit_period: Numbers,
    fixed_order_cost_usd: Numbers,
    demand_mean_units_per_period: Numbers,
    demand_sd_units_per_period: Numbers,
    *,
    lead_time_periods: Numbers = 0.0,
    cap_at_newsvendor_level: bool = False,
) -> SSPolicy:
    """Power-approximation (s, S) levels (continuous values; round as the business needs).

    ``expected_cost_usd_per_period`` is ``nan``: cost the rounded levels with
    :func:`s_s_cost_poisson` where demand is Poisson.

    Examples
    --------
    >>> plan = s_s_power_approximation(0.18, 0.7, 2.5, 50.0, 8.0)
    >>> s, big_s = plan.reorder_point_units[0], plan.order_up_to_level_units[0]
    >>> round(float(s), 4), round(float(big_s), 4)
    (40.1946, 74.2902)
    """
    h, p, k, mean, sd, lead = as_rows(
        holding_cost_usd_per_unit_period,
        stockout_cost_usd_per_unit_period,
        fixed_order_cost_usd,
        demand_mean_units_per_period,
        demand_sd_units_per_period,
        lead_time_periods,
    )
    mean_l = (lead + 1.0) * mean
    sd_l = np.sqrt(lead + 1.0) * sd
    lot = 1.30 * mean**0.494 * (k / h) ** 0.506 * (1.0 + sd_l**2 / mean**2) ** 0.116
    z = np.sqrt(lot * h / (sd_l * p))
    reorder = 0.973 * mean_l + sd_l * (0.183 / z + 1.063 - 2.192 * z)
    order_up_to = reorder + lot
    if cap_at_newsvendor_level:
        newsvendor = mean_l + sd_l * special.ndtri(p / (p + h))
        small = lot / mean <= 1.5
        reorder = np.where(small, np.minimum(reorder, newsvendor), reorder)
        order_up_to = np.where(small, np.minimum(order_up_to, newsvendor), order_up_to)
    return SSPolicy(
        demand_mean_units_per_period=mean,
        demand_sd_units_per_period=sd,
        lead_time_periods=lead,
        holding_cost_usd_per_unit_period=h,
        stockout_cost_usd_per_unit_period=p,
        fixed_order_cost_usd=k,
        lead_time_demand_mean_units=mean_l,
        reorder_point_units=reorder,
        order_up_to_level_units=order_up_to,
        expected_cost_usd_per_period=np.full_like(mean, np.nan),
    )
