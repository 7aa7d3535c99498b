"""The seeded synthetic marketplace: master data and a simulated history, as table frames.

``generate_marketplace(MarketplaceConfig(end_date=...))`` yields ``(table, frame)``
chunks in load order: master data first, then the day-by-day history in chunks of
``chunk_days`` days, budgets last. Part of the ``data`` layer: pure, no I/O, and the same
configuration always gives the same frames.
"""

from shopops.data.synth.config import MarketplaceConfig
from shopops.data.synth.generator import generate_marketplace
from shopops.data.synth.suppliers import supplier_reliability

__all__ = ["MarketplaceConfig", "generate_marketplace", "supplier_reliability"]
