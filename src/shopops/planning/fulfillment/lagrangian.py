"""Prices for the rows that tie the order groups together, by Lagrangian relaxation.

With prices ``lam[w]`` on outbound capacity, ``mu[w, s]`` on pickup capacity and ``y[r]``
on the tight stock rows, every group takes on its own the option of least *priced* cost
``cost + lam[w] + mu[w, s] + sum_lines q * y[k, w]``; the Lagrangian

    L(lam, mu, y) = sum_g n_g min_j priced_j - lam . outbound - mu . pickup - y . stock

is a lower bound on every allocation for any prices >= 0 (Geoffrion 1974; Fisher 1981,
"The Lagrangian relaxation method for solving integer programming problems").

The prices are searched by block coordinate ascent, one kind of row at a time: for a row,
each order on it would pay up to ``t = (its best option off the row - its best on it, less
the row's price) / amount`` to stay, so the price that maximises ``L`` over that row alone
is the ``t`` at which the amount asking more than it first exceeds the capacity (a
second-price auction per row; Bertsekas 1988 for the assignment case). Every round
clears the tight stock rows, then either the outbound or the pickup rows, all rows of the
kind at once and moved half way, since rows of one kind answer each other. The prices of
the round with the best ``L`` are kept.

The search prices *items*: every group over its whole-order options, and each line of the
groups that cannot ship whole as its own parcel. An item is priced over its ``CANDIDATES``
cheapest options (its runners-up among them), and over all of them when it has a tight line
(stock prices reorder them) or when the prices could make an option left out its cheapest;
the bound is then evaluated over every option of every group
(:mod:`~shopops.planning.fulfillment.large_bound`).
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np

from shopops.planning.fulfillment.batch import FloatArray, IntArray
from shopops.planning.fulfillment.large_model import LargeModel

CANDIDATES = 8
ROUNDS = 24
CLEARING_ROUNDS = 10
"""Rounds of coordinate ascent on the parcel rows before subgradient steps refine them."""
TARGET_GAP = 0.002
"""First distance of the subgradient steps' target above the best value, as a share."""
PATIENCE = 3
"""Rounds without a better value before the target moves closer."""


@dataclass(frozen=True)
class Prices:
    """``outbound[w]``, ``pickup[w * S + s]`` and ``stock[r]`` (tight rows), all >= 0."""

    outbound: FloatArray
    pickup: FloatArray
    stock: FloatArray

    def option_usd(self, services: int) -> FloatArray:
        """The price of the outbound and pickup parcel of each option ``w * S + s``."""
        option: FloatArray = np.repeat(self.outbound, services) + self.pickup
        return option

    @classmethod
    def zero(cls, model: LargeModel) -> Prices:
        return cls(
            np.zeros(model.warehouses), np.zeros(model.options), np.zeros(len(model.tight_stock))
        )


@dataclass(frozen=True)
class PriceSearch:
    prices: Prices
    value_usd: float
    """The Lagrangian over the items at ``prices`` (not the proven bound)."""
    rounds: int


@dataclass(frozen=True)
class Choice:
    """Per item: cheapest option (-1: left), its priced cost, the next best priced cost at
    another warehouse and the next best over all options."""

    option: IntArray
    value: FloatArray
    other_warehouse: FloatArray
    other_option: FloatArray


class _Items:
    """The items of the search (module docstring) and their candidate options. Items with
    no tight line and the same candidates, costs and way out are one item (their orders
    summed): first those, then the items with a tight line."""

    def __init__(self, model: LargeModel) -> None:
        lines, n_g = model.lines, len(model.size)
        loose_group = lines.group_of_line[model.loose_line]
        whole_size = model.size.astype(np.float64)
        whole_size[loose_group] = 0.0
        size = np.concatenate([whole_size, model.size[loose_group].astype(np.float64)])
        loose_penalty = model.unallocated_usd_per_unit * lines.quantity[model.loose_line]
        fallback = np.concatenate(
            [np.minimum(model.unallocated_usd, model.split_usd), loose_penalty]
        )
        option, cost, next_cost = _cheapest(model.whole_usd, model.loose_usd)
        item_of_line = np.concatenate([lines.group_of_line, n_g + np.arange(len(loose_group))])
        line = np.concatenate([np.arange(len(lines.sku)), model.loose_line])
        rows = model.tight_row[lines.sku[line]]
        tight_line = (rows >= 0).any(axis=1)
        tight, line_at = np.unique(item_of_line[tight_line], return_inverse=True)
        free = np.setdiff1d(np.flatnonzero(size > 0), tight)
        key = np.concatenate(
            [option[free], cost[free], next_cost[free, None], fallback[free, None]], axis=1
        )
        raw = np.ascontiguousarray(key).view(np.dtype((np.void, key.itemsize * key.shape[1])))
        _, first, inverse = np.unique(raw.ravel(), return_index=True, return_inverse=True)
        self.source = np.concatenate([free[first], tight])
        """Row of each item among the groups, then the loose lines."""
        n_free = len(first)
        self.size = np.concatenate(
            [np.bincount(inverse.ravel(), weights=size[free], minlength=n_free), size[tight]]
        )
        self.fallback = fallback[self.source]
        self.option, self.cost, self.next_cost = (
            option[self.source], cost[self.source], next_cost[self.source]
        )  # fmt: skip
        self.free, self.tight = np.arange(n_free), n_free + np.arange(len(tight))
        self.line_rows = rows[tight_line]
        self.line_units = lines.quantity[line[tight_line]].astype(np.float64)
        self.line_at = line_at.ravel()
        self.model = model
        self.tight_cost = self._costs(self.tight)

    def stock_usd(self, stock_prices: FloatArray) -> FloatArray:
        """``s[i, w]``: what the tight lines of item ``tight[i]`` pay for stock at ``w``."""
        per_line = np.append(stock_prices, 0.0)[self.line_rows] * self.line_units[:, None]
        stock = np.zeros((len(self.tight), self.model.warehouses))
        for w in range(self.model.warehouses):
            stock[:, w] = np.bincount(
                self.line_at, weights=per_line[:, w], minlength=len(self.tight)
            )
        return stock

    def choose(self, prices: Prices) -> Choice:
        """Every item's cheapest option at ``prices`` and its runners-up."""
        n_s, n_o = self.model.services, self.model.options
        option_usd = prices.option_usd(n_s)
        stock = np.repeat(self.stock_usd(prices.stock), n_s, axis=1)
        every = np.broadcast_to(np.arange(n_o), (len(self.tight), n_o))
        free = _runners_up(
            self.option[self.free], self.cost[self.free] + option_usd[self.option[self.free]], n_s
        )
        unsure = self.free[free[1] > self.next_cost[self.free] + option_usd.min()]
        tight = _runners_up(every, self.tight_cost + option_usd + stock, n_s)
        recheck = _runners_up(
            np.broadcast_to(np.arange(n_o), (len(unsure), n_o)),
            self._costs(unsure) + option_usd,
            n_s,
        )
        option = np.empty(len(self.size), dtype=np.int64)
        values = [np.empty(len(self.size)) for _ in range(3)]
        for items, part in ((self.free, free), (self.tight, tight), (unsure, recheck)):
            option[items] = part[0]
            for value, column in zip(values, part[1:], strict=True):
                value[items] = column
        left = ~(values[0] < self.fallback)
        option[left] = -1
        values[0][left] = self.fallback[left]
        return Choice(option, *values)

    def _costs(self, items: IntArray) -> FloatArray:
        """Every option's cost of ``items``."""
        n_g, source = len(self.model.size), self.source[items]
        whole = source < n_g
        cost = np.empty((len(items), self.model.options))
        cost[whole] = self.model.whole_usd[source[whole]]
        cost[~whole] = self.model.loose_usd[source[~whole] - n_g]
        return cost


def _cheapest(*costs: FloatArray) -> tuple[IntArray, FloatArray, FloatArray]:
    """The ``CANDIDATES`` cheapest options of every row of ``costs`` (one after the other),
    in order of cost, and the cost of the next cheapest: no option left out costs less."""
    options, values, following = [], [], []
    for cost in costs:
        k = min(CANDIDATES, cost.shape[1] - 1)
        top = np.argpartition(cost, k, axis=1)[:, : k + 1]
        value = np.take_along_axis(cost, top, axis=1)
        order = np.lexsort((top, value), axis=1)
        top, value = (
            np.take_along_axis(top, order, axis=1),
            np.take_along_axis(value, order, axis=1),
        )
        options.append(top[:, :k])
        values.append(value[:, :k])
        following.append(value[:, k])
    return np.concatenate(options), np.concatenate(values), np.concatenate(following)


def _runners_up(
    option: IntArray, priced: FloatArray, services: int
) -> tuple[IntArray, FloatArray, FloatArray, FloatArray]:
    """Cheapest option of each row, its cost, the cheapest at another warehouse, the next."""
    rows = np.arange(len(option))
    first = np.argmin(priced, axis=1) if priced.shape[1] else np.zeros(len(option), int)
    best = priced[rows, first]
    chosen = option[rows, first]
    same = option // services == (chosen // services)[:, None]
    other_warehouse = np.where(same, np.inf, priced).min(axis=1, initial=np.inf)
    rest = priced.copy()
    rest[rows, first] = np.inf
    return chosen, best, other_warehouse, rest.min(axis=1, initial=np.inf)


def search_prices(model: LargeModel) -> PriceSearch:
    """Prices of high Lagrangian value (see the module docstring)."""
    items = _Items(model)
    prices = Prices.zero(model)
    best, best_value = prices, -np.inf
    target_gap, stalled = np.nan, 0
    for round_ in range(ROUNDS):
        prices = _clear_stock(items, prices)
        choice = items.choose(prices)
        lagrangian = float(items.size @ choice.value) - _capacity_value(model, prices)
        if lagrangian > best_value:
            best, best_value, stalled = prices, lagrangian, 0
        else:
            stalled += 1
        if round_ < CLEARING_ROUNDS:
            prices = _clear_parcels(items, choice, prices, outbound=round_ % 2 == 0)
            continue
        if np.isnan(target_gap):
            target_gap = TARGET_GAP * abs(best_value)
        if stalled >= PATIENCE:
            target_gap, stalled = target_gap / 2.0, 0
        prices = _step(items, choice, prices, best_value + target_gap - lagrangian)
    return PriceSearch(best, best_value, ROUNDS)


def _step(items: _Items, choice: Choice, prices: Prices, room: float) -> Prices:
    """Projected subgradient step on the outbound and pickup prices, Polyak's length."""
    model = items.model
    on = choice.option >= 0
    pick_load = np.bincount(choice.option[on], weights=items.size[on], minlength=model.options)
    out_load = pick_load.reshape(model.warehouses, model.services).sum(axis=1)
    g_out, g_pick = out_load - model.outbound, pick_load - model.pickup
    g_out = np.where((prices.outbound <= 0) & (g_out < 0), 0.0, g_out)
    g_pick = np.where((prices.pickup <= 0) & (g_pick < 0), 0.0, g_pick)
    norm = float(g_out @ g_out + g_pick @ g_pick)
    if norm == 0.0:
        return prices
    step = max(room, 0.0) / norm
    return Prices(
        np.maximum(prices.outbound + step * g_out, 0.0),
        np.maximum(prices.pickup + step * g_pick, 0.0),
        prices.stock,
    )


def _capacity_value(model: LargeModel, prices: Prices) -> float:
    return float(
        prices.outbound @ model.outbound
        + prices.pickup @ model.pickup
        + prices.stock @ model.tight_stock
    )


def _clear_parcels(items: _Items, choice: Choice, prices: Prices, *, outbound: bool) -> Prices:
    """Every outbound row (or every pickup row) half way to its clearing price."""
    model = items.model
    on = choice.option >= 0
    if outbound:
        row, price, capacity = choice.option // model.services, prices.outbound, model.outbound
        elsewhere = choice.other_warehouse
    else:
        row, price, capacity = choice.option, prices.pickup, model.pickup
        elsewhere = choice.other_option
    elsewhere = np.minimum(elsewhere, items.fallback)
    here = choice.value - price[np.maximum(row, 0)]
    willing = np.minimum(elsewhere - here, model.unallocated_usd_per_unit)
    cleared = _clearing_prices(row[on], willing[on], items.size[on], capacity)
    moved = 0.5 * (price + cleared)
    if outbound:
        return Prices(moved, prices.pickup, prices.stock)
    return Prices(prices.outbound, moved, prices.stock)


def _clear_stock(items: _Items, prices: Prices) -> Prices:
    """Every tight stock row half way to its clearing price."""
    model = items.model
    if len(items.tight) == 0:
        return prices
    n_w, n_s = model.warehouses, model.services
    option_usd = prices.option_usd(n_s)
    base = (items.tight_cost + option_usd).reshape(len(items.tight), n_w, n_s).min(axis=2)
    priced = base + items.stock_usd(prices.stock)
    order = np.argsort(priced, axis=1)[:, :2]
    best, second = np.take_along_axis(priced, order, axis=1).T
    if n_w == 1:
        second = np.full(len(best), np.inf)
    elsewhere = np.minimum(second, items.fallback[items.tight])[items.line_at]
    w = order[:, 0][items.line_at]
    row = items.line_rows[np.arange(len(w)), w]
    here = best[items.line_at] - items.line_units * np.append(prices.stock, 0.0)[row]
    asks = (row >= 0) & (here < elsewhere)
    units = items.line_units[asks]
    willing = np.minimum((elsewhere[asks] - here[asks]) / units, model.unallocated_usd_per_unit)
    demand = units * items.size[items.tight[items.line_at[asks]]]
    cleared = _clearing_prices(row[asks], willing, demand, model.tight_stock)
    return Prices(prices.outbound, prices.pickup, 0.5 * (prices.stock + cleared))


def _clearing_prices(
    row: IntArray, willing: FloatArray, demand: FloatArray, stock: FloatArray
) -> FloatArray:
    """Per row, the highest ``willing`` at which the demand asking more than it first
    exceeds the stock (0 when all of it fits)."""
    order = np.lexsort((-willing, row))
    row, willing, demand = row[order], willing[order], demand[order]
    cumulative = np.cumsum(demand)
    start = np.searchsorted(row, row, side="left")
    before = np.concatenate([[0.0], cumulative])[start]
    within = cumulative - before
    over = (within > stock[row] + 1e-9) & (willing > 0)
    first = np.zeros(len(row), dtype=bool)
    hits = np.flatnonzero(over)
    if len(hits):
        keep = np.concatenate([[True], row[hits][1:] != row[hits][:-1]])
        first[hits[keep]] = True
    cleared = np.zeros(len(stock))
    cleared[row[first]] = willing[first]
    return cleared
