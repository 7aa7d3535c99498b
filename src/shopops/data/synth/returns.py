"""Returns: which delivered lines come back, why, in what condition and what happens next.

A delivered line is returned with its category's return rate (times a SKU-level factor).
The buyer asks some days after delivery and the parcel reaches the warehouse days later;
what has not happened by the end of the history is left in its current state. Grades
follow the reason (a changed mind comes back as new, a defect does not); grade A and
most grade B units are put back on the shelf, the rest refurbished, sold off or scrapped.
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np

from shopops.data.synth.categories import LEAVES
from shopops.domain.orders import ConditionGrade, Disposition, ReturnReason, ReturnStatus

REASONS = tuple(r.value for r in ReturnReason)
STATUSES = tuple(s.value for s in ReturnStatus)
GRADES = tuple(g.value for g in ConditionGrade)
DISPOSITIONS = tuple(d.value for d in Disposition)
_REASON_SHARES = {
    # damaged, defective, wrong_item, not_as_described, size_fit, changed_mind, late_delivery
    "apparel": (0.05, 0.07, 0.04, 0.20, 0.45, 0.15, 0.04),
    "electronics": (0.12, 0.35, 0.08, 0.20, 0.0, 0.20, 0.05),
    "beauty": (0.25, 0.05, 0.10, 0.20, 0.0, 0.35, 0.05),
    "home": (0.30, 0.15, 0.05, 0.25, 0.0, 0.20, 0.05),
    "general": (0.20, 0.20, 0.10, 0.15, 0.0, 0.30, 0.05),
}
_GRADE_SHARES = {
    # A, B, C, D by reason
    "damaged": (0.05, 0.15, 0.45, 0.35),
    "defective": (0.0, 0.10, 0.50, 0.40),
    "wrong_item": (0.80, 0.15, 0.05, 0.0),
    "not_as_described": (0.55, 0.30, 0.10, 0.05),
    "size_fit": (0.75, 0.20, 0.05, 0.0),
    "changed_mind": (0.70, 0.25, 0.05, 0.0),
    "late_delivery": (0.80, 0.15, 0.05, 0.0),
}
REJECT_RATE = 0.03
REFUND_AFTER_DAYS = 3


@dataclass(frozen=True)
class Returns:
    """Returns as columns (days are epoch days, -1 when not yet)."""

    line: np.ndarray  # index into the shipped lines given
    quantity: np.ndarray
    reason: np.ndarray
    status: np.ndarray
    requested_day: np.ndarray
    received_day: np.ndarray
    grade: np.ndarray  # -1 until inspected
    disposition: np.ndarray  # -1 until decided
    refund_usd: np.ndarray

    @property
    def restocked(self) -> np.ndarray:
        """Returns whose units go back on the shelf."""
        return np.asarray(self.disposition == DISPOSITIONS.index("restock"))


def draw_returns(
    rng: np.random.Generator,
    *,
    leaf: np.ndarray,
    propensity: np.ndarray,
    quantity: np.ndarray,
    unit_price_usd: np.ndarray,
    delivered_day: np.ndarray,
    last_day: int,
) -> Returns:
    """Returns of delivered lines (``delivered_day`` -1: not delivered) known by ``last_day``."""
    rate = np.array([c.return_rate for c in LEAVES])[leaf] * propensity
    returned = (delivered_day >= 0) & (rng.random(len(leaf)) < rate)
    requested = delivered_day + np.minimum(rng.geometric(0.12, len(leaf)), 30)
    line = np.flatnonzero(returned & (requested <= last_day))
    n = len(line)
    kinds = np.array([c.kind for c in LEAVES])[leaf[line]]
    reason = _by_kind(rng, kinds)
    qty = quantity[line]
    partial = (qty > 1) & (rng.random(n) < 0.2)
    qty = np.where(partial, rng.integers(1, np.maximum(qty, 2)), qty)
    received = requested[line] + rng.integers(3, 11, n)
    arrived = received <= last_day
    grade = np.where(arrived, _grades(rng, reason), -1)
    rejected = arrived & (rng.random(n) < REJECT_RATE)
    closed = arrived & ~rejected & (received <= last_day - REFUND_AFTER_DAYS)
    status = np.select(
        [rejected, closed, arrived, requested[line] >= last_day - 1],
        [
            STATUSES.index("rejected"),
            STATUSES.index("closed"),
            STATUSES.index("received"),
            STATUSES.index("requested"),
        ],
        STATUSES.index("in_transit"),
    )
    return Returns(
        line=line,
        quantity=qty,
        reason=reason,
        status=status,
        requested_day=requested[line],
        received_day=np.where(arrived, received, -1),
        grade=grade,
        disposition=np.where(arrived & ~rejected, _dispositions(rng, grade), -1),
        refund_usd=np.where(closed, np.round(qty * unit_price_usd[line], 2), 0.0),
    )


def _by_kind(rng: np.random.Generator, kinds: np.ndarray) -> np.ndarray:
    """A return reason per return, drawn with its category kind's shares."""
    reason = np.zeros(len(kinds), dtype=np.int64)
    for kind, shares in _REASON_SHARES.items():
        rows = np.flatnonzero(kinds == kind)
        p = np.array(shares) / sum(shares)
        reason[rows] = rng.choice(len(REASONS), size=len(rows), p=p)
    return reason


def _grades(rng: np.random.Generator, reason: np.ndarray) -> np.ndarray:
    """An inspection grade per return (index into GRADES), drawn by reason."""
    table = np.array([_GRADE_SHARES[r] for r in REASONS])
    cumulative = np.cumsum(table[reason], axis=1)
    return np.asarray((rng.random(len(reason))[:, None] >= cumulative[:, :3]).sum(axis=1))


def _dispositions(rng: np.random.Generator, grade: np.ndarray) -> np.ndarray:
    """A: restock; B: mostly restock; C: refurbish or liquidate; D: dispose."""
    u = rng.random(len(grade))
    restock, refurbish = DISPOSITIONS.index("restock"), DISPOSITIONS.index("refurbish")
    liquidate, dispose = DISPOSITIONS.index("liquidate"), DISPOSITIONS.index("dispose")
    return np.asarray(
        np.select(
            [grade == 0, grade == 1, grade == 2],
            [
                restock,
                np.where(u < 0.7, restock, refurbish),
                np.where(u < 0.5, refurbish, liquidate),
            ],
            dispose,
        )
    )
