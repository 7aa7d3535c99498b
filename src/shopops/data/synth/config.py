"""What the synthetic marketplace should look like: sizes, seed and demand shape."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

from shopops.errors import ConfigurationError

DEFAULT_WEEKDAY_PROFILE = (0.93, 0.90, 0.92, 0.96, 1.04, 1.14, 1.11)
"""Relative units sold Monday..Sunday: weekends busiest, Tuesday quietest."""


@dataclass(frozen=True, kw_only=True)
class MarketplaceConfig:
    """Settings of one generated marketplace; the same settings give the same data.

    Parameters
    ----------
    skus, warehouses, days:
        Catalog size, warehouses in the network (2 to 10) and days of history.
    end_date:
        Last day of the history. Required: the generator never reads the clock.
    seed:
        Seed of every random draw.
    order_lines_per_sku_day:
        Average order lines per SKU per day over the history, events included.
    lines_per_order:
        Average lines per order (at least 1).
    popularity_sigma:
        Spread (log scale) of SKU popularity; larger means a longer tail.
    weekday_profile:
        Relative demand Monday..Sunday; normalised to a mean of 1.
    open_order_days:
        Orders of the last days of history left open, unallocated (the backlog).
    chunk_days:
        Days of history per chunk of transactional frames (bounds memory).
    new_sku_share, discontinued_sku_share:
        Shares of SKUs launched during, and discontinued within, the history.
    unreliable_supplier_share:
        Share of suppliers that deliver late and short (not visible in the data).
    flash_sales_per_month:
        Live-stream flash sales per month, each promoting one category for a day.
    safety_factor:
        Safety-stock factor of the replenishment that produced the history.
    customer_cancel_rate:
        Share of orders cancelled by the buyer before dispatch.
    upcoming_event_days:
        Days after ``end_date`` whose known sales events are listed.
    """

    skus: int = 2000
    warehouses: int = 6
    days: int = 365
    end_date: dt.date
    seed: int = 7
    order_lines_per_sku_day: float = 0.6
    lines_per_order: float = 1.3
    popularity_sigma: float = 1.5
    weekday_profile: tuple[float, ...] = DEFAULT_WEEKDAY_PROFILE
    open_order_days: int = 2
    chunk_days: int = 10
    new_sku_share: float = 0.04
    discontinued_sku_share: float = 0.03
    unreliable_supplier_share: float = 0.2
    flash_sales_per_month: float = 3.0
    safety_factor: float = 0.5
    customer_cancel_rate: float = 0.02
    upcoming_event_days: int = 90

    def __post_init__(self) -> None:
        problems = [message for ok, message in self._checks() if not ok]
        if problems:
            raise ConfigurationError("invalid marketplace settings: " + "; ".join(problems))

    def _checks(self) -> list[tuple[bool, str]]:
        """Each rule the settings must meet, with the message shown when they do not."""
        shares = (self.new_sku_share, self.discontinued_sku_share, self.unreliable_supplier_share)
        return [
            (isinstance(self.end_date, dt.date), "end_date must be a date"),
            (self.skus >= 20, f"skus must be at least 20, not {self.skus}"),
            (2 <= self.warehouses <= 10, f"warehouses must be 2 to 10, not {self.warehouses}"),
            (self.days >= 30, f"days must be at least 30, not {self.days}"),
            (self.order_lines_per_sku_day > 0, "order_lines_per_sku_day must be positive"),
            (self.lines_per_order >= 1, "lines_per_order must be at least 1"),
            (self.popularity_sigma > 0, "popularity_sigma must be positive"),
            (len(self.weekday_profile) == 7, "weekday_profile needs 7 values, Monday first"),
            (all(v > 0 for v in self.weekday_profile), "weekday_profile values must be > 0"),
            (0 <= self.open_order_days < self.days // 2, "open_order_days out of range"),
            (self.chunk_days >= 1, "chunk_days must be at least 1"),
            (all(0 <= s < 0.5 for s in shares), "shares must be between 0 and 0.5"),
            (self.flash_sales_per_month >= 0, "flash_sales_per_month must not be negative"),
            (self.safety_factor >= 0, "safety_factor must not be negative"),
            (0 <= self.customer_cancel_rate < 0.5, "customer_cancel_rate must be below 0.5"),
            (self.upcoming_event_days >= 0, "upcoming_event_days must not be negative"),
        ]

    @property
    def start_date(self) -> dt.date:
        """First day of the history."""
        return self.end_date - dt.timedelta(days=self.days - 1)
