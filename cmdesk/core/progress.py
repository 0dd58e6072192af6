"""Progress reporting and cooperative cancellation for long work, shared by the UI and the CLI.

Imports no Qt. Long-running core functions take a ``Progress`` and call :meth:`Progress.update`
now and then; ``update`` raises :class:`Cancelled` once the user has asked to stop, so the work
ends at a clean point (after a committed batch), never half-way through a write.
"""

from __future__ import annotations

import threading
from collections.abc import Callable


class Cancelled(Exception):
    """The user cancelled the work; what was committed before stays committed."""


class Progress:
    """Thread-safe progress sink; ``on_update(done, total, text)`` is called for each update."""

    def __init__(self, on_update: Callable[[int, int, str], None] | None = None) -> None:
        self._on_update = on_update
        self._cancel = threading.Event()
        self.done = 0
        self.total = 0
        self.text = ""

    def update(
        self, done: int | None = None, total: int | None = None, text: str | None = None
    ) -> None:
        """Record progress (``total`` 0: unknown); raise :class:`Cancelled` if asked to stop."""
        if done is not None:
            self.done = done
        if total is not None:
            self.total = total
        if text is not None:
            self.text = text
        if self._on_update is not None:
            self._on_update(self.done, self.total, self.text)
        self.check()

    def advance(self, step: int = 1, text: str | None = None) -> None:
        self.update(self.done + step, None, text)

    def cancel(self) -> None:
        self._cancel.set()

    @property
    def cancelled(self) -> bool:
        return self._cancel.is_set()

    def check(self) -> None:
        if self._cancel.is_set():
            raise Cancelled()
