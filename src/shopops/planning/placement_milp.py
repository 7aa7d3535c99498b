"""The transfer MILP of placement: units per move, a fixed cost per line and per lane.

A *move* ``m`` carries units of one SKU ``s`` from a surplus warehouse ``u`` to the home
``v`` of a region ``r``, each unit worth ``net[m]`` (postage saved less the per-unit
transfer cost). A *line* is the SKU x ``u`` x ``v`` it belongs to (picked, labelled and
received as one: ``line_usd``); a *lane* is ``u -> v`` (one line-haul dispatch in the week:
``lane_usd``). With ``x`` units, ``y`` (lines open) and ``z`` (lanes used) binary::

    max  sum_m net[m] x[m] - line_usd sum_l y[l] - lane_usd sum_k z[k]
    s.t. sum_{m of s, u} x[m] <= surplus[s, u]     (a source keeps its own cover)
         sum_{m of s, r} x[m] <= demand[s, r]
         sum_{m of s, v} x[m] <= deficit[s, v]
         x[m] <= bound[m] y[line(m)],  sum_{m of l} x[m] <= cap[l] y[l]     (big-M)
         y[l] <= z[lane(l)]

with ``bound[m] = min(surplus, demand, deficit)`` of the move and ``cap[l] = min(surplus[s,
u], deficit[s, v])``. Two exact reductions come first: a line whose best value on its own
(its LP, a greedy fill of its best moves up to ``cap``) does not beat ``line_usd`` is never
worth opening, nor a lane whose lines together cannot pay ``lane_usd``. A starting solution
comes from the flow LP over the lines left, dropping in turn the lines and lanes that do not
pay their fixed cost there, until all do; HiGHS then closes the gap from it.

Once the binaries are fixed what is left is the flow LP of placement without fixed costs
(source -> ``u`` -> ``r`` -> ``v`` -> sink), whose optimal vertex is whole: the MILP keeps
``x`` continuous (far fewer branchings) and the units are read from that LP over the open
lines, which is at least as good as the MILP's own ``x``.
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np
from numpy.typing import NDArray

from shopops.planning.solvers import (
    LinearProblem,
    SolverOptions,
    SolveStatus,
    SparseRows,
    solve,
)

FloatArray = NDArray[np.float64]
IntArray = NDArray[np.int64]
BoolArray = NDArray[np.bool_]

_MAX_START_ROUNDS = 20
_EPS = 1e-9


@dataclass(frozen=True)
class TransferMoves:
    """The candidate moves, one entry each, and the positions they draw on.

    ``surplus``, ``deficit``: ``[sku, warehouse]``; ``demand``: ``[sku, region]``.
    """

    sku: IntArray
    source: IntArray
    region: IntArray
    home: IntArray
    net_usd: FloatArray
    bound: IntArray
    surplus: IntArray
    demand: IntArray
    deficit: IntArray

    def __len__(self) -> int:
        return len(self.sku)

    def subset(self, keep: BoolArray) -> TransferMoves:
        return TransferMoves(
            self.sku[keep],
            self.source[keep],
            self.region[keep],
            self.home[keep],
            self.net_usd[keep],
            self.bound[keep],
            self.surplus,
            self.demand,
            self.deficit,
        )


@dataclass(frozen=True)
class TransferSolution:
    """Whole units of each move, and how the solve ended."""

    units: IntArray
    status: SolveStatus
    gap: float


@dataclass(frozen=True)
class _Structure:
    """Moves grouped: the line of each move and the lane of each line."""

    line_of_move: IntArray
    lane_of_line: IntArray
    line_cap: FloatArray

    @property
    def n_lines(self) -> int:
        return len(self.lane_of_line)

    @property
    def n_lanes(self) -> int:
        return int(self.lane_of_line.max()) + 1 if self.n_lines else 0


def solve_transfers(
    moves: TransferMoves,
    *,
    n_warehouses: int,
    line_usd: float,
    lane_usd: float,
    options: SolverOptions,
) -> TransferSolution:
    """The units of each move at the (gap-)optimum of the MILP above."""
    units = np.zeros(len(moves), dtype=np.int64)
    kept = _worth_opening(moves, n_warehouses, line_usd, lane_usd)
    if not kept.any():
        return TransferSolution(units, SolveStatus.OPTIMAL, 0.0)
    candidates = moves.subset(kept)
    structure = _structure(candidates, n_warehouses)
    start = _starting_units(candidates, structure, line_usd, lane_usd)
    problem = _milp(candidates, structure, line_usd, lane_usd)
    solution = solve(problem, options, start=_start_columns(start, structure))
    if solution.has_values:
        line_open = solution.values[len(candidates) : len(candidates) + structure.n_lines] > 0.5
        units[kept] = _flow_units(candidates, line_open[structure.line_of_move])
        return TransferSolution(units, solution.status, solution.gap)
    units[kept] = start
    return TransferSolution(units, SolveStatus.FEASIBLE, solution.gap)


def _structure(moves: TransferMoves, n_warehouses: int) -> _Structure:
    n_skus = moves.surplus.shape[0]
    lane_key = moves.source * n_warehouses + moves.home
    line_key = lane_key * n_skus + moves.sku
    line_keys, line_of_move = np.unique(line_key, return_inverse=True)
    _, lane_of_line = np.unique(line_keys // n_skus, return_inverse=True)
    first = np.zeros(len(line_keys), dtype=np.int64)
    first[line_of_move[::-1]] = np.arange(len(moves))[::-1]
    cap = np.minimum(
        moves.surplus[moves.sku[first], moves.source[first]],
        moves.deficit[moves.sku[first], moves.home[first]],
    )
    return _Structure(
        line_of_move.astype(np.int64), lane_of_line.astype(np.int64), cap.astype(np.float64)
    )


def _worth_opening(
    moves: TransferMoves, n_warehouses: int, line_usd: float, lane_usd: float
) -> BoolArray:
    """Moves of lines whose best value alone beats ``line_usd`` and of lanes whose such
    lines together beat ``lane_usd``: no optimum opens the others."""
    if not len(moves):
        return np.zeros(0, dtype=bool)
    structure = _structure(moves, n_warehouses)
    best = _best_line_value(moves, structure) - line_usd
    line_pays = best > _EPS
    lane_value = np.bincount(
        structure.lane_of_line, np.where(line_pays, best, 0.0), minlength=structure.n_lanes
    )
    lane_pays = lane_value - lane_usd > _EPS
    keep: BoolArray = (line_pays & lane_pays[structure.lane_of_line])[structure.line_of_move]
    return keep


def _best_line_value(moves: TransferMoves, structure: _Structure) -> FloatArray:
    """Each line's LP optimum on its own: its moves, best first, filled up to its cap."""
    order = np.lexsort((-moves.net_usd, structure.line_of_move))
    line = structure.line_of_move[order]
    bound = moves.bound[order].astype(np.float64)
    filled_before: FloatArray = np.cumsum(bound) - bound
    line_start = np.searchsorted(line, np.arange(structure.n_lines))
    filled_before -= filled_before[line_start][line]
    taken = np.clip(structure.line_cap[line] - filled_before, 0.0, bound)
    value = np.bincount(line, taken * moves.net_usd[order], minlength=structure.n_lines)
    return value.astype(np.float64)


def _capacity_rows(moves: TransferMoves) -> tuple[IntArray, FloatArray]:
    """Row number of each move in the surplus, demand and deficit rows, and their limits."""
    n_skus, n_warehouses = moves.surplus.shape
    n_regions = moves.demand.shape[1]
    keys = np.concatenate(
        [
            moves.sku * n_warehouses + moves.source,
            n_skus * n_warehouses + moves.sku * n_regions + moves.region,
            n_skus * (n_warehouses + n_regions) + moves.sku * n_warehouses + moves.home,
        ]
    )
    limits_by_key = np.concatenate(
        [moves.surplus.ravel(), moves.demand.ravel(), moves.deficit.ravel()]
    ).astype(np.float64)
    used, row = np.unique(keys, return_inverse=True)
    return row.astype(np.int64), limits_by_key[used]


def _milp(
    moves: TransferMoves, structure: _Structure, line_usd: float, lane_usd: float
) -> LinearProblem:
    """Columns: units per move, then a binary per line, then a binary per lane.

    Units are left continuous: once the binaries are fixed the rest is the flow LP, whose
    whole optimum :func:`_flow_units` then finds over the open lines.
    """
    n_moves, n_lines, n_lanes = len(moves), structure.n_lines, structure.n_lanes
    move_col = np.arange(n_moves)
    line_col = n_moves + np.arange(n_lines)
    lane_col = n_moves + n_lines + structure.lane_of_line
    capacity_row, capacity_limit = _capacity_rows(moves)
    first = len(capacity_limit)
    move_link = first + move_col
    line_link = first + n_moves + np.arange(n_lines)
    lane_link = first + n_moves + n_lines + np.arange(n_lines)
    bound = moves.bound.astype(np.float64)
    blocks = [
        (capacity_row, np.tile(move_col, 3), np.ones(3 * n_moves)),
        (move_link, move_col, np.ones(n_moves)),
        (move_link, line_col[structure.line_of_move], -bound),
        (line_link[structure.line_of_move], move_col, np.ones(n_moves)),
        (line_link, line_col, -structure.line_cap),
        (lane_link, line_col, np.ones(n_lines)),
        (lane_link, lane_col, -np.ones(n_lines)),
    ]
    n_rows = first + n_moves + 2 * n_lines
    rows = SparseRows.from_coo(
        row=np.concatenate([b[0] for b in blocks]),
        column=np.concatenate([b[1] for b in blocks]),
        value=np.concatenate([b[2] for b in blocks]),
        lower=np.full(n_rows, -np.inf),
        upper=np.concatenate([capacity_limit, np.zeros(n_moves + 2 * n_lines)]),
    )
    cost = np.concatenate([-moves.net_usd, np.full(n_lines, line_usd), np.full(n_lanes, lane_usd)])
    return LinearProblem(
        cost=cost,
        lower=np.zeros(len(cost)),
        upper=np.concatenate([bound, np.ones(n_lines + n_lanes)]),
        rows=rows,
        integer=np.arange(len(cost)) >= n_moves,
    )


def _starting_units(
    moves: TransferMoves, structure: _Structure, line_usd: float, lane_usd: float
) -> IntArray:
    """Flow LP over the open lines; close those that do not pay their fixed costs; repeat."""
    line_open = np.ones(structure.n_lines, dtype=bool)
    units = np.zeros(len(moves), dtype=np.int64)
    for _ in range(_MAX_START_ROUNDS):
        units = _flow_units(moves, line_open[structure.line_of_move])
        value = np.bincount(
            structure.line_of_move, units * moves.net_usd, minlength=structure.n_lines
        )
        line_pays = value - line_usd > _EPS
        lane_value = np.bincount(
            structure.lane_of_line,
            np.where(line_pays, value - line_usd, 0.0),
            minlength=structure.n_lanes,
        )
        still_open = line_pays & (lane_value - lane_usd > _EPS)[structure.lane_of_line]
        if np.array_equal(still_open, line_open):
            break
        line_open &= still_open
    return np.where(line_open[structure.line_of_move], units, 0)


def _flow_units(moves: TransferMoves, allowed: BoolArray) -> IntArray:
    """Whole units at a vertex of the flow LP over the ``allowed`` moves (integral: a flow)."""
    n = len(moves)
    row, limit = _capacity_rows(moves)
    rows = SparseRows.from_coo(
        row=row,
        column=np.tile(np.arange(n), 3),
        value=np.ones(3 * n),
        lower=np.full(len(limit), -np.inf),
        upper=limit,
    )
    upper = np.where(allowed, moves.bound, 0).astype(np.float64)
    solution = solve(LinearProblem(cost=-moves.net_usd, lower=np.zeros(n), upper=upper, rows=rows))
    if not solution.has_values:
        raise RuntimeError(f"placement flow LP ended {solution.status.value}")
    return np.rint(solution.values).astype(np.int64)


def _start_columns(units: IntArray, structure: _Structure) -> FloatArray:
    line_used = np.bincount(structure.line_of_move, units, minlength=structure.n_lines) > 0
    lane_used = np.bincount(structure.lane_of_line, line_used, minlength=structure.n_lanes) > 0
    return np.concatenate([units, line_used, lane_used]).astype(np.float64)
