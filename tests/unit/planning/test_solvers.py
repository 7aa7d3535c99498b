"""The HiGHS seam: small LPs and MILPs with optima worked by hand."""

from __future__ import annotations

import math

import numpy as np
import pytest

from shopops.planning.solvers import (
    LinearProblem,
    SolverOptions,
    SolveStatus,
    SparseRows,
    relative_gap,
    solve,
)


def _production_lp() -> LinearProblem:
    """max 3x + 5y s.t. x <= 4, 2y <= 12, 3x + 2y <= 18 (Hillier & Lieberman's Wyndor),
    written as min -3x - 5y: optimum x=2, y=6, objective -36."""
    rows = SparseRows.from_coo(
        row=[0, 1, 2, 2],
        column=[0, 1, 0, 1],
        value=[1.0, 2.0, 3.0, 2.0],
        lower=[-np.inf] * 3,
        upper=[4.0, 12.0, 18.0],
    )
    return LinearProblem(
        cost=np.array([-3.0, -5.0]), lower=np.zeros(2), upper=np.full(2, np.inf), rows=rows
    )


def test_an_lp_reaches_its_textbook_optimum() -> None:
    solution = solve(_production_lp())
    assert solution.status is SolveStatus.OPTIMAL
    assert solution.values == pytest.approx([2.0, 6.0])
    assert solution.objective == pytest.approx(-36.0)
    assert solution.best_bound == solution.objective
    assert solution.gap == 0.0


def _knapsack(capacity: float) -> LinearProblem:
    """max 10a + 13b + 7c s.t. 5a + 7b + 4c <= capacity, binaries (as a minimisation)."""
    rows = SparseRows.from_coo(
        row=[0, 0, 0], column=[0, 1, 2], value=[5.0, 7.0, 4.0], lower=[-np.inf], upper=[capacity]
    )
    return LinearProblem(
        cost=np.array([-10.0, -13.0, -7.0]),
        lower=np.zeros(3),
        upper=np.ones(3),
        rows=rows,
        integer=np.ones(3, bool),
    )


def test_a_milp_is_solved_to_its_integer_optimum_with_a_proven_bound() -> None:
    solution = solve(_knapsack(11.0), SolverOptions(mip_rel_gap=1e-9))
    assert solution.status is SolveStatus.OPTIMAL
    assert solution.values == pytest.approx([0.0, 1.0, 1.0])
    assert solution.objective == pytest.approx(-20.0)
    assert solution.best_bound <= solution.objective + 1e-9
    assert solution.gap <= 1e-9


def test_its_relaxation_is_weaker_than_the_integer_optimum() -> None:
    problem = _knapsack(11.0)
    relaxed = solve(LinearProblem(problem.cost, problem.lower, problem.upper, problem.rows))
    assert relaxed.objective < -20.0


def test_a_start_with_missing_columns_is_completed_and_kept() -> None:
    start = np.array([1.0, np.nan, np.nan])
    solution = solve(_knapsack(11.0), SolverOptions(mip_rel_gap=1e-9), start=start)
    assert solution.objective == pytest.approx(-20.0)


def test_an_infeasible_model_says_so_without_values() -> None:
    rows = SparseRows.from_coo(
        row=[0, 0], column=[0, 1], value=[1.0, 1.0], lower=[5.0], upper=[np.inf]
    )
    problem = LinearProblem(
        cost=np.ones(2), lower=np.zeros(2), upper=np.ones(2), rows=rows, integer=np.ones(2, bool)
    )
    solution = solve(problem)
    assert solution.status is SolveStatus.INFEASIBLE
    assert not solution.has_values
    assert np.isnan(solution.values).all()


def test_bounds_alone_need_no_rows() -> None:
    problem = LinearProblem(
        cost=np.array([2.0, -1.0]),
        lower=np.array([1.5, 0.0]),
        upper=np.array([4.0, 2.5]),
        rows=SparseRows.empty(),
        integer=np.array([True, True]),
    )
    solution = solve(problem)
    assert solution.values == pytest.approx([2.0, 2.0])
    assert solution.objective == pytest.approx(2.0)


def test_rows_from_coordinates_in_any_order_are_grouped_by_row() -> None:
    rows = SparseRows.from_coo(
        row=[2, 0, 1, 0],
        column=[1, 0, 1, 1],
        value=[4.0, 1.0, 3.0, 2.0],
        lower=[0, 0, 0],
        upper=[1, 1, 1],
    )
    assert rows.start.tolist() == [0, 2, 3, 4]
    assert rows.index.tolist() == [0, 1, 1, 1]
    assert rows.value.tolist() == [1.0, 2.0, 3.0, 4.0]


def test_the_thread_count_can_change_between_solves() -> None:
    one = solve(_knapsack(11.0), SolverOptions(threads=1))
    two = solve(_knapsack(11.0), SolverOptions(threads=2))
    assert one.objective == two.objective == pytest.approx(-20.0)


def test_relative_gap_is_measured_on_the_objective() -> None:
    assert relative_gap(100.0, 99.0) == pytest.approx(0.01)
    assert relative_gap(100.0, 101.0) == 0.0
    assert math.isinf(relative_gap(math.nan, 1.0))
