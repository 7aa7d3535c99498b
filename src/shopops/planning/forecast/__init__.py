"""Demand forecasting per series (SKU x region), event-aware, with quantiles.

Part of the planning layer: pure functions and estimators over Polars frames and NumPy
arrays; no database, files or settings.
"""
