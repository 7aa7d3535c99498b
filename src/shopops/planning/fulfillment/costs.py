"""What one parcel costs: the one cost function the optimiser, the rules and the report share.

``cost = rate-card price (zone of warehouse -> region, billable weight incl. packing factor,
fuel surcharge) + handling (per order + per unit beyond the first) + late penalty``, where
the parcel leaves on the batch's ship date, arrives ``transit_days`` business days later, and
is late by ``max(business days after the promised delivery date, business days the ship date
is after the promised dispatch date)``. A parcel no service can take (too heavy, zone not
served, no zone at all) costs ``inf``.
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np
from numpy.typing import ArrayLike, NDArray

from shopops.planning.fulfillment.batch import DayArray, FloatArray, IntArray, Network
from shopops.planning.fulfillment.rates import NOT_SERVED, RateTable
from shopops.planning.fulfillment.rules import AllocationRules

BoolArray = NDArray[np.bool_]


@dataclass(frozen=True)
class ParcelCosts:
    """Arrays of the same (broadcast) shape, one element per parcel priced."""

    billable_weight_kg: FloatArray
    shipping_usd: FloatArray
    handling_usd: FloatArray
    late_days: IntArray
    arrival: DayArray
    cost_usd: FloatArray
    """Shipping + handling + late penalty; ``inf`` where the parcel cannot ship."""

    @property
    def feasible(self) -> BoolArray:
        return np.isfinite(self.cost_usd)


def arrival_and_late_days(
    rates: RateTable,
    rules: AllocationRules,
    *,
    service: ArrayLike,
    zone: ArrayLike,
    dispatch_by: ArrayLike,
    deliver_by: ArrayLike,
) -> tuple[DayArray, IntArray, BoolArray]:
    """Arrival day, business days late, and whether the service reaches the zone at all."""
    calendar = rules.calendar()
    transit = rates.transit(np.asarray(service), np.asarray(zone))
    served = (transit != NOT_SERVED) & (np.asarray(zone) > 0)
    ship_day = np.datetime64(rules.ship_date, "D")
    departure = np.busday_offset(ship_day, 0, roll="forward", busdaycal=calendar)
    arrival = np.busday_offset(departure, np.maximum(transit, 0), busdaycal=calendar)
    deliver_by = np.asarray(deliver_by, dtype="datetime64[D]")
    dispatch_by = np.asarray(dispatch_by, dtype="datetime64[D]")
    late_delivery = np.where(
        arrival > deliver_by, np.busday_count(deliver_by, arrival, busdaycal=calendar), 0
    )
    late_dispatch = np.where(
        ship_day > dispatch_by, np.busday_count(dispatch_by, ship_day, busdaycal=calendar), 0
    )
    late = np.maximum(late_delivery, late_dispatch).astype(np.int64)
    return arrival, late, served


def price_parcels(
    network: Network,
    rates: RateTable,
    rules: AllocationRules,
    *,
    warehouse: ArrayLike,
    service: ArrayLike,
    region: ArrayLike,
    units: ArrayLike,
    weight_kg: ArrayLike,
    volume_cm3: ArrayLike,
    dispatch_by: ArrayLike,
    deliver_by: ArrayLike,
) -> ParcelCosts:
    """Price parcels from their contents (``volume_cm3`` before the packing factor)."""
    warehouse = np.asarray(warehouse, dtype=np.int64)
    service = np.asarray(service, dtype=np.int64)
    zone = network.zone[warehouse, np.asarray(region, dtype=np.int64)]
    billable, price = rates.parcel_cost_usd(
        service,
        zone,
        np.asarray(weight_kg, dtype=np.float64),
        np.asarray(volume_cm3, dtype=np.float64) * rules.packing_factor,
    )
    arrival, late, served = arrival_and_late_days(
        rates, rules, service=service, zone=zone, dispatch_by=dispatch_by, deliver_by=deliver_by
    )
    extra_units = np.maximum(np.asarray(units, dtype=np.int64) - 1, 0)
    handling = network.handling_usd_per_order[warehouse] + (
        network.handling_usd_per_unit[warehouse] * extra_units
    )
    shipping = np.where(served, price, np.nan)
    total = shipping + handling + rules.late_penalty_usd_per_day * late
    return ParcelCosts(
        billable_weight_kg=billable,
        shipping_usd=shipping,
        handling_usd=np.broadcast_to(handling, total.shape).astype(np.float64),
        late_days=np.broadcast_to(late, total.shape).astype(np.int64),
        arrival=np.broadcast_to(arrival, total.shape),
        cost_usd=np.where(np.isnan(total), np.inf, total),
    )
