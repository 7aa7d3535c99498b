"""The shipment lifecycle's rules: stages, allowed steps, order status, tracking numbers."""

from __future__ import annotations

import pytest

from shopops.domain.orders import OrderLineStatus as L
from shopops.domain.orders import OrderStatus as O
from shopops.domain.orders import ShipmentStatus as S
from shopops.domain.shipping import (
    ALLOWED_STEPS,
    STAGE_AFTER,
    IllegalStepError,
    InvalidShipmentRequestError,
    ShipmentStep,
    Stage,
    Step,
    allowed_steps,
    check_step,
    order_status_after,
    stage_of,
    tracking_number_valid,
)


def test_picking_splits_into_to_pick_and_to_pack() -> None:
    assert stage_of(S.PICKING, picked=False) is Stage.TO_PICK
    assert stage_of(S.PICKING, picked=True) is Stage.TO_PACK
    assert stage_of(S.IN_TRANSIT, picked=True) is Stage.IN_TRANSIT


def test_the_happy_path_is_allowed_step_by_step() -> None:
    stage = Stage.TO_PICK
    for step in (Step.PICK, Step.PACK, Step.SHIP, Step.IN_TRANSIT, Step.DELIVER):
        check_step("shipment 1", stage, step)
        stage = STAGE_AFTER[step]
    assert stage is Stage.DELIVERED
    assert allowed_steps(stage) == ()


def test_cancelling_is_possible_only_before_the_carrier_pickup() -> None:
    cancellable = {stage for stage, steps in ALLOWED_STEPS.items() if Step.CANCEL in steps}
    assert cancellable == {Stage.TO_PICK, Stage.TO_PACK, Stage.PACKED}


def test_a_refused_step_names_the_stage_and_what_may_follow() -> None:
    with pytest.raises(
        IllegalStepError,
        match="shipment 7 is shipped: it cannot pack; allowed next: in_transit, deliver, exception",
    ):
        check_step("shipment 7", Stage.SHIPPED, Step.PACK)
    with pytest.raises(IllegalStepError, match=r"allowed next: none \(final stage\)"):
        check_step("shipment 7", Stage.CANCELLED, Step.SHIP)


@pytest.mark.parametrize(
    ("lines", "expected"),
    [
        ([(L.PICKED, S.PICKING), (L.RESERVED, None)], O.ALLOCATED),
        ([(L.SHIPPED, S.SHIPPED), (L.PICKED, S.PACKED)], O.PARTIALLY_SHIPPED),
        ([(L.SHIPPED, S.SHIPPED), (L.SHIPPED, S.DELIVERED)], O.SHIPPED),
        ([(L.SHIPPED, S.EXCEPTION), (L.CANCELLED, None)], O.SHIPPED),
        ([(L.SHIPPED, S.DELIVERED), (L.CANCELLED, None)], O.DELIVERED),
        ([(L.CANCELLED, None)], O.ALLOCATED),
    ],
)
def test_the_order_status_follows_its_live_lines(
    lines: list[tuple[L, S | None]], expected: O
) -> None:
    assert order_status_after(O.ALLOCATED, lines) is expected


@pytest.mark.parametrize(
    ("number", "pattern", "valid"),
    [
        ("1Z999AA10123456784", "^1Z[0-9A-Z]{16}$", True),
        ("1Z999AA1012345678", "^1Z[0-9A-Z]{16}$", False),
        ("x1Z999AA10123456784", "1Z[0-9A-Z]{16}", False),
        ("COL-778", None, True),
        ("   ", None, False),
        (None, "^1Z", False),
        ("1Z", "([", False),
    ],
)
def test_a_tracking_number_is_valid_when_present_and_matching_in_full(
    number: str | None, pattern: str | None, valid: bool
) -> None:
    assert tracking_number_valid(number, pattern) is valid


def test_requests_with_missing_or_misplaced_fields_are_refused_naming_them() -> None:
    with pytest.raises(InvalidShipmentRequestError, match=r"^note:"):
        ShipmentStep(1, Step.EXCEPTION, note=" ").validate()
    with pytest.raises(InvalidShipmentRequestError, match=r"^tracking_number: given with pack"):
        ShipmentStep(1, Step.PACK, tracking_number="1Z").validate()
    with pytest.raises(InvalidShipmentRequestError, match="1 to 64 characters"):
        ShipmentStep(1, Step.SHIP, tracking_number="9" * 65).validate()
    ShipmentStep(1, Step.SHIP, tracking_number="1Z", note="dock 3").validate()
