"""Solving an award piece by piece, exactly, over a pool of processes.

Coupling rules tie requirements together: a weekly capacity shared by requirements of one
SKU, an A-class SKU's dual sourcing, a category's share cap. Capacity and dual sourcing
stay within one SKU. The award is solved in rounds, each a relaxation checked against the
rules it dropped:

1. every requirement on its own, exactly (:mod:`.exact`): no coupling at all;
2. every SKU piece (requirements tied by a shared capacity or dual sourcing, a connected
   component) whose round-1 award breaks one of its rules, with all its rules but no share
   cap: exactly when one weekly capacity is all that ties it (:mod:`.shared`), else one
   MILP started from the best combination of exact plans (:mod:`.dual_start`);
3. every category (with the SKU pieces it touches: a connected component of all rules)
   whose award then breaks its share cap: one MILP with all its rules.

The optimum of a relaxation that keeps the dropped rules is optimal for the full problem,
and the sum of the pieces' proven bounds bounds the whole, so the overall gap
``(objective - bound) / objective`` is at most the worst piece's (exact pieces have none).
"""

from __future__ import annotations

import dataclasses
import math
import multiprocessing
import time
from collections.abc import Callable, Iterator, Sequence
from concurrent.futures import Executor, ProcessPoolExecutor
from contextlib import contextmanager
from dataclasses import dataclass, field
from typing import Any

import numpy as np
import scipy.sparse as sp
from scipy.sparse.csgraph import connected_components

from shopops.planning.solvers import FloatArray, SolveStatus, relative_gap
from shopops.planning.sourcing.arrays import IntArray, SubProblem
from shopops.planning.sourcing.evaluate import evaluate
from shopops.planning.sourcing.pieces import (
    MilpSettings,
    PieceResult,
    ready,
    solve_exact,
    solve_pieces,
    without_share_caps,
)
from shopops.planning.sourcing.rules import SourcingRules

OPTIONS_PER_TASK = 4000
"""Options sent to a worker in one task: large enough to amortise the hand-over."""
EXACT_CHUNKS_PER_WORKER = 4


@dataclass(frozen=True)
class DecomposedAward:
    """Multiples per option of the award, its objective, proven bound and how it was found."""

    counts: FloatArray
    objective_usd: float
    best_bound_usd: float
    status: SolveStatus
    components: int
    sub_problems: int
    exact_requirements: int
    variables: int
    binaries: int


@dataclass
class _Ledger:
    """Who decided each requirement (-1: the exact round), each MILP piece's requirements,
    whether its share caps were lifted, and its result."""

    floors: FloatArray
    owner: IntArray
    pieces: list[tuple[IntArray, bool]] = field(default_factory=list)
    results: list[PieceResult] = field(default_factory=list)

    def record(self, requirements: IntArray, relaxed: bool, result: PieceResult) -> None:
        self.owner[requirements] = len(self.results)
        self.pieces.append((requirements, relaxed))
        self.results.append(result)

    def live(self) -> list[int]:
        return [int(i) for i in np.unique(self.owner[self.owner >= 0])]

    def bound(self) -> float:
        exact = math.fsum(self.floors[self.owner < 0])
        return exact + math.fsum(self.results[i].best_bound_usd for i in self.live())


Runner = Callable[[Callable[..., Any], Sequence[tuple[Any, ...]]], list[Any]]


def solve_decomposed(
    arrays: SubProblem, rules: SourcingRules, *, run: Runner, workers: int
) -> DecomposedAward:
    """The award of ``arrays`` (the whole instance) in the rounds of the module notes, its
    tasks handed to ``run`` (see :func:`worker_pool`) in chunks for ``workers`` processes.

    The MILP pieces are first solved to a looser gap, as wide as the exact requirements'
    share of the cost allows (they have none); if the overall gap still exceeds
    ``rules.mip_gap`` the pieces above it are solved again to ``rules.mip_gap``.
    """
    deadline = None if rules.time_limit_seconds is None else time.time() + rules.time_limit_seconds
    tight = MilpSettings(rules.mip_gap, deadline, rules.threads or 1, quick=True)
    option_span = _option_span(arrays)
    relaxed = without_share_caps(arrays)
    counts, floors = _exact_round(arrays, option_span, run, workers)
    ledger = _Ledger(floors, np.full(arrays.num_requirements, -1, np.int64))
    broken = evaluate(relaxed, counts)
    breaks = broken.broken_capacity | broken.broken_dual
    sku_links = (arrays.capacity_group, arrays.dual_group)
    pieces = _broken_pieces(arrays, _linked(arrays, sku_links), breaks)
    loose = dataclasses.replace(tight, mip_gap=_loose_gap(rules.mip_gap, floors, pieces))
    _milp_round(relaxed, pieces, option_span, counts, ledger, loose, run)
    all_links = (*sku_links, arrays.share_group)
    categories = _broken_pieces(
        arrays, _linked(arrays, all_links), evaluate(arrays, counts).broken_share
    )
    wide = _loose_gap(rules.mip_gap, floors, pieces + categories)
    full = dataclasses.replace(tight, mip_gap=wide, quick=False)
    _milp_round(arrays, categories, option_span, counts, ledger, full, run, relaxed=False)
    _tighten(arrays, relaxed, option_span, counts, ledger, tight, run)
    return _summary(arrays, counts, ledger)


LOOSE_GAP_SAFETY = 0.8
LOOSEST_GAP = 0.02


def _loose_gap(gap: float, floors: FloatArray, pieces: list[IntArray]) -> float:
    """A piece gap that keeps the overall gap below ``gap`` when only the pieces have one:
    ``gap x total / pieces' cost``, with a safety factor, between ``gap`` and 2 %."""
    in_pieces = math.fsum(floors[piece].sum() for piece in pieces)
    if in_pieces <= 0.0:
        return gap
    widened = gap * LOOSE_GAP_SAFETY * math.fsum(floors) / in_pieces
    return min(max(widened, gap), max(LOOSEST_GAP, gap))


def _tighten(
    arrays: SubProblem,
    relaxed: SubProblem,
    option_span: tuple[IntArray, IntArray],
    counts: FloatArray,
    ledger: _Ledger,
    settings: MilpSettings,
    run: Runner,
) -> None:
    """Solve again, to ``settings.mip_gap``, the live pieces above it while the overall gap
    is above it."""
    objective = evaluate(arrays, counts).objective_usd
    if relative_gap(objective, ledger.bound()) <= settings.mip_gap:
        return
    loose = [
        i
        for i in ledger.live()
        if relative_gap(ledger.results[i].objective_usd, ledger.results[i].best_bound_usd)
        > settings.mip_gap
    ]
    for caps_lifted in (True, False):
        pieces = [ledger.pieces[i][0] for i in loose if ledger.pieces[i][1] == caps_lifted]
        source = relaxed if caps_lifted else arrays
        _milp_round(source, pieces, option_span, counts, ledger, settings, run, caps_lifted)


def _summary(arrays: SubProblem, counts: FloatArray, ledger: _Ledger) -> DecomposedAward:
    live = [ledger.results[i] for i in ledger.live()]
    statuses = {r.status for r in live}
    exact_owner = np.array([-1] + [i for i in ledger.live() if ledger.results[i].exact])
    exact = int(np.isin(ledger.owner, exact_owner).sum())
    milps = [r for r in ledger.results if not r.exact]
    return DecomposedAward(
        counts=counts,
        objective_usd=evaluate(arrays, counts).objective_usd,
        best_bound_usd=ledger.bound(),
        status=SolveStatus.FEASIBLE if SolveStatus.FEASIBLE in statuses else SolveStatus.OPTIMAL,
        components=int((ledger.owner < 0).sum()) + len(live),
        sub_problems=len(milps),
        exact_requirements=exact,
        variables=sum(r.variables for r in milps),
        binaries=sum(r.binaries for r in milps),
    )


def _exact_round(
    arrays: SubProblem,
    option_span: tuple[IntArray, IntArray],
    run: Runner,
    workers: int,
) -> tuple[FloatArray, FloatArray]:
    """Every requirement alone, exactly, in contiguous chunks."""
    chunks = np.array_split(
        np.arange(arrays.num_requirements, dtype=np.int64),
        max(1, min(arrays.num_requirements, workers * EXACT_CHUNKS_PER_WORKER)),
    )
    tasks = [
        (arrays.take(_options_of(option_span, chunk), chunk),) for chunk in chunks if len(chunk)
    ]
    counts = np.zeros(arrays.num_options)
    floors = np.zeros(arrays.num_requirements)
    for chunk, (chunk_counts, costs) in zip(
        [c for c in chunks if len(c)], run(solve_exact, tasks), strict=True
    ):
        counts[_options_of(option_span, chunk)] = chunk_counts
        floors[chunk] = costs
    return counts, floors


def _milp_round(
    arrays: SubProblem,
    pieces: list[IntArray],
    option_span: tuple[IntArray, IntArray],
    counts: FloatArray,
    ledger: _Ledger,
    settings: MilpSettings,
    run: Runner,
    relaxed: bool = True,
) -> None:
    """Solve each piece (requirement positions) as a MILP, from the current award."""
    floored = _with_floors(arrays, ledger.floors)
    rows = [_options_of(option_span, piece) for piece in pieces]
    tasks: list[tuple[list[SubProblem], MilpSettings, list[FloatArray | None]]] = []
    for batch in _batches(rows):
        subs = [floored.take(rows[i], pieces[i]) for i in batch]
        tasks.append((subs, settings, [counts[rows[i]] for i in batch]))
    results = [result for batch in run(solve_pieces, tasks) for result in batch]
    for piece, option_rows, result in zip(pieces, rows, results, strict=True):
        counts[option_rows] = result.counts
        ledger.record(piece, relaxed, result)


def _with_floors(arrays: SubProblem, floors: FloatArray) -> SubProblem:
    return dataclasses.replace(arrays, requirement_floor_usd=floors)


def _batches(rows: list[IntArray]) -> Iterator[list[int]]:
    """Consecutive piece numbers grouped to about :data:`OPTIONS_PER_TASK` options."""
    batch: list[int] = []
    size = 0
    for i, option_rows in enumerate(rows):
        if batch and size + len(option_rows) > OPTIONS_PER_TASK:
            yield batch
            batch, size = [], 0
        batch.append(i)
        size += len(option_rows)
    if batch:
        yield batch


def _option_span(arrays: SubProblem) -> tuple[IntArray, IntArray]:
    """First and one-past-last option row of each requirement (options sorted by it)."""
    if np.any(np.diff(arrays.option_requirement) < 0):
        raise ValueError("options must be sorted by requirement")
    requirements = np.arange(arrays.num_requirements)
    first = np.searchsorted(arrays.option_requirement, requirements, side="left")
    last = np.searchsorted(arrays.option_requirement, requirements, side="right")
    return first.astype(np.int64), last.astype(np.int64)


def _options_of(option_span: tuple[IntArray, IntArray], requirements: IntArray) -> IntArray:
    first, last = option_span[0][requirements], option_span[1][requirements]
    lengths = last - first
    offsets = np.repeat(first - (np.cumsum(lengths) - lengths), lengths)
    rows: IntArray = (np.arange(int(lengths.sum())) + offsets).astype(np.int64)
    return rows


def _linked(arrays: SubProblem, groups: Sequence[IntArray]) -> IntArray:
    """Connected components of requirements tied by the given group codes (per option)."""
    nodes = arrays.num_requirements
    rows, columns = [], []
    for group in groups:
        member = group >= 0
        if member.any():
            _, local = np.unique(group[member], return_inverse=True)
            rows.append(arrays.option_requirement[member])
            columns.append(local + nodes)
            nodes += int(local.max()) + 1
    if not rows:
        return np.arange(arrays.num_requirements, dtype=np.int64)
    row = np.concatenate(rows)
    graph = sp.coo_matrix((np.ones(len(row)), (row, np.concatenate(columns))), (nodes, nodes))
    labels: IntArray = connected_components(graph, directed=False)[1].astype(np.int64)
    return labels[: arrays.num_requirements]


def _broken_pieces(arrays: SubProblem, labels: IntArray, broken: np.ndarray) -> list[IntArray]:
    """Requirements (ascending) of each label that holds a broken option."""
    chosen = np.unique(labels[arrays.option_requirement[broken]])
    members = np.flatnonzero(np.isin(labels, chosen))
    order = np.argsort(labels[members], kind="stable")
    members = members[order]
    cuts = np.flatnonzero(np.diff(labels[members])) + 1
    return [np.sort(piece) for piece in np.split(members, cuts)] if len(members) else []


@contextmanager
def worker_pool(workers: int) -> Iterator[Runner]:
    """``run(function, argument tuples)``: in this process, or over ``workers`` processes.

    The processes are spawned (a forked copy of a process that has used Polars may
    deadlock) and start loading the solvers at once, while the caller prepares the work.
    """
    if workers <= 1:
        yield lambda function, tasks: [function(*task) for task in tasks]
        return
    pool: Executor = ProcessPoolExecutor(
        max_workers=workers, mp_context=multiprocessing.get_context("spawn")
    )
    with pool:
        for _ in range(workers):
            pool.submit(ready)

        def run(function: Callable[..., Any], tasks: Sequence[tuple[Any, ...]]) -> list[Any]:
            futures = [pool.submit(function, *task) for task in tasks]
            return [future.result() for future in futures]

        yield run
