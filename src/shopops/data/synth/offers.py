"""Supplier offers for SKUs: price tiers, order rules, lead times and landed-cost terms.

Every SKU has one to four offers from suppliers of its category. Order rules scale with
the SKU's sales (a fast mover comes in cartons of 24 with an MOQ in the hundreds, a slow
mover one at a time), and lead times follow the supplier's country: sea freight from
Asia and Europe takes weeks, trucks from Mexico and US suppliers days. The cheapest
landed offer of a supplier that is not blocked is the one the history bought from.
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np
import polars as pl

from shopops.data.schemas import OFFER_PRICE_TIERS, SUPPLIER_OFFERS
from shopops.data.synth.catalog import Catalog
from shopops.data.synth.categories import LEAVES
from shopops.data.synth.columns import dates, epoch_day, nice_round, numbered
from shopops.data.synth.config import MarketplaceConfig
from shopops.data.synth.geography import COUNTRIES, CURRENCIES
from shopops.data.synth.randomness import stream
from shopops.data.synth.suppliers import Suppliers

MAX_TIERS = 4
_CASE_PACKS = np.array([1, 2, 6, 12, 24, 48])
_ZERO_DECIMALS = {"VND", "KRW"}
EXPEDITE_SHARE = 0.7
USD_PER_UNIT = {code: rate for code, _, rate in CURRENCIES}


@dataclass(frozen=True)
class Offers:
    """Offer frames plus, per SKU, the terms of the offer the history bought from."""

    offers: pl.DataFrame
    tiers: pl.DataFrame
    supplier: np.ndarray  # per SKU: supplier index of the offer bought from
    lead_time_days: np.ndarray  # quoted mean
    lead_time_sd_days: np.ndarray
    moq_units: np.ndarray
    multiple_units: np.ndarray
    tier_min_units: np.ndarray  # [sku, tier], padded with a huge quantity
    tier_price: np.ndarray  # [sku, tier] in the offer currency
    usd_per_unit: np.ndarray  # of the offer currency
    currency: np.ndarray
    incoterm: np.ndarray


def build_offers(
    config: MarketplaceConfig,
    catalog: Catalog,
    suppliers: Suppliers,
    units_per_day: np.ndarray,
    total_units_per_day: np.ndarray | None = None,
) -> Offers:
    """One to four offers per SKU from suppliers of its category.

    ``units_per_day`` is a SKU's daily demand at one warehouse stocking it: what a purchase
    order line covers, so order rules are scaled to it. Weekly capacity is two to eight
    weeks of the SKU's demand over all warehouses (``total_units_per_day``, default the
    one-warehouse figure), so each supplier could serve the whole network on its own.
    """
    total = units_per_day if total_units_per_day is None else total_units_per_day
    rng = stream(config.seed, "offers")
    sku, supplier = _pairs(rng, catalog, suppliers)
    n = len(sku)
    country = suppliers.country[supplier]
    currency = np.array([COUNTRIES[c].currency_code for c in country])
    rate = np.array([USD_PER_UNIT[c] for c in currency])
    multiple, moq = _order_rules(rng, units_per_day[sku])
    tier_min, tier_price = _price_tiers(rng, catalog.unit_cost_usd[sku], moq, currency, rate)
    lead, lead_sd, sea = _lead_times(rng, country)
    incoterm = _incoterms(rng, country)
    freight, duty = _landed_terms(rng, catalog, sku, country, incoterm, sea)
    landed = tier_price[:, 0] * rate * (1 + duty) + freight
    chosen = _chosen(sku, landed, suppliers.blocked[supplier], catalog.size)
    offer_ids = numbered("OF-", np.arange(1, n + 1), 7).alias("offer_id")
    valid_from, valid_to = _validity(rng, config, n, chosen)
    expedite_days, expedite_cost = _expedite_terms(config, lead, landed, freight)
    frame = pl.DataFrame(
        {
            "offer_id": offer_ids,
            "supplier_id": suppliers.supplier_ids.gather(supplier),
            "sku_id": catalog.sku_ids.gather(sku),
            "currency_code": currency,
            "moq_units": moq,
            "order_multiple_units": multiple,
            "lead_time_mean_days": lead,
            "lead_time_sd_days": lead_sd,
            "capacity_units_per_week": nice_round(
                np.maximum(total[sku] * 7 * rng.uniform(2, 8, n), moq)
            ),
            "valid_from": dates(valid_from),
            "valid_to": dates(valid_to, null_if_negative=True),
            "incoterm": incoterm,
            "freight_usd_per_unit": np.round(freight, 3),
            "duty_rate": np.round(duty, 3),
            "fixed_order_cost_usd": np.round(
                np.where(sea, rng.uniform(150, 400, n), rng.uniform(25, 80, n)), 2
            ),
            "expedite_lead_time_days": expedite_days,
            "expedite_cost_usd_per_unit": expedite_cost,
        }
    )
    return Offers(
        offers=SUPPLIER_OFFERS.conform(frame),
        tiers=_tier_frame(offer_ids, tier_min, tier_price),
        supplier=supplier[chosen],
        lead_time_days=lead[chosen],
        lead_time_sd_days=lead_sd[chosen],
        moq_units=moq[chosen],
        multiple_units=multiple[chosen],
        tier_min_units=tier_min[chosen],
        tier_price=tier_price[chosen],
        usd_per_unit=rate[chosen],
        currency=currency[chosen],
        incoterm=incoterm[chosen],
    )


def _expedite_terms(
    config: MarketplaceConfig, lead: np.ndarray, landed: np.ndarray, freight: np.ndarray
) -> tuple[pl.Series, pl.Series]:
    """Most suppliers can rush an order (air freight, overtime) in about a third of the time,
    for roughly the freight again plus a tenth of the landed cost; nulls where they cannot."""
    rng = stream(config.seed, "expedite")
    n = len(lead)
    can = (rng.random(n) < EXPEDITE_SHARE) & (lead > 4)
    days = np.maximum(2.0, np.round(lead * rng.uniform(0.25, 0.45, n)))
    cost = np.round(freight + landed * rng.uniform(0.06, 0.14, n) + 0.05, 3)
    return (
        pl.Series(np.where(can, days, np.nan)).fill_nan(None),
        pl.Series(np.where(can, cost, np.nan)).fill_nan(None),
    )


def _order_rules(
    rng: np.random.Generator, units_per_day: np.ndarray
) -> tuple[np.ndarray, np.ndarray]:
    """Order multiple (the case pack: at most a week of demand) and an MOQ of 1-4 cases."""
    pack = np.searchsorted(_CASE_PACKS, units_per_day * 7, side="right") - 1
    multiple = _CASE_PACKS[np.maximum(pack, 0)]
    return multiple, multiple * rng.integers(1, 5, len(units_per_day))


def _price_tiers(
    rng: np.random.Generator,
    unit_cost_usd: np.ndarray,
    moq: np.ndarray,
    currency: np.ndarray,
    usd_per_unit: np.ndarray,
) -> tuple[np.ndarray, np.ndarray]:
    """Tier quantities and prices in the offer currency, around the SKU's standard cost."""
    usd_price = np.maximum(unit_cost_usd * rng.uniform(0.88, 1.15, len(moq)), 0.05)
    tier_min, tier_usd = _tiers(rng, moq, usd_price)
    decimals = np.where(np.isin(currency, list(_ZERO_DECIMALS)), 0, 2)
    return tier_min, _round_price(tier_usd / usd_per_unit[:, None], decimals)


def _validity(
    rng: np.random.Generator, config: MarketplaceConfig, n: int, chosen: np.ndarray
) -> tuple[np.ndarray, np.ndarray]:
    """Valid-from and valid-to (epoch days, -1 open-ended); a few offers not bought from expired."""
    start, end = epoch_day(config.start_date), epoch_day(config.end_date)
    valid_from = start - rng.integers(30, 700, n)
    valid_to = np.where(rng.random(n) < 0.3, end + rng.integers(30, 400, n), -1)
    expired = ~np.isin(np.arange(n), chosen) & (rng.random(n) < 0.05)
    valid_to[expired] = start + rng.integers(config.days // 5, config.days - 1, expired.sum())
    return valid_from, valid_to


def _pairs(
    rng: np.random.Generator, catalog: Catalog, suppliers: Suppliers
) -> tuple[np.ndarray, np.ndarray]:
    """(SKU, supplier) of every offer: consecutive suppliers of a shuffled category pool."""
    n_leaves = len(LEAVES)
    pools = [
        rng.permutation(np.flatnonzero((suppliers.leaves == c).any(axis=1)))
        for c in range(n_leaves)
    ]
    sizes = np.array([len(p) for p in pools])
    offsets = np.concatenate([[0], np.cumsum(sizes)[:-1]])
    flat = np.concatenate(pools)
    leaf = catalog.leaf
    count = np.minimum(
        rng.choice([1, 2, 3, 4], size=catalog.size, p=[0.3, 0.35, 0.25, 0.1]), sizes[leaf]
    )
    sku = np.repeat(np.arange(catalog.size), count)
    slot = np.arange(len(sku)) - np.repeat(np.cumsum(count) - count, count)
    first = rng.integers(0, sizes[leaf])
    position = (first[sku] + slot) % sizes[leaf][sku]
    return sku, flat[offsets[leaf][sku] + position]


def _tiers(
    rng: np.random.Generator, moq: np.ndarray, usd_price: np.ndarray
) -> tuple[np.ndarray, np.ndarray]:
    """2-4 all-units tiers from the MOQ up, each a few percent cheaper than the last."""
    n = len(moq)
    count = rng.integers(2, MAX_TIERS + 1, n)
    steps = nice_round(moq[:, None] * np.cumprod(rng.uniform(2.5, 5.0, (n, MAX_TIERS - 1)), axis=1))
    tier_min = np.column_stack([moq, steps])
    for k in range(1, MAX_TIERS):  # strictly increasing, even where rounding met
        tier_min[:, k] = np.maximum(tier_min[:, k], tier_min[:, k - 1] + 1)
    discount = np.cumprod(
        np.column_stack([np.ones(n), 1 - rng.uniform(0.02, 0.08, (n, MAX_TIERS - 1))]), axis=1
    )
    unused = np.arange(MAX_TIERS)[None, :] >= count[:, None]
    tier_min = np.where(unused, np.iinfo(np.int64).max, tier_min)
    return tier_min, np.where(unused, np.nan, usd_price[:, None] * discount)


def _round_price(price: np.ndarray, decimals: np.ndarray) -> np.ndarray:
    """Prices rounded to the currency's decimals, never to zero."""
    scale = 10.0 ** decimals[:, None]
    return np.asarray(np.maximum(np.round(price * scale), 1.0) / scale)


def _tier_frame(offer_ids: pl.Series, tier_min: np.ndarray, tier_price: np.ndarray) -> pl.DataFrame:
    """``offer_price_tiers`` rows: the tiers each offer uses."""
    offer, tier = np.nonzero(~np.isnan(tier_price))
    frame = pl.DataFrame(
        {
            "offer_id": offer_ids.gather(offer),
            "min_quantity_units": tier_min[offer, tier],
            "unit_price": tier_price[offer, tier],
        }
    )
    return OFFER_PRICE_TIERS.conform(frame)


def _lead_times(
    rng: np.random.Generator, country: np.ndarray
) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    """Quoted mean and standard deviation of the lead time, and whether it is by sea."""
    spec = [COUNTRIES[c] for c in country]
    low, high = np.array([s.lead_time_days for s in spec]).T
    sd_low, sd_high = np.array([s.lead_time_sd_days for s in spec]).T
    mean = np.round(rng.uniform(low, high) * 2) / 2
    sd = np.round(rng.uniform(sd_low, sd_high) * 2) / 2
    return mean, sd, np.array([s.sea_freight for s in spec])


def _incoterms(rng: np.random.Generator, country: np.ndarray) -> np.ndarray:
    """FOB mostly from overseas, FCA or DAP from Mexico, DAP at home; a few DDP."""
    u = rng.random(len(country))
    overseas = np.select([u < 0.65, u < 0.75, u < 0.9], ["FOB", "EXW", "CIF"], "DDP")
    mexico = np.select([u < 0.5, u < 0.9], ["FCA", "DAP"], "DDP")
    domestic = np.select([u < 0.6, u < 0.9], ["DAP", "FCA"], "DDP")
    return np.where(country == "US", domestic, np.where(country == "MX", mexico, overseas))


def _landed_terms(
    rng: np.random.Generator,
    catalog: Catalog,
    sku: np.ndarray,
    country: np.ndarray,
    incoterm: np.ndarray,
    sea: np.ndarray,
) -> tuple[np.ndarray, np.ndarray]:
    """Inbound freight per unit we pay (by volume) and the import duty rate."""
    cubic_m = catalog.volume_cm3[sku] * 1.3e-6
    usd_per_cubic_m = np.where(sea, rng.uniform(90, 160, len(sku)), rng.uniform(50, 90, len(sku)))
    freight = np.maximum(0.02, cubic_m * usd_per_cubic_m)
    freight = np.select(
        [np.isin(incoterm, ["DAP", "DDP"]), incoterm == "CIF"],
        [0.0, 0.25 * freight],
        freight * np.where(incoterm == "EXW", 1.1, 1.0),
    )
    base = np.array([c.duty_rate for c in LEAVES])[catalog.leaf[sku]]
    extra = np.array([COUNTRIES[c].extra_duty_rate for c in country])
    duty = np.where(np.isin(country, ["US", "MX"]) | (incoterm == "DDP"), 0.0, base + extra)
    return freight, np.clip(duty, 0.0, 1.0)


def _chosen(sku: np.ndarray, landed: np.ndarray, blocked: np.ndarray, n_skus: int) -> np.ndarray:
    """Per SKU, the offer with the lowest landed cost, preferring suppliers not blocked."""
    order = np.lexsort((landed, blocked, sku))
    first = np.ones(len(order), dtype=bool)
    first[1:] = sku[order][1:] != sku[order][:-1]
    chosen = order[first]
    assert len(chosen) == n_skus, "every SKU has at least one offer"
    return chosen
