"""Alembic migrations of the ShopOps database; run them through :mod:`shopops.store.migrate`."""
