"""An allocation as one warehouse and service per order line, from the optimiser's groups.

Every method (the optimiser, the rules) ends in a :class:`LinePlan`, which
:mod:`~shopops.planning.fulfillment.report` prices with the one cost function. Orders of a
group take its columns in order of id, the cheapest column first.
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np

from shopops.planning.fulfillment.batch import IntArray, Orders
from shopops.planning.fulfillment.optimiser import GroupAllocation
from shopops.planning.fulfillment.options import LineClass
from shopops.planning.fulfillment.pricing import Columns


@dataclass(frozen=True)
class LinePlan:
    """Warehouse and service position of every line (in :class:`Orders` line order); -1 for
    a line left unallocated."""

    warehouse: IntArray
    service: IntArray

    @classmethod
    def empty(cls, lines: int) -> LinePlan:
        return cls(np.full(lines, -1, dtype=np.int64), np.full(lines, -1, dtype=np.int64))


def plan_from_groups(
    orders: Orders, classes: list[LineClass], allocation: GroupAllocation
) -> LinePlan:
    """Hand each group's column counts to its orders."""
    plan = LinePlan.empty(len(orders.line_sku))
    group_of_column = np.concatenate(
        [c.groups[cols.local] for c, cols in zip(classes, allocation.columns, strict=True)]
    )
    if len(group_of_column) == 0:
        return plan
    which_class = np.concatenate(
        [np.full(len(cols.local), i) for i, cols in enumerate(allocation.columns)]
    )
    index_in_class = np.concatenate([np.arange(len(cols.local)) for cols in allocation.columns])
    cost = np.concatenate([cols.cost for cols in allocation.columns])
    count = np.concatenate(allocation.counts)
    order = np.lexsort((cost, group_of_column))
    ends = np.cumsum(count[order])
    by_group = np.argsort(orders.group, kind="stable")
    column_of = order[np.searchsorted(ends, np.arange(len(by_group)), side="right")]
    for i, (lines, columns) in enumerate(zip(classes, allocation.columns, strict=True)):
        mine = which_class[column_of] == i
        _fill(plan, orders, lines, columns, by_group[mine], index_in_class[column_of[mine]])
    return plan


def _fill(
    plan: LinePlan,
    orders: Orders,
    lines: LineClass,
    columns: Columns,
    order_index: IntArray,
    column: IntArray,
) -> None:
    """Write the warehouse and service of each line of ``order_index`` from its column."""
    blocks = lines.partition_blocks[columns.partition[column]]
    for line in range(lines.lines):
        warehouse = np.full(len(column), -1, dtype=np.int64)
        service = np.full(len(column), -1, dtype=np.int64)
        for i in range(blocks.shape[1]):
            inside = (blocks[:, i] >= 0) & lines.mask_lines[np.maximum(blocks[:, i], 0), line]
            warehouse[inside] = columns.warehouse[column[inside], i]
            service[inside] = columns.service[column[inside], i]
        at = orders.line_start[order_index] + line
        plan.warehouse[at] = warehouse
        plan.service[at] = service
