"""Stock freed for the lines a split had to leave: single-line orders move to another
warehouse so that the scarce units they hold go to the lines left.

A line left at ``unallocated_usd_per_unit`` a unit because its SKU's tight rows are full
can be placed if an order holding that stock, a single line of the same SKU, ships from
another warehouse instead: that saves the penalty of the units and costs the move,
``cost(alternative) - cost(current)``. Per SKU the moves are taken cheapest per unit first
until the units left are covered, each only where it saves money, and cut to the slack of
the rows they move to, so capacities stay exact.
"""

from __future__ import annotations

import numpy as np

from shopops.planning.fulfillment.batch import FloatArray
from shopops.planning.fulfillment.large_model import LargeModel
from shopops.planning.fulfillment.repair import (
    Items,
    Pieces,
    allowed_options,
    fit_into_slack,
    merged,
    moved,
)
from shopops.planning.fulfillment.split import SplitPlan


def units_left_per_sku(split: SplitPlan, skus: int) -> FloatArray:
    """Units of every SKU on the lines the columns of ``split`` leave out."""
    left = np.zeros(skus)
    for which, columns, count in zip(split.which, split.columns, split.count, strict=True):
        lines = split.classes[which]
        blocks = lines.partition_blocks[columns.partition]
        covered = np.zeros((len(count), lines.lines), dtype=bool)
        for i in range(blocks.shape[1]):
            inside = lines.mask_lines[np.maximum(blocks[:, i], 0)] & (blocks[:, i] >= 0)[:, None]
            covered |= inside
        units = lines.line_quantity[columns.local] * count[:, None]
        np.add.at(left, lines.line_sku[columns.local][~covered], units[~covered])
    return left


def units_left_single(model: LargeModel, pieces: Pieces) -> FloatArray:
    """Units of every SKU on the single-line orders ``pieces`` leave."""
    lines = model.lines
    left = (pieces.option < 0) & (lines.count[pieces.item] == 1)
    first = lines.start[pieces.item[left]]
    units = lines.quantity[first] * pieces.count[left]
    return np.bincount(lines.sku[first], weights=units, minlength=model.tight_row.shape[0]).astype(
        np.float64
    )


def free_stock(
    model: LargeModel, items: Items, pieces: Pieces, wanted: FloatArray, slack: FloatArray
) -> Pieces:
    """``pieces`` with single-line orders moved off the tight rows of the SKUs in ``wanted``
    (units per SKU), cheapest per unit first, within ``slack`` (module docstring)."""
    lines = model.lines
    single = lines.count[pieces.item] == 1
    sku = lines.sku[lines.start[pieces.item]]
    warehouse = np.where(pieces.option >= 0, pieces.option // model.services, 0)
    held = single & (pieces.option >= 0) & (wanted[sku] > 0)
    held &= model.tight_row[sku, warehouse] >= 0
    candidate = np.flatnonzero(held)
    if len(candidate) == 0:
        return pieces
    item, current = pieces.item[candidate], pieces.option[candidate]
    room = allowed_options(items, item, current, slack) & np.isfinite(items.cost_usd[item])
    alternative = np.where(room, items.cost_usd[item], np.inf)
    target = np.argmin(alternative, axis=1)
    rows = np.arange(len(candidate))
    extra = alternative[rows, target] - items.cost_usd[item, current]
    units = lines.quantity[lines.start[item]].astype(np.float64)
    saves = np.isfinite(extra) & (extra < model.unallocated_usd_per_unit * units)
    candidate, target, extra, units = (a[saves] for a in (candidate, target, extra, units))
    sku = sku[candidate]
    order = np.lexsort((extra / units, sku))
    candidate, target, extra, units, sku = (
        a[order] for a in (candidate, target, extra, units, sku)
    )
    volume = units * pieces.count[candidate]
    cumulative = np.cumsum(volume)
    start = np.searchsorted(sku, sku, side="left")
    before = cumulative - volume - np.concatenate([[0.0], cumulative])[start]
    need = np.ceil(np.maximum(wanted[sku] - before, 0.0) / units - 1e-9)
    move = np.zeros(len(pieces.count), dtype=np.int64)
    move[candidate] = np.minimum(need, pieces.count[candidate]).astype(np.int64)
    destination = np.full(len(pieces.count), -1)
    destination[candidate] = target
    regret = np.full(len(pieces.count), np.inf)
    regret[candidate] = extra / units
    move = fit_into_slack(items, pieces, move, destination, regret, slack)
    return merged(moved(pieces, move, destination))
