"""The standard policy of each SKU x warehouse: lot size, safety stock, reorder and order-up-to.

One call plans a whole catalogue. Per row:

1. **Order quantity**: the cheapest feasible quantity under the supplier's all-units price
   tiers, minimum order and order multiple (:func:`discounted_order_quantity`).
2. **Safety stock and stock level** for the row's service target, over the protection interval
   (lead time plus review period, :func:`compute_lead_time_demand`): a fill rate where one is
   given (measured against the order quantity under continuous review, or one review period's
   demand under periodic review), otherwise a cycle service level.
3. Continuous review (``review_period_days`` 0): reorder at ``r = μ + zσ``, order ``Q``; the
   order-up-to column is the stock ceiling ``r + Q``. Periodic review: order up to
   ``S = μ + zσ`` every review; there is no reorder point (``nan``).

Every input column is kept, and the intermediate numbers (lead-time demand, z, shortage per
cycle, achieved service, cost breakdown) are returned beside the answers.
"""

from __future__ import annotations

from collections.abc import Mapping

import numpy as np
import polars as pl

from shopops.planning.policy._arrays import FloatArray
from shopops.planning.policy.discounts import discounted_order_quantity
from shopops.planning.policy.service import (
    ServiceStock,
    order_up_to_level,
    reorder_point_for_cycle_service,
    reorder_point_for_fill_rate,
)

#: Input columns and the value used where a column is absent (``None``: required).
POLICY_INPUTS: Mapping[str, float | None] = {
    "demand_mean_units_per_day": None,
    "demand_sd_units_per_day": None,
    "lead_time_mean_days": None,
    "lead_time_sd_days": 0.0,
    "review_period_days": 0.0,
    "cycle_service_level": np.nan,
    "fill_rate": np.nan,
    "fixed_order_cost_usd": None,
    "holding_cost_rate_per_day": None,
    "moq_units": 0.0,
    "order_multiple_units": 0.0,
}

#: Price tiers: list columns (one list per row) or, without tiers, one ``unit_price_usd``.
TIER_BREAKS, TIER_PRICES, UNIT_PRICE = (
    "tier_min_quantity_units",
    "tier_unit_price_usd",
    "unit_price_usd",
)


def compute_policies(items: pl.DataFrame) -> pl.DataFrame:
    """Plan the standard inventory policy of every row of ``items``.

    Parameters
    ----------
    items
        One row per SKU x warehouse with the columns of :data:`POLICY_INPUTS` (optional ones
        default as listed there) and either the list columns ``tier_min_quantity_units`` /
        ``tier_unit_price_usd`` (all-units tiers, ascending) or a ``unit_price_usd`` column.
        Each row needs a ``cycle_service_level`` or a ``fill_rate``. Other columns (ids) pass
        through unchanged.

    Returns
    -------
    polars.DataFrame
        ``items`` plus lead-time demand, ``z``, ``safety_stock_units``,
        ``reorder_point_units``, ``order_up_to_level_units``, ``order_quantity_units``, the
        tier and price paid, the achieved cycle service level and fill rate, and the cost per
        day of ordering, holding cycle stock and purchasing.

    Examples
    --------
    >>> items = pl.DataFrame({
    ...     "sku_id": ["A"], "demand_mean_units_per_day": [10.0], "demand_sd_units_per_day": [3.0],
    ...     "lead_time_mean_days": [4.0], "cycle_service_level": [0.95],
    ...     "fixed_order_cost_usd": [30.0], "holding_cost_rate_per_day": [0.25 / 365],
    ...     "unit_price_usd": [12.0],
    ... })
    >>> plan = compute_policies(items)
    >>> round(plan["reorder_point_units"][0], 2), round(plan["order_quantity_units"][0], 1)
    (49.87, 270.2)
    """
    values = {name: _column(items, name, default) for name, default in POLICY_INPUTS.items()}
    breaks, prices = _tiers(items)
    lot = discounted_order_quantity(
        values["fixed_order_cost_usd"],
        values["holding_cost_rate_per_day"],
        values["demand_mean_units_per_day"],
        breaks,
        prices,
        moq_units=values["moq_units"],
        order_multiple_units=values["order_multiple_units"],
    )
    stock = _service_stock(values, lot.order_quantity_units)
    periodic = values["review_period_days"] > 0.0
    level = stock.stock_level_units
    answers = {
        "lead_time_demand_mean_units": stock.lead_time_demand_mean_units,
        "lead_time_demand_sd_units": stock.lead_time_demand_sd_units,
        "z": stock.z,
        "safety_stock_units": stock.safety_stock_units,
        "reorder_point_units": np.where(periodic, np.nan, level),
        "order_up_to_level_units": np.where(periodic, level, level + lot.order_quantity_units),
        "order_quantity_units": lot.order_quantity_units,
        "tier_index": lot.tier_index,
        "unit_price_usd": lot.unit_price_usd,
        "expected_shortage_per_cycle_units": stock.expected_shortage_per_cycle_units,
        "cycle_service_level_achieved": stock.cycle_service_level,
        "fill_rate_achieved": stock.fill_rate,
        "ordering_cost_usd_per_day": lot.ordering_cost_usd_per_day,
        "cycle_stock_holding_cost_usd_per_day": lot.holding_cost_usd_per_day,
        "purchase_cost_usd_per_day": lot.purchase_cost_usd_per_day,
    }
    kept = [name for name in items.columns if name not in answers]
    return items.select(kept).with_columns(pl.Series(k, v) for k, v in answers.items())


def _column(items: pl.DataFrame, name: str, default: float | None) -> FloatArray:
    if name in items.columns:
        values = items.get_column(name).cast(pl.Float64).to_numpy()
        return np.where(np.isnan(values), np.nan if default is None else default, values)
    if default is None:
        raise ValueError(f"compute_policies needs the column {name!r}")
    return np.full(items.height, default, dtype=np.float64)


def _tiers(items: pl.DataFrame) -> tuple[FloatArray, FloatArray]:
    if TIER_BREAKS in items.columns and TIER_PRICES in items.columns:
        lengths = items.get_column(TIER_BREAKS).list.len().fill_null(0)
        width = max(int(lengths.to_numpy().max(initial=0)), 1)
        return _padded(items.get_column(TIER_BREAKS), width), _padded(
            items.get_column(TIER_PRICES), width
        )
    if UNIT_PRICE in items.columns:
        price = items.get_column(UNIT_PRICE).cast(pl.Float64).to_numpy()
        return np.zeros((items.height, 1)), price[:, None]
    raise ValueError(f"compute_policies needs {TIER_BREAKS!r}/{TIER_PRICES!r} or {UNIT_PRICE!r}")


def _padded(lists: pl.Series, width: int) -> FloatArray:
    columns = [lists.list.get(i, null_on_oob=True).cast(pl.Float64) for i in range(width)]
    return np.column_stack([c.fill_null(np.nan).to_numpy() for c in columns])


def _service_stock(values: Mapping[str, FloatArray], quantity: FloatArray) -> ServiceStock:
    alpha, beta = values["cycle_service_level"], values["fill_rate"]
    by_fill = ~np.isnan(beta)
    if np.any(np.isnan(alpha) & ~by_fill):
        raise ValueError("every row needs a cycle_service_level or a fill_rate")
    for name, target in (("cycle_service_level", alpha), ("fill_rate", beta)):
        outside = int(np.sum((target <= 0.0) | (target >= 1.0)))
        if outside:
            raise ValueError(f"{name} must lie strictly between 0 and 1 ({outside} rows do not)")
    periodic = values["review_period_days"] > 0.0
    # Each kind of row is planned by its own engine, on its own rows only.
    groups = (
        (np.flatnonzero(~periodic & ~by_fill), _continuous_cycle),
        (np.flatnonzero(~periodic & by_fill), _continuous_fill),
        (np.flatnonzero(periodic), _periodic),
    )
    columns = {name: np.full(quantity.shape, np.nan) for name in ServiceStock.__dataclass_fields__}
    for rows, plan in groups:
        if rows.size == 0:
            continue
        part = plan({name: column[rows] for name, column in values.items()}, quantity[rows])
        for name, column in columns.items():
            column[rows] = getattr(part, name)
    return ServiceStock(**columns)


def _demand(values: Mapping[str, FloatArray]) -> tuple[FloatArray, FloatArray, FloatArray]:
    return (
        values["demand_mean_units_per_day"],
        values["demand_sd_units_per_day"],
        values["lead_time_mean_days"],
    )


def _continuous_cycle(values: Mapping[str, FloatArray], quantity: FloatArray) -> ServiceStock:
    return reorder_point_for_cycle_service(
        *_demand(values),
        values["cycle_service_level"],
        lead_time_sd_days=values["lead_time_sd_days"],
        order_quantity_units=quantity,
    )


def _continuous_fill(values: Mapping[str, FloatArray], quantity: FloatArray) -> ServiceStock:
    return reorder_point_for_fill_rate(
        *_demand(values),
        values["fill_rate"],
        quantity,
        lead_time_sd_days=values["lead_time_sd_days"],
    )


def _periodic(values: Mapping[str, FloatArray], quantity: FloatArray) -> ServiceStock:
    del quantity  # periodic review measures the fill rate against one review's demand
    return order_up_to_level(
        *_demand(values),
        values["review_period_days"],
        cycle_service_level=values["cycle_service_level"],
        fill_rate=values["fill_rate"],
        lead_time_sd_days=values["lead_time_sd_days"],
    )
