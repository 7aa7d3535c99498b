"""The stock ledger of the simulation: movements, and stock on its way in.

Timing rule that keeps the ledger from ever going negative: stock that arrives on a day
(receipts, put-away returns, transfers in) is booked before 08:00 and counts from that
day; stock that leaves (picks, transfers out, count losses) is decided from what is on
hand after that day's arrivals and booked at or after 08:00.
"""

from __future__ import annotations

from collections import defaultdict
from dataclasses import dataclass, field

import numpy as np
import polars as pl

from shopops.data.schemas import INVENTORY_MOVEMENTS, RECEIPTS
from shopops.data.synth.columns import US_PER_HOUR, datetimes, pick
from shopops.domain.inventory import MovementReference, MovementType

MOVEMENT_TYPES = tuple(m.value for m in MovementType)
REFERENCES = tuple(r.value for r in MovementReference)
INBOUND_HOURS = (5, 8)
"""Arrivals are booked between 05:00 and 08:00; everything leaving from 08:00 on."""


@dataclass(frozen=True)
class Movements:
    """A batch of ledger movements as columns; ``reference_id`` -1 means none."""

    sku: np.ndarray
    warehouse: np.ndarray
    kind: np.ndarray  # index into MOVEMENT_TYPES
    quantity: np.ndarray
    moved_at_us: np.ndarray
    reference: np.ndarray  # index into REFERENCES
    reference_id: np.ndarray

    @staticmethod
    def of(
        kind: MovementType,
        reference: MovementReference,
        *,
        sku: np.ndarray,
        warehouse: np.ndarray,
        quantity: np.ndarray,
        moved_at_us: np.ndarray,
        reference_id: np.ndarray | None = None,
    ) -> Movements:
        """Movements of one kind; rows with quantity 0 are left out (the ledger has none)."""
        keep = quantity != 0
        n = int(keep.sum())
        ref_id = np.full(len(sku), -1) if reference_id is None else reference_id
        return Movements(
            sku=sku[keep],
            warehouse=warehouse[keep],
            kind=np.full(n, MOVEMENT_TYPES.index(kind.value)),
            quantity=quantity[keep].astype(np.int64),
            moved_at_us=moved_at_us[keep].astype(np.int64),
            reference=np.full(n, REFERENCES.index(reference.value)),
            reference_id=ref_id[keep].astype(np.int64),
        )


def movements_frame(
    batches: list[Movements], first_id: int, sku_ids: pl.Series, warehouse_ids: pl.Series
) -> pl.DataFrame:
    """The batches as ``inventory_movements`` rows in time order, numbered from ``first_id``."""
    cols = {f: np.concatenate([getattr(b, f) for b in batches]) for f in Movements.__annotations__}
    order = np.argsort(cols["moved_at_us"], kind="stable")
    cols = {name: values[order] for name, values in cols.items()}
    frame = pl.DataFrame(
        {
            "movement_id": first_id + np.arange(len(order)),
            "sku_id": sku_ids.gather(cols["sku"]),
            "warehouse_id": warehouse_ids.gather(cols["warehouse"]),
            "movement_type": pick(MOVEMENT_TYPES, cols["kind"]),
            "quantity_units": cols["quantity"],
            "moved_at": datetimes(cols["moved_at_us"]),
            "reference_type": pick(REFERENCES, cols["reference"]),
            "reference_id": pl.Series(cols["reference_id"]).set(
                pl.Series(cols["reference_id"] < 0), None
            ),
        }
    )
    return INVENTORY_MOVEMENTS.conform(frame)


@dataclass(frozen=True)
class Arrival:
    """Stock due on a day: put away ``accepted`` units and release ``on_order`` units.

    Receipts also carry their receipt rows (``po_id``, ``line_no``, received, damaged and
    rejected units); their movement references the receipt number given on arrival.
    """

    kind: MovementType
    reference: MovementReference
    sku: np.ndarray
    warehouse: np.ndarray
    accepted: np.ndarray
    on_order_release: np.ndarray
    reference_id: np.ndarray
    receipt: dict[str, np.ndarray] | None = None


@dataclass
class Inbound:
    """Arrivals waiting for their day."""

    due: dict[int, list[Arrival]] = field(default_factory=lambda: defaultdict(list))

    def add(self, day: int, arrival: Arrival) -> None:
        """Expect ``arrival`` on ``day`` (a day index)."""
        self.due[day].append(arrival)

    def add_by_day(self, days: np.ndarray, arrival: Arrival, last_day: int) -> None:
        """Split ``arrival`` (one row per unit of stock) by its ``days``; drop those too late."""
        for day in np.unique(days[days <= last_day]).tolist():
            rows = np.flatnonzero(days == day)
            receipt = (
                None
                if arrival.receipt is None
                else {k: v[rows] for k, v in arrival.receipt.items()}
            )
            self.add(
                day,
                Arrival(
                    arrival.kind,
                    arrival.reference,
                    arrival.sku[rows],
                    arrival.warehouse[rows],
                    arrival.accepted[rows],
                    arrival.on_order_release[rows],
                    arrival.reference_id[rows],
                    receipt,
                ),
            )

    def pop(self, day: int) -> list[Arrival]:
        """The day's arrivals, merged into one batch per kind of stock movement."""
        due = self.due.pop(day, [])
        kinds = dict.fromkeys(a.kind for a in due)
        return [_merge([a for a in due if a.kind == kind]) for kind in kinds]


def _merge(parts: list[Arrival]) -> Arrival:
    """One arrival holding the rows of several of the same kind."""

    def joined(name: str) -> np.ndarray:
        return np.concatenate([getattr(a, name) for a in parts])

    receipts = [a.receipt for a in parts if a.receipt is not None]
    return Arrival(
        kind=parts[0].kind,
        reference=parts[0].reference,
        sku=joined("sku"),
        warehouse=joined("warehouse"),
        accepted=joined("accepted"),
        on_order_release=joined("on_order_release"),
        reference_id=joined("reference_id"),
        receipt={k: np.concatenate([r[k] for r in receipts]) for k in receipts[0]}
        if receipts
        else None,
    )


def inbound_times(rng: np.random.Generator, day_start_us: int, n: int) -> np.ndarray:
    """Booking times of arrivals on a day: between 05:00 and 08:00."""
    first, last = INBOUND_HOURS
    return day_start_us + rng.integers(first * US_PER_HOUR, last * US_PER_HOUR, n)


def receipts_frame(rows: dict[str, np.ndarray | pl.Series]) -> pl.DataFrame:
    """``receipts`` rows from their columns."""
    return RECEIPTS.conform(pl.DataFrame(rows))
