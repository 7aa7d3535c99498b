"""Real places: US metro areas buyers live in, warehouse sites, supplier cities, currencies.

Populations are 2020 US census metropolitan statistical area counts, coordinates are the
metro's principal city; exchange rates are approximate mid-2020s US dollar values.
"""

from __future__ import annotations

from typing import NamedTuple

import numpy as np

EARTH_RADIUS_KM = 6371.0


class Place(NamedTuple):
    code: str
    name: str
    latitude: float
    longitude: float
    population: int = 0


METROS: tuple[Place, ...] = (
    Place("NYC", "New York-Newark-Jersey City", 40.71, -74.01, 20_140_470),
    Place("LAX", "Los Angeles-Long Beach-Anaheim", 34.05, -118.24, 13_200_998),
    Place("CHI", "Chicago-Naperville-Elgin", 41.88, -87.63, 9_618_502),
    Place("DFW", "Dallas-Fort Worth-Arlington", 32.78, -96.80, 7_637_387),
    Place("HOU", "Houston-The Woodlands-Sugar Land", 29.76, -95.37, 7_122_240),
    Place("WAS", "Washington-Arlington-Alexandria", 38.91, -77.04, 6_385_162),
    Place("PHL", "Philadelphia-Camden-Wilmington", 39.95, -75.17, 6_245_051),
    Place("MIA", "Miami-Fort Lauderdale-Pompano Beach", 25.76, -80.19, 6_138_333),
    Place("ATL", "Atlanta-Sandy Springs-Alpharetta", 33.75, -84.39, 6_089_815),
    Place("BOS", "Boston-Cambridge-Newton", 42.36, -71.06, 4_941_632),
    Place("PHX", "Phoenix-Mesa-Chandler", 33.45, -112.07, 4_845_832),
    Place("SFO", "San Francisco-Oakland-Berkeley", 37.77, -122.42, 4_749_008),
    Place("RIV", "Riverside-San Bernardino-Ontario", 33.95, -117.40, 4_599_839),
    Place("DET", "Detroit-Warren-Dearborn", 42.33, -83.05, 4_392_041),
    Place("SEA", "Seattle-Tacoma-Bellevue", 47.61, -122.33, 4_018_762),
    Place("MSP", "Minneapolis-St. Paul-Bloomington", 44.98, -93.27, 3_690_261),
    Place("SAN", "San Diego-Chula Vista-Carlsbad", 32.72, -117.16, 3_298_634),
    Place("TPA", "Tampa-St. Petersburg-Clearwater", 27.95, -82.46, 3_175_275),
    Place("DEN", "Denver-Aurora-Lakewood", 39.74, -104.99, 2_963_821),
    Place("BAL", "Baltimore-Columbia-Towson", 39.29, -76.61, 2_844_510),
    Place("STL", "St. Louis", 38.63, -90.20, 2_820_253),
    Place("ORL", "Orlando-Kissimmee-Sanford", 28.54, -81.38, 2_673_376),
    Place("CLT", "Charlotte-Concord-Gastonia", 35.23, -80.84, 2_660_329),
    Place("SAT", "San Antonio-New Braunfels", 29.42, -98.49, 2_558_143),
    Place("PDX", "Portland-Vancouver-Hillsboro", 45.52, -122.68, 2_512_859),
    Place("SAC", "Sacramento-Roseville-Folsom", 38.58, -121.49, 2_397_382),
    Place("PIT", "Pittsburgh", 40.44, -79.99, 2_370_930),
    Place("AUS", "Austin-Round Rock-Georgetown", 30.27, -97.74, 2_283_371),
    Place("LAS", "Las Vegas-Henderson-Paradise", 36.17, -115.14, 2_265_461),
    Place("CIN", "Cincinnati", 39.10, -84.51, 2_256_884),
    Place("MKC", "Kansas City", 39.10, -94.58, 2_192_035),
    Place("CMH", "Columbus", 39.96, -83.00, 2_138_926),
    Place("IND", "Indianapolis-Carmel-Anderson", 39.77, -86.16, 2_111_040),
    Place("CLE", "Cleveland-Elyria", 41.50, -81.69, 2_088_251),
    Place("BNA", "Nashville-Davidson-Murfreesboro-Franklin", 36.16, -86.78, 1_989_519),
    Place("JAX", "Jacksonville", 30.33, -81.66, 1_605_848),
    Place("RDU", "Raleigh-Cary", 35.78, -78.64, 1_413_982),
    Place("MEM", "Memphis", 35.15, -90.05, 1_337_779),
    Place("SLC", "Salt Lake City", 40.76, -111.89, 1_257_936),
)


class WarehouseSite(NamedTuple):
    code: str
    name: str
    city: str
    latitude: float
    longitude: float
    partner_name: str | None  # None: run by the marketplace itself


WAREHOUSE_SITES: tuple[WarehouseSite, ...] = (
    # In the order a network of n warehouses takes them: coasts first, then the middle.
    WarehouseSite("WH-ONT", "Inland Empire DC", "Ontario, CA", 34.06, -117.65, None),
    WarehouseSite(
        "WH-ABE", "Lehigh Valley FC", "Allentown, PA", 40.60, -75.49, "Keystone Fulfillment"
    ),
    WarehouseSite("WH-AFW", "Alliance DC", "Fort Worth, TX", 32.97, -97.32, None),
    WarehouseSite("WH-ATL", "South Atlanta FC", "McDonough, GA", 33.45, -84.15, "Peachline 3PL"),
    WarehouseSite("WH-JOL", "Joliet DC", "Joliet, IL", 41.53, -88.08, None),
    WarehouseSite("WH-RNO", "Reno FC", "Sparks, NV", 39.53, -119.75, "Sierra Fulfillment"),
    WarehouseSite("WH-MEM", "Memphis FC", "Memphis, TN", 35.05, -89.98, "Rivergate Logistics"),
    WarehouseSite("WH-CMH", "Columbus FC", "Groveport, OH", 39.85, -82.92, "Buckeye Fulfillment"),
    WarehouseSite("WH-SEA", "Puget Sound FC", "Kent, WA", 47.38, -122.23, "Cascade 3PL"),
    WarehouseSite(
        "WH-LAK", "Central Florida FC", "Lakeland, FL", 28.04, -81.95, "Suncoast Logistics"
    ),
)


class SupplierCity(NamedTuple):
    country_code: str
    city: str
    latitude: float
    longitude: float


SUPPLIER_CITIES: tuple[SupplierCity, ...] = (
    SupplierCity("CN", "Shenzhen", 22.54, 114.06),
    SupplierCity("CN", "Guangzhou", 23.13, 113.26),
    SupplierCity("CN", "Dongguan", 23.02, 113.75),
    SupplierCity("CN", "Yiwu", 29.31, 120.08),
    SupplierCity("CN", "Ningbo", 29.87, 121.54),
    SupplierCity("CN", "Xiamen", 24.48, 118.09),
    SupplierCity("CN", "Suzhou", 31.30, 120.58),
    SupplierCity("CN", "Qingdao", 36.07, 120.38),
    SupplierCity("VN", "Ho Chi Minh City", 10.82, 106.63),
    SupplierCity("VN", "Hanoi", 21.03, 105.85),
    SupplierCity("VN", "Hai Phong", 20.84, 106.69),
    SupplierCity("IN", "Tiruppur", 11.11, 77.34),
    SupplierCity("IN", "Mumbai", 19.08, 72.88),
    SupplierCity("IN", "New Delhi", 28.61, 77.21),
    SupplierCity("IN", "Jaipur", 26.91, 75.79),
    SupplierCity("BD", "Dhaka", 23.81, 90.41),
    SupplierCity("BD", "Chattogram", 22.36, 91.78),
    SupplierCity("KR", "Seoul", 37.57, 126.98),
    SupplierCity("KR", "Busan", 35.18, 129.08),
    SupplierCity("TW", "Taipei", 25.03, 121.57),
    SupplierCity("TW", "Taichung", 24.15, 120.67),
    SupplierCity("TR", "Istanbul", 41.01, 28.98),
    SupplierCity("TR", "Izmir", 38.42, 27.14),
    SupplierCity("TR", "Bursa", 40.19, 29.06),
    SupplierCity("IT", "Milan", 45.46, 9.19),
    SupplierCity("IT", "Florence", 43.77, 11.26),
    SupplierCity("MX", "Monterrey", 25.69, -100.32),
    SupplierCity("MX", "Guadalajara", 20.66, -103.35),
    SupplierCity("MX", "Tijuana", 32.51, -117.04),
    SupplierCity("US", "Los Angeles", 34.05, -118.24),
    SupplierCity("US", "Dallas", 32.78, -96.80),
    SupplierCity("US", "Chicago", 41.88, -87.63),
    SupplierCity("US", "Newark", 40.74, -74.17),
    SupplierCity("US", "Atlanta", 33.75, -84.39),
)


class Country(NamedTuple):
    """How buying from a country works: currency, quoted lead time, duty and risk."""

    currency_code: str
    lead_time_days: tuple[float, float]  # range of quoted mean lead times
    lead_time_sd_days: tuple[float, float]
    extra_duty_rate: float  # on top of the category's base rate
    risk_score: float
    sea_freight: bool


COUNTRIES: dict[str, Country] = {
    "CN": Country("CNY", (28, 42), (3, 7), 0.10, 0.55, True),
    "VN": Country("VND", (30, 44), (3, 8), 0.02, 0.40, True),
    "IN": Country("INR", (34, 48), (4, 9), 0.02, 0.45, True),
    "BD": Country("BDT", (38, 50), (5, 10), 0.02, 0.60, True),
    "KR": Country("KRW", (24, 34), (2, 5), 0.0, 0.25, True),
    "TW": Country("TWD", (25, 35), (2, 5), 0.0, 0.35, True),
    "TR": Country("TRY", (22, 32), (3, 6), 0.02, 0.50, True),
    "IT": Country("EUR", (18, 28), (2, 5), 0.0, 0.20, True),
    "MX": Country("MXN", (7, 14), (1, 3), 0.0, 0.35, False),
    "US": Country("USD", (4, 10), (1, 2), 0.0, 0.10, False),
}

CURRENCIES: tuple[tuple[str, str, float], ...] = (
    ("USD", "US dollar", 1.0),
    ("CNY", "Chinese yuan renminbi", 0.139),
    ("VND", "Vietnamese dong", 0.0000385),
    ("INR", "Indian rupee", 0.0116),
    ("BDT", "Bangladeshi taka", 0.0082),
    ("KRW", "South Korean won", 0.00071),
    ("TWD", "New Taiwan dollar", 0.031),
    ("TRY", "Turkish lira", 0.026),
    ("EUR", "Euro", 1.09),
    ("MXN", "Mexican peso", 0.052),
)


def great_circle_km(
    lat1: np.ndarray, lon1: np.ndarray, lat2: np.ndarray, lon2: np.ndarray
) -> np.ndarray:
    """Great-circle (haversine) distance between points, broadcasting like NumPy."""
    p1, p2 = np.radians(lat1), np.radians(lat2)
    dp, dl = p2 - p1, np.radians(lon2) - np.radians(lon1)
    h = np.sin(dp / 2) ** 2 + np.cos(p1) * np.cos(p2) * np.sin(dl / 2) ** 2
    return np.asarray(2 * EARTH_RADIUS_KM * np.arcsin(np.sqrt(h)), dtype=np.float64)
