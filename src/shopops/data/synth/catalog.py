"""The catalog: categories and SKUs with prices, costs, weights and packed dimensions."""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np
import polars as pl

from shopops.data.schemas import CATEGORIES, SKUS
from shopops.data.synth.categories import LEAVES, PARENTS
from shopops.data.synth.columns import dates, draw_codes, epoch_day, numbered, pick
from shopops.data.synth.config import MarketplaceConfig
from shopops.data.synth.randomness import stream

NEVER = 1_000_000
"""A day index later than any history: 'not discontinued'."""

_STYLES = ("Aurora", "Nova", "Summit", "Harbor", "Willow", "Ember", "Atlas", "Luna", "Cedar",
           "Orbit", "Maple", "Coral", "Vista", "Echo", "Sable", "Juniper")  # fmt: skip
_VARIANTS = ("Black", "White", "Navy", "Sage", "Blush", "Charcoal", "Sand", "Olive", "Ivory",
             "Cobalt", "Rust", "Lilac")  # fmt: skip

# packed sizes (cm) by packaging: (length, width, height) ranges; None: from weight
_SIZES: dict[str, tuple[tuple[float, float], ...] | None] = {
    "envelope": ((18, 32), (12, 24), (0.5, 2.5)),
    "poly_bag": ((22, 45), (16, 35), (2, 8)),
    "mailer": ((15, 35), (11, 25), (3, 10)),
    "tube": ((30, 90), (5, 12), (5, 12)),
    "box": None,
}
_MAX_WEIGHT_KG = {"envelope": 0.5, "poly_bag": 2.5, "mailer": 3.0, "tube": 5.0, "box": 20.0}


@dataclass(frozen=True)
class Catalog:
    """The SKUs as arrays (index = SKU position) plus their table frames."""

    categories: pl.DataFrame
    skus: pl.DataFrame
    sku_ids: pl.Series
    category_ids: pl.Series  # leaf category codes, index = leaf position
    leaf: np.ndarray  # leaf category index per SKU
    price_usd: np.ndarray
    unit_cost_usd: np.ndarray
    weight_kg: np.ndarray
    volume_cm3: np.ndarray
    packaging: np.ndarray  # packaging code per SKU (object array)
    launch_day: np.ndarray  # day index the SKU went on sale (negative: before the history)
    end_day: np.ndarray  # day index from which it no longer sells (NEVER if still sold)

    @property
    def size(self) -> int:
        """Number of SKUs."""
        return len(self.leaf)


def build_catalog(config: MarketplaceConfig) -> Catalog:
    """Categories and ``config.skus`` SKUs drawn around their category's typical values."""
    rng = stream(config.seed, "catalog")
    n = config.skus
    shares = np.array([c.catalog_share for c in LEAVES])
    leaf = np.sort(rng.choice(len(LEAVES), size=n, p=shares / shares.sum()))
    price, cost = _prices(rng, leaf)
    packaging, weight, dims = _physical(rng, leaf)
    launch_day, end_day = _life_cycle(rng, config, n)
    sku_ids = numbered("SKU-", np.arange(1, n + 1), 6).alias("sku_id")
    category_ids = pl.Series([c.code for c in LEAVES])
    start = epoch_day(config.start_date)
    has_launch = (launch_day >= 0) | (rng.random(n) < 0.3)
    launch_date = np.where(has_launch, start + launch_day, -1)
    skus = pl.DataFrame(
        [
            sku_ids,
            _names(rng, leaf).alias("name"),
            pick(category_ids, leaf, "category_id"),
            pl.Series("unit_cost_usd", cost),
            pl.Series("price_usd", price),
            pl.Series("weight_kg", weight),
            pl.Series("length_cm", dims[:, 0]),
            pl.Series("width_cm", dims[:, 1]),
            pl.Series("height_cm", dims[:, 2]),
            pl.Series("packaging_type", packaging.astype(str)),
            dates(launch_date, "launch_date", null_if_negative=True),
            pl.Series("status", np.where(end_day < NEVER, "discontinued", "active")),
        ]
    )
    return Catalog(
        categories=_categories(),
        skus=SKUS.conform(skus),
        sku_ids=sku_ids,
        category_ids=category_ids,
        leaf=leaf,
        price_usd=price,
        unit_cost_usd=cost,
        weight_kg=weight,
        volume_cm3=dims.prod(axis=1),
        packaging=packaging,
        launch_day=launch_day,
        end_day=end_day,
    )


def _categories() -> pl.DataFrame:
    """Parents first (each with the mean return rate of its children), then leaves."""
    rows: list[tuple[str, str, str | None, float]] = []
    for code, name in PARENTS:
        rates = [c.return_rate for c in LEAVES if c.parent == code]
        rows.append((code, name, None, round(float(np.mean(rates)), 3)))
    rows += [(c.code, c.name, c.parent, c.return_rate) for c in LEAVES]
    frame = pl.DataFrame(rows, schema=CATEGORIES.column_names, orient="row")
    return CATEGORIES.conform(frame)


def _prices(rng: np.random.Generator, leaf: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
    """Lognormal prices ending in .99 and costs as a lognormal share of the price."""
    median = np.array([c.price_usd for c in LEAVES])[leaf]
    sigma = np.array([c.price_sigma for c in LEAVES])[leaf]
    raw = median * np.exp(sigma * rng.standard_normal(len(leaf)))
    price = np.floor(np.clip(raw, 2.0, 2000.0)) + 0.99
    cost_share = np.array([c.cost_share for c in LEAVES])[leaf]
    share = np.clip(cost_share * np.exp(0.2 * rng.standard_normal(len(leaf))), 0.1, 0.85)
    return price, np.round(price * share, 2)


def _physical(
    rng: np.random.Generator, leaf: np.ndarray
) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    """Packaging per SKU, packed weight within what the packaging carries, and sides."""
    n = len(leaf)
    packaging = np.empty(n, dtype=object)
    for i, spec in enumerate(LEAVES):
        members = np.flatnonzero(leaf == i)
        packaging[members] = draw_codes(rng, spec.packaging, len(members))
    median = np.array([c.weight_kg for c in LEAVES])[leaf]
    weight = median * np.exp(0.6 * rng.standard_normal(n))
    cap = np.array([_MAX_WEIGHT_KG[p] for p in packaging])
    weight = np.round(np.clip(weight, 0.02, cap), 3)
    dims = np.empty((n, 3))
    for code, ranges in _SIZES.items():
        rows = np.flatnonzero(packaging == code)
        dims[rows] = _box_sides(rng, weight[rows]) if ranges is None else _ranged(rng, ranges, rows)
    dims = -np.sort(-np.round(np.maximum(dims, 0.5) * 2) / 2, axis=1)  # longest side first
    return packaging, weight, dims


def _ranged(
    rng: np.random.Generator, ranges: tuple[tuple[float, float], ...], rows: np.ndarray
) -> np.ndarray:
    """Sides drawn within the packaging's ranges (a tube's width equals its height)."""
    sides = [rng.uniform(low, high, len(rows)) for low, high in ranges]
    if ranges == _SIZES["tube"]:
        sides[2] = sides[1]  # a tube is round
    return np.column_stack(sides)


def _box_sides(rng: np.random.Generator, weight_kg: np.ndarray) -> np.ndarray:
    """Box sides from the weight and a product density of around 0.22 kg per litre."""
    n = len(weight_kg)
    density = np.clip(0.22 * np.exp(0.5 * rng.standard_normal(n)), 0.05, 1.0)
    litres = np.clip(weight_kg / density, 0.2, 120.0)
    edge = np.cbrt(litres * 1000.0)
    long_ratio, short_ratio = rng.uniform(1.0, 1.8, n), rng.uniform(0.45, 1.0, n)
    mid_ratio = 1.0 / (long_ratio * short_ratio)
    return np.column_stack([edge * long_ratio, edge * mid_ratio, edge * short_ratio])


def _life_cycle(
    rng: np.random.Generator, config: MarketplaceConfig, n: int
) -> tuple[np.ndarray, np.ndarray]:
    """Launch day (a few SKUs launch during the history) and discontinuation day."""
    days = config.days
    launch = -rng.integers(30, 5 * 365, n)
    new = rng.random(n) < config.new_sku_share
    launch[new] = rng.integers(30, max(31, days - 20), new.sum())
    end = np.full(n, NEVER, dtype=np.int64)
    ending = ~new & (rng.random(n) < config.discontinued_sku_share)
    end[ending] = rng.integers(days // 5, max(days // 5 + 1, days - 30), ending.sum())
    return launch.astype(np.int64), end


def _names(rng: np.random.Generator, leaf: np.ndarray) -> pl.Series:
    """Product names: a style word, the category's product and a colour."""
    n = len(leaf)
    counts = np.array([len(c.products) for c in LEAVES])
    offsets = np.concatenate([[0], np.cumsum(counts)[:-1]])
    products = [p for c in LEAVES for p in c.products]
    product = offsets[leaf] + (rng.random(n) * counts[leaf]).astype(np.int64)
    frame = pl.DataFrame(
        [
            pick(_STYLES, rng.integers(0, len(_STYLES), n), "style"),
            pick(products, product, "product"),
            pick(_VARIANTS, rng.integers(0, len(_VARIANTS), n), "variant"),
        ]
    )
    return frame.select(pl.format("{} {} - {}", "style", "product", "variant")).to_series()
