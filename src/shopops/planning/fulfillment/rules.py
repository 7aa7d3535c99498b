"""The fulfillment manager's rules for one allocation batch: day, penalties, calendar."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field

import numpy as np


@dataclass(frozen=True)
class AllocationRules:
    """Business rules of :func:`~shopops.planning.fulfillment.allocate_orders`.

    Parameters
    ----------
    ship_date
        The dispatch day of the batch: every parcel is handed to its carrier on it.
    split_penalty_usd_per_parcel
        Charged for each parcel of an order beyond its first (the buyer's annoyance, the
        extra box); a split is chosen only when it saves more than this.
    late_penalty_usd_per_day
        Charged per parcel for each business day it arrives after the promised delivery
        date, or is dispatched after the promised dispatch date, whichever is later.
    unallocated_penalty_usd_per_unit
        Charged per unit of a line left unallocated; large, so a line is only left when no
        warehouse and service can take it.
    packing_factor
        A parcel's volume is the sum of its units' volumes times this (void fill, box);
        enters the billable weight.
    weekmask, holidays
        Business days of the carriers, as for :func:`numpy.busday_offset`.
    max_parcels_per_order
        An order ships in at most this many parcels (one per warehouse).
    max_lines_to_split
        Orders with more lines ship whole from one warehouse (or not at all): the number of
        ways to split grows as the Bell numbers.
    mip_gap
        Relative gap the integer step is solved to when the LP over order groups is not
        integral.
    time_limit_seconds
        Wall-time limit of that integer step (``None``: none).
    exact_up_to_orders
        Batches of more orders take the large-batch path (Lagrangian prices, a repaired
        allocation and a proven bound, :mod:`~shopops.planning.fulfillment.large`) instead
        of the exact one.
    """

    ship_date: dt.date
    split_penalty_usd_per_parcel: float = 2.0
    late_penalty_usd_per_day: float = 5.0
    unallocated_penalty_usd_per_unit: float = 1000.0
    packing_factor: float = 1.2
    weekmask: str = "1111100"
    holidays: tuple[dt.date, ...] = field(default_factory=tuple)
    max_parcels_per_order: int = 3
    max_lines_to_split: int = 4
    mip_gap: float = 1e-9
    time_limit_seconds: float | None = 60.0
    exact_up_to_orders: int = 20_000

    def __post_init__(self) -> None:
        penalties = (
            self.split_penalty_usd_per_parcel,
            self.late_penalty_usd_per_day,
            self.unallocated_penalty_usd_per_unit,
        )
        if min(penalties) < 0.0:
            raise ValueError("penalties must not be negative")
        if self.packing_factor < 1.0:
            raise ValueError("packing_factor must be at least 1")
        if self.exact_up_to_orders < 0:
            raise ValueError("exact_up_to_orders must not be negative")
        if self.max_parcels_per_order < 1 or self.max_lines_to_split < 1:
            raise ValueError("max_parcels_per_order and max_lines_to_split must be at least 1")

    def calendar(self) -> np.busdaycalendar:
        """The carriers' business days."""
        return np.busdaycalendar(
            weekmask=self.weekmask, holidays=np.array(self.holidays, dtype="datetime64[D]")
        )
