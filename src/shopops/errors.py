"""ShopOps's exceptions. Every error a user can cause says what was wrong and where.

The hierarchy::

    ShopOpsError
    ├── DataError            bad input data (files, requests)
    │   └── ValidationFailed the rows of one or more files broke the data model;
    │                        carries every issue found (file, row, column, value, expected)
    └── ConfigurationError   settings or database that cannot be used
"""

from __future__ import annotations


class ShopOpsError(Exception):
    """Base of every error ShopOps raises on purpose."""


class DataError(ShopOpsError):
    """Input data that cannot be accepted."""


class ConfigurationError(ShopOpsError):
    """Settings, database URL or database state that ShopOps cannot work with."""
