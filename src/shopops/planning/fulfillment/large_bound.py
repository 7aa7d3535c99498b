"""A proven lower bound for the large-batch allocation: the Lagrangian at given prices,
minimised over *every* option of every group, splits included.

    L(y) = sum_g n_g min_j (c_j + A_j y) - y . capacity        (any y >= 0)

The minimum over a group's columns (:mod:`~shopops.planning.fulfillment.options`) is taken
over three kinds, each bounded from below without listing them:

* whole: one parcel from ``w`` by ``s`` — exact, over the precomputed ``whole_usd``;
* split or partial (2 to ``max_lines_to_split`` lines): a partition of some of the lines
  into blocks, each its own parcel from its own warehouse, the others left — exactly, as
  the least sum of the blocks' priced parcels over distinct warehouses, plus the split
  penalty and the left lines' penalties. A split has at least two
  parcels from distinct warehouses, each costing at least that warehouse's handling plus the
  cheapest rate to the region's zone and its parcel prices, and a partial column at least
  the penalty of the smallest line: groups whose whole option is below both are not priced
  further. With more lines than ``max_lines_to_split`` only
  "whole" and "all left" exist.
"""

from __future__ import annotations

import itertools
from dataclasses import dataclass

import numpy as np
from numpy.typing import NDArray

from shopops.planning.fulfillment.batch import FloatArray, IntArray, Network
from shopops.planning.fulfillment.lagrangian import Prices
from shopops.planning.fulfillment.large_model import (
    CHUNK_ROWS,
    LargeModel,
    price_contents,
    spans,
)
from shopops.planning.fulfillment.options import partitions
from shopops.planning.fulfillment.rates import RateTable
from shopops.planning.fulfillment.rules import AllocationRules

BoolArray = NDArray[np.bool_]


def stock_usd(model: LargeModel, prices: Prices, groups: IntArray) -> FloatArray:
    """``s[i, w]``: the stock prices the lines of ``groups[i]`` pay at ``w``."""
    lines = model.lines
    count = lines.count[groups]
    owner = np.repeat(np.arange(len(groups)), count)
    line = spans(lines.start[groups], count)
    per_unit = np.append(prices.stock, 0.0)[model.tight_row[lines.sku[line]]]
    paid = per_unit * lines.quantity[line][:, None]
    stock = np.zeros((len(groups), model.warehouses))
    for w in range(model.warehouses):
        stock[:, w] = np.bincount(owner, weights=paid[:, w], minlength=len(groups))
    return stock


def whole_minimum(model: LargeModel, prices: Prices) -> FloatArray:
    """Least priced whole-order option of every group (``inf`` if none)."""
    n_g, n_w, n_s = len(model.size), model.warehouses, model.services
    option_usd = prices.option_usd(n_s)
    best = np.empty(n_g)
    for at in range(0, n_g, CHUNK_ROWS):
        part = np.arange(at, min(at + CHUNK_ROWS, n_g))
        per_w = (model.whole_usd[part] + option_usd).reshape(len(part), n_w, n_s).min(axis=2)
        best[part] = (per_w + stock_usd(model, prices, part)).min(axis=1)
    return best


@dataclass(frozen=True)
class Bound:
    """``L(prices)`` and the groups whose least column at the prices is not whole."""

    lower_bound_usd: float
    splits: BoolArray


def lower_bound_usd(
    model: LargeModel,
    prices: Prices,
    network: Network,
    rates: RateTable,
    rules: AllocationRules,
) -> Bound:
    """``L(prices)`` over every option of every group (see the module docstring)."""
    whole = np.minimum(whole_minimum(model, prices), model.unallocated_usd)
    best = whole.copy()
    count = model.lines.count
    smallest = np.full(len(count), np.iinfo(np.int64).max)
    np.minimum.at(smallest, model.lines.group_of_line, model.lines.quantity)
    floor = np.minimum(
        _two_parcels_usd(model, prices, network, rates)[model.lines.region]
        + rules.split_penalty_usd_per_parcel,
        rules.unallocated_penalty_usd_per_unit * smallest,
    )
    for lines in range(2, rules.max_lines_to_split + 1):
        groups = np.flatnonzero((count == lines) & (best > floor))
        if len(groups):
            other = _partition_minimum(model, prices, groups, lines, network, rates, rules)
            best[groups] = np.minimum(best[groups], other)
    capacity = (
        prices.outbound @ model.outbound
        + prices.pickup @ model.pickup
        + prices.stock @ model.tight_stock
    )
    return Bound(float(model.size @ best - capacity), best < whole - 1e-9)


def _two_parcels_usd(
    model: LargeModel, prices: Prices, network: Network, rates: RateTable
) -> FloatArray:
    """Per region, the least priced cost of two parcels from distinct warehouses, each no
    cheaper than the warehouse's handling plus the cheapest rate (with fuel) to the
    region's zone and the parcel's outbound and pickup prices."""
    with_fuel = rates.rate_usd * (1.0 + rates.fuel_surcharge_rate[:, None, None])
    finite = np.where(np.isfinite(with_fuel), with_fuel, np.inf).min(axis=2)
    served = (rates.transit_days >= 0) & (np.arange(with_fuel.shape[1]) > 0)[None, :]
    rate = np.where(served, np.maximum(finite, 0.0), np.inf)
    zone = network.zone
    per_service = rate[np.arange(model.services)[None, None, :], zone[:, :, None]]
    pickup = prices.pickup.reshape(model.warehouses, model.services)[:, None, :]
    parcel = (per_service + pickup).min(axis=2) + prices.outbound[:, None]
    parcel += np.maximum(network.handling_usd_per_order, 0.0)[:, None]
    if model.warehouses < 2:
        return np.full(zone.shape[1], np.inf)
    two: FloatArray = np.sort(parcel, axis=0)[:2].sum(axis=0)
    return two


def _partition_minimum(
    model: LargeModel,
    prices: Prices,
    groups: IntArray,
    lines: int,
    network: Network,
    rates: RateTable,
    rules: AllocationRules,
) -> FloatArray:
    """Least column of each group of ``lines`` lines over every partition of every subset
    of them into blocks from distinct warehouses (the lines outside pay their penalty)."""
    parts = partitions(lines, rules.max_parcels_per_order, split=True)
    masks = sorted({m for p in parts for m in p})
    block = {m: _block_minimum(model, prices, groups, m, network, rates, rules) for m in masks}
    line = model.lines.start[groups][:, None] + np.arange(lines)[None, :]
    penalty = rules.unallocated_penalty_usd_per_unit * model.lines.quantity[line]
    least = np.full(len(groups), np.inf)
    for p in parts:
        covered = sum(p)
        left = [i for i in range(lines) if not covered >> i & 1]
        placed = (
            _distinct_minimum(np.stack([block[m] for m in p], axis=1), len(groups))
            if p
            else np.zeros(len(groups))
        )
        value = penalty[:, left].sum(axis=1) + placed
        value = value + rules.split_penalty_usd_per_parcel * max(len(p) - 1, 0)
        least = np.minimum(least, value)
    return least


def _block_minimum(
    model: LargeModel,
    prices: Prices,
    groups: IntArray,
    mask: int,
    network: Network,
    rates: RateTable,
    rules: AllocationRules,
) -> FloatArray:
    """Least priced parcel of the lines in ``mask`` of each group from each warehouse."""
    lines = model.lines
    members = [p for p in range(lines.count[groups[0]]) if mask >> p & 1]
    line = lines.start[groups][:, None] + np.array(members)[None, :]
    sku, quantity = lines.sku[line], lines.quantity[line]
    cost = price_contents(
        network,
        rates,
        rules,
        region=lines.region[groups],
        units=quantity.sum(axis=1),
        weight_kg=(quantity * network.sku_weight_kg[sku]).sum(axis=1),
        volume_cm3=(quantity * network.sku_volume_cm3[sku]).sum(axis=1),
        dispatch_by=lines.dispatch_by[groups],
        deliver_by=lines.deliver_by[groups],
    )
    n_w, n_s = model.warehouses, model.services
    short = (network.stock_units[sku] < quantity[:, :, None]).any(axis=1)
    per_unit = np.append(prices.stock, 0.0)[model.tight_row[sku]]
    stock = (per_unit * quantity[:, :, None]).sum(axis=1)
    per_w: FloatArray = (cost + prices.option_usd(n_s)).reshape(len(groups), n_w, n_s).min(axis=2)
    per_w += stock
    per_w[short] = np.inf
    return per_w


def _distinct_minimum(values: FloatArray, groups: int) -> FloatArray:
    """Least ``sum_i values[g, i, w_i]`` over distinct warehouses ``w_i``: each block takes
    one of its ``t`` cheapest warehouses (any other could swap for an unused one of those),
    so the ``t^t`` choices among them are tried."""
    t = values.shape[1]
    if t > values.shape[2]:
        return np.full(groups, np.inf)
    top = np.argsort(values, axis=2)[:, :, :t]
    rows, blocks = np.arange(groups)[:, None], np.arange(t)[None, :]
    least = np.full(groups, np.inf)
    for ranks in itertools.product(range(t), repeat=t):
        chosen = top[rows, blocks, np.array(ranks)[None, :]]
        distinct = np.all(np.diff(np.sort(chosen, axis=1), axis=1) > 0, axis=1)
        value = values[rows, blocks, chosen].sum(axis=1)
        least = np.where(distinct, np.minimum(least, value), least)
    return least
