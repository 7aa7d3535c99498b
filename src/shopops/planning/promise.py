"""Delivery promise at checkout: the shipping options a buyer is offered for a cart.

A cart ships by a *plan*: one warehouse holding the whole cart if any, else the fewest
warehouses, each line from one warehouse that holds all its units (one parcel per
warehouse). For each carrier service the plan with the earliest delivery date is offered,
the cheapest of those on a tie. A parcel leaves its warehouse on the *ship date*: today if
``now`` is before the warehouse's cut-off hour (UTC) and today is a business day, else the
next business day, plus ``handling_business_days``; it arrives ``transit_days`` business days
later (by service and zone of the lane). An option is delivered when its last parcel is.

Cost = postage of each parcel (rate card by billable weight, where the parcel's volume is the
sum of its units' volumes times the packing factor, plus fuel surcharge) + handling (per
parcel + per unit beyond the first). Of the options the cheapest per delivery date is kept
and any option both slower and no cheaper than a faster one is dropped; the rest are sorted
fastest first.
"""

from __future__ import annotations

import datetime as dt
import itertools
import math
from dataclasses import dataclass
from typing import Any

import numpy as np
import polars as pl
from numpy.typing import NDArray

from shopops.errors import DataError
from shopops.planning.fulfillment.rates import NOT_SERVED
from shopops.planning.promise_reference import (
    PromiseReference,
    PromiseRules,
    business_calendar,
)

__all__ = [
    "OPTION_SCHEMA",
    "Promise",
    "PromiseReference",
    "PromiseRules",
    "keep_fastest_and_cheapest",
    "promise_options",
    "ship_dates",
    "ship_from_plans",
]

FloatArray = NDArray[np.float64]
IntArray = NDArray[np.int64]
BoolArray = NDArray[np.bool_]

OPTION_SCHEMA = pl.Schema(
    {
        "service_id": pl.String(),
        "delivery_date": pl.Date(),
        "ship_date": pl.Date(),
        "transit_days": pl.Int64(),
        "parcels": pl.Int64(),
        "ship_from": pl.List(pl.String()),
        "shipping_usd": pl.Float64(),
        "handling_usd": pl.Float64(),
        "cost_usd": pl.Float64(),
    }
)
"""One row per option; ``ship_from`` is the warehouse of each SKU of the cart (lines of the
same SKU merged), in the order the cart first lists them."""


@dataclass(frozen=True)
class Promise:
    """The options of one cart (:data:`OPTION_SCHEMA`), or none and the reason why."""

    options: pl.DataFrame
    reason: str | None = None


def promise_options(
    cart: pl.DataFrame,
    region_id: str,
    now: dt.datetime,
    stock: pl.DataFrame,
    reference: PromiseReference,
) -> Promise:
    """The delivery options of ``cart`` (``sku_id``, ``quantity_units``) to ``region_id``.

    ``stock`` holds ``sku_id``, ``warehouse_id`` and ``available_units`` (on hand less
    reserved); ``now`` is UTC. Raises :class:`~shopops.errors.DataError` naming the line
    or field of a cart or region that cannot be promised at all.
    """
    sku, quantity = _cart_lines(cart, reference)
    region = _region(region_id, reference)
    available = _available(stock, sku, reference)
    holds = available >= quantity[:, None]
    missing = np.flatnonzero(~holds.any(axis=1))
    if len(missing):
        return _none(_stock_reason(missing, sku, quantity, available, reference))
    plans = ship_from_plans(holds, reference.rules.max_plans)
    priced = _price_plans(plans, sku, quantity, region, now, reference)
    options = _best_per_service(priced, plans, reference)
    if not options:
        return _none(f"no carrier service takes this cart to region {region_id}")
    kept = _fastest_and_cheapest(options)
    columns = {name: [option[name] for option in kept] for name in OPTION_SCHEMA}
    return Promise(pl.DataFrame(columns, schema=OPTION_SCHEMA))


def ship_from_plans(holds: BoolArray, max_plans: int = 4096) -> IntArray:
    """Warehouse of each line, one row per plan with the fewest warehouses.

    ``holds[l, w]``: warehouse ``w`` has every unit of line ``l``. A plan uses each of its
    warehouses for at least one line (else fewer would do).
    """
    lines = holds.shape[0]
    whole = np.flatnonzero(holds.all(axis=0))
    if len(whole):
        return np.repeat(whole[:, None], lines, axis=1).astype(np.int64)
    candidates = np.flatnonzero(holds.any(axis=0)).tolist()
    for size in range(2, lines + 1):
        plans = [
            plan
            for chosen in itertools.combinations(candidates, size)
            if holds[:, chosen].any(axis=1).all()
            for plan in _assignments(holds, chosen)
        ][:max_plans]
        if plans:
            return np.array(plans, dtype=np.int64)
    raise AssertionError("every line is held somewhere, so the lines' warehouses cover the cart")


def keep_fastest_and_cheapest(options: pl.DataFrame) -> pl.DataFrame:
    """The cheapest option per delivery date, without options slower and no cheaper than a
    faster one; fastest first."""
    kept = _fastest_and_cheapest(options.rows(named=True))
    return pl.DataFrame(kept, schema=options.schema)


def _fastest_and_cheapest(options: list[dict[str, Any]]) -> list[dict[str, Any]]:
    ranked = sorted(options, key=lambda o: (o["delivery_date"], o["cost_usd"], o["service_id"]))
    kept, cheapest = [], math.inf
    for option in ranked:
        if option["cost_usd"] < cheapest:
            kept.append(option)
            cheapest = option["cost_usd"]
    return kept


def ship_dates(now: dt.datetime, cutoff_hour: IntArray, rules: PromiseRules) -> IntArray:
    """Ship date (days since 1970-01-01) from each warehouse for an order placed ``now``."""
    calendar = business_calendar(rules.weekmask, rules.holidays)
    today = np.datetime64(now.date(), "D")
    business_today = bool(np.is_busday(today, busdaycal=calendar))
    before_cutoff = now.hour < cutoff_hour
    next_day = np.busday_offset(
        today, 1 if business_today else 0, roll="forward", busdaycal=calendar
    )
    first = np.where(business_today & before_cutoff, today, next_day)
    shipped = np.busday_offset(first, rules.handling_business_days, busdaycal=calendar)
    return shipped.astype(np.int64)


@dataclass(frozen=True)
class _Priced:
    """Per plan x service: whether it ships, delivery and ship days, transit and costs."""

    ok: BoolArray
    delivery: IntArray
    ship: IntArray
    transit: IntArray
    parcels: IntArray
    shipping_usd: FloatArray
    handling_usd: FloatArray


def _price_plans(
    plans: IntArray,
    sku: IntArray,
    quantity: IntArray,
    region: int,
    now: dt.datetime,
    reference: PromiseReference,
) -> _Priced:
    n_warehouses = len(reference.warehouse_ids)
    onehot = plans[:, :, None] == np.arange(n_warehouses)[None, None, :]
    units = (onehot * quantity[None, :, None]).sum(axis=1)
    weight = (onehot * (quantity * reference.sku_weight_kg[sku])[None, :, None]).sum(axis=1)
    volume = (onehot * (quantity * reference.sku_volume_cm3[sku])[None, :, None]).sum(axis=1)
    used = units > 0
    rates, rules = reference.rates, reference.rules
    services = np.arange(len(rates.service_ids))
    zone = reference.zone[:, region]
    _, price = rates.parcel_cost_usd(
        services[None, None, :],
        zone[None, :, None],
        weight[:, :, None],
        volume[:, :, None] * rules.packing_factor,
    )
    transit = rates.transit(services[None, :], zone[:, None])
    served = (transit != NOT_SERVED) & (zone[:, None] > 0)
    ship = ship_dates(now, reference.cutoff_hour, rules)
    arrival = np.busday_offset(
        ship[:, None].astype("datetime64[D]"),
        np.maximum(transit, 0),
        busdaycal=business_calendar(rules.weekmask, rules.holidays),
    ).astype(np.int64)
    carried = ~used[:, :, None] | (np.isfinite(price) & served[None, :, :])
    handling = np.where(
        used,
        reference.handling_usd_per_parcel + reference.handling_usd_per_unit * (units - 1),
        0.0,
    )
    floor = np.iinfo(np.int64).min
    return _Priced(
        ok=carried.all(axis=1),
        delivery=np.where(used[:, :, None], arrival[None], floor).max(axis=1),
        ship=np.where(used, ship[None, :], floor).max(axis=1),
        transit=np.where(used[:, :, None], transit[None], floor).max(axis=1),
        parcels=used.sum(axis=1),
        shipping_usd=np.where(used[:, :, None] & carried, price, 0.0).sum(axis=1),
        handling_usd=handling.sum(axis=1),
    )


def _best_per_service(
    priced: _Priced, plans: IntArray, reference: PromiseReference
) -> list[dict[str, Any]]:
    """For each service, its earliest-delivered plan, the cheapest of those on a tie."""
    rows: list[dict[str, Any]] = []
    cost = priced.shipping_usd + priced.handling_usd[:, None]
    for s, service_id in enumerate(reference.rates.service_ids):
        feasible = np.flatnonzero(priced.ok[:, s])
        if not len(feasible):
            continue
        order = np.lexsort((feasible, cost[feasible, s], priced.delivery[feasible, s]))
        p = int(feasible[order[0]])
        rows.append(
            {
                "service_id": service_id,
                "delivery_date": _date(priced.delivery[p, s]),
                "ship_date": _date(priced.ship[p]),
                "transit_days": int(priced.transit[p, s]),
                "parcels": int(priced.parcels[p]),
                "ship_from": [reference.warehouse_ids[w] for w in plans[p]],
                "shipping_usd": round(float(priced.shipping_usd[p, s]), 2),
                "handling_usd": round(float(priced.handling_usd[p]), 2),
                "cost_usd": round(float(cost[p, s]), 2),
            }
        )
    return rows


def _assignments(holds: BoolArray, chosen: tuple[int, ...]) -> list[list[int]]:
    """Every way to give each line one warehouse of ``chosen`` holding it, all used."""
    choices = [[w for w in chosen if holds[line, w]] for line in range(holds.shape[0])]
    return [list(plan) for plan in itertools.product(*choices) if set(plan) == set(chosen)]


def _cart_lines(cart: pl.DataFrame, reference: PromiseReference) -> tuple[IntArray, IntArray]:
    """SKU positions and quantities, lines of the same SKU merged (first one's place kept)."""
    for column in ("sku_id", "quantity_units"):
        if column not in cart.columns:
            raise DataError(f"cart: column {column} is missing; expected sku_id, quantity_units")
    if cart.is_empty():
        raise DataError("cart: no lines; expected at least one sku_id with quantity_units")
    merged: dict[int, int] = {}
    lines = zip(cart["sku_id"].to_list(), cart["quantity_units"].to_list(), strict=True)
    for number, (sku_id, units) in enumerate(lines, 1):
        if sku_id not in reference.sku_index:
            raise DataError(f"cart line {number}: sku_id {sku_id!r} is not in the catalogue")
        if isinstance(units, bool) or not isinstance(units, int) or units < 1:
            raise DataError(
                f"cart line {number}: quantity_units {units!r}; expected a whole number >= 1"
            )
        sku = reference.sku_index[sku_id]
        merged[sku] = merged.get(sku, 0) + units
    return np.fromiter(merged, np.int64), np.fromiter(merged.values(), np.int64)


def _region(region_id: str, reference: PromiseReference) -> int:
    if region_id not in reference.region_index:
        raise DataError(f"region_id {region_id!r}: no shipping lane reaches it")
    return reference.region_index[region_id]


def _available(stock: pl.DataFrame, sku: IntArray, reference: PromiseReference) -> IntArray:
    """``available[l, w]``: units of line ``l``'s SKU available at warehouse ``w``."""
    available = np.zeros((len(sku), len(reference.warehouse_ids)), dtype=np.int64)
    line_of = {int(s): i for i, s in enumerate(sku)}
    w_index = {w: i for i, w in enumerate(reference.warehouse_ids)}
    rows = zip(
        stock["sku_id"].to_list(),
        stock["warehouse_id"].to_list(),
        stock["available_units"].to_list(),
        strict=True,
    )
    for sku_id, warehouse_id, units in rows:
        line = line_of.get(reference.sku_index.get(sku_id, -1))
        if line is not None and warehouse_id in w_index:
            available[line, w_index[warehouse_id]] = max(int(units), 0)
    return available


def _stock_reason(
    missing: IntArray,
    sku: IntArray,
    quantity: IntArray,
    available: IntArray,
    reference: PromiseReference,
) -> str:
    parts = [
        f"{reference.sku_ids[sku[line]]}: {quantity[line]} units wanted, "
        f"at most {int(available[line].max())} in one warehouse"
        for line in missing
    ]
    return "not in stock: " + "; ".join(parts)


def _none(reason: str) -> Promise:
    return Promise(pl.DataFrame(schema=OPTION_SCHEMA), reason)


def _date(days: np.int64) -> dt.date:
    return dt.date(1970, 1, 1) + dt.timedelta(days=int(days))
