"""Demand: how many order lines each SKU gets each day, from which region and channel.

A SKU's expected lines per day are its popularity (lognormal: a few SKUs sell most) times
its trend, its life cycle (ramp-up after launch, none after discontinuation), its
category's seasonality and event uplift (scaled by how strongly the SKU responds to
promotions), the weekday, and day-to-day gamma noise. Counts are Poisson around that, so
slow movers have many zero days. Regions take shares proportional to population with
SKU-level noise.
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np

from shopops.data.synth.calendar import SalesCalendar
from shopops.data.synth.catalog import Catalog
from shopops.data.synth.config import MarketplaceConfig
from shopops.data.synth.randomness import stream

LAUNCH_RAMP_DAYS = 21.0
DAILY_NOISE_SHAPE = 4.0
"""Gamma shape of day-to-day demand noise (coefficient of variation 0.5)."""
REGION_NOISE_SIGMA = 0.35
CHANNEL_SHARES = np.array([0.55, 0.30, 0.15])  # shop, video, live_stream
EVENT_CHANNEL_SHARES = np.array([0.45, 0.30, 0.25])
CHANNELS = ("shop", "video", "live_stream")
LIVE = 2


@dataclass(frozen=True)
class DayDemand:
    """The order lines of one day, before they are grouped into orders."""

    sku: np.ndarray
    region: np.ndarray
    quantity: np.ndarray
    channel: np.ndarray  # index into CHANNELS
    event: np.ndarray  # event the line counts towards, or -1
    unit_price_usd: np.ndarray


@dataclass(frozen=True)
class DemandModel:
    """Per-SKU demand parameters; ``day`` draws one day's lines."""

    lines_per_day: np.ndarray  # popularity: expected lines on an average day
    growth_per_year: np.ndarray  # log trend
    promo_response: np.ndarray  # how strongly the SKU follows its category's uplift
    units_per_line: np.ndarray  # mean quantity per line
    quantity_p: np.ndarray  # geometric parameter of the quantity
    region_share: np.ndarray  # [sku, region]
    region_cumulative: np.ndarray  # flattened: sku + cumulative share, for sampling
    catalog: Catalog
    calendar: SalesCalendar
    days: int

    def life(self, day: int | np.ndarray, sku: np.ndarray | None = None) -> np.ndarray:
        """Share of full demand on ``day``: 0 before launch and after discontinuation.

        Per SKU for one day; [sku, day] for an array of days; or element by element when
        ``sku`` gives the SKU of each day.
        """
        d = np.asarray(day, dtype=np.float64)
        launch = self.catalog.launch_day.astype(np.float64)
        end = self.catalog.end_day.astype(np.float64)
        if sku is not None:
            launch, end = launch[sku], end[sku]
        elif d.ndim:
            launch, end = launch[:, None], end[:, None]
        since = d - launch
        ramp = 1.0 - np.exp(-np.maximum(since, 0.0) / LAUNCH_RAMP_DAYS)
        return np.asarray(np.where((since >= 0) & (d < end), ramp, 0.0))

    def trend(self, day: int | np.ndarray, sku: np.ndarray | None = None) -> np.ndarray:
        """Trend factor, shaped like :meth:`life`."""
        d = np.asarray(day, dtype=np.float64)
        growth = self.growth_per_year
        if sku is not None:
            growth = growth[sku]
        elif d.ndim:
            growth = growth[:, None]
        return np.asarray(np.exp(growth * (d - self.days / 2) / 365.0))

    def expected_lines(self, day: int) -> np.ndarray:
        """Expected order lines per SKU on ``day``, before daily noise."""
        leaf = self.catalog.leaf
        cal = self.calendar
        uplift = 1.0 + (cal.uplift[leaf, day] - 1.0) * self.promo_response
        index = cal.season[leaf, day] * np.maximum(uplift, 0.1) * cal.weekday[day]
        return np.asarray(self.lines_per_day * self.life(day) * self.trend(day) * index)

    def day(self, day: int, rng: np.random.Generator) -> DayDemand:
        """Draw the order lines of ``day``."""
        rate = self.expected_lines(day) * rng.gamma(
            DAILY_NOISE_SHAPE, 1 / DAILY_NOISE_SHAPE, len(self.lines_per_day)
        )
        sku = np.repeat(np.arange(len(rate)), rng.poisson(rate))
        n = len(sku)
        n_regions = self.region_share.shape[1]
        u = sku + rng.random(n)
        region = np.searchsorted(self.region_cumulative, u, side="right") - sku * n_regions
        quantity = np.minimum(rng.geometric(self.quantity_p[sku]), 6)
        channel, event = self._channels(day, sku, rng)
        price = self.catalog.price_usd[sku] * (1.0 - self._discounts(event, channel, rng))
        return DayDemand(
            sku=sku,
            region=np.minimum(region, n_regions - 1),
            quantity=quantity.astype(np.int64),
            channel=channel,
            event=event,
            unit_price_usd=np.round(price, 2),
        )

    def _channels(
        self, day: int, sku: np.ndarray, rng: np.random.Generator
    ) -> tuple[np.ndarray, np.ndarray]:
        """Channel per line (live-stream takes the flash sale's extra demand) and its event."""
        cal = self.calendar
        leaf = self.catalog.leaf[sku]
        event = cal.event_tag[leaf, day]
        shares = np.where((event >= 0)[:, None], EVENT_CHANNEL_SHARES, CHANNEL_SHARES)
        flash = leaf == cal.flash_leaf[day]
        if flash.any():
            lift = 1.0 + (cal.uplift[leaf[flash], day] - 1.0) * self.promo_response[sku[flash]]
            live = np.clip(1.0 - (1.0 - CHANNEL_SHARES[LIVE]) / np.maximum(lift, 1.0), 0, 1)
            rest = (1.0 - live) / (1.0 - CHANNEL_SHARES[LIVE])
            shares[flash] = np.column_stack(
                [CHANNEL_SHARES[0] * rest, CHANNEL_SHARES[1] * rest, live]
            )
        u = rng.random(len(sku))
        channel = (u[:, None] >= np.cumsum(shares, axis=1)[:, :2]).sum(axis=1)
        event = np.where(flash & (channel == LIVE), cal.flash_event[day], event)
        return channel.astype(np.int64), event

    def _discounts(
        self, event: np.ndarray, channel: np.ndarray, rng: np.random.Generator
    ) -> np.ndarray:
        """Share off the list price: deep in live flash sales, moderate on events, else rare."""
        u = rng.random(len(event))
        steps = rng.integers(0, 5, len(event))
        regular = np.where(u < 0.06, 0.05 + 0.025 * (steps % 3), 0.0)
        on_event = 0.10 + 0.05 * steps
        on_live = 0.20 + 0.05 * steps
        return np.where(event < 0, regular, np.where(channel == LIVE, on_live, on_event))


def build_demand(
    config: MarketplaceConfig, catalog: Catalog, calendar: SalesCalendar, population: np.ndarray
) -> DemandModel:
    """Draw the demand parameters and scale popularity to the configured volume."""
    rng = stream(config.seed, "demand")
    n = catalog.size
    popularity = rng.lognormal(0.0, config.popularity_sigma, n)
    quantity_p = np.select([catalog.weight_kg <= 2.0, catalog.weight_kg <= 8.0], [0.77, 0.9], 0.97)
    share = population[None, :] * rng.lognormal(0.0, REGION_NOISE_SIGMA, (n, len(population)))
    share /= share.sum(axis=1, keepdims=True)
    cumulative = np.cumsum(share, axis=1)
    cumulative[:, -1] = 1.0
    model = DemandModel(
        lines_per_day=popularity,
        growth_per_year=rng.normal(0.05, 0.35, n),
        promo_response=rng.lognormal(-0.045, 0.3, n),
        units_per_line=_geometric_mean_capped(quantity_p, 6),
        quantity_p=quantity_p,
        region_share=share,
        region_cumulative=(cumulative + np.arange(n)[:, None]).ravel(),
        catalog=catalog,
        calendar=calendar,
        days=config.days,
    )
    scale = config.order_lines_per_sku_day / _mean_lines(model, config.days)
    return DemandModel(**{**model.__dict__, "lines_per_day": popularity * scale})


def _mean_lines(model: DemandModel, days: int) -> float:
    """Average expected lines per SKU per day over the history (sampled every few days)."""
    sample = np.arange(0, days, 3)
    leaf = model.catalog.leaf
    cal = model.calendar
    index = cal.season[:, sample] * cal.uplift[:, sample] * cal.weekday[sample]
    life_trend = model.life(sample) * model.trend(sample)
    per_sku = (life_trend * index[leaf]).mean(axis=1)
    return float((model.lines_per_day * per_sku).mean())


def _geometric_mean_capped(p: np.ndarray, cap: int) -> np.ndarray:
    """Mean of min(Geometric(p), cap)."""
    k = np.arange(1, cap + 1)
    pmf = p[:, None] * (1 - p[:, None]) ** (k - 1)
    pmf[:, -1] = (1 - p) ** (cap - 1)
    return np.asarray((pmf * k).sum(axis=1))
