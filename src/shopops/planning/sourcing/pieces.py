"""Solving one piece of an award: exactly (dynamic programme) or as a MILP with HiGHS.

These functions run in worker processes, so they take and return plain arrays.
"""

from __future__ import annotations

import dataclasses
import time
from dataclasses import dataclass

import numpy as np

from shopops.planning.solvers import FloatArray, SolverOptions, SolveStatus, solve
from shopops.planning.sourcing.arrays import SubProblem
from shopops.planning.sourcing.dual_start import dual_start
from shopops.planning.sourcing.evaluate import evaluate
from shopops.planning.sourcing.exact import solve_requirements
from shopops.planning.sourcing.incumbent import greedy_counts
from shopops.planning.sourcing.model import build_problem
from shopops.planning.sourcing.shared import solve_shared_capacity


@dataclass(frozen=True)
class MilpSettings:
    """How the MILP pieces are solved: gap, wall-clock deadline (``time.time()``), threads,
    and ``quick``: the settings for small pieces (no presolve, start-up heuristics or
    restarts, whose fixed costs dominate a model of a hundred columns)."""

    mip_gap: float
    deadline: float | None
    threads: int | None
    quick: bool


@dataclass(frozen=True)
class PieceResult:
    """Multiples per option of a piece, its objective and proven bound, and solver stats
    (``exact``: solved without a MILP, no gap)."""

    counts: FloatArray
    objective_usd: float
    best_bound_usd: float
    status: SolveStatus
    seconds: float
    variables: int
    binaries: int
    exact: bool = False


def solve_exact(sub: SubProblem) -> tuple[FloatArray, FloatArray]:
    """Each requirement of ``sub`` on its own, exactly: multiples per option and the least
    cost per requirement."""
    return solve_requirements(sub, np.arange(sub.num_requirements, dtype=np.int64))


def solve_milp(sub: SubProblem, settings: MilpSettings, start: FloatArray | None) -> PieceResult:
    """Solve ``sub`` as one MILP from the award ``start`` (multiples per option) or, when it
    is missing or breaks a weekly capacity, from the greedy award.

    The bound is the better of HiGHS's and the sum of the requirements' floors (each one's
    least cost alone). When the time limit leaves HiGHS no solution, the start stands.
    """
    begun = time.perf_counter()
    if start is None or evaluate(sub, start).broken_capacity.any():
        start = greedy_counts(sub)
    if (sub.dual_group >= 0).any():
        start = dual_start(sub, start)
    problem, columns = build_problem(sub)
    shortfall = evaluate(sub, start).shortfall_units
    solution = solve(problem, _solver_options(settings), start=columns.start(start, shortfall))
    counts = columns.option_counts(solution.values) if solution.has_values else start
    floors = 0.0 if sub.requirement_floor_usd is None else float(sub.requirement_floor_usd.sum())
    bound = max(solution.best_bound, floors) if solution.has_values else floors
    return PieceResult(
        counts=counts,
        objective_usd=evaluate(sub, counts).objective_usd,
        best_bound_usd=bound,
        status=solution.status if solution.has_values else SolveStatus.FEASIBLE,
        seconds=time.perf_counter() - begun,
        variables=problem.num_columns,
        binaries=problem.num_integers,
    )


SMALLEST_TIME_LIMIT_SECONDS = 0.05


def _solver_options(settings: MilpSettings) -> SolverOptions:
    remaining = None
    if settings.deadline is not None:
        remaining = max(settings.deadline - time.time(), SMALLEST_TIME_LIMIT_SECONDS)
    return SolverOptions(
        mip_rel_gap=settings.mip_gap,
        time_limit_seconds=remaining,
        threads=settings.threads,
        presolve=not settings.quick,
        primal_heuristics=not settings.quick,
        restarts=not settings.quick,
    )


def solve_piece(sub: SubProblem, settings: MilpSettings, start: FloatArray | None) -> PieceResult:
    """Exactly when only one shared weekly capacity ties the piece (:mod:`.shared`), else
    as a MILP."""
    begun = time.perf_counter()
    exact = solve_shared_capacity(sub, start)
    if exact is None:
        return solve_milp(sub, settings, start)
    counts, _ = exact
    objective = evaluate(sub, counts).objective_usd
    seconds = time.perf_counter() - begun
    return PieceResult(counts, objective, objective, SolveStatus.OPTIMAL, seconds, 0, 0, True)


def solve_pieces(
    subs: list[SubProblem], settings: MilpSettings, starts: list[FloatArray | None]
) -> list[PieceResult]:
    """Several pieces in one call (one task for a worker process)."""
    return [solve_piece(sub, settings, start) for sub, start in zip(subs, starts, strict=True)]


def ready() -> bool:
    """Nothing: a first task that makes a new worker process load this module."""
    return True


def without_share_caps(sub: SubProblem) -> SubProblem:
    """The same piece with its category share caps lifted (checked afterwards)."""
    return dataclasses.replace(sub, share_group=np.full(sub.num_options, -1, np.int64))
