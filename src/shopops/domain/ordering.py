"""Order intake, stock reservation and cancellation: the commands, their checks, the outcomes.

An order arrives as :class:`PlaceOrder`. Everything wrong with it is reported at once, each
problem named by its field (``lines[2].quantity_units``: ``lines[n]`` is the order's n-th
line, stored as ``line_no`` n). A line is ``open`` until stock is reserved for it at one
warehouse; an order is ``allocated`` once every line still alive is reserved. Reserved
stock is never stored on its own: it is the sum of the reserved lines, so cancelling a
line releases its units by changing the line's status.

Errors::

    OrderingError
    ├── InvalidOrderError      the order breaks the rules; carries every problem found
    ├── OrderConflictError     an external_order_id seen before, with other content
    ├── UnknownOrderError      no such order, or no such line
    └── CancelRefusedError     lines already picked or shipped
"""

from __future__ import annotations

import datetime as dt
import math
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass, field

from shopops.domain.catalog import SkuStatus
from shopops.domain.orders import CancelReason, OrderLineStatus, OrderStatus, SalesChannel
from shopops.errors import ShopOpsError

LineStatus = OrderLineStatus
ID_LENGTH = 64
FUTURE_TOLERANCE = dt.timedelta(minutes=5)
"""How far ahead of our clock a marketplace's ``ordered_at`` may be (clock drift)."""

CANCELLABLE = frozenset({LineStatus.OPEN, LineStatus.RESERVED})
"""Line statuses a cancellation may still stop; picked and shipped units left the shelf."""


class OrderingError(ShopOpsError):
    """Base of the errors of order intake, reservation and cancellation."""


@dataclass(frozen=True, slots=True)
class FieldProblem:
    """One thing wrong with a request, at the field a user would correct."""

    field: str
    message: str

    def __str__(self) -> str:
        return f"{self.field}: {self.message}"


class InvalidOrderError(OrderingError):
    """The order was refused and nothing was written; ``problems`` holds every reason."""

    def __init__(self, external_order_id: str, problems: Sequence[FieldProblem]) -> None:
        self.external_order_id = external_order_id
        self.problems = tuple(problems)
        noun = "problem" if len(self.problems) == 1 else "problems"
        lines = [f"order {external_order_id!r} refused, nothing was written: "]
        lines[0] += f"{len(self.problems)} {noun}"
        lines += [f"  {problem}" for problem in self.problems]
        super().__init__("\n".join(lines))


class OrderConflictError(OrderingError):
    """The external_order_id is stored already, with other content (the message says what)."""


class UnknownOrderError(OrderingError):
    """No order has that id or external id, or the order has no such line."""


class CancelRefusedError(OrderingError):
    """Some of the lines to cancel were picked or shipped; nothing was cancelled."""


@dataclass(frozen=True, slots=True)
class OrderLineRequest:
    """One line as the marketplace sends it: a SKU, whole units and the price paid per unit."""

    sku_id: str
    quantity_units: int
    unit_price_usd: float


@dataclass(frozen=True, slots=True)
class PlaceOrder:
    """An order from the shop, a video or a live stream, identified by ``external_order_id``.

    ``ordered_at`` is in UTC (a time zone, if given, is converted). Without
    ``promised_delivery_date`` ShopOps promises one from the warehouse and carrier.
    """

    external_order_id: str
    channel: str
    ordered_at: dt.datetime
    region_id: str
    lines: tuple[OrderLineRequest, ...]
    customer_id: str | None = None
    event_id: str | None = None
    promised_delivery_date: dt.date | None = None

    @property
    def ordered_at_utc(self) -> dt.datetime:
        """``ordered_at`` as the database stores times: UTC without a time zone."""
        if self.ordered_at.tzinfo is None:
            return self.ordered_at
        return self.ordered_at.astimezone(dt.UTC).replace(tzinfo=None)

    def problems(self, now: dt.datetime) -> list[FieldProblem]:
        """What is wrong with the order on its own, before looking anything up."""
        found = _text_problems("external_order_id", self.external_order_id, required=True)
        found += _text_problems("customer_id", self.customer_id, required=False)
        if self.channel not in {c.value for c in SalesChannel}:
            allowed = ", ".join(c.value for c in SalesChannel)
            found.append(FieldProblem("channel", f"must be one of {allowed}, got {self.channel!r}"))
        if self.ordered_at_utc > now + FUTURE_TOLERANCE:
            found.append(FieldProblem("ordered_at", f"{self.ordered_at} is in the future"))
        if not self.lines:
            found.append(FieldProblem("lines", "an order needs at least one line"))
        found += _line_problems(self.lines)
        return found

    def reference_problems(self, known: KnownReferences) -> list[FieldProblem]:
        """Unknown region, sales event and SKUs, and SKUs that are no longer sold."""
        found: list[FieldProblem] = []
        if self.region_id not in known.region_ids:
            found.append(FieldProblem("region_id", f"unknown region {self.region_id!r}"))
        if self.event_id is not None and self.event_id not in known.event_ids:
            found.append(FieldProblem("event_id", f"unknown sales event {self.event_id!r}"))
        for number, line in enumerate(self.lines, start=1):
            status = known.sku_statuses.get(line.sku_id)
            where = f"lines[{number}].sku_id"
            if status is None:
                found.append(FieldProblem(where, f"unknown SKU {line.sku_id!r}"))
            elif status is not SkuStatus.ACTIVE:
                found.append(
                    FieldProblem(where, f"{line.sku_id} is {status.value}, no longer sold")
                )
        return found

    def differences(self, stored: StoredOrder) -> list[str]:
        """Fields in which this order differs from the one stored under the same id."""
        pairs = [
            ("channel", stored.channel, self.channel),
            ("ordered_at", stored.ordered_at, self.ordered_at_utc),
            ("region_id", stored.region_id, self.region_id),
            ("customer_id", stored.customer_id, self.customer_id),
            ("event_id", stored.event_id, self.event_id),
        ]
        if self.promised_delivery_date is not None:
            pairs.append(
                (
                    "promised_delivery_date",
                    stored.promised_delivery_date,
                    self.promised_delivery_date,
                )
            )
        found = [f"{name} {before} (now {now})" for name, before, now in pairs if before != now]
        if _line_keys(stored.lines) != _line_keys(self.lines):
            found.append("lines")
        return found


def _line_keys(
    lines: Iterable[OrderLineRequest | StoredLine],
) -> list[tuple[str, int, float]]:
    return [(x.sku_id, x.quantity_units, round(float(x.unit_price_usd), 6)) for x in lines]


def _text_problems(name: str, value: str | None, *, required: bool) -> list[FieldProblem]:
    if value is None and not required:
        return []
    if value is None or not value.strip() or len(value) > ID_LENGTH:
        return [FieldProblem(name, f"must have 1 to {ID_LENGTH} characters, got {value!r}")]
    return []


def _line_problems(lines: Sequence[OrderLineRequest]) -> list[FieldProblem]:
    found: list[FieldProblem] = []
    first_line: dict[str, int] = {}
    for number, line in enumerate(lines, start=1):
        where = f"lines[{number}]"
        quantity = line.quantity_units
        if isinstance(quantity, bool) or not isinstance(quantity, int) or quantity < 1:
            message = f"must be a whole number >= 1, got {quantity!r}"
            found.append(FieldProblem(f"{where}.quantity_units", message))
        price = line.unit_price_usd
        if (
            isinstance(price, bool)
            or not isinstance(price, int | float)
            or not math.isfinite(price)
        ):
            message = f"must be a number >= 0, got {price!r}"
            found.append(FieldProblem(f"{where}.unit_price_usd", message))
        elif price < 0:
            found.append(FieldProblem(f"{where}.unit_price_usd", f"must be >= 0, got {price!r}"))
        if line.sku_id in first_line:
            message = (
                f"{line.sku_id} is also on line {first_line[line.sku_id]}: "
                "one line per SKU (add the units up)"
            )
            found.append(FieldProblem(f"{where}.sku_id", message))
        else:
            first_line[line.sku_id] = number
    return found


@dataclass(frozen=True, slots=True)
class KnownReferences:
    """The codes an order may name: regions, sales events, and SKUs with their status."""

    region_ids: frozenset[str]
    event_ids: frozenset[str]
    sku_statuses: Mapping[str, SkuStatus]


@dataclass(frozen=True, slots=True)
class StoredOrder:
    """An order as stored, with its lines in line order."""

    order_id: int
    external_order_id: str
    channel: str
    ordered_at: dt.datetime
    region_id: str
    customer_id: str | None
    status: OrderStatus
    promised_dispatch_date: dt.date
    promised_delivery_date: dt.date
    event_id: str | None
    lines: tuple[StoredLine, ...] = ()


@dataclass(frozen=True, slots=True)
class StoredLine:
    line_no: int
    sku_id: str
    quantity_units: int
    unit_price_usd: float
    status: LineStatus
    warehouse_id: str | None
    cancel_reason: str | None


@dataclass(frozen=True, slots=True)
class CancelOrder:
    """Cancel an order, or only the lines numbered in ``line_nos``, for ``reason``."""

    external_order_id: str
    reason: CancelReason
    line_nos: tuple[int, ...] = ()


@dataclass(frozen=True, slots=True)
class LineReservation:
    """Where a line's units are held, or why they could not be (the line stays open)."""

    order_id: int
    line_no: int
    sku_id: str
    quantity_units: int
    warehouse_id: str | None
    reserved: bool
    reason: str | None = None


@dataclass(frozen=True, slots=True)
class ReservationOutcome:
    """What a reservation did for each open line, and the order's status after it."""

    order_id: int
    status: OrderStatus
    lines: tuple[LineReservation, ...] = ()

    @property
    def reserved_units(self) -> int:
        return sum(x.quantity_units for x in self.lines if x.reserved)

    @property
    def short_lines(self) -> tuple[LineReservation, ...]:
        return tuple(x for x in self.lines if not x.reserved)


@dataclass(frozen=True, slots=True)
class PlacedOrder:
    """An order after intake; ``created`` is false when it was stored before."""

    order_id: int
    external_order_id: str
    status: OrderStatus
    created: bool
    promised_dispatch_date: dt.date
    promised_delivery_date: dt.date
    reservation: ReservationOutcome | None = None


@dataclass(frozen=True, slots=True)
class CancelOutcome:
    """What a cancellation did: lines it cancelled, units it released, lines found cancelled."""

    order_id: int
    external_order_id: str
    status: OrderStatus
    cancelled_line_nos: tuple[int, ...]
    released_units: int
    already_cancelled_line_nos: tuple[int, ...] = field(default=())

    @property
    def changed(self) -> bool:
        return bool(self.cancelled_line_nos)

    @property
    def message(self) -> str:
        label = f"order {self.external_order_id} (#{self.order_id})"
        if not self.changed:
            return f"{label} was cancelled already: nothing changed; order {self.status.value}"
        lines = ", ".join(str(n) for n in self.cancelled_line_nos)
        return (
            f"{label}: line(s) {lines} cancelled, {self.released_units} reserved units "
            f"released; order {self.status.value}"
        )


def order_status(line_statuses: Iterable[LineStatus]) -> OrderStatus:
    """An order's status from its lines'.

    All cancelled: cancelled. Of the lines alive: all shipped, shipped; some shipped,
    partially shipped; all reserved or picked, allocated; else open.
    """
    live = [s for s in line_statuses if s is not LineStatus.CANCELLED]
    if not live:
        return OrderStatus.CANCELLED
    if all(s is LineStatus.SHIPPED for s in live):
        return OrderStatus.SHIPPED
    if any(s is LineStatus.SHIPPED for s in live):
        return OrderStatus.PARTIALLY_SHIPPED
    if all(s in (LineStatus.RESERVED, LineStatus.PICKED) for s in live):
        return OrderStatus.ALLOCATED
    return OrderStatus.OPEN


@dataclass(frozen=True, slots=True)
class LineToReserve:
    order_id: int
    line_no: int
    sku_id: str
    quantity_units: int


def plan_reservations(
    lines: Sequence[LineToReserve],
    candidates: Mapping[tuple[int, int], Sequence[str]],
    available_units: Mapping[tuple[str, str], int],
) -> list[LineReservation]:
    """Choose a warehouse for each line: the first of its candidates that covers it whole.

    ``candidates[(order_id, line_no)]`` lists warehouses in order of preference (nearest
    first, or the one an allocation chose); ``available_units[(sku_id, warehouse_id)]`` is
    on hand less reserved. Lines are served in the order given; each reservation lowers
    what the next lines find, so the units reserved never exceed what was available.
    """
    left = dict(available_units)
    planned: list[LineReservation] = []
    for line in lines:
        options = candidates.get((line.order_id, line.line_no), ())
        chosen = next(
            (w for w in options if left.get((line.sku_id, w), 0) >= line.quantity_units), None
        )
        if chosen is None:
            planned.append(_short(line, options, left))
            continue
        left[(line.sku_id, chosen)] -= line.quantity_units
        planned.append(
            LineReservation(
                line.order_id, line.line_no, line.sku_id, line.quantity_units, chosen, True
            )
        )
    return planned


def _short(
    line: LineToReserve, options: Sequence[str], left: Mapping[tuple[str, str], int]
) -> LineReservation:
    if not options:
        reason = "no warehouse ships to the order's region"
    else:
        best = max(options, key=lambda w: left.get((line.sku_id, w), 0))
        units = max(left.get((line.sku_id, best), 0), 0)
        where = best if len(options) == 1 else f"any warehouse (most: {best})"
        reason = f"{units} of {line.quantity_units} units of {line.sku_id} available at {where}"
    return LineReservation(
        line.order_id, line.line_no, line.sku_id, line.quantity_units, None, False, reason
    )
