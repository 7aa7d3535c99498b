"""The dates an order is given when it is placed: promised dispatch, then promised delivery.

Dispatch: the order day plus the marketplace's dispatch business days
(``numpy.busday_offset``, Monday to Friday); an order placed at or after the latest
warehouse cut-off hour counts from the next day.

Delivery: what the checkout page shows for the order's lines and region at the time it
was placed (:func:`shopops.planning.promise.promise_options`: ship-from plan, cut-offs,
business days, every carrier service priced), the date of its cheapest option. The
checkout page offers nothing in two cases an order already sold must still be promised:

* a line no warehouse holds whole is promised as if every warehouse held it (the stock
  to ship it has yet to come);
* a cart no service takes as one parcel (too heavy) ships as parcels of one unit: the
  latest of the cheapest dates of one unit of each of its SKUs.

A promise is never before the dispatch date: the order would break its own dispatch
window (and the data model refuses it).
"""

from __future__ import annotations

import dataclasses
import datetime as dt
from collections.abc import Mapping

import numpy as np
import polars as pl

from shopops.planning.promise import PromiseReference, promise_options

__all__ = [
    "business_days_after",
    "promised_delivery_date",
    "promised_dispatch_date",
    "with_skus",
]


def business_days_after(day: dt.date, business_days: int) -> dt.date:
    """``day`` rolled forward to a business day, plus ``business_days`` business days."""
    shifted = np.busday_offset(np.datetime64(day, "D"), business_days, roll="forward")
    return dt.date.fromisoformat(str(shifted))


def promised_dispatch_date(
    ordered_at: dt.datetime, *, latest_cutoff_hour: int, dispatch_business_days: int
) -> dt.date:
    """The day the order must be handed to the carrier.

    >>> friday_morning = dt.datetime(2026, 1, 16, 9)
    >>> promised_dispatch_date(friday_morning, latest_cutoff_hour=16, dispatch_business_days=2)
    datetime.date(2026, 1, 20)
    """
    start = ordered_at.date()
    if ordered_at.hour >= latest_cutoff_hour:
        start += dt.timedelta(days=1)
    return business_days_after(start, dispatch_business_days)


def promised_delivery_date(
    cart: pl.DataFrame,
    region_id: str,
    ordered_at: dt.datetime,
    stock: pl.DataFrame,
    reference: PromiseReference,
    *,
    dispatch_date: dt.date,
) -> dt.date | None:
    """The delivery date of the cheapest checkout option of ``cart`` (``sku_id``,
    ``quantity_units``, one line per SKU), no earlier than ``dispatch_date``.

    ``stock``: ``sku_id``, ``warehouse_id``, ``available_units``; ``ordered_at`` is UTC.
    ``None`` when no carrier service takes even one unit of some SKU to the region.
    """
    if region_id not in reference.region_index:
        return None
    stock = _missing_lines_held_everywhere(cart, stock, reference)
    whole = _cheapest_date(cart, region_id, ordered_at, stock, reference)
    if whole is None:
        units = [
            _cheapest_date(
                pl.DataFrame({"sku_id": [sku_id], "quantity_units": [1]}),
                region_id,
                ordered_at,
                stock,
                reference,
            )
            for sku_id in cart["sku_id"].to_list()
        ]
        if any(date is None for date in units):
            return None
        whole = max(date for date in units if date is not None)
    return max(whole, dispatch_date)


def _cheapest_date(
    cart: pl.DataFrame,
    region_id: str,
    ordered_at: dt.datetime,
    stock: pl.DataFrame,
    reference: PromiseReference,
) -> dt.date | None:
    """Kept options are cheaper the later they come: the cheapest is the last."""
    options = promise_options(cart, region_id, ordered_at, stock, reference).options
    if options.is_empty():
        return None
    date: dt.date = options["delivery_date"][-1]
    return date


def _missing_lines_held_everywhere(
    cart: pl.DataFrame, stock: pl.DataFrame, reference: PromiseReference
) -> pl.DataFrame:
    """``stock`` with each line no warehouse holds whole available in full everywhere."""
    wanted = dict(zip(cart["sku_id"].to_list(), cart["quantity_units"].to_list(), strict=True))
    rows = list(
        zip(
            stock["sku_id"].to_list(),
            stock["warehouse_id"].to_list(),
            stock["available_units"].to_list(),
            strict=True,
        )
    )
    held = {sku for sku, _, units in rows if sku in wanted and units >= wanted[sku]}
    missing = [sku for sku in wanted if sku not in held]
    if not missing:
        return stock
    rows = [row for row in rows if row[0] not in missing] + [
        (sku, warehouse, wanted[sku]) for sku in missing for warehouse in reference.warehouse_ids
    ]
    return pl.DataFrame(
        rows,
        schema={"sku_id": pl.String(), "warehouse_id": pl.String(), "available_units": pl.Int64()},
        orient="row",
    )


def with_skus(
    reference: PromiseReference, parcels: Mapping[str, tuple[float, float]]
) -> PromiseReference:
    """``reference`` holding only the SKUs of ``parcels``: ``sku_id -> (weight_kg,
    volume_cm3)`` of one unit, as :meth:`PromiseReference.from_frames` reads them."""
    sku_ids = tuple(parcels)
    return dataclasses.replace(
        reference,
        sku_ids=sku_ids,
        sku_index={sku_id: i for i, sku_id in enumerate(sku_ids)},
        sku_weight_kg=np.array([parcels[s][0] for s in sku_ids], dtype=np.float64),
        sku_volume_cm3=np.array([parcels[s][1] for s in sku_ids], dtype=np.float64),
    )
