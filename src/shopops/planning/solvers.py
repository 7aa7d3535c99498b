"""The one seam between the planning engines and the HiGHS solver (``highspy``).

An engine states its model as sparse arrays — column costs and bounds, which columns are
integer, and the constraint rows ``lower <= A x <= upper`` in compressed sparse row (CSR)
form — and gets back a :class:`Solution`: status, objective, the best proven bound, the
relative gap between them, the column values and the wall time. Nothing else in the
package imports ``highspy``, so the solver can be swapped or faked behind this module.

Minimise ``cost @ x + offset`` subject to ``lower <= x <= upper``,
``row_lower <= A @ x <= row_upper`` and ``x[j]`` integer where ``integer[j]``::

    rows = SparseRows.from_coo(row=[0, 0], column=[0, 1], value=[1.0, 1.0],
                               lower=[2.0], upper=[np.inf])
    problem = LinearProblem(cost=np.array([3.0, 5.0]), lower=np.zeros(2),
                            upper=np.full(2, np.inf), rows=rows,
                            integer=np.array([True, False]))
    solution = solve(problem, SolverOptions(mip_rel_gap=1e-6))
    solution.values   # array([2., 0.])
"""

from __future__ import annotations

import dataclasses
import math
import os
import sys
from dataclasses import dataclass, field
from enum import StrEnum
from typing import Any

import highspy
import numpy as np
from numpy.typing import ArrayLike, NDArray

FloatArray = NDArray[np.float64]
IndexArray = NDArray[np.int64]
BoolArray = NDArray[np.bool_]

__all__ = [
    "LinearProblem",
    "Solution",
    "SolveStatus",
    "SolverOptions",
    "SparseRows",
    "relative_gap",
    "solve",
]


class SolveStatus(StrEnum):
    """How a solve ended, in the engines' words.

    ``OPTIMAL``: proven within the requested gap. ``FEASIBLE``: a solution was found but a
    limit (time, nodes) stopped the proof. ``NO_SOLUTION``: a limit stopped the solve before
    any solution. ``INFEASIBLE`` / ``UNBOUNDED``: the model is. ``ERROR``: HiGHS failed.
    """

    OPTIMAL = "optimal"
    FEASIBLE = "feasible"
    NO_SOLUTION = "no_solution"
    INFEASIBLE = "infeasible"
    UNBOUNDED = "unbounded"
    ERROR = "error"


@dataclass(frozen=True)
class SparseRows:
    """Constraint rows ``lower <= A x <= upper`` with ``A`` in CSR form.

    Row ``i`` holds the entries ``index[start[i]:start[i+1]]`` (column numbers) with
    ``value[start[i]:start[i+1]]``; ``start`` has one more element than there are rows.
    Use ``-inf`` / ``inf`` for a missing side.
    """

    start: IndexArray
    index: IndexArray
    value: FloatArray
    lower: FloatArray
    upper: FloatArray

    @property
    def num_rows(self) -> int:
        return len(self.lower)

    @classmethod
    def empty(cls) -> SparseRows:
        """No rows at all (a problem with bounds only)."""
        none = np.zeros(0)
        return cls(np.zeros(1, np.int64), np.zeros(0, np.int64), none, none, none)

    @classmethod
    def from_coo(
        cls,
        *,
        row: ArrayLike,
        column: ArrayLike,
        value: ArrayLike,
        lower: ArrayLike,
        upper: ArrayLike,
    ) -> SparseRows:
        """Rows from coordinate triplets ``(row, column, value)``, in any order.

        Entries repeated for the same ``(row, column)`` are kept as given; HiGHS rejects
        them, so callers sum duplicates first (the engines never create any).
        """
        rows = np.asarray(row, np.int64)
        lower_array = np.asarray(lower, np.float64)
        order = np.argsort(rows, kind="stable")
        counts = np.bincount(rows, minlength=len(lower_array))
        start = np.zeros(len(lower_array) + 1, np.int64)
        np.cumsum(counts, out=start[1:])
        return cls(
            start=start,
            index=np.asarray(column, np.int64)[order],
            value=np.asarray(value, np.float64)[order],
            lower=lower_array,
            upper=np.asarray(upper, np.float64),
        )


@dataclass(frozen=True)
class LinearProblem:
    """Minimise ``cost @ x + offset`` over ``lower <= x <= upper``, ``rows`` and integrality.

    ``integer`` marks the integer columns (a binary is an integer column with bounds 0 and
    1); ``None`` makes the problem a pure LP.
    """

    cost: FloatArray
    lower: FloatArray
    upper: FloatArray
    rows: SparseRows
    integer: BoolArray | None = None
    offset: float = 0.0

    @property
    def num_columns(self) -> int:
        return len(self.cost)

    @property
    def num_integers(self) -> int:
        return 0 if self.integer is None else int(self.integer.sum())


@dataclass(frozen=True)
class SolverOptions:
    """Stopping rules and resources for one solve.

    ``mip_rel_gap``: stop once ``(objective - bound) / |objective|`` is below it.
    ``time_limit_seconds``: wall-time limit (``None``: none). ``threads``: HiGHS worker
    threads (``None``: HiGHS's default; HiGHS's scheduler is restarted when the number
    changes). ``log``: let HiGHS print its log. ``presolve``: run HiGHS presolve.
    ``primal_heuristics``: run HiGHS's primal heuristics (feasibility jump, RINS, RENS,
    root reduced cost, the rest by effort); they cost several milliseconds a solve, which
    dominates models of a few hundred columns that come with a good ``start``.
    ``restarts``: let the MILP restart its root after fixing columns (pays off on large
    models, not on small ones).
    """

    mip_rel_gap: float = 1e-4
    time_limit_seconds: float | None = None
    threads: int | None = None
    log: bool = False
    presolve: bool = True
    primal_heuristics: bool = True
    restarts: bool = True


@dataclass(frozen=True)
class Solution:
    """The outcome of :func:`solve`.

    ``objective`` is that of ``values`` (``nan`` without a solution), ``best_bound`` the
    proven lower bound (equal to the objective for a solved LP), ``gap`` the relative gap
    :func:`relative_gap` between them, ``seconds`` the wall time HiGHS reports and
    ``nodes`` the branch-and-bound nodes (0 for an LP).
    """

    status: SolveStatus
    objective: float
    best_bound: float
    gap: float
    values: FloatArray = field(repr=False)
    seconds: float
    nodes: int = 0

    @property
    def has_values(self) -> bool:
        return self.status in (SolveStatus.OPTIMAL, SolveStatus.FEASIBLE)


def relative_gap(objective: float, best_bound: float) -> float:
    """``(objective - best_bound) / max(|objective|, 1e-9)``, 0 when both are equal."""
    if not (math.isfinite(objective) and math.isfinite(best_bound)):
        return math.inf
    difference = max(objective - best_bound, 0.0)
    return 0.0 if difference == 0.0 else difference / max(abs(objective), 1e-9)


def solve(
    problem: LinearProblem,
    options: SolverOptions | None = None,
    *,
    start: FloatArray | None = None,
) -> Solution:
    """Solve ``problem`` with HiGHS; ``start`` is an optional starting solution of a MILP.

    A starting solution gives the MILP an incumbent from the first node, so the gap closes
    sooner. Columns left ``nan`` in ``start`` are completed by HiGHS (it fixes the given
    integer columns and solves for the rest); a start that cannot be completed is ignored.

    HiGHS now and then ends a MILP in error when its last solution breaks a row by its own
    feasibility tolerance; such a solve is repeated once without the start and with the
    opposite presolve setting, which takes another path.
    """
    options = options or SolverOptions()
    solution = _run(problem, options, start)
    if solution.status is SolveStatus.ERROR and problem.num_integers:
        retry = dataclasses.replace(options, presolve=not options.presolve)
        solution = _run(problem, retry, None)
    return solution


def _new_highs(*, quiet: bool) -> highspy.Highs:
    """A HiGHS instance; ``quiet`` keeps its start-up banner (written straight to the
    process's standard output, once per process) off the user's terminal."""
    if not quiet:
        return highspy.Highs()  # type: ignore[no-untyped-call]
    sys.stdout.flush()
    saved = os.dup(1)
    devnull = os.open(os.devnull, os.O_WRONLY)
    try:
        os.dup2(devnull, 1)
        return highspy.Highs()  # type: ignore[no-untyped-call]
    finally:
        os.dup2(saved, 1)
        os.close(saved)
        os.close(devnull)


def _run(problem: LinearProblem, options: SolverOptions, start: FloatArray | None) -> Solution:
    highs = _new_highs(quiet=not options.log)
    _apply_options(highs, options)
    _pass_model(highs, problem)
    if start is not None and problem.num_integers:
        given = np.flatnonzero(~np.isnan(start))
        highs.setSolution(len(given), given.astype(np.int64), start[given].astype(np.float64))
    highs.run()
    return _read_solution(highs, problem)


def _apply_options(highs: highspy.Highs, options: SolverOptions) -> None:
    settings: dict[str, Any] = {
        "output_flag": options.log,
        "mip_rel_gap": options.mip_rel_gap,
        "presolve": "on" if options.presolve else "off",
    }
    if not options.restarts:
        settings["mip_allow_restart"] = False
    if not options.primal_heuristics:
        settings["mip_heuristic_effort"] = 0.0
        settings["mip_heuristic_run_feasibility_jump"] = False
        settings["mip_heuristic_run_rins"] = False
        settings["mip_heuristic_run_rens"] = False
        settings["mip_heuristic_run_root_reduced_cost"] = False
    if options.time_limit_seconds is not None:
        settings["time_limit"] = float(options.time_limit_seconds)
    if options.threads is not None:
        settings["threads"] = int(options.threads)
        _use_threads(int(options.threads))
    for name, value in settings.items():
        highs.setOptionValue(name, value)


_scheduler_threads: list[int] = []
"""The thread count HiGHS's process-wide scheduler was last started with (empty: default)."""


def _use_threads(threads: int) -> None:
    """HiGHS fixes its worker threads for the process on first use; restart the scheduler
    when a solve asks for a different number."""
    if _scheduler_threads != [threads]:
        highspy.Highs.resetGlobalScheduler(True)
        _scheduler_threads[:] = [threads]


def _pass_model(highs: highspy.Highs, problem: LinearProblem) -> None:
    rows = problem.rows
    integrality = (
        np.zeros(problem.num_columns, np.int64)
        if problem.integer is None
        else problem.integer.astype(np.int64)
    )
    highs.passModel(
        problem.num_columns,
        rows.num_rows,
        len(rows.index),
        int(highspy.MatrixFormat.kRowwise),
        int(highspy.ObjSense.kMinimize),
        float(problem.offset),
        np.ascontiguousarray(problem.cost, np.float64),
        np.ascontiguousarray(problem.lower, np.float64),
        np.ascontiguousarray(problem.upper, np.float64),
        np.ascontiguousarray(rows.lower, np.float64),
        np.ascontiguousarray(rows.upper, np.float64),
        np.ascontiguousarray(rows.start[:-1] if rows.num_rows else rows.start[:0], np.int64),
        np.ascontiguousarray(rows.index, np.int64),
        np.ascontiguousarray(rows.value, np.float64),
        integrality,
    )


_STATUS = {
    highspy.HighsModelStatus.kOptimal: SolveStatus.OPTIMAL,
    highspy.HighsModelStatus.kModelEmpty: SolveStatus.OPTIMAL,
    highspy.HighsModelStatus.kInfeasible: SolveStatus.INFEASIBLE,
    highspy.HighsModelStatus.kUnbounded: SolveStatus.UNBOUNDED,
    highspy.HighsModelStatus.kUnboundedOrInfeasible: SolveStatus.INFEASIBLE,
}


def _status(highs: highspy.Highs) -> SolveStatus:
    model_status = highs.getModelStatus()
    if model_status in _STATUS:
        return _STATUS[model_status]
    has_solution = highs.getInfo().primal_solution_status == highspy.kSolutionStatusFeasible
    limits = (
        highspy.HighsModelStatus.kTimeLimit,
        highspy.HighsModelStatus.kIterationLimit,
        highspy.HighsModelStatus.kSolutionLimit,
        highspy.HighsModelStatus.kInterrupt,
        highspy.HighsModelStatus.kObjectiveBound,
        highspy.HighsModelStatus.kObjectiveTarget,
        highspy.HighsModelStatus.kMemoryLimit,
        highspy.HighsModelStatus.kUnknown,
    )
    if model_status in limits:
        return SolveStatus.FEASIBLE if has_solution else SolveStatus.NO_SOLUTION
    return SolveStatus.ERROR


def _read_solution(highs: highspy.Highs, problem: LinearProblem) -> Solution:
    status = _status(highs)
    info = highs.getInfo()
    seconds = float(highs.getRunTime())
    if status not in (SolveStatus.OPTIMAL, SolveStatus.FEASIBLE):
        empty = np.full(problem.num_columns, np.nan)
        return Solution(status, math.nan, math.nan, math.inf, empty, seconds)
    values = np.asarray(highs.getSolution().col_value, np.float64)
    if problem.num_columns == 0:
        values = np.zeros(0)
    objective = float(problem.cost @ values + problem.offset) if len(values) else problem.offset
    if problem.num_integers:
        bound = min(float(info.mip_dual_bound), objective)
        nodes = int(info.mip_node_count)
    else:
        bound, nodes = objective, 0
    return Solution(
        status, objective, bound, relative_gap(objective, bound), values, seconds, nodes
    )
