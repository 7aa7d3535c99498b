"""A MILP assembled block by block: columns and rows appended as arrays, then one
:class:`~shopops.planning.solvers.LinearProblem`."""

from __future__ import annotations

from dataclasses import dataclass, field

import numpy as np
from numpy.typing import NDArray

from shopops.planning.solvers import FloatArray, LinearProblem, SparseRows
from shopops.planning.sourcing.arrays import IntArray

Bound = FloatArray | NDArray[np.floating] | float
"""A bound per column or row, or one for all."""


@dataclass
class ModelBuilder:
    """Columns and rows of a MILP under construction (see the module notes)."""

    cost: list[FloatArray] = field(default_factory=list)
    lower: list[FloatArray] = field(default_factory=list)
    upper: list[FloatArray] = field(default_factory=list)
    integer: list[NDArray[np.bool_]] = field(default_factory=list)
    entries: list[tuple[IntArray, IntArray, FloatArray]] = field(default_factory=list)
    row_lower: list[FloatArray] = field(default_factory=list)
    row_upper: list[FloatArray] = field(default_factory=list)
    num_columns: int = 0
    num_rows: int = 0

    def columns(self, cost: FloatArray, lower: Bound, upper: Bound, integer: bool) -> IntArray:
        """Append ``len(cost)`` columns; returns their numbers."""
        size = len(cost)
        self.cost.append(np.asarray(cost, np.float64))
        self.lower.append(np.broadcast_to(np.asarray(lower, np.float64), size))
        self.upper.append(np.broadcast_to(np.asarray(upper, np.float64), size))
        self.integer.append(np.full(size, integer))
        first, self.num_columns = self.num_columns, self.num_columns + size
        return np.arange(first, first + size, dtype=np.int64)

    def rows(
        self,
        row: IntArray,
        column: IntArray,
        value: FloatArray,
        lower: Bound,
        upper: Bound,
    ) -> None:
        """Rows numbered from 0 locally, entries ``(row, column, value)``; ``lower`` or
        ``upper`` (one may be a scalar) gives the number of rows."""
        size = np.broadcast(np.asarray(lower), np.asarray(upper)).size
        self.entries.append((np.asarray(row, np.int64) + self.num_rows, column, value))
        self.row_lower.append(np.broadcast_to(np.asarray(lower, np.float64), size))
        self.row_upper.append(np.broadcast_to(np.asarray(upper, np.float64), size))
        self.num_rows += size

    def problem(self) -> LinearProblem:
        """The problem built so far."""

        def join(parts: list[FloatArray]) -> FloatArray:
            return np.concatenate(parts) if parts else np.zeros(0)

        rows = SparseRows.from_coo(
            row=np.concatenate([e[0] for e in self.entries]) if self.entries else [],
            column=np.concatenate([e[1] for e in self.entries]) if self.entries else [],
            value=np.concatenate([e[2] for e in self.entries]) if self.entries else [],
            lower=join(self.row_lower),
            upper=join(self.row_upper),
        )
        integer = np.concatenate(self.integer) if self.integer else np.zeros(0, bool)
        return LinearProblem(join(self.cost), join(self.lower), join(self.upper), rows, integer)
