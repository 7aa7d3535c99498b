"""Array helpers shared by the policy engines: types, row broadcasting and result tables."""

from __future__ import annotations

from dataclasses import dataclass, fields
from typing import TypeAlias

import numpy as np
import numpy.typing as npt
import polars as pl

FloatArray: TypeAlias = npt.NDArray[np.float64]
IntArray: TypeAlias = npt.NDArray[np.int64]
BoolArray: TypeAlias = npt.NDArray[np.bool_]
Numbers: TypeAlias = npt.ArrayLike


def as_float(value: Numbers) -> FloatArray:
    """``value`` as a float64 array of its own shape (a scalar becomes a 0-d array)."""
    return np.asarray(value, dtype=np.float64)


def as_rows(*values: Numbers) -> list[FloatArray]:
    """Broadcast scalars and 1-D arrays to one row count; each result is a fresh 1-D array."""
    arrays = np.broadcast_arrays(*(np.atleast_1d(as_float(v)) for v in values))
    if arrays and arrays[0].ndim != 1:
        raise ValueError("policy inputs must be scalars or 1-D arrays of one length per row")
    return [np.array(a, dtype=np.float64) for a in arrays]


def as_table(values: Numbers, rows: int) -> FloatArray:
    """A rows x columns float array; a single 1-D list is repeated for every row."""
    table = np.atleast_2d(as_float(values))
    if table.ndim != 2:
        raise ValueError("tables must be 1-D (one for all rows) or 2-D (rows x columns)")
    return np.array(np.broadcast_to(table, (rows, table.shape[1])), dtype=np.float64)


@dataclass(frozen=True, slots=True)
class PolicyTable:
    """Base of every engine result: one array per column, all of one length.

    Each result keeps the inputs that produced its numbers next to them, so a planner can
    see why a reorder point or an order quantity is what it is.
    """

    def to_frame(self) -> pl.DataFrame:
        """The result as a Polars frame, one column per field, in field order."""
        return pl.DataFrame({f.name: getattr(self, f.name) for f in fields(self)})
