"""Everything the history buys, goods and packaging alike, by the simulation's indexes.

Goods come first (SKU index = catalog position, supplier index = supplier position), then
the packaging SKUs and suppliers, so purchase orders, receipts, invoices, the stock ledger
and the budgets share one set of lookups.
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np
import polars as pl

from shopops.data.synth.catalog import Catalog
from shopops.data.synth.categories import LEAVES
from shopops.data.synth.offers import Offers
from shopops.data.synth.packaging import CATEGORY_ID, INCOTERM, PackagingSupply
from shopops.data.synth.suppliers import Suppliers


@dataclass(frozen=True)
class PurchaseBook:
    """Per SKU the terms it is bought on and its budget category; per supplier its defects."""

    sku_ids: pl.Series
    supplier_ids: pl.Series
    category_ids: tuple[str, ...]  # budget categories: the leaves, then packaging
    category: np.ndarray  # per SKU: index into category_ids
    currency: np.ndarray  # per SKU: currency of the offer bought from
    incoterm: np.ndarray
    usd_per_unit: np.ndarray
    defect_rate: np.ndarray  # per supplier: share of received units damaged or rejected


def build_book(
    catalog: Catalog, suppliers: Suppliers, offers: Offers, packaging: PackagingSupply
) -> PurchaseBook:
    """The goods' lookups followed by the packaging's."""
    n_cartons = len(packaging.sku_ids)
    return PurchaseBook(
        sku_ids=pl.concat([catalog.sku_ids, packaging.sku_ids.alias(catalog.sku_ids.name)]),
        supplier_ids=pl.concat(
            [suppliers.supplier_ids, packaging.supplier_ids.alias(suppliers.supplier_ids.name)]
        ),
        category_ids=(*(c.code for c in LEAVES), CATEGORY_ID),
        category=np.concatenate([catalog.leaf, np.full(n_cartons, len(LEAVES))]),
        currency=np.concatenate([offers.currency, np.full(n_cartons, "USD")]),
        incoterm=np.concatenate([offers.incoterm, np.full(n_cartons, INCOTERM)]),
        usd_per_unit=np.concatenate([offers.usd_per_unit, np.ones(n_cartons)]),
        defect_rate=np.concatenate([suppliers.defect_rate, packaging.defect_rate]),
    )
