"""The master problem over a pool of group columns, as an LP (with prices) or a MILP.

``min cost . x`` subject to ``sum of x over a group's columns = orders in the group`` and
``A x <= capacity`` (stock, outbound, pickup), ``x >= 0`` (integer in the MILP). The LP is
solved by HiGHS through SciPy's ``linprog``, which returns the row prices column generation
needs (the shared seam :mod:`shopops.planning.solvers` gives values only); the MILP goes
through that seam.
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np
import scipy.sparse as sp
from scipy.optimize import linprog

from shopops.planning import solvers
from shopops.planning.fulfillment.batch import FloatArray, IntArray


@dataclass(frozen=True)
class Master:
    """Columns as ``group`` row, ``cost`` and resource use ``(column, row, amount)``."""

    group: IntArray
    cost: FloatArray
    usage_column: IntArray
    usage_row: IntArray
    usage_amount: FloatArray
    demand: FloatArray
    """Orders per group row."""
    capacity: FloatArray
    """Residual capacity of every resource row."""


@dataclass(frozen=True)
class MasterSolution:
    values: FloatArray
    objective: float
    group_prices: FloatArray
    resource_prices: FloatArray
    """``y >= 0`` on every resource (0 on rows no column uses)."""
    best_bound: float
    optimal: bool = True
    """Proven optimal (within the MIP gap); False when a time limit stopped the MILP."""


class MasterError(RuntimeError):
    """The master problem could not be solved (it is always feasible: the unallocated
    column of every group fits)."""


def _rows(master: Master) -> tuple[IntArray, sp.csr_matrix]:
    """The resource rows some column uses and that can bind (finite capacity), as CSR."""
    bounded = np.isfinite(master.capacity[master.usage_row])
    row, column = master.usage_row[bounded], master.usage_column[bounded]
    used = np.unique(row)
    local = np.searchsorted(used, row)
    matrix = sp.csr_matrix(
        (master.usage_amount[bounded], (local, column)),
        shape=(len(used), len(master.cost)),
    )
    return used, matrix


def solve_lp(master: Master) -> MasterSolution:
    """LP optimum with the prices of the group rows and of the resources."""
    used, a_ub = _rows(master)
    n_groups = len(master.demand)
    a_eq = sp.csr_matrix(
        (np.ones(len(master.group)), (master.group, np.arange(len(master.group)))),
        shape=(n_groups, len(master.cost)),
    )
    result = linprog(  # type: ignore[call-overload]
        master.cost,
        A_ub=a_ub if len(used) else None,
        b_ub=master.capacity[used] if len(used) else None,
        A_eq=a_eq,
        b_eq=master.demand,
        bounds=(0, None),
        method="highs",
    )
    if result.status != 0:
        raise MasterError(f"allocation LP ended with status {result.status}: {result.message}")
    prices = np.zeros(len(master.capacity))
    if len(used):
        prices[used] = np.maximum(-np.asarray(result.ineqlin.marginals), 0.0)
    objective = float(result.fun)
    return MasterSolution(
        np.asarray(result.x), objective, np.asarray(result.eqlin.marginals), prices, objective
    )


def solve_milp(
    master: Master, *, mip_gap: float, time_limit_seconds: float | None
) -> MasterSolution:
    """Integer optimum (within ``mip_gap``) over the same columns."""
    used, a_ub = _rows(master)
    n_groups = len(master.demand)
    n = len(master.cost)
    row = np.concatenate([master.group, n_groups + a_ub.tocoo().row])
    column = np.concatenate([np.arange(n), a_ub.tocoo().col])
    value = np.concatenate([np.ones(n), a_ub.tocoo().data])
    rows = solvers.SparseRows.from_coo(
        row=row,
        column=column,
        value=value,
        lower=np.concatenate([master.demand, np.full(len(used), -np.inf)]),
        upper=np.concatenate([master.demand, master.capacity[used]]),
    )
    problem = solvers.LinearProblem(
        cost=master.cost,
        lower=np.zeros(n),
        upper=np.full(n, np.inf),
        rows=rows,
        integer=np.ones(n, dtype=bool),
    )
    options = solvers.SolverOptions(mip_rel_gap=mip_gap, time_limit_seconds=time_limit_seconds)
    solution = solvers.solve(problem, options)
    if not solution.has_values:
        raise MasterError(f"allocation MILP ended {solution.status.value}")
    empty = np.zeros(0)
    return MasterSolution(
        np.round(solution.values),
        solution.objective,
        empty,
        empty,
        solution.best_bound,
        solution.status is solvers.SolveStatus.OPTIMAL,
    )
