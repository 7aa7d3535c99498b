"""How long-running services report progress without knowing who is watching."""

from __future__ import annotations

from typing import Protocol


class Progress(Protocol):
    """Called as work advances: what is being done, how much is done, out of how much."""

    def __call__(self, description: str, completed: int, total: int) -> None: ...


def no_progress(description: str, completed: int, total: int) -> None:
    """A :class:`Progress` that ignores every report."""
