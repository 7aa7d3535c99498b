"""The shipment lifecycle: which step may follow which, the commands, the errors.

A shipment moves through stages; every step but ``pick`` changes its status::

    to_pick --pick--> to_pack --pack--> packed --ship--> shipped --in_transit--> in_transit
       |                 |                |                 |                      |
       `------cancel-----`------cancel----`--> cancelled    `--deliver / exception-`
                                                                   |
    exception --in_transit / deliver-->                            v
                                                      delivered (final)

``to_pick`` and ``to_pack`` are both status ``picking``: picking finished once
``picked_at`` is set. A parcel leaves the warehouse with the carrier's pickup (``ship``);
before that it can be cancelled, and its lines go back to being reserved. Every step is
recorded as a ``shipment_events`` row.

Errors::

    ShippingError
    ├── UnknownShipmentError        no such shipment or order
    ├── IllegalStepError            the shipment's stage does not allow the step
    ├── InvalidShipmentRequestError a request with a missing or bad field
    └── NoServiceError              no carrier service can take the parcel
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from enum import StrEnum

from shopops.domain.orders import OrderLineStatus, OrderStatus, ShipmentStatus

Status = ShipmentStatus


class Step(StrEnum):
    """What a warehouse user or a carrier feed reports for a shipment."""

    PICK = "pick"
    PACK = "pack"
    SHIP = "ship"
    IN_TRANSIT = "in_transit"
    DELIVER = "deliver"
    EXCEPTION = "exception"
    CANCEL = "cancel"


class Stage(StrEnum):
    """Where a shipment stands: its status, with ``picking`` split at the end of picking."""

    TO_PICK = "to_pick"
    TO_PACK = "to_pack"
    PACKED = "packed"
    SHIPPED = "shipped"
    IN_TRANSIT = "in_transit"
    DELIVERED = "delivered"
    EXCEPTION = "exception"
    CANCELLED = "cancelled"


ALLOWED_STEPS: Mapping[Stage, frozenset[Step]] = {
    Stage.TO_PICK: frozenset({Step.PICK, Step.CANCEL}),
    Stage.TO_PACK: frozenset({Step.PACK, Step.CANCEL}),
    Stage.PACKED: frozenset({Step.SHIP, Step.CANCEL}),
    Stage.SHIPPED: frozenset({Step.IN_TRANSIT, Step.DELIVER, Step.EXCEPTION}),
    Stage.IN_TRANSIT: frozenset({Step.DELIVER, Step.EXCEPTION}),
    Stage.EXCEPTION: frozenset({Step.IN_TRANSIT, Step.DELIVER}),
    Stage.DELIVERED: frozenset(),
    Stage.CANCELLED: frozenset(),
}
"""The steps each stage allows."""

STAGE_AFTER: Mapping[Step, Stage] = {
    Step.PICK: Stage.TO_PACK,
    Step.PACK: Stage.PACKED,
    Step.SHIP: Stage.SHIPPED,
    Step.IN_TRANSIT: Stage.IN_TRANSIT,
    Step.DELIVER: Stage.DELIVERED,
    Step.EXCEPTION: Stage.EXCEPTION,
    Step.CANCEL: Stage.CANCELLED,
}

STATUS_AFTER: Mapping[Step, Status] = {
    Step.PICK: Status.PICKING,
    Step.PACK: Status.PACKED,
    Step.SHIP: Status.SHIPPED,
    Step.IN_TRANSIT: Status.IN_TRANSIT,
    Step.DELIVER: Status.DELIVERED,
    Step.EXCEPTION: Status.EXCEPTION,
    Step.CANCEL: Status.CANCELLED,
}

TIMESTAMP_OF: Mapping[Step, str] = {
    Step.PICK: "picked_at",
    Step.PACK: "packed_at",
    Step.SHIP: "shipped_at",
    Step.DELIVER: "delivered_at",
}
"""The ``shipments`` column a step sets to the time it happened."""

NOT_YET_SHIPPED = frozenset({Stage.TO_PICK, Stage.TO_PACK, Stage.PACKED})

_STEP_ORDER = tuple(Step)


class ShippingError(Exception):
    """Base of the errors of shipments."""


class UnknownShipmentError(ShippingError):
    """The shipment, or the order, does not exist."""


class IllegalStepError(ShippingError):
    """The shipment's stage does not allow the step asked for."""


class InvalidShipmentRequestError(ShippingError):
    """A request field is missing or out of bounds; the message names the field."""


class NoServiceError(ShippingError):
    """No carrier service serves the lane or carries the parcel."""


def stage_of(status: Status, picked: bool) -> Stage:
    """The stage of a shipment in ``status``, ``picked`` telling whether picking finished."""
    if status is Status.PICKING:
        return Stage.TO_PACK if picked else Stage.TO_PICK
    return Stage(status.value)


def allowed_steps(stage: Stage) -> tuple[Step, ...]:
    """The steps ``stage`` allows, in lifecycle order."""
    return tuple(s for s in _STEP_ORDER if s in ALLOWED_STEPS[stage])


def check_step(label: str, stage: Stage, step: Step) -> None:
    """Refuse a step the lifecycle does not allow, naming the shipment, stage and options."""
    if step in ALLOWED_STEPS[stage]:
        return
    options = ", ".join(s.value for s in allowed_steps(stage)) or "none (final stage)"
    raise IllegalStepError(
        f"{label} is {stage.value}: it cannot {step.value}; allowed next: {options}"
    )


def order_status_after(
    current: OrderStatus, lines: Iterable[tuple[OrderLineStatus, Status | None]]
) -> OrderStatus:
    """The order's status from its lines' and their shipments' statuses.

    Over the lines not cancelled: ``delivered`` when every one shipped and its shipment
    was delivered, ``shipped`` when every one shipped, ``partially_shipped`` when some
    did; otherwise the order keeps ``current``.
    """
    live = [(line, parcel) for line, parcel in lines if line is not OrderLineStatus.CANCELLED]
    shipped = [parcel for line, parcel in live if line is OrderLineStatus.SHIPPED]
    if not live or not shipped:
        return current
    if len(shipped) < len(live):
        return OrderStatus.PARTIALLY_SHIPPED
    if all(parcel is Status.DELIVERED for parcel in shipped):
        return OrderStatus.DELIVERED
    return OrderStatus.SHIPPED


def tracking_number_valid(number: str | None, pattern: str | None) -> bool:
    """Whether a tracking number is present and matches the carrier's pattern in full.

    A carrier without a pattern accepts any non-blank number; a pattern that is not a
    valid regular expression matches nothing.
    """
    if number is None or not number.strip():
        return False
    if pattern is None:
        return True
    try:
        return re.fullmatch(pattern, number) is not None
    except re.error:
        return False


@dataclass(frozen=True, slots=True)
class ShipmentStep:
    """One step reported for a shipment.

    ``tracking_number`` comes with ``ship`` (the carrier's label); ``note`` is free text
    and required for ``exception`` (what the carrier reported).
    """

    shipment_id: int
    step: Step
    tracking_number: str | None = None
    note: str | None = None

    def validate(self) -> None:
        """Refuse a missing exception note and fields that do not belong, naming them."""
        if self.step is Step.EXCEPTION and not (self.note or "").strip():
            raise InvalidShipmentRequestError(
                "note: an exception needs a note saying what happened"
            )
        if self.tracking_number is not None:
            if self.step is not Step.SHIP:
                raise InvalidShipmentRequestError(
                    f"tracking_number: given with {self.step.value}; it comes with ship"
                )
            if not self.tracking_number.strip() or len(self.tracking_number) > 64:
                raise InvalidShipmentRequestError("tracking_number must have 1 to 64 characters")
        if self.note is not None and len(self.note) > 500:
            raise InvalidShipmentRequestError("note must have at most 500 characters")
