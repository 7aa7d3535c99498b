"""The category tree and what is typical of each category.

Prices, weights, packaging, return rates, sourcing countries and seasonality differ by
category; the generator draws every SKU around its category's values.
"""

from __future__ import annotations

from typing import NamedTuple


class CategorySpec(NamedTuple):
    """What SKUs of a leaf category look like, sell like and are bought from."""

    code: str
    name: str
    parent: str | None
    catalog_share: float  # relative share of SKUs
    price_usd: float  # median selling price
    price_sigma: float  # log-scale spread of prices
    cost_share: float  # median unit cost / price
    weight_kg: float  # median packed weight
    packaging: dict[str, float]  # packaging type -> share of SKUs
    return_rate: float  # share of units returned
    countries: dict[str, float]  # supplier country -> share of suppliers
    season_amplitude: float  # yearly swing around the mean
    season_peak_day: int  # day of year of the yearly peak
    singles_day_uplift: float  # demand multiple on 11.11
    duty_rate: float  # base import duty
    kind: str  # drives return reasons: apparel, electronics, beauty, home, general
    products: tuple[str, ...]


PARENTS: tuple[tuple[str, str], ...] = (
    ("FAS", "Fashion"),
    ("ELE", "Electronics"),
    ("BEA", "Beauty & Personal Care"),
    ("HOM", "Home & Kitchen"),
    ("SPO", "Sports & Outdoors"),
)

_BOX = {"box": 1.0}

LEAVES: tuple[CategorySpec, ...] = (
    CategorySpec("FAS-WOM", "Women's Clothing", "FAS", 0.12, 24, 0.5, 0.35, 0.35,
                 {"poly_bag": 0.85, "mailer": 0.15}, 0.22,
                 {"CN": 0.4, "VN": 0.2, "BD": 0.15, "IN": 0.15, "TR": 0.1}, 0.15, 330, 7.0,
                 0.16, "apparel",
                 ("Wrap Dress", "Blouse", "Cardigan", "Leggings", "Midi Skirt", "Jumpsuit",
                  "Cropped Hoodie", "Knit Sweater")),
    CategorySpec("FAS-MEN", "Men's Clothing", "FAS", 0.07, 28, 0.5, 0.35, 0.45,
                 {"poly_bag": 0.8, "box": 0.2}, 0.17,
                 {"CN": 0.35, "VN": 0.2, "BD": 0.15, "IN": 0.1, "TR": 0.1, "MX": 0.1}, 0.15,
                 330, 6.0, 0.16, "apparel",
                 ("Crew T-Shirt", "Polo Shirt", "Chinos", "Bomber Jacket", "Zip Hoodie",
                  "Slim Jeans", "Cargo Shorts", "Flannel Shirt")),
    CategorySpec("FAS-SHO", "Shoes", "FAS", 0.05, 45, 0.45, 0.4, 0.9, _BOX, 0.20,
                 {"CN": 0.5, "VN": 0.35, "IN": 0.1, "IT": 0.05}, 0.10, 320, 5.0, 0.12,
                 "apparel",
                 ("Sneakers", "Chelsea Boots", "Sandals", "Loafers", "Running Shoes",
                  "Slippers")),
    CategorySpec("FAS-BAG", "Bags & Accessories", "FAS", 0.04, 30, 0.6, 0.3, 0.5,
                 {"poly_bag": 0.4, "mailer": 0.3, "box": 0.3}, 0.12,
                 {"CN": 0.6, "IN": 0.2, "IT": 0.1, "VN": 0.1}, 0.12, 340, 6.0, 0.10, "apparel",
                 ("Tote Bag", "Backpack", "Wallet", "Leather Belt", "Sunglasses", "Scarf",
                  "Crossbody Bag")),
    CategorySpec("FAS-JEW", "Jewelry & Watches", "FAS", 0.04, 22, 0.8, 0.25, 0.08,
                 {"envelope": 0.3, "mailer": 0.5, "box": 0.2}, 0.08,
                 {"CN": 0.6, "IN": 0.2, "TR": 0.1, "IT": 0.1}, 0.20, 345, 7.0, 0.06,
                 "general",
                 ("Pendant Necklace", "Hoop Earrings", "Charm Bracelet", "Ring Set",
                  "Quartz Watch", "Anklet")),
    CategorySpec("ELE-PHN", "Phone Accessories", "ELE", 0.07, 16, 0.6, 0.3, 0.12,
                 {"mailer": 0.5, "envelope": 0.2, "box": 0.3}, 0.07,
                 {"CN": 0.8, "TW": 0.1, "VN": 0.1}, 0.12, 335, 7.0, 0.10, "electronics",
                 ("Phone Case", "Fast Charger", "USB-C Cable", "Screen Protector",
                  "Power Bank", "Car Mount", "Magnetic Wallet")),
    CategorySpec("ELE-AUD", "Audio", "ELE", 0.04, 40, 0.7, 0.45, 0.35, _BOX, 0.08,
                 {"CN": 0.6, "TW": 0.15, "VN": 0.15, "KR": 0.1}, 0.20, 345, 6.0, 0.05,
                 "electronics",
                 ("Wireless Earbuds", "Headphones", "Bluetooth Speaker", "Soundbar",
                  "USB Microphone")),
    CategorySpec("ELE-CMP", "Computer Accessories", "ELE", 0.04, 30, 0.7, 0.45, 0.5, _BOX,
                 0.06, {"CN": 0.6, "TW": 0.25, "VN": 0.1, "MX": 0.05}, 0.12, 240, 5.0, 0.05,
                 "electronics",
                 ("Mechanical Keyboard", "Wireless Mouse", "Webcam", "USB Hub",
                  "Laptop Stand", "Monitor Arm")),
    CategorySpec("ELE-SMH", "Smart Home", "ELE", 0.03, 45, 0.6, 0.5, 0.7, _BOX, 0.07,
                 {"CN": 0.7, "TW": 0.15, "MX": 0.1, "US": 0.05}, 0.18, 345, 6.0, 0.05,
                 "electronics",
                 ("Smart Plug", "LED Strip", "Security Camera", "Smart Bulb", "Video Doorbell",
                  "Robot Vacuum")),
    CategorySpec("BEA-SKN", "Skincare", "BEA", 0.07, 22, 0.55, 0.3, 0.2,
                 {"box": 0.6, "tube": 0.2, "mailer": 0.2}, 0.04,
                 {"KR": 0.4, "US": 0.3, "CN": 0.2, "IT": 0.1}, 0.08, 340, 7.0, 0.03, "beauty",
                 ("Vitamin C Serum", "Moisturizer", "Sunscreen SPF 50", "Foaming Cleanser",
                  "Sheet Mask", "Toner", "Eye Cream")),
    CategorySpec("BEA-MKP", "Makeup", "BEA", 0.05, 15, 0.5, 0.25, 0.1,
                 {"mailer": 0.5, "box": 0.3, "envelope": 0.2}, 0.05,
                 {"CN": 0.4, "KR": 0.3, "US": 0.2, "IT": 0.1}, 0.10, 345, 8.0, 0.03, "beauty",
                 ("Matte Lipstick", "Mascara", "Foundation", "Eyeshadow Palette", "Blush",
                  "Brow Pencil")),
    CategorySpec("BEA-HAI", "Hair Care", "BEA", 0.04, 25, 0.7, 0.35, 0.45,
                 {"box": 0.6, "tube": 0.2, "mailer": 0.2}, 0.05,
                 {"CN": 0.5, "US": 0.3, "KR": 0.1, "TR": 0.1}, 0.08, 345, 6.0, 0.03, "beauty",
                 ("Hair Dryer", "Flat Iron", "Shampoo", "Argan Hair Oil", "Curling Wand",
                  "Claw Clips")),
    CategorySpec("BEA-FRA", "Fragrance", "BEA", 0.02, 45, 0.5, 0.3, 0.35, _BOX, 0.04,
                 {"IT": 0.3, "US": 0.3, "TR": 0.2, "CN": 0.2}, 0.25, 345, 6.0, 0.05, "beauty",
                 ("Eau de Parfum", "Body Mist", "Cologne", "Perfume Oil", "Fragrance Gift Set")),
    CategorySpec("HOM-KIT", "Kitchen & Dining", "HOM", 0.06, 28, 0.7, 0.4, 1.0, _BOX, 0.06,
                 {"CN": 0.5, "IN": 0.2, "VN": 0.1, "US": 0.1, "MX": 0.1}, 0.12, 340, 5.0,
                 0.05, "home",
                 ("Knife Set", "Nonstick Pan", "Air Fryer Liners", "Food Containers",
                  "Coffee Grinder", "Mixing Bowls", "Insulated Bottle")),
    CategorySpec("HOM-DEC", "Home Decor", "HOM", 0.05, 30, 0.7, 0.35, 1.1,
                 {"box": 0.8, "tube": 0.2}, 0.08,
                 {"CN": 0.5, "IN": 0.3, "VN": 0.1, "TR": 0.1}, 0.22, 335, 6.0, 0.05, "home",
                 ("Canvas Wall Art", "Table Lamp", "Throw Pillow", "Candle Set", "Ceramic Vase",
                  "Round Mirror", "Fairy Lights")),
    CategorySpec("HOM-BED", "Bedding & Bath", "HOM", 0.04, 38, 0.6, 0.35, 1.4,
                 {"poly_bag": 0.5, "box": 0.5}, 0.09,
                 {"IN": 0.4, "CN": 0.3, "BD": 0.15, "TR": 0.15}, 0.10, 320, 5.0, 0.08, "home",
                 ("Sheet Set", "Duvet Cover", "Bath Towels", "Weighted Blanket",
                  "Memory Foam Pillow", "Bath Mat")),
    CategorySpec("HOM-STO", "Storage & Organization", "HOM", 0.03, 24, 0.6, 0.35, 1.2, _BOX,
                 0.05, {"CN": 0.6, "VN": 0.2, "MX": 0.1, "US": 0.1}, 0.10, 15, 5.0, 0.05,
                 "home",
                 ("Storage Bins", "Drawer Organizer", "Shoe Rack", "Velvet Hangers",
                  "Vacuum Bags")),
    CategorySpec("SPO-FIT", "Fitness", "SPO", 0.03, 30, 0.8, 0.4, 1.8, _BOX, 0.07,
                 {"CN": 0.7, "IN": 0.1, "TW": 0.1, "US": 0.1}, 0.20, 10, 5.0, 0.04, "general",
                 ("Yoga Mat", "Dumbbell Pair", "Resistance Bands", "Jump Rope", "Foam Roller",
                  "Kettlebell")),
    CategorySpec("SPO-OUT", "Outdoor & Camping", "SPO", 0.03, 40, 0.8, 0.4, 1.6,
                 {"box": 0.8, "tube": 0.2}, 0.08,
                 {"CN": 0.6, "VN": 0.2, "TW": 0.1, "US": 0.1}, 0.30, 170, 4.0, 0.05, "general",
                 ("Camping Tent", "Sleeping Bag", "Headlamp", "Trekking Poles", "Soft Cooler",
                  "Hammock")),
    CategorySpec("TOY", "Toys & Games", None, 0.05, 22, 0.7, 0.35, 0.6, _BOX, 0.05,
                 {"CN": 0.8, "VN": 0.15, "MX": 0.05}, 0.35, 350, 7.0, 0.0, "general",
                 ("Building Blocks", "Plush Toy", "Board Game", "Jigsaw Puzzle", "RC Car",
                  "Fashion Doll", "Art Kit")),
    CategorySpec("HLT", "Health & Household", None, 0.04, 18, 0.5, 0.35, 0.3,
                 {"box": 0.7, "mailer": 0.3}, 0.03,
                 {"US": 0.6, "MX": 0.1, "IN": 0.2, "CN": 0.1}, 0.10, 15, 6.0, 0.02, "general",
                 ("Vitamin Gummies", "Protein Powder", "First Aid Kit", "Massage Gun",
                  "Digital Thermometer")),
    CategorySpec("PET", "Pet Supplies", None, 0.03, 20, 0.7, 0.4, 0.9,
                 {"box": 0.7, "poly_bag": 0.3}, 0.04,
                 {"CN": 0.5, "US": 0.3, "MX": 0.1, "VN": 0.1}, 0.08, 340, 5.0, 0.03, "general",
                 ("Chew Toy", "Litter Mat", "Pet Bed", "Retractable Leash", "Grooming Brush",
                  "Pet Fountain")),
    CategorySpec("BAB", "Baby", None, 0.03, 26, 0.6, 0.4, 0.7,
                 {"box": 0.7, "poly_bag": 0.3}, 0.06,
                 {"CN": 0.6, "IN": 0.2, "US": 0.1, "VN": 0.1}, 0.06, 340, 5.0, 0.04,
                 "general",
                 ("Baby Carrier", "Swaddle Set", "Bottle Warmer", "Silicone Teether",
                  "Diaper Bag", "Play Mat")),
    CategorySpec("SNK", "Snacks & Beverages", None, 0.02, 12, 0.4, 0.5, 0.6, _BOX, 0.02,
                 {"US": 0.7, "MX": 0.2, "KR": 0.1}, 0.12, 350, 4.0, 0.03, "general",
                 ("Snack Box", "Matcha Powder", "Hot Sauce Set", "Coffee Beans", "Beef Jerky")),
)  # fmt: skip
