"""From prices to an allocation that fits: every item takes its cheapest priced option, then
the orders that overload a row move to their next option, least regret first.

An *item* is a group of identical orders (or one line of such orders, when they are split)
with a cost per option ``w * S + s`` and a penalty for being left. Rows are, in this order:
outbound parcels per warehouse, pickup parcels per option, units per tight stock row. Each
round takes every overloaded row, ranks the orders on it by *regret* (priced cost of their
best option that still has room, less that of their current one), and moves just enough of
them to clear it; a destination takes movers up to its slack, least regret first. Orders
with no option left that has room go to their next option all the same and push out, in
the next round, the orders there that move most cheaply (an ejection chain); orders left
along the way come back wherever room opens. What is still over after ``ROUNDS`` is left
unallocated, so the result always fits.
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np

from shopops.planning.fulfillment.batch import FloatArray, IntArray
from shopops.planning.fulfillment.large_model import spans

ROUNDS = 40
SURCHARGE_USD = 0.25
"""Added, each round an outbound or pickup row stays overloaded, to the options using it:
orders pushed back and forth between full warehouses settle where moving costs least."""
LEFT = -1
"""Option of the orders left unallocated."""


@dataclass(frozen=True)
class Items:
    """What :func:`repair` allocates (see the module docstring)."""

    warehouses: int
    services: int
    count: IntArray
    cost_usd: FloatArray
    """``cost_usd[i, w * S + s]``, ``inf`` where it cannot ship."""
    priced_usd: FloatArray
    """The same plus the prices of the rows the option uses: what ranks the options."""
    penalty_usd: FloatArray
    tight_start: IntArray
    """Tight lines of item ``i`` are ``tight_start[i]:tight_start[i+1]``."""
    tight_rows: IntArray
    """``tight_rows[line, w]``: tight row of the line's SKU at ``w`` (-1: not tight)."""
    tight_units: FloatArray


@dataclass
class Pieces:
    """``count`` orders of ``item`` on ``option`` (:data:`LEFT`: unallocated)."""

    item: IntArray
    option: IntArray
    count: IntArray


def repair(items: Items, capacity: FloatArray, start: Pieces | None = None) -> Pieces:
    """An allocation of every item's orders within ``capacity`` (rows as in the module
    docstring), from ``start`` or from every item on its cheapest option."""
    pieces = start if start is not None else cheapest(items)
    parcel_rows = items.warehouses * (1 + items.services)
    surcharge = np.zeros(len(capacity))
    for _ in range(ROUNDS):
        load = usage(items, pieces, len(capacity))
        over = load > capacity + 1e-9
        if not over.any():
            return merged(pieces)
        surcharge[:parcel_rows] += SURCHARGE_USD * over[:parcel_rows]
        pieces = _round(items, pieces, capacity, load, surcharge)
        pieces = reinserted(items, merged(pieces), capacity)
    load = usage(items, pieces, len(capacity))
    if (load > capacity + 1e-9).any():
        pieces = _round(items, pieces, capacity, load, None)
    return merged(pieces)


def reinserted(items: Items, pieces: Pieces, capacity: FloatArray) -> Pieces:
    """Orders left so far take the cheapest option that has room for them, if any."""
    waiting = np.flatnonzero(pieces.option == LEFT)
    if len(waiting) == 0:
        return pieces
    slack = capacity - usage(items, pieces, len(capacity))
    allowed = allowed_options(items, pieces.item[waiting], pieces.option[waiting], slack)
    target, value = _best(items, pieces.item[waiting], allowed)
    destination = np.full(len(pieces.count), LEFT)
    destination[waiting] = target
    regret = np.full(len(pieces.count), np.inf)
    regret[waiting] = value
    move = np.zeros(len(pieces.count), dtype=np.int64)
    move[waiting] = np.where(target >= 0, pieces.count[waiting], 0)
    move = fit_into_slack(items, pieces, move, destination, regret, slack)
    return merged(moved(pieces, move, destination))


def cheapest(items: Items) -> Pieces:
    """Every item's orders on its cheapest priced option."""
    option, _ = _best(items, np.arange(len(items.count)), np.ones(items.priced_usd.shape, bool))
    return Pieces(np.arange(len(items.count)), option, items.count.copy())


def joined(first: Items, second: Items) -> Items:
    """``first`` then ``second`` as one item list (``second``'s items renumbered after)."""
    return Items(
        warehouses=first.warehouses,
        services=first.services,
        count=np.concatenate([first.count, second.count]),
        cost_usd=np.concatenate([first.cost_usd, second.cost_usd]),
        priced_usd=np.concatenate([first.priced_usd, second.priced_usd]),
        penalty_usd=np.concatenate([first.penalty_usd, second.penalty_usd]),
        tight_start=np.concatenate(
            [first.tight_start[:-1], second.tight_start + first.tight_start[-1]]
        ),
        tight_rows=np.concatenate([first.tight_rows, second.tight_rows]),
        tight_units=np.concatenate([first.tight_units, second.tight_units]),
    )


def usage(items: Items, pieces: Pieces, rows: int) -> FloatArray:
    """Load of every row."""
    piece, row, amount = _piece_rows(items, pieces)
    return np.bincount(row, weights=amount * pieces.count[piece], minlength=rows).astype(np.float64)


def _piece_rows(items: Items, pieces: Pieces) -> tuple[IntArray, IntArray, FloatArray]:
    """``(piece, row, amount per order)`` of every row each allocated piece uses."""
    n_w, n_o = items.warehouses, items.warehouses * items.services
    on = np.flatnonzero(pieces.option >= 0)
    option = pieces.option[on]
    warehouse = option // items.services
    start = items.tight_start[pieces.item[on]]
    lines = items.tight_start[pieces.item[on] + 1] - start
    piece_line = np.repeat(on, lines)
    line = spans(start, lines)
    tight = items.tight_rows[line, np.repeat(warehouse, lines)]
    used = tight >= 0
    return (
        np.concatenate([on, on, piece_line[used]]),
        np.concatenate([warehouse, n_w + option, n_w + n_o + tight[used]]),
        np.concatenate([np.ones(2 * len(on)), items.tight_units[line[used]]]),
    )


def _best(
    items: Items, item: IntArray, allowed: np.ndarray, surcharge: FloatArray | None = None
) -> tuple[IntArray, FloatArray]:
    """Cheapest allowed option of each ``item`` by priced cost, among those cheaper than
    leaving the order (else :data:`LEFT`), and its priced cost (``inf`` if left: leaving is
    the last resort, whatever the prices say)."""
    worth = allowed & (items.cost_usd[item] < items.penalty_usd[item][:, None])
    priced = items.priced_usd[item]
    if surcharge is not None:
        priced = priced + _surcharges(items, item, surcharge)
    priced = np.where(worth, priced, np.inf)
    option = np.argmin(priced, axis=1)
    value = priced[np.arange(len(item)), option]
    left = ~np.isfinite(value)
    option[left] = LEFT
    return option, value


def _surcharges(items: Items, item: IntArray, surcharge: FloatArray) -> FloatArray:
    """What each option of each ``item`` pays in surcharges on the rows it would use."""
    n_w, n_s = items.warehouses, items.services
    n_o = n_w * n_s
    parcel = np.repeat(surcharge[:n_w], n_s) + surcharge[n_w : n_w + n_o]
    start, stop = items.tight_start[item], items.tight_start[item + 1]
    owner = np.repeat(np.arange(len(item)), stop - start)
    line = spans(start, stop - start)
    rows = items.tight_rows[line]
    per_line = np.append(surcharge[n_w + n_o :], 0.0)[rows] * items.tight_units[line][:, None]
    stock = np.zeros((len(item), n_w))
    for w in range(n_w):
        stock[:, w] = np.bincount(owner, weights=per_line[:, w], minlength=len(item))
    extra: FloatArray = parcel[None, :] + np.repeat(stock, n_s, axis=1)
    return extra


def allowed_options(
    items: Items, item: IntArray, current: IntArray, slack: FloatArray, *, parcels: bool = True
) -> np.ndarray:
    """Options with room for one more order of each ``item``, other than its current one
    (room in the stock rows only, without ``parcels``)."""
    n_w, n_s = items.warehouses, items.services
    n_o = n_w * n_s
    room = (slack[:n_w, None] >= 1.0).repeat(n_s, axis=1).ravel() & (slack[n_w : n_w + n_o] >= 1.0)
    room |= not parcels
    allowed = np.broadcast_to(room, (len(item), n_o)).copy()
    start, stop = items.tight_start[item], items.tight_start[item + 1]
    lines = stop - start
    owner = np.repeat(np.arange(len(item)), lines)
    line = spans(start, lines)
    rows = items.tight_rows[line]
    short = (rows >= 0) & (
        np.append(slack[n_w + n_o :], np.inf)[rows] < items.tight_units[line][:, None]
    )
    blocked = np.zeros((len(item), n_w), dtype=bool)
    np.logical_or.at(blocked, owner, short)
    allowed &= ~np.repeat(blocked, n_s, axis=1)
    on = current >= 0
    allowed[np.flatnonzero(on), current[on]] = False
    return allowed


def _round(
    items: Items,
    pieces: Pieces,
    capacity: FloatArray,
    load: FloatArray,
    surcharge: FloatArray | None,
) -> Pieces:
    """Move the least-regret orders off every overloaded row, ranking options with the
    ``surcharge`` on each row; with none, move them to :data:`LEFT` (the last round)."""
    final = surcharge is None
    over = load > capacity + 1e-9
    piece, row, amount = _piece_rows(items, pieces)
    hit = over[row]
    moving = np.unique(piece[hit])
    current = pieces.option[moving]
    pushing = np.zeros(len(pieces.count), dtype=bool)
    if surcharge is None:
        target = np.full(len(moving), LEFT)
        value = items.penalty_usd[pieces.item[moving]]
        current_value = items.priced_usd[pieces.item[moving], current]
    else:
        extra = _surcharges(items, pieces.item[moving], surcharge)
        current_value = (items.priced_usd[pieces.item[moving]] + extra)[
            np.arange(len(moving)), current
        ]
        allowed = allowed_options(items, pieces.item[moving], current, capacity - load)
        target, value = _best(items, pieces.item[moving], allowed, surcharge)
        stuck = np.flatnonzero(target == LEFT)
        stock_only = allowed_options(
            items, pieces.item[moving][stuck], current[stuck], capacity - load, parcels=False
        )
        target[stuck], value[stuck] = _best(
            items, pieces.item[moving][stuck], stock_only, surcharge
        )
        pushing[moving[stuck]] = True
    regret = np.full(len(pieces.count), np.inf)
    regret[moving] = value - current_value
    need = _orders_to_move(piece[hit], row[hit], amount[hit], regret, pieces.count, load - capacity)
    move = np.zeros(len(pieces.count), dtype=np.int64)
    np.maximum.at(move, piece[hit], need)
    destination = np.full(len(pieces.count), LEFT)
    destination[moving] = target
    if not final:
        fitted = fit_into_slack(items, pieces, move, destination, regret, capacity - load)
        move = np.where(pushing, move, fitted)
    return moved(pieces, move, destination)


def _orders_to_move(
    piece: IntArray,
    row: IntArray,
    amount: FloatArray,
    regret: FloatArray,
    count: IntArray,
    excess: FloatArray,
) -> IntArray:
    """Per (piece, overloaded row) pair, the orders to take off, least regret first."""
    order = np.lexsort((regret[piece], row))
    piece, row, amount = piece[order], row[order], amount[order]
    volume = amount * count[piece]
    cumulative = np.cumsum(volume)
    start = np.searchsorted(row, row, side="left")
    before = cumulative - volume - np.concatenate([[0.0], cumulative])[start]
    still = excess[row] - before
    need = np.clip(np.ceil(still / amount - 1e-9), 0, count[piece]).astype(np.int64)
    result = np.zeros(len(order), dtype=np.int64)
    result[order] = need
    return result


def fit_into_slack(
    items: Items,
    pieces: Pieces,
    move: IntArray,
    destination: IntArray,
    regret: FloatArray,
    slack: FloatArray,
) -> IntArray:
    """Cut each move to what its destination rows still hold, least regret first."""
    movers = np.flatnonzero((move > 0) & (destination >= 0))
    if len(movers) == 0:
        return move
    probe = Pieces(pieces.item[movers], destination[movers], move[movers])
    piece, row, amount = _piece_rows(items, probe)
    order = np.lexsort((regret[movers][piece], row))
    piece, row, amount = piece[order], row[order], amount[order]
    volume = amount * probe.count[piece]
    cumulative = np.cumsum(volume)
    start = np.searchsorted(row, row, side="left")
    before = cumulative - volume - np.concatenate([[0.0], cumulative])[start]
    fits = np.floor((np.maximum(slack[row], 0.0) - before) / amount + 1e-9)
    allowed = probe.count.astype(np.float64)
    np.minimum.at(allowed, piece, np.maximum(fits, 0.0))
    cut = move.copy()
    cut[movers] = allowed.astype(np.int64)
    return cut


def moved(pieces: Pieces, move: IntArray, destination: IntArray) -> Pieces:
    on = np.flatnonzero(move > 0)
    count = pieces.count.copy()
    count[on] -= move[on]
    return Pieces(
        np.concatenate([pieces.item, pieces.item[on]]),
        np.concatenate([pieces.option, destination[on]]),
        np.concatenate([count, move[on]]),
    )


def merged(pieces: Pieces) -> Pieces:
    """One piece per (item, option) with orders on it."""
    keep = pieces.count > 0
    width = int(pieces.option.max(initial=0)) + 2
    key = pieces.item[keep] * width + pieces.option[keep] + 1
    unique, inverse = np.unique(key, return_inverse=True)
    count = np.bincount(inverse.ravel(), weights=pieces.count[keep], minlength=len(unique))
    return Pieces(unique // width, unique % width - 1, count.astype(np.int64))
