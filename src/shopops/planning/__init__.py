"""The planning engines: pure functions over NumPy arrays and Polars frames.

They take frames and arrays and return frames and arrays. They never open a database, read a
file or look at settings, so they run the same in a test, in a service and on a worker. They
import only ``shopops.domain`` and ``shopops.data`` from the project.
"""
