"""Back-test of inventory policies: replay past daily demand against them, day by day.

:func:`replay_policies` runs every SKU x warehouse row of a policy frame through the days
``start .. start + days - 1`` of an actual demand history (the simulation rules are in
:mod:`shopops.planning.inventory.simulation`) and reports, per row, what a planner would
have seen: the fill rate (units served from stock / units demanded), the cycle service level
(share of replenishment cycles without a stock-out), stock-out days, stock on hand, orders
and cost. :func:`replay_summary` adds rows up, overall or per class, beside the targets.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable, Sequence
from typing import Literal

import numpy as np
import polars as pl

from shopops.errors import DataError
from shopops.planning.inventory.simulation import (
    FloatArray,
    IntArray,
    PolicyArrays,
    SimulationTotals,
    StartingStock,
    simulate_inventory,
    steady_starting_stock,
)

LeadTimeSampler = Callable[[np.random.Generator, FloatArray, FloatArray, int], IntArray]
InitialStock = Literal["order_up_to", "steady_state"]
CARRIED = ("abc_class", "xyz_class", "service_measure", "service_target")
TARGETS = {"fill_rate": "fill_rate_target", "cycle_service_level": "cycle_service_level_target"}
OPTIONAL = {
    "review_period_days": 0.0,
    "lead_time_sd_days": 0.0,
    "moq_units": 0.0,
    "order_multiple_units": 0.0,
    "fixed_order_cost_usd": 0.0,
    "holding_cost_rate_per_day": 0.0,
    "unit_price_usd": 0.0,
    "demand_mean_units_per_day": 0.0,
}


def normal_lead_times(
    rng: np.random.Generator, mean_days: FloatArray, sd_days: FloatArray, days: int
) -> IntArray:
    """Lead time of an order placed on each day: ``N(mean, sd)`` rounded, at least 1 day."""
    draws = rng.normal(
        mean_days[:, None], np.maximum(sd_days, 0.0)[:, None], (mean_days.size, days)
    )
    return np.maximum(np.rint(draws), 1.0).astype(np.int64)


def fixed_lead_times(
    rng: np.random.Generator, mean_days: FloatArray, sd_days: FloatArray, days: int
) -> IntArray:
    """The mean lead time rounded (at least 1 day), every day; ``rng`` and ``sd`` unused."""
    del rng, sd_days
    fixed = np.maximum(np.rint(mean_days), 1.0).astype(np.int64)
    return np.repeat(fixed[:, None], days, axis=1)


def replay_policies(
    policies: pl.DataFrame,
    daily_demand: pl.DataFrame,
    *,
    start: dt.date,
    days: int,
    keys: Sequence[str] = ("sku_id", "warehouse_id"),
    lead_time_sampler: LeadTimeSampler = normal_lead_times,
    seed: int = 0,
    initial_stock: InitialStock = "order_up_to",
    backorders: bool = False,
) -> pl.DataFrame:
    """Replay ``days`` days of actual demand from ``start`` against each row's policy.

    Parameters
    ----------
    policies
        One row per key with ``reorder_point_units``, ``order_quantity_units``,
        ``order_up_to_level_units`` and ``lead_time_mean_days`` (e.g.
        :func:`~shopops.planning.inventory.plan_inventory`); optional columns as in
        :data:`OPTIONAL`. Rows whose ``policy_status`` is not ``planned`` are left out.
    daily_demand
        Key columns, ``date`` and ``units``; days without a row have no demand.
    lead_time_sampler
        Lead time of each (row, order day); :func:`normal_lead_times` (seeded by ``seed``)
        or :func:`fixed_lead_times`.
    initial_stock
        ``order_up_to``: full (the stock ceiling ``r + Q`` or ``S`` on hand, nothing on
        order). ``steady_state``: each row at a random point of its order cycle, with the
        orders of a steady flow of demand in transit
        (:func:`~shopops.planning.inventory.simulation.steady_starting_stock`).
    backorders
        Keep unmet demand as backorders instead of losing it.

    Returns
    -------
    polars.DataFrame
        Key columns, the class and target columns of ``policies`` that exist
        (``fill_rate_target``, ``cycle_service_level_target``), ``demand_units``,
        ``served_units``, ``short_units``, ``fill_rate_achieved``, ``cycles``,
        ``cycles_stocked_out``, ``cycle_service_level_achieved``, ``stockout_days``,
        ``average_on_hand_units``, ``average_on_hand_value_usd``, ``orders_placed``,
        ``units_ordered``, ``ordering_cost_usd``, ``holding_cost_usd``,
        ``purchase_cost_usd`` and ``total_cost_usd``.
    """
    if days < 1:
        raise DataError("replay_policies needs at least one day")
    rows = _planned(policies)
    values = {name: _floats(rows, name, default) for name, default in OPTIONAL.items()}
    policy = _policy_arrays(rows, values)
    demand = _demand_matrix(rows, daily_demand, list(keys), start, days)
    rng = np.random.default_rng(seed)
    lead_mean = _floats(rows, "lead_time_mean_days", None)
    start_stock = _starting_stock(policy, values, lead_mean, initial_stock, rng)
    leads = lead_time_sampler(rng, lead_mean, values["lead_time_sd_days"], days)
    totals = simulate_inventory(policy, demand, leads, start_stock, backorders=backorders)
    frame = _carried(rows, list(keys)).with_columns(
        pl.Series(name, np.asarray(column, dtype=np.float64), nan_to_null=True)
        for name, column in _measures(totals, values, days).items()
    )
    return frame.with_columns(
        (
            pl.col("ordering_cost_usd") + pl.col("holding_cost_usd") + pl.col("purchase_cost_usd")
        ).alias("total_cost_usd")
    )


def _measures(
    totals: SimulationTotals, values: dict[str, FloatArray], days: int
) -> dict[str, FloatArray]:
    """Per-row service, stock and cost figures of a simulation."""
    price = values["unit_price_usd"]
    on_hand = totals.on_hand_unit_days / days
    with np.errstate(divide="ignore", invalid="ignore"):
        return {
            "demand_units": totals.demand_units,
            "served_units": totals.served_units,
            "short_units": totals.short_units,
            "fill_rate_achieved": totals.served_units / totals.demand_units,
            "cycles": totals.cycles,
            "cycles_stocked_out": totals.cycles_stocked_out,
            "cycle_service_level_achieved": 1.0 - totals.cycles_stocked_out / totals.cycles,
            "stockout_days": totals.stockout_days,
            "average_on_hand_units": on_hand,
            "average_on_hand_value_usd": on_hand * price,
            "orders_placed": totals.orders_placed,
            "units_ordered": totals.units_ordered,
            "ordering_cost_usd": totals.orders_placed * values["fixed_order_cost_usd"],
            "holding_cost_usd": totals.on_hand_unit_days
            * price
            * values["holding_cost_rate_per_day"],
            "purchase_cost_usd": totals.units_ordered * price,
        }


def _planned(policies: pl.DataFrame) -> pl.DataFrame:
    if "policy_status" in policies.columns:
        return policies.filter(pl.col("policy_status") == "planned")
    return policies


def _floats(rows: pl.DataFrame, name: str, default: float | None) -> FloatArray:
    if name not in rows.columns:
        if default is None:
            raise DataError(f"replay_policies needs the column {name!r}")
        return np.full(rows.height, default)
    values = rows.get_column(name).cast(pl.Float64).fill_null(np.nan).to_numpy()
    return np.where(np.isnan(values), np.nan if default is None else default, values)


def _policy_arrays(rows: pl.DataFrame, values: dict[str, FloatArray]) -> PolicyArrays:
    return PolicyArrays(
        reorder_point_units=_floats(rows, "reorder_point_units", np.nan),
        order_quantity_units=_floats(rows, "order_quantity_units", np.nan),
        order_up_to_level_units=_floats(rows, "order_up_to_level_units", np.nan),
        review_period_days=np.rint(values["review_period_days"]).astype(np.int64),
        moq_units=values["moq_units"],
        order_multiple_units=values["order_multiple_units"],
    )


def _demand_matrix(
    rows: pl.DataFrame, daily: pl.DataFrame, keys: list[str], start: dt.date, days: int
) -> FloatArray:
    """Units demanded, ``rows x days``, in the row order of ``rows``."""
    window = daily.filter(
        (pl.col("date") >= start) & (pl.col("date") < start + dt.timedelta(days=days))
    )
    indexed = window.join(rows.select(keys).with_row_index("_row"), on=keys, how="inner")
    day = indexed.select((pl.col("date") - pl.lit(start)).dt.total_days()).to_series().to_numpy()
    row = indexed.get_column("_row").to_numpy().astype(np.int64)
    units = indexed.get_column("units").cast(pl.Float64).to_numpy()
    matrix = np.zeros((rows.height, days))
    np.add.at(matrix, (row, day.astype(np.int64)), units)
    return matrix


def _starting_stock(
    policy: PolicyArrays,
    values: dict[str, FloatArray],
    lead_mean: FloatArray,
    initial_stock: InitialStock,
    rng: np.random.Generator,
) -> StartingStock:
    if initial_stock == "steady_state":
        phase = rng.random(lead_mean.size)
        mean = values["demand_mean_units_per_day"]
        return steady_starting_stock(policy, mean, lead_mean, phase)
    if initial_stock != "order_up_to":
        raise DataError(f"unknown initial_stock {initial_stock!r}")
    periodic = policy.review_period_days > 0
    ceiling = np.where(
        periodic,
        policy.order_up_to_level_units,
        policy.reorder_point_units + policy.order_quantity_units,
    )
    return StartingStock(np.maximum(np.nan_to_num(ceiling), 0.0), np.zeros((lead_mean.size, 1)))


def _carried(rows: pl.DataFrame, keys: list[str]) -> pl.DataFrame:
    kept = [pl.col(c) for c in CARRIED if c in rows.columns]
    targets = [pl.col(c).alias(t) for c, t in TARGETS.items() if c in rows.columns]
    return rows.select(*[pl.col(k) for k in keys], *kept, *targets)


def replay_summary(replayed: pl.DataFrame, *, by: Sequence[str] = ()) -> pl.DataFrame:
    """Replay results added up, overall or per group (e.g. ``abc_class``).

    Targets are weighted the way the achieved figures are: the fill-rate target by each
    row's demand, the cycle service level target by its cycles.

    Returns
    -------
    polars.DataFrame
        ``by`` columns, ``rows``, ``demand_units``, ``served_units``, ``fill_rate_achieved``,
        ``fill_rate_target``, ``fill_rate_gap`` (achieved - target), ``cycles``,
        ``cycle_service_level_achieved``, ``cycle_service_level_target``, ``stockout_days``,
        ``average_on_hand_units``, ``average_on_hand_value_usd``, ``orders_placed`` and the
        cost columns.
    """
    frame = replayed
    for target in TARGETS.values():
        if target not in frame.columns:
            frame = frame.with_columns(pl.lit(None, dtype=pl.Float64).alias(target))
    demand, cycles = pl.col("demand_units"), pl.col("cycles")
    fill_target = pl.col("fill_rate_target")
    csl_target = pl.col("cycle_service_level_target")
    sums = [
        "demand_units",
        "served_units",
        "cycles",
        "cycles_stocked_out",
        "stockout_days",
        "average_on_hand_units",
        "average_on_hand_value_usd",
        "orders_placed",
        "ordering_cost_usd",
        "holding_cost_usd",
        "purchase_cost_usd",
        "total_cost_usd",
    ]
    aggregations = [
        pl.len().alias("rows"),
        *(pl.col(c).sum() for c in sums),
        ((fill_target * demand).sum() / demand.filter(fill_target.is_not_null()).sum()).alias(
            "fill_rate_target"
        ),
        ((csl_target * cycles).sum() / cycles.filter(csl_target.is_not_null()).sum()).alias(
            "cycle_service_level_target"
        ),
    ]
    grouped = frame.group_by(list(by)).agg(aggregations) if by else frame.select(aggregations)
    summary = grouped.with_columns(
        (pl.col("served_units") / pl.col("demand_units")).alias("fill_rate_achieved"),
        (1.0 - pl.col("cycles_stocked_out") / pl.col("cycles")).alias(
            "cycle_service_level_achieved"
        ),
    ).with_columns(
        (pl.col("fill_rate_achieved") - pl.col("fill_rate_target")).alias("fill_rate_gap")
    )
    order = [*by, "rows", "demand_units", "served_units", "fill_rate_achieved"]
    order += ["fill_rate_target", "fill_rate_gap", "cycles", "cycle_service_level_achieved"]
    order += ["cycle_service_level_target"]
    rest = [c for c in summary.columns if c not in order and c != "cycles_stocked_out"]
    return summary.select(*order, *rest).sort(list(by)) if by else summary.select(*order, *rest)
