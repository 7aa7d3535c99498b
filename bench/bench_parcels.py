"""Parcel planning speed: carton, weights, service and postage of parcels a second.

Run: ``.venv/bin/python bench/bench_parcels.py [parcels]`` (default 100,000). Plans random
parcels (1-3 lines of 5 SKU shapes, zones 1-8, a promise 1-6 days out) with the generator's
12 cartons and 3 services priced in 6 weight bands, then does the same for a sample one
parcel at a time in plain Python, checks both agree on every sampled parcel, and prints
both rates and their ratio, measured in the same run.
"""

from __future__ import annotations

import datetime as dt
import sys
import time
from typing import Any

import numpy as np
import polars as pl

from shopops.data.synth.shipping import cartons_frame
from shopops.planning.fulfillment.rates import RateTable
from shopops.planning.parcels import plan_parcels

LOOP_SAMPLE = 2_000
FACTOR = 1.2
SHIP_DAY = dt.date(2026, 3, 2)
SHAPES = (  # length, width, height cm, kg, packaging family
    (12.0, 8.0, 4.0, 0.15, "box"),
    (20.0, 10.0, 3.0, 0.3, "mailer"),
    (10.0, 3.0, 3.0, 0.05, "poly_bag"),
    (30.0, 20.0, 10.0, 1.2, "box"),
    (25.0, 18.0, 2.0, 0.4, "poly_bag"),
)
BANDS_KG = (1.0, 2.0, 5.0, 10.0, 20.0, 30.0)
SERVICES = (  # id, fuel, divisor, max kg, base USD, per band step, transit days zone 1 / 8
    ("ECO", 0.05, 6000.0, 20.0, 3.5, 1.1, 3, 8),
    ("GND", 0.12, 5000.0, 30.0, 4.8, 1.3, 1, 5),
    ("AIR", 0.18, 5000.0, 30.0, 14.0, 2.5, 1, 2),
)


def _rates() -> RateTable:
    services = pl.DataFrame(
        {
            "service_id": [s[0] for s in SERVICES],
            "fuel_surcharge_rate": [s[1] for s in SERVICES],
            "dim_divisor_cm3_per_kg": [s[2] for s in SERVICES],
            "max_weight_kg": [s[3] for s in SERVICES],
            "daily_pickup_capacity_parcels": [1_000] * len(SERVICES),
        }
    )
    cards, times = [], []
    for service_id, _, _, max_kg, base, step, near, far in SERVICES:
        for zone in range(1, 9):
            times.append((service_id, zone, near + (far - near) * (zone - 1) // 7))
            for k, band in enumerate(b for b in BANDS_KG if b <= max_kg):
                cards.append((service_id, zone, band, round(base + step * k + 0.4 * zone, 2)))
    rate_cards = pl.DataFrame(
        cards, schema=["service_id", "zone", "max_weight_kg", "rate_usd"], orient="row"
    )
    transit = pl.DataFrame(times, schema=["service_id", "zone", "transit_days"], orient="row")
    return RateTable.from_frames(services, rate_cards, transit)


def _parcels(n: int, seed: int = 7) -> tuple[pl.DataFrame, pl.DataFrame]:
    rng = np.random.default_rng(seed)
    lines = rng.integers(1, 4, n)
    parcel = np.repeat(np.arange(1, n + 1), lines)
    shape = rng.integers(0, len(SHAPES), parcel.size)
    items = pl.DataFrame(
        {
            "parcel_id": parcel,
            "length_cm": [SHAPES[s][0] for s in shape],
            "width_cm": [SHAPES[s][1] for s in shape],
            "height_cm": [SHAPES[s][2] for s in shape],
            "weight_kg": [SHAPES[s][3] for s in shape],
            "quantity": rng.integers(1, 4, parcel.size),
            "packaging_type": [SHAPES[s][4] for s in shape],
        }
    )
    lanes = pl.DataFrame(
        {
            "parcel_id": np.arange(1, n + 1),
            "zone": rng.integers(1, 9, n),
            "ship_date": [SHIP_DAY] * n,
            "promised_delivery_date": [
                SHIP_DAY + dt.timedelta(days=int(d)) for d in rng.integers(1, 7, n)
            ],
            "allocated_service_id": pl.Series([None] * n, dtype=pl.String),
        }
    )
    return items, lanes


def _loop(
    items: pl.DataFrame, lanes: pl.DataFrame, cartons: pl.DataFrame, rates: RateTable
) -> list[tuple[str, str | None, float | None]]:
    """Carton, service and price of each parcel, one parcel and one option at a time."""
    boxes = sorted(
        cartons.iter_rows(named=True),
        key=lambda c: (c["length_cm"] * c["width_cm"] * c["height_cm"], c["carton_code"]),
    )
    by_parcel: dict[int, list[dict[str, Any]]] = {}
    for row in items.iter_rows(named=True):
        by_parcel.setdefault(int(row["parcel_id"]), []).append(row)
    chosen = []
    for lane in lanes.iter_rows(named=True):
        lines = by_parcel[lane["parcel_id"]]
        carton, volume, weight = _carton(lines, boxes)
        chosen.append((carton, *_service(rates, lane, volume, weight)))
    return chosen


def _carton(lines: list[dict[str, Any]], boxes: list[dict[str, Any]]) -> tuple[str, float, float]:
    sides = [
        sorted((float(x["length_cm"]), float(x["width_cm"]), float(x["height_cm"])), reverse=True)
        for x in lines
    ]
    volume = sum(s[0] * s[1] * s[2] * int(x["quantity"]) for s, x in zip(sides, lines, strict=True))
    weight = sum(float(x["weight_kg"]) * int(x["quantity"]) for x in lines)
    longest = [max(s[k] for s in sides) for k in range(3)]
    for box in boxes:
        inner = sorted(
            (float(box[k]) for k in ("length_cm", "width_cm", "height_cm")), reverse=True
        )
        family_ok = box["family"] == "box" or all(
            x["packaging_type"] == box["family"] for x in lines
        )
        if (
            all(longest[k] <= inner[k] for k in range(3))
            and volume * FACTOR <= inner[0] * inner[1] * inner[2]
            and weight <= float(box["max_weight_kg"])
            and family_ok
        ):
            return (
                str(box["carton_code"]),
                inner[0] * inner[1] * inner[2],
                weight + float(box["tare_weight_kg"]),
            )
    raise AssertionError("the benchmark's parcels all fit a carton")


def _service(
    rates: RateTable, lane: dict[str, Any], volume: float, weight: float
) -> tuple[str | None, float | None]:
    zone, promised = int(lane["zone"]), lane["promised_delivery_date"]
    options = []
    for s, service_id in enumerate(rates.service_ids):
        billable = max(round(weight, 3), round(volume / rates.dim_divisor_cm3_per_kg[s], 2))
        bands = [
            b
            for b in range(rates.band_limit_kg.shape[2])
            if rates.band_limit_kg[s, zone, b] >= billable
        ]
        if not bands or billable > rates.max_weight_kg[s] or rates.transit_days[s, zone] < 0:
            continue
        price = rates.rate_usd[s, zone, bands[0]] * (1 + rates.fuel_surcharge_rate[s])
        arrival = np.busday_offset(
            np.datetime64(SHIP_DAY), rates.transit_days[s, zone], roll="forward"
        )
        options.append((arrival <= np.datetime64(promised), arrival, price, service_id))
    on_time = [o for o in options if o[0]]
    if on_time:
        best = min(on_time, key=lambda o: o[2])
    elif options:
        best = min(options, key=lambda o: (o[1], o[2]))
    else:
        return None, None
    return best[3], round(float(best[2]), 2)


def _same(a: tuple[object, ...], b: tuple[object, ...]) -> bool:
    """Same carton and service, price within a cent (binary rounding of half cents)."""
    if a[:2] != b[:2]:
        return False
    if a[2] is None or b[2] is None:
        return a[2] is b[2]
    return abs(float(a[2]) - float(b[2])) <= 0.0101


def main(n: int) -> None:
    rates = _rates()
    cartons = cartons_frame(pl.Series([None] * 12, dtype=pl.String))
    items, lanes = _parcels(n)
    start = time.perf_counter()
    plan = plan_parcels(items, lanes, cartons, rates, packing_volume_factor=FACTOR)
    engine_s = time.perf_counter() - start

    sample = lanes.head(LOOP_SAMPLE)
    sample_items = items.join(sample.select("parcel_id"), on="parcel_id", how="semi")
    start = time.perf_counter()
    looped = _loop(sample_items, sample, cartons, rates)
    loop_s = time.perf_counter() - start
    planned = plan.head(LOOP_SAMPLE).select("carton_code", "service_id", "shipping_cost_usd").rows()
    disagree = sum(not _same(a, b) for a, b in zip(planned, looped, strict=True))

    loop_rate = LOOP_SAMPLE / loop_s
    engine_rate = n / engine_s
    print(f"plan_parcels: {n:,} parcels in {engine_s:.2f} s = {engine_rate:,.0f} parcels/s")
    print(f"plain loop:   {LOOP_SAMPLE:,} parcels in {loop_s:.2f} s = {loop_rate:,.0f} parcels/s")
    print(f"ratio (engine / loop, parcels a second): {engine_rate / loop_rate:.1f}x")
    print(f"sampled parcels where the two disagree (price beyond a cent): {disagree}")


if __name__ == "__main__":
    main(int(sys.argv[1]) if len(sys.argv) > 1 else 100_000)
