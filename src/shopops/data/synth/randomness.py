"""Independent random streams per part of the generator, all derived from one seed.

Each part (catalog, suppliers, the daily simulation...) draws from its own stream, so a
change in how one part draws never shifts the numbers another part sees.
"""

from __future__ import annotations

import zlib

import numpy as np


def stream(seed: int, name: str) -> np.random.Generator:
    """The random generator of part ``name`` for ``seed``."""
    key = zlib.crc32(name.encode())
    return np.random.default_rng(np.random.SeedSequence(entropy=seed, spawn_key=(key,)))
