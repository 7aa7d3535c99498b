"""The ``shopops`` command line: thin commands over the services, with Rich output.

Each command builds the application once (:func:`shopops.bootstrap.build`), calls one
service and prints its result; no business rule lives here.
"""

from __future__ import annotations

from shopops.cli.app import app, main

__all__ = ["app", "main"]
