"""Fulfillment engines: parcel rates, allocation of open orders, delivery promise."""
