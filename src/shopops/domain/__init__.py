"""The marketplace's business vocabulary: entities, value sets and their rules.

The innermost layer: plain Python only, no I/O and no third-party imports, so every
other part can depend on it and it depends on nothing.
"""
