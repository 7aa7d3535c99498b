"""The paper trail of purchasing: each PO's status changes, receipt numbers, supplier invoices.

Status changes follow the lifecycle proposed -> approved -> sent -> confirmed, then the
receipts (partly received, received) and closing a month later, or a cancellation. Suppliers
invoice what they delivered; a few invoices are wrong, as in real life: a price a few percent
above the PO, a quantity that ignores rejected units or is simply off.
"""

from __future__ import annotations

from collections.abc import Callable

import numpy as np
import polars as pl

from shopops.data.schemas import (
    PURCHASE_ORDER_EVENTS,
    SUPPLIER_INVOICE_LINES,
    SUPPLIER_INVOICES,
)
from shopops.data.synth.columns import US_PER_DAY, US_PER_HOUR, dates, datetimes, numbered

PRICE_ERROR_SHARE = 0.03
QUANTITY_ERROR_SHARE = 0.02
BILLS_REJECTED_SHARE = 0.3
"""Of receipts with damaged or rejected units, the share a supplier invoices in full anyway."""
CLOSE_AFTER_DAYS = 30
_CHAIN = ("proposed", "approved", "sent", "confirmed")
_APPROVER = "auto-approval"


def receipt_references(receipt_id: np.ndarray) -> pl.Series:
    """Goods-received note numbers, one per receipt."""
    return numbered("GRN-", receipt_id, 9)


def po_events(
    take_ids: Callable[[int], np.ndarray],
    po_id: np.ndarray,
    status: np.ndarray,
    created_us: np.ndarray,
    created_by: np.ndarray,
    first_arrival_us: np.ndarray,
    last_arrival_us: np.ndarray,
) -> pl.DataFrame:
    """``purchase_order_events`` of POs with final ``status`` (names), in event order.

    Arrival times are -1 when nothing arrived. Every PO walks the chain to ``confirmed``
    (or stops at ``sent``/``cancelled``), then receipts move it on.
    """
    rows: list[tuple[int, str | None, str, int, str]] = []
    for i, final in enumerate(status):
        t = int(created_us[i])
        steps: list[tuple[str, int, str]] = [("proposed", t, str(created_by[i]))]
        steps += [("approved", t + US_PER_HOUR, _APPROVER), ("sent", t + 2 * US_PER_HOUR, "edi")]
        if final == "cancelled":
            steps.append(("cancelled", t + US_PER_DAY, str(created_by[i])))
        elif final != "sent":
            steps.append(("confirmed", t + US_PER_DAY, "supplier"))
            steps += _receipt_steps(final, int(first_arrival_us[i]), int(last_arrival_us[i]))
        previous: str | None = None
        for to_status, at, who in steps:
            rows.append((int(po_id[i]), previous, to_status, at, who))
            previous = to_status
    frame = pl.DataFrame(
        {
            "event_id": take_ids(len(rows)),
            "po_id": np.array([r[0] for r in rows], dtype=np.int64),
            "from_status": pl.Series([r[1] for r in rows], dtype=pl.String),
            "to_status": [r[2] for r in rows],
            "changed_at": datetimes(np.array([r[3] for r in rows], dtype=np.int64)),
            "changed_by": [r[4] for r in rows],
            "note": pl.Series([None] * len(rows), dtype=pl.String),
        }
    )
    return PURCHASE_ORDER_EVENTS.conform(frame)


def _receipt_steps(final: str, first_us: int, last_us: int) -> list[tuple[str, int, str]]:
    receiving = "receiving"
    if final == "partially_received":
        return [("partially_received", first_us, receiving)]
    if final not in ("received", "closed"):
        return []
    steps = []
    if last_us > first_us:
        steps.append(("partially_received", first_us, receiving))
    steps.append(("received", last_us, receiving))
    if final == "closed":
        steps.append(("closed", last_us + CLOSE_AFTER_DAYS * US_PER_DAY, "auto-close"))
    return steps


def invoice_frames(
    rng: np.random.Generator,
    take_ids: Callable[[int], np.ndarray],
    receipts: dict[str, np.ndarray],
    supplier_ids: pl.Series,
    currency_codes: pl.Series,
    invoice_day: int,
) -> tuple[pl.DataFrame, pl.DataFrame]:
    """One invoice per receipt with accepted or billed units: header and line.

    ``receipts`` holds receipt_id, po_id, line_no, received, damaged and rejected units,
    and the line's unit_price.
    """
    received = receipts["received_units"]
    accepted = received - receipts["damaged_units"] - receipts["rejected_units"]
    n = len(received)
    bills_all = (accepted < received) & (rng.random(n) < BILLS_REJECTED_SHARE)
    quantity = np.where(bills_all, received, accepted)
    wrong_quantity = rng.random(n) < QUANTITY_ERROR_SHARE
    quantity = quantity + wrong_quantity * np.maximum(1, np.round(quantity * 0.05)).astype(np.int64)
    price = receipts["unit_price"] * np.where(
        rng.random(n) < PRICE_ERROR_SHARE, 1 + rng.uniform(0.01, 0.06, n), 1.0
    )
    keep = quantity > 0
    invoice_id = take_ids(int(keep.sum()))
    headers = pl.DataFrame(
        {
            "invoice_id": invoice_id,
            "invoice_number": numbered("SI-", receipts["receipt_id"][keep], 9),
            "supplier_id": supplier_ids.filter(pl.Series(keep)),
            "invoice_date": dates(np.full(len(invoice_id), invoice_day)),
            "currency_code": currency_codes.filter(pl.Series(keep)),
        }
    )
    lines = pl.DataFrame(
        {
            "invoice_id": invoice_id,
            "po_id": receipts["po_id"][keep],
            "line_no": receipts["line_no"][keep],
            "quantity_units": quantity[keep],
            "unit_price": np.round(price[keep], 4),
        }
    )
    return SUPPLIER_INVOICES.conform(headers), SUPPLIER_INVOICE_LINES.conform(lines)
