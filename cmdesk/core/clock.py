"""The injected notion of "now", so time-based logic (backoff, due dates, reports) is testable.

Imports no Qt. Everything stores UTC Unix seconds; convert to local time only for display.
"""

from __future__ import annotations

import time
from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import UTC, datetime


@dataclass
class Clock:
    """Wall-clock time in UTC seconds; tests pass ``now=lambda: fixed``."""

    now_fn: Callable[[], float] = field(default=time.time)

    def now(self) -> int:
        return int(self.now_fn())

    def now_dt(self) -> datetime:
        return datetime.fromtimestamp(self.now_fn(), UTC)


def fixed_clock(when: datetime | int) -> Clock:
    """A clock stopped at ``when`` (an aware datetime or UTC seconds)."""
    seconds = when.timestamp() if isinstance(when, datetime) else float(when)
    return Clock(lambda: seconds)


def to_epoch(value: datetime) -> int:
    """UTC seconds for an aware datetime (a naive one is taken as UTC)."""
    if value.tzinfo is None:
        value = value.replace(tzinfo=UTC)
    return int(value.timestamp())


def from_epoch(seconds: int) -> datetime:
    return datetime.fromtimestamp(seconds, UTC)
