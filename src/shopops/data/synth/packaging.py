"""Packaging as procured items: one SKU per carton, two domestic suppliers and their offers.

Every carton the warehouses ship in is bought as a packaging SKU (``PKG-<carton code>``) in
the ``PACKAGING`` category, priced from a price list (poly bags and envelopes cost cents,
boxes tens of cents to a few dollars) and described flat-packed, as it arrives. Two US
packaging suppliers offer every one of them: short, steady lead times, delivered (DAP),
bundles of 25 to 500 with all-units discounts from a thousand units up. What each warehouse
is expected to use comes from the catalog: the carton each SKU ships in alone, times its
parcels a day there.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from typing import NamedTuple

import numpy as np
import polars as pl

from shopops.data.schemas import (
    CATEGORIES,
    OFFER_PRICE_TIERS,
    SKUS,
    SUPPLIER_CERTIFICATIONS,
    SUPPLIER_OFFERS,
    SUPPLIERS,
)
from shopops.data.synth.catalog import Catalog
from shopops.data.synth.categories import LEAVES
from shopops.data.synth.columns import dates, epoch_day, nice_round, numbered
from shopops.data.synth.config import MarketplaceConfig
from shopops.data.synth.geography import COUNTRIES, SUPPLIER_CITIES
from shopops.data.synth.shipping import (
    CARTON_CODES,
    CARTON_FAMILIES,
    CARTON_SIDES_CM,
    CARTON_TARE_KG,
    pack,
)

CATEGORY_ID = "PACKAGING"
CATEGORY_NAME = "Packaging materials"
PRICE_LIST: dict[str, tuple[float, int, int]] = {
    # carton code: (unit cost USD, bundle units, MOQ units)
    "ENV-A4": (0.09, 500, 1000),
    "POLY-S": (0.03, 500, 1000),
    "POLY-M": (0.05, 500, 1000),
    "POLY-L": (0.09, 250, 500),
    "MLR-S": (0.32, 250, 250),
    "MLR-M": (0.48, 250, 250),
    "TUBE-L": (1.15, 50, 50),
    "BOX-S": (0.42, 250, 250),
    "BOX-M": (0.78, 100, 100),
    "BOX-L": (1.35, 50, 50),
    "BOX-XL": (2.10, 25, 25),
    "BOX-XXL": (3.40, 25, 25),
}
RESALE_MARKUP = 1.5
TIER_STEPS_UNITS = (1000, 5000, 20000)
TIER_DISCOUNTS = (0.0, 0.05, 0.10, 0.14)
"""Discount of the MOQ tier and of each step above it, all-units."""
SPECIALTY_PRICE, OTHER_PRICE = 0.96, 1.08
"""Price list factor of a supplier for its own specialty and for the rest."""
CAPACITY_WEEKS_OF_USE = 50.0
"""A week's capacity is this many weeks of the expected network use: far above any peak."""
MAX_UNITS_PER_LINE = 6
"""Order line quantities are capped here (see the demand model)."""
DEFECT_RATE = 0.002
INCOTERM = "DAP"
_NAMES = {
    "envelope": "Padded envelope",
    "poly_bag": "Poly mailer bag",
    "mailer": "Corrugated mailer box",
    "tube": "Mailing tube",
    "box": "Shipping box",
}
_WALL_CM = {"envelope": 0.4, "poly_bag": 0.1, "mailer": 0.6, "tube": 0.3, "box": 0.8}
"""Thickness of the flat-packed item (two walls for a folded box); a tube does not fold."""


class PackagingSupplier(NamedTuple):
    name: str
    city: str
    specialty: tuple[str, ...]  # carton families it sells cheapest
    lead_time_days: float
    lead_time_sd_days: float
    fixed_order_cost_usd: float
    certifications: tuple[tuple[str, int, int], ...]  # standard, years valid, days since issue


PACKAGING_SUPPLIERS = (
    PackagingSupplier("Lakeshore Corrugated Inc.", "Chicago", ("box", "mailer", "tube"), 3.0,
                      0.5, 40.0, (("ISO 9001", 3, 420), ("FSC Chain of Custody", 5, 900))),
    PackagingSupplier("Pacific Flexpack Inc.", "Los Angeles", ("poly_bag", "envelope"), 4.0,
                      1.0, 30.0, (("ISO 9001", 3, 610), ("ISO 14001", 3, 250))),
)  # fmt: skip


@dataclass(frozen=True)
class PackagingSupply:
    """Packaging master frames, and per carton the terms it is bought on and its expected use.

    SKU and supplier indexes are the simulation's: packaging SKUs come after the goods,
    packaging suppliers after the goods' suppliers.
    """

    category: pl.DataFrame
    skus: pl.DataFrame
    suppliers: pl.DataFrame
    certifications: pl.DataFrame
    offers: pl.DataFrame
    tiers: pl.DataFrame
    sku_ids: pl.Series  # per carton
    supplier_ids: pl.Series  # per packaging supplier
    first_sku: int
    supplier: np.ndarray  # per carton: supplier index of the offer bought from
    lead_time_days: np.ndarray  # per carton, of that offer
    lead_time_sd_days: np.ndarray
    moq_units: np.ndarray
    multiple_units: np.ndarray
    tier_min_units: np.ndarray  # [carton, tier], padded with a huge quantity
    tier_price_usd: np.ndarray  # [carton, tier]
    defect_rate: np.ndarray  # per packaging supplier
    use_per_day: np.ndarray  # [carton, warehouse]: cartons expected a day
    index_sums: np.ndarray  # [carton, day + 1]: running sums of its planned demand index


def build_packaging(
    config: MarketplaceConfig,
    catalog: Catalog,
    parcels_per_day: np.ndarray,
    quantity_p: np.ndarray,
    planned_index_sums: np.ndarray,
    *,
    first_supplier: int,
    first_offer: int,
) -> PackagingSupply:
    """Packaging SKUs, suppliers and offers, and the cartons each warehouse should use.

    ``parcels_per_day`` is [sku, warehouse], ``quantity_p`` the parameter of each SKU's
    (geometric) units per line, ``planned_index_sums`` the running sums of the planned
    demand index per leaf category; ``first_supplier`` and ``first_offer`` are the numbers
    the new suppliers and offers follow.
    """
    cost, bundle, moq = (np.array(v) for v in zip(*PRICE_LIST.values(), strict=True))
    n_suppliers = len(PACKAGING_SUPPLIERS)
    supplier_ids = numbered("SUP-", first_supplier + 1 + np.arange(n_suppliers), 5)
    factor = np.array(
        [[SPECIALTY_PRICE if f in s.specialty else OTHER_PRICE for f in CARTON_FAMILIES]
         for s in PACKAGING_SUPPLIERS]
    )  # fmt: skip
    tier_min, tier_price = _tiers(moq, cost[None, :] * factor)  # [supplier, carton, tier]
    chosen = np.argmin(tier_price[:, :, 0], axis=0)
    cartons = np.arange(len(CARTON_CODES))
    leads = np.array([[s.lead_time_days, s.lead_time_sd_days] for s in PACKAGING_SUPPLIERS])
    use_by_leaf = _use_by_leaf(catalog, parcels_per_day, quantity_p)
    use = use_by_leaf.sum(axis=1)
    sku_ids = pl.Series("sku_id", [f"PKG-{code}" for code in CARTON_CODES])
    offers, tiers = _offer_frames(
        config, supplier_ids, sku_ids, tier_min, tier_price, use, first_offer
    )
    return PackagingSupply(
        category=_category(),
        skus=_skus(sku_ids, cost),
        suppliers=_suppliers(supplier_ids),
        certifications=_certifications(config, supplier_ids),
        offers=offers,
        tiers=tiers,
        sku_ids=sku_ids,
        supplier_ids=supplier_ids,
        first_sku=catalog.size,
        supplier=first_supplier + chosen,
        lead_time_days=leads[chosen, 0],
        lead_time_sd_days=leads[chosen, 1],
        moq_units=moq,
        multiple_units=bundle,
        tier_min_units=tier_min[chosen, cartons],
        tier_price_usd=tier_price[chosen, cartons],
        defect_rate=np.full(n_suppliers, DEFECT_RATE),
        use_per_day=use,
        index_sums=_carton_index(use_by_leaf, planned_index_sums),
    )


def packaging_reliability(first_supplier: int) -> pl.DataFrame:
    """The packaging suppliers' hidden truth: reliable, on time, never short, no stoppage."""
    n = len(PACKAGING_SUPPLIERS)
    return pl.DataFrame(
        {
            "supplier_id": numbered("SUP-", first_supplier + 1 + np.arange(n), 5),
            "reliable": [True] * n,
            "lead_time_factor": [1.0] * n,
            "short_delivery_probability": [0.0] * n,
            "defect_rate": [DEFECT_RATE] * n,
            "stoppage_start": pl.Series([None] * n, dtype=pl.Date),
            "stoppage_days": [0] * n,
        }
    )


def _use_by_leaf(
    catalog: Catalog, parcels_per_day: np.ndarray, quantity_p: np.ndarray
) -> np.ndarray:
    """[carton, leaf, warehouse] cartons a day: each SKU's parcels in the carton its line
    takes, over the line's quantity (geometric, capped as the demand draws it)."""
    every = np.arange(catalog.size)
    use = np.zeros((len(CARTON_CODES), len(LEAVES), parcels_per_day.shape[1]))
    for quantity in range(1, MAX_UNITS_PER_LINE + 1):
        share = quantity_p * (1 - quantity_p) ** (quantity - 1)
        if quantity == MAX_UNITS_PER_LINE:
            share = (1 - quantity_p) ** (quantity - 1)
        units = np.full(catalog.size, quantity, dtype=np.int64)
        carton, _, _ = pack(catalog, every, every, units, catalog.size)
        np.add.at(use, (carton, catalog.leaf), parcels_per_day * share[:, None])
    return use


def _carton_index(use_by_leaf: np.ndarray, planned_index_sums: np.ndarray) -> np.ndarray:
    """[carton, day + 1] running sums of the planned demand index of the categories whose
    parcels use the carton, weighted by those parcels; a carton no single unit takes
    follows the whole network."""
    weight = use_by_leaf.sum(axis=2)
    weight = weight + 1e-6 * weight.sum(axis=0, keepdims=True)
    weight /= weight.sum(axis=1, keepdims=True)
    return np.asarray(weight @ planned_index_sums)


def _tiers(moq: np.ndarray, price_usd: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
    """[supplier, carton, tier] minimum quantities and unit prices: the MOQ, then each step
    above it; unused tiers have a huge minimum and no price."""
    n_tiers = 1 + len(TIER_STEPS_UNITS)
    tier_min = np.full((len(moq), n_tiers), np.iinfo(np.int64).max)
    discount = np.full((len(moq), n_tiers), np.nan)
    for carton, smallest in enumerate(moq.tolist()):
        quantities = [smallest, *(q for q in TIER_STEPS_UNITS if q > smallest)]
        tier_min[carton, : len(quantities)] = quantities
        discount[carton, : len(quantities)] = TIER_DISCOUNTS[: len(quantities)]
    price = np.round(price_usd[:, :, None] * (1 - discount)[None], 4)
    return np.broadcast_to(tier_min, price.shape).copy(), price


def _offer_frames(
    config: MarketplaceConfig,
    supplier_ids: pl.Series,
    sku_ids: pl.Series,
    tier_min: np.ndarray,
    tier_price: np.ndarray,
    use_per_day: np.ndarray,
    first_offer: int,
) -> tuple[pl.DataFrame, pl.DataFrame]:
    """``supplier_offers`` and ``offer_price_tiers``: every supplier offers every carton."""
    n_suppliers, n_cartons = tier_price.shape[:2]
    supplier = np.repeat(np.arange(n_suppliers), n_cartons)
    carton = np.tile(np.arange(n_cartons), n_suppliers)
    offer_ids = numbered("OF-", first_offer + 1 + np.arange(len(carton)), 7)
    spec = [PACKAGING_SUPPLIERS[s] for s in supplier]
    moq = tier_min[supplier, carton, 0]
    lead = np.array([s.lead_time_days for s in spec])
    weekly_use = use_per_day.sum(axis=1)[carton] * 7
    frame = pl.DataFrame(
        {
            "offer_id": offer_ids,
            "supplier_id": supplier_ids.gather(supplier),
            "sku_id": sku_ids.gather(carton),
            "currency_code": "USD",
            "moq_units": moq,
            "order_multiple_units": np.array([v[1] for v in PRICE_LIST.values()])[carton],
            "lead_time_mean_days": lead,
            "lead_time_sd_days": [s.lead_time_sd_days for s in spec],
            "capacity_units_per_week": nice_round(
                np.maximum(weekly_use * CAPACITY_WEEKS_OF_USE, 10 * moq)
            ),
            "valid_from": dates(np.full(len(carton), epoch_day(config.start_date) - 180)),
            "valid_to": pl.Series([None] * len(carton), dtype=pl.Date),
            "incoterm": INCOTERM,
            "freight_usd_per_unit": 0.0,
            "duty_rate": 0.0,
            "fixed_order_cost_usd": [s.fixed_order_cost_usd for s in spec],
            "expedite_lead_time_days": 1.0,
            "expedite_cost_usd_per_unit": np.round(tier_price[supplier, carton, 0] * 0.3, 4),
        }
    )
    used = np.flatnonzero(~np.isnan(tier_price.reshape(-1, tier_price.shape[2])).reshape(-1))
    offer, tier = np.divmod(used, tier_price.shape[2])
    tiers = pl.DataFrame(
        {
            "offer_id": offer_ids.gather(offer),
            "min_quantity_units": tier_min.reshape(len(offer_ids), -1)[offer, tier],
            "unit_price": tier_price.reshape(len(offer_ids), -1)[offer, tier],
        }
    )
    return SUPPLIER_OFFERS.conform(frame), OFFER_PRICE_TIERS.conform(tiers)


def _category() -> pl.DataFrame:
    """The packaging category: at the root, never sold, so nothing comes back."""
    frame = pl.DataFrame(
        [(CATEGORY_ID, CATEGORY_NAME, None, 0.0)], schema=CATEGORIES.column_names, orient="row"
    )
    return CATEGORIES.conform(frame)


def _skus(sku_ids: pl.Series, cost: np.ndarray) -> pl.DataFrame:
    """One SKU per carton, described as it arrives: flat-packed, weighing its tare."""
    flat = _flat_sides()
    sides = CARTON_SIDES_CM
    names = [
        f"{_NAMES[family]} {a:g} x {b:g} x {c:g} cm ({code})"
        for code, family, (a, b, c) in zip(CARTON_CODES, CARTON_FAMILIES, sides, strict=True)
    ]
    frame = pl.DataFrame(
        {
            "sku_id": sku_ids,
            "name": names,
            "category_id": CATEGORY_ID,
            "unit_cost_usd": cost,
            "price_usd": np.maximum(np.round(cost * RESALE_MARKUP, 2), 0.05),
            "weight_kg": CARTON_TARE_KG,
            "length_cm": flat[:, 0],
            "width_cm": flat[:, 1],
            "height_cm": flat[:, 2],
            "packaging_type": list(CARTON_FAMILIES),
            "launch_date": pl.Series([None] * len(names), dtype=pl.Date),
            "status": "active",
        }
    )
    return SKUS.conform(frame)


def _flat_sides() -> np.ndarray:
    """Sides of each carton as delivered, longest first.

    A box or mailer folds to (length + width) x (width + height) and two walls thick; a bag
    or envelope lies flat at its own length and width grown by its depth; a tube stays a tube.
    """
    length, width, height = CARTON_SIDES_CM.T
    wall = np.array([_WALL_CM[f] for f in CARTON_FAMILIES])
    family = np.array(CARTON_FAMILIES)
    folded = np.column_stack([length + width, width + height, 2 * wall])
    soft = np.column_stack([length + height, width + height, wall])
    tube = np.column_stack([length + 1, width + 2 * wall, height + 2 * wall])
    flat = np.select(
        [np.isin(family, ["box", "mailer"])[:, None], (family == "tube")[:, None]],
        [folded, tube],
        soft,
    )
    return np.asarray(-np.sort(-np.round(flat, 1), axis=1))


def _suppliers(supplier_ids: pl.Series) -> pl.DataFrame:
    """The packaging suppliers: approved, domestic, low risk, paid at 30 days."""
    cities = {c.city: c for c in SUPPLIER_CITIES if c.country_code == "US"}
    sites = [cities[s.city] for s in PACKAGING_SUPPLIERS]
    n = len(sites)
    frame = pl.DataFrame(
        {
            "supplier_id": supplier_ids,
            "name": [s.name for s in PACKAGING_SUPPLIERS],
            "country_code": "US",
            "city": [c.city for c in sites],
            "latitude": [c.latitude for c in sites],
            "longitude": [c.longitude for c in sites],
            "currency_code": "USD",
            "status": "approved",
            "payment_terms_days": 30,
            "country_risk_score": COUNTRIES["US"].risk_score,
            "financial_risk_score": np.linspace(0.06, 0.09, n),
            "compliance_risk_score": np.linspace(0.04, 0.05, n),
        }
    )
    return SUPPLIERS.conform(frame)


def _certifications(config: MarketplaceConfig, supplier_ids: pl.Series) -> pl.DataFrame:
    """The packaging suppliers' certificates, all valid at the end of the history."""
    rows = [
        (supplier_ids[i], standard, years, age)
        for i, supplier in enumerate(PACKAGING_SUPPLIERS)
        for standard, years, age in supplier.certifications
    ]
    issued = [config.end_date - dt.timedelta(days=age) for _, _, _, age in rows]
    frame = pl.DataFrame(
        {
            "supplier_id": [r[0] for r in rows],
            "certification": [r[1] for r in rows],
            "certificate_number": numbered("C", 8_400_000 + np.arange(len(rows)) * 7919, 7),
            "issued_date": issued,
            "expiry_date": [
                day + dt.timedelta(days=365 * r[2] - 1) for day, r in zip(issued, rows, strict=True)
            ],
        }
    )
    return SUPPLIER_CERTIFICATIONS.conform(frame)
