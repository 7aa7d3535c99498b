"""A sourcing sub-problem as plain arrays: what the MILP, the exact solver and the
greedy start read, and what crosses to a worker process."""

from __future__ import annotations

import dataclasses
from dataclasses import dataclass

import numpy as np
from numpy.typing import NDArray

from shopops.planning.solvers import FloatArray

IntArray = NDArray[np.int64]

_PER_OPTION = (
    "option_requirement",
    "pair",
    "supplier",
    "multiple_units",
    "lo_multiples",
    "hi_multiples",
    "cost_usd_per_unit",
    "fixed_cost_usd",
    "spend_usd_per_unit",
    "capacity_group",
    "capacity_units",
    "share_group",
    "dual_group",
    "dual_penalty_usd_per_unit",
)
_PER_REQUIREMENT = ("quantity_units", "shortfall_cost_usd_per_unit", "requirement_floor_usd")


@dataclass(frozen=True)
class SubProblem:
    """One independent piece of the award as arrays (requirements and their options).

    Requirement arrays are indexed ``0..R-1`` and ``option_requirement`` points into them.
    Group codes (``pair``, ``supplier``, ``capacity_group``, ``share_group``,
    ``dual_group``) are any integers; -1 means "not in such a group". Per-group values
    (``capacity_units``, ``dual_penalty_usd_per_unit``) are repeated on each option.
    """

    quantity_units: FloatArray
    shortfall_cost_usd_per_unit: FloatArray
    option_requirement: IntArray
    pair: IntArray
    supplier: IntArray
    multiple_units: FloatArray
    lo_multiples: FloatArray
    hi_multiples: FloatArray
    cost_usd_per_unit: FloatArray
    fixed_cost_usd: FloatArray
    spend_usd_per_unit: FloatArray
    capacity_group: IntArray
    capacity_units: FloatArray
    share_group: IntArray
    dual_group: IntArray
    dual_penalty_usd_per_unit: FloatArray
    share_cap: float
    min_share: float
    share_penalty_rate: float
    requirement_floor_usd: FloatArray | None = None

    @property
    def num_options(self) -> int:
        return len(self.option_requirement)

    @property
    def num_requirements(self) -> int:
        return len(self.quantity_units)

    def take(self, option_rows: IntArray, requirement_rows: IntArray) -> SubProblem:
        """The requirements ``requirement_rows`` (ascending) with the options
        ``option_rows`` (all of theirs, or a subset), renumbered from 0."""
        changes: dict[str, object] = {
            name: getattr(self, name)[option_rows] for name in _PER_OPTION
        }
        for name in _PER_REQUIREMENT:
            values = getattr(self, name)
            changes[name] = None if values is None else values[requirement_rows]
        changes["option_requirement"] = np.searchsorted(
            requirement_rows, self.option_requirement[option_rows]
        ).astype(np.int64)
        return dataclasses.replace(self, **changes)  # type: ignore[arg-type]
