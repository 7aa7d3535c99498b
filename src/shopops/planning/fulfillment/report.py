"""Price a :class:`~shopops.planning.fulfillment.plan.LinePlan` and report it as frames.

Lines of an order sent from the same warehouse share one parcel and its service. Total cost
= shipping + handling + late penalty of every parcel, + the split penalty per parcel of an
order beyond its first, + the unallocated penalty per unit of every line left. A line left
is given its reason: ``unknown_sku`` (not in the catalogue), ``no_stock`` (no warehouse holds
the quantity), ``no_service`` (no service takes the parcel to the region from any
warehouse holding it) or ``stock_or_capacity_used`` (what could serve it went to other
orders, or outbound / pickup capacity ran out).
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np
import polars as pl

from shopops.planning.fulfillment.batch import IntArray, Network, Orders
from shopops.planning.fulfillment.costs import ParcelCosts, price_parcels
from shopops.planning.fulfillment.plan import LinePlan
from shopops.planning.fulfillment.rates import RateTable
from shopops.planning.fulfillment.rules import AllocationRules

SUMMARY_SCHEMA = {
    "method": pl.String,
    "orders": pl.Int64,
    "orders_allocated": pl.Int64,
    "parcels": pl.Int64,
    "split_orders": pl.Int64,
    "split_rate": pl.Float64,
    "shipping_cost_usd": pl.Float64,
    "handling_cost_usd": pl.Float64,
    "total_cost_usd": pl.Float64,
    "cost_per_order_usd": pl.Float64,
    "on_time_share": pl.Float64,
    "lower_bound_usd": pl.Float64,
    "gap": pl.Float64,
}


@dataclass(frozen=True)
class Context:
    """Everything a plan is priced against."""

    network: Network
    orders: Orders
    rates: RateTable
    rules: AllocationRules


@dataclass(frozen=True)
class Parcels:
    """The parcels of a plan: order position, warehouse, service, contents and costs."""

    order: IntArray
    warehouse: IntArray
    service: IntArray
    units: IntArray
    weight_kg: np.ndarray
    costs: ParcelCosts
    line_parcel: IntArray
    """Parcel of every line (-1 if unallocated)."""


def parcels_of(context: Context, plan: LinePlan) -> Parcels:
    """Group the allocated lines of each order by warehouse into parcels and price them."""
    orders, network = context.orders, context.network
    line_order = np.repeat(np.arange(orders.num_orders), orders.num_lines)
    allocated = np.flatnonzero(plan.warehouse >= 0)
    key = line_order[allocated] * network.num_warehouses + plan.warehouse[allocated]
    keys, first, inverse = np.unique(key, return_index=True, return_inverse=True)
    qty, sku = orders.line_quantity[allocated], orders.line_sku[allocated]
    units = np.bincount(inverse, weights=qty, minlength=len(keys)).astype(np.int64)
    weight = np.bincount(inverse, weights=qty * network.sku_weight_kg[sku], minlength=len(keys))
    volume = np.bincount(inverse, weights=qty * network.sku_volume_cm3[sku], minlength=len(keys))
    order = keys // max(network.num_warehouses, 1)
    warehouse = keys % max(network.num_warehouses, 1)
    service = plan.service[allocated][first]
    costs = price_parcels(
        network,
        context.rates,
        context.rules,
        warehouse=warehouse,
        service=service,
        region=orders.region[order],
        units=units,
        weight_kg=weight,
        volume_cm3=volume,
        dispatch_by=orders.dispatch_by[order],
        deliver_by=orders.deliver_by[order],
    )
    line_parcel = np.full(len(plan.warehouse), -1, dtype=np.int64)
    line_parcel[allocated] = inverse
    return Parcels(order, warehouse, service, units, weight, costs, line_parcel)


def total_cost_usd(context: Context, plan: LinePlan) -> float:
    """Shipping, handling and every penalty of ``plan``."""
    return _totals(context, plan, parcels_of(context, plan))["total_cost_usd"]


def _totals(context: Context, plan: LinePlan, parcels: Parcels) -> dict[str, float]:
    orders, rules = context.orders, context.rules
    per_order = np.bincount(parcels.order, minlength=orders.num_orders)
    left = plan.warehouse < 0
    left_units = float(orders.line_quantity[left].sum())
    shipping = float(parcels.costs.shipping_usd.sum())
    handling = float(parcels.costs.handling_usd.sum())
    late = float(parcels.costs.late_days.sum()) * rules.late_penalty_usd_per_day
    split = float(np.maximum(per_order - 1, 0).sum()) * rules.split_penalty_usd_per_parcel
    penalty = left_units * rules.unallocated_penalty_usd_per_unit
    return {
        "shipping_cost_usd": shipping,
        "handling_cost_usd": handling,
        "total_cost_usd": shipping + handling + late + split + penalty,
    }


def summary_row(
    method: str,
    context: Context,
    plan: LinePlan,
    parcels: Parcels,
    *,
    lower_bound_usd: float | None = None,
) -> pl.DataFrame:
    """One row of the summary (see :data:`SUMMARY_SCHEMA`)."""
    orders = context.orders
    line_order = np.repeat(np.arange(orders.num_orders), orders.num_lines)
    left_per_order = np.bincount(line_order[plan.warehouse < 0], minlength=orders.num_orders)
    complete = left_per_order == 0
    per_order = np.bincount(parcels.order, minlength=orders.num_orders)
    late_per_order = np.bincount(
        parcels.order, weights=parcels.costs.late_days > 0, minlength=orders.num_orders
    )
    allocated = int(complete.sum())
    totals = _totals(context, plan, parcels)
    split_orders = int((complete & (per_order > 1)).sum())
    total = totals["total_cost_usd"]
    gap = None
    if lower_bound_usd is not None:
        gap = max(total - lower_bound_usd, 0.0) / max(abs(total), 1e-9)
        gap = 0.0 if total - lower_bound_usd <= 1e-6 else gap
    row = {
        "method": method,
        "orders": orders.num_orders,
        "orders_allocated": allocated,
        "parcels": len(parcels.order),
        "split_orders": split_orders,
        "split_rate": split_orders / allocated if allocated else 0.0,
        "shipping_cost_usd": totals["shipping_cost_usd"],
        "handling_cost_usd": totals["handling_cost_usd"],
        "total_cost_usd": total,
        "cost_per_order_usd": (totals["shipping_cost_usd"] + totals["handling_cost_usd"])
        / allocated
        if allocated
        else 0.0,
        "on_time_share": float((complete & (late_per_order == 0)).sum()) / allocated
        if allocated
        else 1.0,
        "lower_bound_usd": lower_bound_usd,
        "gap": gap,
    }
    return pl.DataFrame([row], schema=SUMMARY_SCHEMA)


def assignments_frame(context: Context, plan: LinePlan) -> pl.DataFrame:
    """``order_id, line_no, warehouse_id, service_id`` of every allocated line."""
    orders = context.orders
    line_order = np.repeat(np.arange(orders.num_orders), orders.num_lines)
    on = np.flatnonzero(plan.warehouse >= 0)
    return pl.DataFrame(
        {
            "order_id": orders.order_id[line_order[on]],
            "line_no": orders.line_no[on],
            "warehouse_id": _names(context.network.warehouse_ids, plan.warehouse[on]),
            "service_id": _names(context.rates.service_ids, plan.service[on]),
        },
        schema={
            "order_id": pl.Int64,
            "line_no": pl.Int64,
            "warehouse_id": pl.String,
            "service_id": pl.String,
        },
    ).sort("order_id", "line_no")


def parcels_frame(context: Context, parcels: Parcels) -> pl.DataFrame:
    """One row per parcel, with its contents, costs, dates and whether it is on time."""
    network, costs = context.network, parcels.costs
    zone = network.zone[parcels.warehouse, context.orders.region[parcels.order]]
    return pl.DataFrame(
        {
            "order_id": context.orders.order_id[parcels.order],
            "warehouse_id": _names(network.warehouse_ids, parcels.warehouse),
            "service_id": _names(context.rates.service_ids, parcels.service),
            "units": parcels.units,
            "weight_kg": np.round(parcels.weight_kg, 3),
            "billable_weight_kg": costs.billable_weight_kg,
            "zone": zone,
            "shipping_cost_usd": costs.shipping_usd,
            "handling_cost_usd": costs.handling_usd,
            "ship_date": np.full(len(parcels.order), np.datetime64(context.rules.ship_date, "D")),
            "arrival_date": costs.arrival.astype("datetime64[D]"),
            "on_time": costs.late_days == 0,
        },
        schema_overrides={"units": pl.Int64, "zone": pl.Int64},
    )


def unallocated_frame(context: Context, plan: LinePlan) -> pl.DataFrame:
    """Lines left unallocated, with the reason."""
    orders, network = context.orders, context.network
    line_order = np.repeat(np.arange(orders.num_orders), orders.num_lines)
    left = np.flatnonzero(plan.warehouse < 0)
    sku_names = (*network.sku_ids, "")
    return pl.DataFrame(
        {
            "order_id": orders.order_id[line_order[left]],
            "line_no": orders.line_no[left],
            "sku_id": [sku_names[k] for k in orders.line_sku[left]],
            "quantity_units": orders.line_quantity[left],
            "reason": _reasons(context, left, line_order[left]),
        },
        schema={
            "order_id": pl.Int64,
            "line_no": pl.Int64,
            "sku_id": pl.String,
            "quantity_units": pl.Int64,
            "reason": pl.String,
        },
    )


def _reasons(context: Context, lines: IntArray, order: IntArray) -> list[str]:
    orders, network = context.orders, context.network
    sku, qty = orders.line_sku[lines], orders.line_quantity[lines]
    held = network.stock_units[sku] >= qty[:, None]
    alone = price_parcels(
        network,
        context.rates,
        context.rules,
        warehouse=np.arange(network.num_warehouses)[None, :, None],
        service=np.arange(network.num_services)[None, None, :],
        region=orders.region[order][:, None, None],
        units=qty[:, None, None],
        weight_kg=(qty * network.sku_weight_kg[sku])[:, None, None],
        volume_cm3=(qty * network.sku_volume_cm3[sku])[:, None, None],
        dispatch_by=orders.dispatch_by[order][:, None, None],
        deliver_by=orders.deliver_by[order][:, None, None],
    ).feasible.any(axis=2)
    reason = np.where(
        sku == len(network.sku_ids),
        "unknown_sku",
        np.where(
            ~held.any(axis=1),
            "no_stock",
            np.where(~(held & alone).any(axis=1), "no_service", "stock_or_capacity_used"),
        ),
    )
    return [str(r) for r in reason]


def _names(ids: tuple[str, ...], index: IntArray) -> pl.Series:
    return pl.Series(list(ids), dtype=pl.String).gather(pl.Series(index, dtype=pl.Int64))
