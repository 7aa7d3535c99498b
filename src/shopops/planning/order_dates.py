"""The dates an order is given when it is placed: promised dispatch, then promised delivery.

Dispatch: the order day plus the marketplace's dispatch business days
(``numpy.busday_offset``, Monday to Friday); an order placed at or after the latest
warehouse cut-off hour counts from the next day. Delivery: the dispatch date plus the
business days in transit of the cheapest standard or economy service from the shipping
warehouse to the order's zone, priced on the rate cards (:class:`RateTable`) for one parcel
holding the whole order.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Mapping

import numpy as np

from shopops.domain.network import ServiceLevel
from shopops.planning.fulfillment.rates import NOT_SERVED, RateTable

PROMISED_LEVELS = frozenset({ServiceLevel.STANDARD.value, ServiceLevel.ECONOMY.value})
"""Service levels a promise is made with: the buyer did not pay for speed."""


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


def cheapest_transit_days(
    rates: RateTable,
    service_levels: Mapping[str, str],
    zone: int,
    weight_kg: float,
    volume_cm3: float,
) -> int | None:
    """Business days in transit of the cheapest standard or economy service to ``zone``.

    The parcel is priced by billable weight with fuel surcharge; services that have a
    transit time to the zone but refuse the parcel or have no rate for it rank after the
    priced ones. Ties go to the faster service. ``None`` when no such service has a
    transit time to the zone.
    """
    wanted = [
        i
        for i, service_id in enumerate(rates.service_ids)
        if service_levels.get(service_id) in PROMISED_LEVELS
    ]
    if not wanted:
        return None
    services = np.array(wanted, dtype=np.int64)
    zones = np.full(len(wanted), zone, dtype=np.int64)
    transit = rates.transit(services, zones)
    _, price = rates.parcel_cost_usd(
        services, zones, np.full(len(wanted), weight_kg), np.full(len(wanted), volume_cm3)
    )
    served = transit != NOT_SERVED
    if not served.any():
        return None
    rank = np.lexsort((transit, np.where(np.isnan(price), np.inf, price), ~served))
    return int(transit[rank[0]])
