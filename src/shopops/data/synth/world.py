"""The generated marketplace's master data and the fixed facts the simulation runs on.

Which warehouses stock which SKU (fast movers everywhere, the tail in one or two), which
warehouse serves each region for each SKU, and the demand rate that lands on every SKU
and warehouse follow from the catalog, the network and the demand model.
"""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import dataclass

import numpy as np
import polars as pl

from shopops.data.schemas import CURRENCIES as CURRENCIES_TABLE
from shopops.data.synth.calendar import SalesCalendar, build_calendar
from shopops.data.synth.catalog import Catalog, build_catalog
from shopops.data.synth.config import MarketplaceConfig
from shopops.data.synth.demand import DemandModel, build_demand
from shopops.data.synth.geography import CURRENCIES
from shopops.data.synth.network import Network, build_network
from shopops.data.synth.offers import Offers, build_offers
from shopops.data.synth.packaging import PackagingSupply, build_packaging
from shopops.data.synth.purchase_book import PurchaseBook, build_book
from shopops.data.synth.randomness import stream
from shopops.data.synth.shipping import cartons_frame
from shopops.data.synth.suppliers import Suppliers, build_suppliers

PLANNING_ERROR_SIGMA = 0.45
MIN_WAREHOUSE_SHARE = 0.05
"""A warehouse that would serve less of a SKU's demand than this does not stock it."""
"""Log-scale error of the planners' demand estimate per SKU and warehouse."""


@dataclass(frozen=True)
class World:
    config: MarketplaceConfig
    catalog: Catalog
    network: Network
    calendar: SalesCalendar
    demand: DemandModel
    suppliers: Suppliers
    offers: Offers
    packaging: PackagingSupply
    book: PurchaseBook
    stocked: np.ndarray  # [sku, warehouse]
    units_per_day: np.ndarray  # [sku, warehouse]: average demand landing there
    planning_bias: np.ndarray  # [sku, warehouse]
    review_pairs: tuple[np.ndarray, ...]  # per weekday: flat pairs reviewed
    return_propensity: np.ndarray  # per SKU, multiplies the category's return rate
    planned_index_sums: np.ndarray  # [leaf, day + 1]: running sums of the planned index

    def planned_units(self, day: int, pairs: np.ndarray, cover_days: np.ndarray) -> np.ndarray:
        """Daily units the planners expect at each pair over the next ``cover_days``."""
        sku = pairs // self.network.size
        leaf = self.catalog.leaf[sku]
        first = day + 1
        last = np.minimum(
            first + np.ceil(cover_days).astype(np.int64), self.planned_index_sums.shape[1] - 1
        )
        window = (self.planned_index_sums[leaf, last] - self.planned_index_sums[leaf, first]) / (
            last - first
        )
        life = self.demand.life(day + cover_days, sku)
        trend = self.demand.trend(day + cover_days / 2, sku)
        flat = self.units_per_day.reshape(-1)[pairs] * self.planning_bias.reshape(-1)[pairs]
        return np.asarray(flat * window * life * trend)

    def master_frames(self) -> Iterator[tuple[str, pl.DataFrame]]:
        """Master data in load order."""
        packaging = self.packaging
        yield "currencies", _currencies()
        yield "regions", self.network.regions
        yield "categories", pl.concat([self.catalog.categories, packaging.category])
        yield "skus", pl.concat([self.catalog.skus, packaging.skus])
        yield "cartons", cartons_frame(packaging.sku_ids)
        yield "suppliers", pl.concat([self.suppliers.suppliers, packaging.suppliers])
        yield (
            "supplier_certifications",
            pl.concat([self.suppliers.certifications, packaging.certifications]),
        )
        yield "supplier_offers", pl.concat([self.offers.offers, packaging.offers])
        yield "offer_price_tiers", pl.concat([self.offers.tiers, packaging.tiers])
        yield "warehouses", self.network.warehouses
        yield "shipping_zones", self.network.shipping_zones
        yield "carriers", self.network.carriers.carriers
        yield "carrier_services", self.network.carriers.services
        yield "rate_cards", self.network.carriers.rate_cards
        yield "transit_times", self.network.carriers.transit_times
        yield "sales_events", self.calendar.events


def build_world(config: MarketplaceConfig) -> World:
    """Everything but the day-by-day history."""
    catalog = build_catalog(config)
    calendar = build_calendar(config)
    orders_per_day = config.skus * config.order_lines_per_sku_day / config.lines_per_order
    network = build_network(config, orders_per_day)
    demand = build_demand(config, catalog, calendar, network.population)
    sku_units = demand.lines_per_day * demand.units_per_line
    rng = stream(config.seed, "stocking")
    stocked = _stocking(rng, sku_units, network)
    shares = _serving_shares(demand.region_share, stocked, network.rank)
    stocked &= shares >= MIN_WAREHOUSE_SHARE  # a warehouse nobody is near does not stock it
    stocked[np.arange(len(stocked)), shares.argmax(axis=1)] = True
    shares = _serving_shares(demand.region_share, stocked, network.rank)
    suppliers = build_suppliers(config)
    per_warehouse = sku_units / stocked.sum(axis=1)
    offers = build_offers(config, catalog, suppliers, per_warehouse, sku_units)
    n_wh = network.size
    weekday = (offers.supplier[:, None] + np.arange(n_wh)[None, :]) % 7
    pairs = np.flatnonzero(stocked.reshape(-1))
    planned = calendar.season * calendar.planned_uplift
    planned_index_sums = np.concatenate(
        [np.zeros((planned.shape[0], 1)), np.cumsum(planned, axis=1)], axis=1
    )
    units_per_day = sku_units[:, None] * shares
    parcels_per_day = units_per_day / demand.units_per_line[:, None] / config.lines_per_order
    packaging = build_packaging(
        config,
        catalog,
        parcels_per_day,
        demand.quantity_p,
        planned_index_sums,
        first_supplier=len(suppliers.supplier_ids),
        first_offer=offers.offers.height,
    )
    return World(
        config=config,
        catalog=catalog,
        network=network,
        calendar=calendar,
        demand=demand,
        suppliers=suppliers,
        offers=offers,
        packaging=packaging,
        book=build_book(catalog, suppliers, offers, packaging),
        stocked=stocked,
        units_per_day=units_per_day,
        planning_bias=rng.lognormal(0.0, PLANNING_ERROR_SIGMA, stocked.shape),
        review_pairs=tuple(pairs[weekday.reshape(-1)[pairs] == d] for d in range(7)),
        return_propensity=np.clip(rng.lognormal(0.0, 0.3, catalog.size), 0.3, 2.5),
        planned_index_sums=planned_index_sums,
    )


def _currencies() -> pl.DataFrame:
    """``currencies`` rows with their US dollar rates."""
    frame = pl.DataFrame(CURRENCIES, schema=["currency_code", "name", "usd_per_unit"], orient="row")
    return CURRENCIES_TABLE.conform(frame)


def _stocking(rng: np.random.Generator, sku_units: np.ndarray, network: Network) -> np.ndarray:
    """[sku, warehouse] stocked: top sellers everywhere, the tail in one or two places.

    Warehouses with a larger population nearby are likelier to hold a slow mover.
    """
    n, n_wh = len(sku_units), network.size
    popularity = np.argsort(np.argsort(-sku_units)) / n  # 0 for the best seller
    count = np.select(
        [popularity < 0.2, popularity < 0.5, popularity < 0.8],
        [n_wh, np.ceil(0.6 * n_wh), max(1, n_wh // 3)],
        1 + (rng.random(n) < 0.3),
    ).astype(np.int64)
    catchment = np.bincount(network.rank[:, 0], network.population, minlength=n_wh) + 1.0
    keys = np.log(catchment)[None, :] + rng.gumbel(size=(n, n_wh))
    order = np.argsort(-keys, axis=1)
    stocked = np.zeros((n, n_wh), dtype=bool)
    rows, slots = np.nonzero(np.arange(n_wh)[None, :] < np.minimum(count, n_wh)[:, None])
    stocked[rows, order[rows, slots]] = True
    return stocked


def _serving_shares(region_share: np.ndarray, stocked: np.ndarray, rank: np.ndarray) -> np.ndarray:
    """[sku, warehouse] share of a SKU's demand whose nearest stocking warehouse it is."""
    shares = np.zeros(stocked.shape)
    rows = np.arange(stocked.shape[0])
    for region in range(rank.shape[0]):
        nearest = rank[region][stocked[:, rank[region]].argmax(axis=1)]
        shares[rows, nearest] += region_share[:, region]
    return shares
