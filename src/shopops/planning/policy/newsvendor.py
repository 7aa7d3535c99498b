"""Newsvendor (single-period and base-stock) levels for normal, Poisson and tabulated demand.

With overage cost ``h`` per unit left over and underage cost ``p`` per unit short, the expected
cost of stocking ``S`` against demand ``D`` is ``g(S) = h E[(S - D)+] + p E[(D - S)+]``, and the
best ``S`` is the critical fractile ``F(S*) = p / (p + h)`` (Snyder & Shen, 2nd ed., §4.3;
Arrow, Harris & Marschak 1951). For discrete demand ``S*`` is the smallest ``S`` with
``F(S) >= p / (p + h)``. For normal demand ``g(S*) = (h + p) σ φ(z*)``.

A lead time of ``L`` periods makes a base-stock policy protect ``L + 1`` periods of demand:
mean ``(L + 1)μ``, sd ``√(L + 1) σ`` (§4.3.4).

The one-shot buy (the "explicit" newsvendor) adds a selling price ``r``, a purchase cost ``c``
and a salvage value ``v`` per unit left over: underage costs ``r - c + p`` and overage
``c - v + h``, and the expected profit is ``(r - c) E[D] - g(S)`` with those two costs.
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np
from scipy import special

from shopops.planning.policy._arrays import (
    FloatArray,
    Numbers,
    PolicyTable,
    as_float,
    as_rows,
    as_table,
)
from shopops.planning.policy.loss_discrete import discrete_loss, poisson_loss, poisson_quantile
from shopops.planning.policy.loss_normal import normal_loss


@dataclass(frozen=True, slots=True)
class NewsvendorLevel(PolicyTable):
    """A stock level (the optimum or a given one), its critical ratio and expected cost.

    ``demand_mean_units`` and ``demand_sd_units`` describe the demand the level protects
    (over ``lead_time_periods + 1`` periods for a base-stock policy).
    """

    demand_mean_units: FloatArray
    demand_sd_units: FloatArray
    lead_time_periods: FloatArray
    overage_cost_usd_per_unit: FloatArray
    underage_cost_usd_per_unit: FloatArray
    critical_ratio: FloatArray
    stock_level_units: FloatArray
    expected_leftover_units: FloatArray
    expected_shortage_units: FloatArray
    expected_cost_usd: FloatArray


@dataclass(frozen=True, slots=True)
class OneShotBuy(PolicyTable):
    """A one-time buy before a season or event, with selling price, margin and salvage value."""

    selling_price_usd: FloatArray
    purchase_cost_usd: FloatArray
    salvage_value_usd: FloatArray
    margin_usd_per_unit: FloatArray
    demand_mean_units: FloatArray
    demand_sd_units: FloatArray
    critical_ratio: FloatArray
    buy_quantity_units: FloatArray
    expected_units_sold: FloatArray
    expected_leftover_units: FloatArray
    expected_profit_usd: FloatArray


def _level(
    mean: FloatArray,
    sd: FloatArray,
    lead: FloatArray,
    overage: FloatArray,
    underage: FloatArray,
    level: FloatArray,
    shortage: FloatArray,
    leftover: FloatArray,
) -> NewsvendorLevel:
    return NewsvendorLevel(
        demand_mean_units=mean,
        demand_sd_units=sd,
        lead_time_periods=lead,
        overage_cost_usd_per_unit=overage,
        underage_cost_usd_per_unit=underage,
        critical_ratio=underage / (underage + overage),
        stock_level_units=level,
        expected_leftover_units=leftover,
        expected_shortage_units=shortage,
        expected_cost_usd=overage * leftover + underage * shortage,
    )


def newsvendor_normal(
    holding_cost_usd_per_unit: Numbers,
    stockout_cost_usd_per_unit: Numbers,
    demand_mean_units: Numbers,
    demand_sd_units: Numbers,
    *,
    lead_time_periods: Numbers = 0.0,
    stock_level_units: Numbers = np.nan,
) -> NewsvendorLevel:
    """Normal newsvendor: ``S* = μ + σ Φ⁻¹(p/(p + h))``, cost ``h n̄(S) + p n(S)``.

    Where ``stock_level_units`` is given, that level is costed instead of the optimum.

    Examples
    --------
    >>> plan = newsvendor_normal(0.18, 0.7, 50.0, 8.0)
    >>> round(float(plan.stock_level_units[0]), 4), round(float(plan.expected_cost_usd[0]), 4)
    (56.604, 1.9976)
    """
    h, p, mu, sigma, lead, given = as_rows(
        holding_cost_usd_per_unit,
        stockout_cost_usd_per_unit,
        demand_mean_units,
        demand_sd_units,
        lead_time_periods,
        stock_level_units,
    )
    mean, sd = mu * (lead + 1.0), sigma * np.sqrt(lead + 1.0)
    best = mean + sd * special.ndtri(p / (p + h))
    level = np.where(np.isnan(given), best, given)
    shortage, leftover = normal_loss(level, mean, sd)
    return _level(mean, sd, lead, h, p, level, shortage, leftover)


def newsvendor_poisson(
    holding_cost_usd_per_unit: Numbers,
    stockout_cost_usd_per_unit: Numbers,
    demand_mean_units: Numbers,
    *,
    lead_time_periods: Numbers = 0.0,
    stock_level_units: Numbers = np.nan,
) -> NewsvendorLevel:
    """Poisson newsvendor: the smallest integer ``S`` with ``F(S) >= p/(p + h)``.

    The Poisson quantile comes from the inverse of the regularised incomplete gamma function
    and is then corrected by one unit either way, so the answer is exact.
    """
    h, p, mu, lead, given = as_rows(
        holding_cost_usd_per_unit,
        stockout_cost_usd_per_unit,
        demand_mean_units,
        lead_time_periods,
        stock_level_units,
    )
    mean = mu * (lead + 1.0)
    best = poisson_quantile(p / (p + h), mean)
    level = np.where(np.isnan(given), best, given)
    shortage, leftover = poisson_loss(level, mean)
    return _level(mean, np.sqrt(mean), lead, h, p, level, shortage, leftover)


def newsvendor_discrete(
    holding_cost_usd_per_unit: Numbers,
    stockout_cost_usd_per_unit: Numbers,
    support_units: Numbers,
    pmf: Numbers,
    *,
    stock_level_units: Numbers = np.nan,
) -> NewsvendorLevel:
    """Newsvendor for a tabulated demand distribution (one per row).

    ``support_units`` and ``pmf`` have shape ``(rows, k)`` (or ``(k,)`` shared by all rows),
    support ascending, padded with probability 0. ``S*`` is the smallest support value whose
    cumulative probability reaches ``p/(p + h)`` (with a ``1e-12`` allowance for rounding in
    the pmf).
    """
    h, p, given = as_rows(holding_cost_usd_per_unit, stockout_cost_usd_per_unit, stock_level_units)
    rows = max(h.shape[0], np.atleast_2d(as_float(pmf)).shape[0])
    h, p, given = (np.broadcast_to(a, (rows,)).astype(np.float64) for a in (h, p, given))
    values, weights = as_table(support_units, rows), np.nan_to_num(as_table(pmf, rows))
    cumulative = np.cumsum(weights, axis=1)
    ratio = p / (p + h)
    first = np.argmax(cumulative >= ratio[:, None] - 1e-12, axis=1)
    best = np.take_along_axis(values, first[:, None], axis=1)[:, 0]
    level = np.where(np.isnan(given), best, given)
    shortage, leftover = discrete_loss(level, values, weights)
    mean = (values * weights).sum(axis=1)
    sd = np.sqrt(np.maximum((values * values * weights).sum(axis=1) - mean * mean, 0.0))
    return _level(mean, sd, np.zeros(rows), h, p, level, shortage, leftover)


def one_shot_buy(
    selling_price_usd: Numbers,
    purchase_cost_usd: Numbers,
    salvage_value_usd: Numbers,
    demand_mean_units: Numbers,
    demand_sd_units: Numbers = np.nan,
    *,
    holding_cost_usd_per_unit: Numbers = 0.0,
    stockout_cost_usd_per_unit: Numbers = 0.0,
    distribution: str = "normal",
    buy_quantity_units: Numbers = np.nan,
) -> OneShotBuy:
    """Best one-time buy for a season or event, and its expected profit.

    Underage ``r - c + p`` (lost margin plus goodwill), overage ``c - v + h`` (the part of
    the cost not recovered by salvage, plus handling). Profit ``(r - c) E[D] - g(S)``.
    ``distribution`` is ``"normal"`` (needs ``demand_sd_units``) or ``"poisson"``.

    Examples
    --------
    >>> buy = one_shot_buy(1.0, 0.3, 0.12, 50.0, 8.0)
    >>> round(float(buy.buy_quantity_units[0]), 4), round(float(buy.expected_profit_usd[0]), 4)
    (56.604, 33.0024)
    """
    price, cost, salvage, mean, sd, h, p, given = as_rows(
        selling_price_usd,
        purchase_cost_usd,
        salvage_value_usd,
        demand_mean_units,
        demand_sd_units,
        holding_cost_usd_per_unit,
        stockout_cost_usd_per_unit,
        buy_quantity_units,
    )
    overage, underage = cost - salvage + h, price - cost + p
    if distribution == "normal":
        plan = newsvendor_normal(overage, underage, mean, sd, stock_level_units=given)
    elif distribution == "poisson":
        plan = newsvendor_poisson(overage, underage, mean, stock_level_units=given)
    else:
        raise ValueError(f"unknown demand distribution {distribution!r}")
    margin = price - cost
    return OneShotBuy(
        selling_price_usd=price,
        purchase_cost_usd=cost,
        salvage_value_usd=salvage,
        margin_usd_per_unit=margin,
        demand_mean_units=plan.demand_mean_units,
        demand_sd_units=plan.demand_sd_units,
        critical_ratio=plan.critical_ratio,
        buy_quantity_units=plan.stock_level_units,
        expected_units_sold=plan.demand_mean_units - plan.expected_shortage_units,
        expected_leftover_units=plan.expected_leftover_units,
        expected_profit_usd=margin * plan.demand_mean_units - plan.expected_cost_usd,
    )
