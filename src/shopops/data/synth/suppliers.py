"""Suppliers: where they are, what they certify, how risky and how reliable they are.

Reliability is hidden: it is not a column of any table, only visible in the history
(late and short deliveries, and stoppages of a few weeks that hold up every order placed
around them). :func:`supplier_reliability` exposes it for evaluating
scorecards and tests against the truth.
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np
import polars as pl

from shopops.data.schemas import SUPPLIER_CERTIFICATIONS, SUPPLIERS
from shopops.data.synth.categories import LEAVES
from shopops.data.synth.columns import dates, epoch_day, numbered, pick
from shopops.data.synth.config import MarketplaceConfig
from shopops.data.synth.geography import COUNTRIES, SUPPLIER_CITIES
from shopops.data.synth.packaging import packaging_reliability
from shopops.data.synth.randomness import stream

_WORDS = ("Hongda", "Jinyuan", "Everbright", "Golden Bridge", "Sunrise", "Evergreen", "Apex",
          "Orient", "Harmony", "Pacific", "Lotus", "Crown", "Silverline", "Bluewave", "Zenith",
          "Meridian", "Starlight", "Phoenix", "Tianli", "Kingstar")  # fmt: skip
_TRADES = {"apparel": "Garment", "electronics": "Electronics", "beauty": "Cosmetics",
           "home": "Homeware", "general": "Industrial"}  # fmt: skip
_SUFFIX = {"US": "Inc.", "MX": "S.A. de C.V.", "IT": "S.r.l.", "IN": "Pvt. Ltd.", "TR": "A.S.",
           "BD": "Ltd."}  # fmt: skip
CERTIFICATIONS: dict[str, tuple[int, tuple[str, ...]]] = {
    # standard: (years valid, kinds of supplier holding it; "" for all)
    "ISO 9001": (3, ("",)),
    "ISO 14001": (3, ("",)),
    "ISO 45001": (3, ("",)),
    "amfori BSCI": (2, ("",)),
    "SMETA": (2, ("",)),
    "SA8000": (3, ("apparel", "home")),
    "OEKO-TEX Standard 100": (1, ("apparel", "home")),
    "WRAP": (1, ("apparel",)),
    "IECQ QC 080000": (3, ("electronics",)),
    "ISO 22716": (3, ("beauty",)),
    "FSC Chain of Custody": (5, ("home",)),
    "ICTI Ethical Toy Program": (1, ("general",)),
}
DISRUPTED_SHARE = 0.1
"""Share of suppliers that stop shipping for a few weeks during the history (more of the
unreliable ones)."""


@dataclass(frozen=True)
class Suppliers:
    suppliers: pl.DataFrame
    certifications: pl.DataFrame
    supplier_ids: pl.Series
    country: np.ndarray  # country code per supplier (object array)
    leaves: np.ndarray  # [supplier, 2]: the leaf categories it supplies
    blocked: np.ndarray
    reliable: np.ndarray
    lateness_factor: np.ndarray  # true lead time / quoted lead time
    lead_time_noise: np.ndarray  # multiplier of the quoted standard deviation
    short_probability: np.ndarray  # chance a PO line arrives short
    defect_rate: np.ndarray  # share of received units damaged or rejected
    disruption_start: np.ndarray  # day index a stoppage begins, -1 if none in the history
    disruption_days: np.ndarray  # how long it stops shipping


def supplier_count(config: MarketplaceConfig) -> int:
    """About one supplier per 20 SKUs, at least four per category."""
    return max(4 * len(LEAVES), config.skus // 20)


def build_suppliers(config: MarketplaceConfig) -> Suppliers:
    """Suppliers spread over categories in proportion to the catalog, four at least each."""
    rng = stream(config.seed, "suppliers")
    n = supplier_count(config)
    shares = np.array([c.catalog_share for c in LEAVES])
    extra = rng.choice(len(LEAVES), size=n - 2 * len(LEAVES), p=shares / shares.sum())
    primary = np.sort(np.concatenate([np.repeat(np.arange(len(LEAVES)), 2), extra]))
    leaves = np.column_stack([primary, (primary + 1) % len(LEAVES)])
    country = np.array([_draw_country(rng, LEAVES[leaf].countries) for leaf in primary])
    reliable = rng.random(n) >= config.unreliable_supplier_share
    status = _status(rng, reliable)
    disrupted = rng.random(n) < np.where(reliable, DISRUPTED_SHARE / 2, DISRUPTED_SHARE * 2)
    disruption_start = np.where(disrupted, rng.integers(0, config.days, n), -1)
    frame, ids = _frame(rng, primary, country, reliable, status)
    return Suppliers(
        suppliers=SUPPLIERS.conform(frame),
        certifications=_certifications(rng, config, ids, primary),
        supplier_ids=ids,
        country=country,
        leaves=leaves,
        blocked=status == "blocked",
        reliable=reliable,
        lateness_factor=np.where(reliable, rng.uniform(0.97, 1.03, n), rng.uniform(1.2, 1.5, n)),
        lead_time_noise=np.where(reliable, 1.0, 1.8),
        short_probability=np.where(reliable, 0.03, rng.uniform(0.2, 0.35, n)),
        defect_rate=np.where(reliable, 0.004, 0.025),
        disruption_start=disruption_start,
        disruption_days=np.where(disrupted, rng.integers(14, 43, n), 0),
    )


def supplier_reliability(config: MarketplaceConfig) -> pl.DataFrame:
    """The hidden truth per supplier: reliable or not, and how late and short it delivers.

    The packaging suppliers come last: reliable, on time and never short.
    """
    s = build_suppliers(config)
    start = epoch_day(config.start_date)
    disrupted = s.disruption_start >= 0
    goods = pl.DataFrame(
        {
            "supplier_id": s.supplier_ids,
            "reliable": s.reliable,
            "lead_time_factor": s.lateness_factor,
            "short_delivery_probability": s.short_probability,
            "defect_rate": s.defect_rate,
            "stoppage_start": dates(
                np.where(disrupted, start + s.disruption_start, -1), null_if_negative=True
            ),
            "stoppage_days": s.disruption_days,
        }
    )
    return pl.concat([goods, packaging_reliability(len(s.supplier_ids))], how="vertical_relaxed")


def _draw_country(rng: np.random.Generator, shares: dict[str, float]) -> str:
    """A supplier country drawn with the category's sourcing shares."""
    codes = list(shares)
    weights = np.array(list(shares.values()))
    return codes[int(rng.choice(len(codes), p=weights / weights.sum()))]


def _status(rng: np.random.Generator, reliable: np.ndarray) -> np.ndarray:
    """Mostly approved; unreliable suppliers more often on probation or blocked."""
    u = rng.random(len(reliable))
    probation = np.where(reliable, 0.1, 0.4)
    blocked = np.where(reliable, 0.02, 0.12)
    return np.where(
        u < blocked, "blocked", np.where(u < blocked + probation, "probation", "approved")
    )


def _frame(
    rng: np.random.Generator,
    primary: np.ndarray,
    country: np.ndarray,
    reliable: np.ndarray,
    status: np.ndarray,
) -> tuple[pl.DataFrame, pl.Series]:
    """``suppliers`` rows (site in a city of the country, names, terms, risk) and their ids."""
    n = len(primary)
    cities = [np.flatnonzero([c.country_code == code for c in SUPPLIER_CITIES]) for code in country]
    city = np.array([SUPPLIER_CITIES[int(rng.choice(options))] for options in cities])
    ids = numbered("SUP-", np.arange(1, n + 1), 5).alias("supplier_id")
    trade = [_TRADES[LEAVES[leaf].kind] for leaf in primary]
    words = pick(_WORDS, rng.integers(0, len(_WORDS), n))
    names = [
        f"{c[1]} {w} {t} {_SUFFIX.get(k, 'Co., Ltd.')}"
        for c, w, t, k in zip(city, words, trade, country, strict=True)
    ]
    risk = np.array([COUNTRIES[c].risk_score for c in country])
    frame = pl.DataFrame(
        {
            "supplier_id": ids,
            "name": names,
            "country_code": country.astype(str),
            "city": city[:, 1].astype(str),
            "latitude": city[:, 2].astype(np.float64),
            "longitude": city[:, 3].astype(np.float64),
            "currency_code": [COUNTRIES[c].currency_code for c in country],
            "status": status,
            "payment_terms_days": rng.choice([0, 30, 30, 45, 60, 60, 90], size=n),
            "country_risk_score": np.round(np.clip(risk + rng.normal(0, 0.05, n), 0, 1), 3),
            "financial_risk_score": np.round(
                np.clip(rng.beta(2, 7, n) + np.where(reliable, 0, 0.15), 0, 1), 3
            ),
            "compliance_risk_score": np.round(
                np.clip(rng.beta(2, 6, n) + np.where(reliable, 0, 0.1), 0, 1), 3
            ),
        }
    )
    return frame, ids


LAPSE_SHARE = 0.04


def _certifications(
    rng: np.random.Generator, config: MarketplaceConfig, ids: pl.Series, primary: np.ndarray
) -> pl.DataFrame:
    """One to four certificates per supplier, mostly renewed in time; a few lapsed.

    A certificate lapses (expired up to four months before the end of the history) with
    probability ``LAPSE_SHARE``; the others are valid on the last day, some about to expire.
    """
    names = list(CERTIFICATIONS)
    kinds = np.array([LEAVES[leaf].kind for leaf in primary])
    allowed = np.array([[bool({"", k} & set(CERTIFICATIONS[c][1])) for c in names] for k in kinds])
    keys = np.where(allowed, rng.random(allowed.shape), -1.0)
    order = np.argsort(-keys, axis=1)
    held = rng.integers(1, 5, len(primary))
    supplier, slot = np.nonzero(np.arange(len(names))[None, :] < held[:, None])
    cert = order[supplier, slot]
    years = np.array([CERTIFICATIONS[c][0] for c in names])[cert]
    end = epoch_day(config.end_date)
    lapsed = stream(config.seed, "certificate lapses").random(len(cert)) < LAPSE_SHARE
    issued = np.where(
        lapsed,
        end - 365 * years - rng.integers(0, 120, len(cert)),
        end - rng.integers(20, 365 * years - 1),
    )
    frame = pl.DataFrame(
        {
            "supplier_id": ids.gather(supplier),
            "certification": pick(names, cert),
            "certificate_number": numbered("C", rng.integers(10**6, 10**7, len(cert)), 7),
            "issued_date": dates(issued),
            "expiry_date": dates(issued + 365 * years - 1),
        }
    )
    return SUPPLIER_CERTIFICATIONS.conform(frame)
