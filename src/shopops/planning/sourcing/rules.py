"""The buyer's rules of an award: share caps, dual sourcing, risk and lateness prices."""

from __future__ import annotations

import math
from dataclasses import dataclass


@dataclass(frozen=True)
class SourcingRules:
    """Business rules of :func:`~shopops.planning.sourcing.award_suppliers`.

    Parameters
    ----------
    category_share_cap
        No one supplier takes more than this share of a category's awarded spend
        (quantity x unit price). Applied to a category only when at least
        ``ceil(1 / cap)`` suppliers have eligible offers for its requirements.
    dual_source_min_share
        An A-class SKU with eligible offers from at least two suppliers is awarded to at
        least two suppliers, each taking at least this share of the SKU's awarded units over
        all its requirements.
    risk_penalty_rate
        Risk penalty per unit = rate x supplier risk_score x unit price; counted in the
        decision, not paid.
    late_penalty_rate_per_day
        Penalty per unit and day late, as a share of the requirement's shortfall cost.
    late_penalty_cap_share
        The late penalty of a unit never exceeds this share of its shortfall cost: a unit
        that comes late still sells once it is in, so buying it late always beats not
        buying it when its landed cost is below the rest of its shortfall cost.
    share_cap_penalty_rate
        USD of penalty per USD of spend above a category share cap; the cap gives way only
        when keeping it would cost more (e.g. leave units short).
    dual_source_penalty_rate
        Penalty per unit a second source falls below its minimum share, as a share of the
        SKU's mean shortfall cost; at 1.0 covering a unit always beats keeping the rule.
    mip_gap
        Relative optimality gap each sub-problem is solved to.
    time_limit_seconds
        Wall-time limit of the MILPs (``None``: none); pieces still unsolved when it runs
        out keep their starting award and the bound of their requirements' floors.
    threads
        HiGHS threads per MILP (``None``: one per worker process for the pieces of
        :func:`~shopops.planning.sourcing.award_suppliers`, HiGHS's default for
        :func:`~shopops.planning.sourcing.solve_direct`).
    """

    category_share_cap: float = 0.7
    dual_source_min_share: float = 0.2
    risk_penalty_rate: float = 0.05
    late_penalty_rate_per_day: float = 0.02
    late_penalty_cap_share: float = 0.5
    share_cap_penalty_rate: float = 1.0
    dual_source_penalty_rate: float = 1.0
    mip_gap: float = 0.001
    time_limit_seconds: float | None = None
    threads: int | None = None

    def __post_init__(self) -> None:
        if not 0.0 < self.category_share_cap <= 1.0:
            raise ValueError("category_share_cap must lie in (0, 1]")
        if not 0.0 <= self.late_penalty_cap_share <= 1.0:
            raise ValueError("late_penalty_cap_share must lie in [0, 1]")
        if not 0.0 <= self.dual_source_min_share <= 0.5:
            raise ValueError("dual_source_min_share must lie in [0, 0.5]")
        rates = (
            self.risk_penalty_rate,
            self.late_penalty_rate_per_day,
            self.share_cap_penalty_rate,
            self.dual_source_penalty_rate,
            self.mip_gap,
        )
        if min(rates) < 0.0:
            raise ValueError("penalty rates and mip_gap must not be negative")

    @property
    def suppliers_for_share_cap(self) -> int:
        """Suppliers a category needs before its share cap applies: ``ceil(1 / cap)``."""
        return math.ceil(1.0 / self.category_share_cap - 1e-9)
