"""Promising delivery at checkout, fast: reference data cached, stock read per request.

Warehouses (cut-off hours, handling fees), zones, carrier rates and SKU sizes change rarely;
a :class:`PromiseReferenceCache` held by the process loads them once (and again after
:meth:`~PromiseReferenceCache.refresh` or when older than its ``max_age``). Each request then
reads only the available stock (on hand less reserved) of the cart's SKUs, in one short
read-only transaction, and prices the options outside it.
"""

from __future__ import annotations

import datetime as dt
import threading
from collections.abc import Sequence
from dataclasses import dataclass

import polars as pl

from shopops.errors import DataError
from shopops.planning.fulfillment.rates import RateTable
from shopops.planning.promise import Promise, PromiseReference, PromiseRules, promise_options
from shopops.services.planning import utc_now
from shopops.store.snapshot import load_plan_params
from shopops.store.stock import available_stock
from shopops.store.unit_of_work import AbstractUnitOfWork

DEFAULT_MAX_AGE = dt.timedelta(minutes=15)


@dataclass(frozen=True)
class PromiseRequest:
    """A cart at checkout: its lines ``(sku_id, quantity_units)`` and where it goes."""

    region_id: str
    lines: Sequence[tuple[str, int]]

    def cart(self) -> pl.DataFrame:
        """The lines as a frame; a line that is not a SKU and a whole number is refused."""
        for number, line in enumerate(self.lines, 1):
            if len(line) != 2 or not isinstance(line[0], str) or type(line[1]) is not int:
                raise DataError(
                    f"cart line {number}: {line!r}; expected (sku_id, whole quantity_units)"
                )
        return pl.DataFrame(
            [list(line) for line in self.lines],
            schema={"sku_id": pl.String(), "quantity_units": pl.Int64()},
            orient="row",
        )


class PromiseReferenceCache:
    """The reference data promises need, loaded once and shared by every request.

    Safe to share between threads; ``max_age`` (``None``: never) makes it reload data older
    than that on the next request, so edited cut-offs or rates are picked up.
    """

    def __init__(
        self, *, max_age: dt.timedelta | None = DEFAULT_MAX_AGE, rules: PromiseRules | None = None
    ) -> None:
        self.max_age = max_age
        self.rules = rules
        self._reference: PromiseReference | None = None
        self._loaded_at: dt.datetime | None = None
        self._lock = threading.Lock()

    def get(self, uow: AbstractUnitOfWork, now: dt.datetime) -> PromiseReference:
        """The cached reference, loaded first if missing or stale as of ``now``."""
        with self._lock:
            if self._reference is None or self._stale(now):
                self._reference = load_promise_reference(uow, self.rules)
                self._loaded_at = now
            return self._reference

    def refresh(self) -> None:
        """Forget the data held, so the next request loads it again."""
        with self._lock:
            self._reference = self._loaded_at = None

    def _stale(self, now: dt.datetime) -> bool:
        if self.max_age is None or self._loaded_at is None:
            return False
        return now - self._loaded_at > self.max_age


def load_promise_reference(
    uow: AbstractUnitOfWork, rules: PromiseRules | None = None
) -> PromiseReference:
    """Warehouses, zones, SKUs and rates from the database; packing factor from parameters."""
    with uow:
        frames = uow.frames
        params = load_plan_params(frames)
        rates = RateTable.from_frames(
            frames.read("carrier_services"), frames.read("rate_cards"), frames.read("transit_times")
        )
        return PromiseReference.from_frames(
            warehouses=frames.read("warehouses"),
            shipping_zones=frames.read("shipping_zones"),
            skus=frames.read("skus"),
            rates=rates,
            rules=rules or PromiseRules(packing_factor=params.packing_volume_factor),
        )


def promise_delivery(
    request: PromiseRequest,
    uow: AbstractUnitOfWork,
    *,
    cache: PromiseReferenceCache,
    now: dt.datetime | None = None,
) -> Promise:
    """The delivery options for ``request`` as of ``now`` (default: the clock, UTC).

    Raises :class:`~shopops.errors.DataError` for an unknown SKU or region or a bad quantity.
    """
    when = now or utc_now()
    reference = cache.get(uow, when)
    cart = request.cart()
    with uow:
        stock = available_stock(uow.frames.connection, cart["sku_id"].to_list())
    return promise_options(cart, request.region_id, when, stock, reference)
