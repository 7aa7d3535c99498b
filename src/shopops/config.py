"""Infrastructure settings, read from ``SHOPOPS_*`` environment variables (or ``.env``).

Business parameters (service levels, budgets, risk caps) are not settings: they live in
tables users edit. Nothing here is read at import time; call :func:`get_settings`.
"""

from __future__ import annotations

from functools import lru_cache

from pydantic_settings import BaseSettings, SettingsConfigDict


class Settings(BaseSettings):
    """Where ShopOps keeps its data and how it behaves as a process."""

    model_config = SettingsConfigDict(env_prefix="SHOPOPS_", env_file=".env", extra="ignore")

    database_url: str = "sqlite:///shopops.db"
    """SQLAlchemy URL: a SQLite file by default, ``postgresql://...`` in production."""


@lru_cache
def get_settings() -> Settings:
    return Settings()
