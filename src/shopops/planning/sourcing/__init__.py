"""Supplier award (sourcing): which offer covers each net requirement, how much, and why.

Part of the planning layer: pure functions over Polars frames, no I/O. Each requirement is
covered by order lines, one per offer at one all-units price tier, respecting MOQs, order
multiples, weekly capacities, lead times (expedite or pay a late penalty), category share
caps and dual sourcing of A-class SKUs, at least landed cost plus a risk penalty; what
cannot be bought is reported short with a reason. :func:`award_suppliers` solves it piece by
piece with HiGHS (through :mod:`shopops.planning.solvers`), :func:`solve_direct` as one model.
"""

from shopops.planning.sourcing.award import Award, AwardStats, award_suppliers, solve_direct
from shopops.planning.sourcing.rules import SourcingRules

__all__ = ["Award", "AwardStats", "SourcingRules", "award_suppliers", "solve_direct"]
