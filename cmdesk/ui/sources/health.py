"""How a source's health reads in the Sources table: state words, relative times, kind labels.

Plain functions over :class:`~cmdesk.core.services.sources.SourceRow` snapshots and a "now" in UTC
seconds, so they are tested without widgets. Limit: the row does not keep the kind of its last
error, so "rate-limited" is recognised from the engine's own wording ("asked us to slow down",
429/503) and shown with the planned next fetch.
"""

from __future__ import annotations

from datetime import UTC, datetime

from cmdesk.core.services.sources import NEEDS_KEYCHAIN, SourceRow
from cmdesk.listening.connectors import CONNECTORS

SHORT_KIND = {
    "rss": "Feed",
    "hackernews": "Hacker News",
    "reddit": "Reddit",
    "mastodon": "Mastodon",
    "bluesky": "Bluesky",
    "stackexchange": "Stack Exchange",
    "github": "GitHub",
}
_RATE_LIMIT_WORDS = ("slow down", "rate limit", "rate-limit", "(429", "too many requests")


def kind_label(kind: str) -> str:
    """A short name for a source kind ("Feed", "Reddit"...)."""
    if kind in SHORT_KIND:
        return SHORT_KIND[kind]
    connector = CONNECTORS.get(kind)
    return str(getattr(connector, "label", "") or kind.capitalize())


def is_rate_limited(row: SourceRow) -> bool:
    error = (row.last_error or "").lower()
    return bool(row.consecutive_failures) and any(word in error for word in _RATE_LIMIT_WORDS)


def status_key(row: SourceRow) -> str:
    """ok, new, paused, disabled, failing, rate_limited or needs_keychain: colour and icon."""
    if row.state == "failing" and is_rate_limited(row):
        return "rate_limited"
    if row.state in ("ok", "new") and row.last_error == NEEDS_KEYCHAIN:
        return "needs_keychain"
    return row.state


def state_text(row: SourceRow, now: int) -> str:
    """OK / New / Paused / Failing 3× / Disabled: reason / Rate-limited until 14:05."""
    key = status_key(row)
    if key == "paused":
        return "Paused"
    if key == "needs_keychain":
        return "Paused: no keychain"
    if key == "disabled":
        return f"Disabled: {row.disabled_reason}"
    if key == "rate_limited":
        until = row.next_fetch_at
        return f"Rate-limited until {clock_text(until, now)}" if until else "Rate-limited"
    if key == "failing":
        return f"Failing {row.consecutive_failures}×"
    return "OK" if key == "ok" else "New"


def absolute_text(seconds: int | None) -> str:
    if seconds is None:
        return ""
    return datetime.fromtimestamp(seconds, UTC).astimezone().strftime("%a %d %b %Y, %H:%M")


def clock_text(seconds: int, now: int) -> str:
    """A time of day when ``seconds`` is within a day of now, else a date with the time."""
    local = datetime.fromtimestamp(seconds, UTC).astimezone()
    if abs(seconds - now) < 20 * 3600:
        return local.strftime("%H:%M")
    return local.strftime("%d %b %H:%M")


def relative_text(seconds: int | None, now: int, *, never: str = "never") -> str:
    """“just now”, “5 min ago”, “in 2 h”, “3 days ago”."""
    if seconds is None:
        return never
    delta = seconds - now
    span = abs(delta)
    if span < 60:
        return "just now" if delta <= 0 else "in a moment"
    if span < 3600:
        amount = f"{span // 60} min"
    elif span < 48 * 3600:
        amount = f"{span // 3600} h"
    elif span < 60 * 86_400:
        amount = f"{span // 86_400} days"
    else:
        return datetime.fromtimestamp(seconds, UTC).astimezone().strftime("%d %b %Y")
    return f"in {amount}" if delta > 0 else f"{amount} ago"


def next_fetch_text(row: SourceRow, now: int) -> str:
    if not row.enabled:
        return "paused"
    if row.disabled_reason:
        return "not planned"
    if row.next_fetch_at is None or row.next_fetch_at <= now:
        return "due now"
    return relative_text(row.next_fetch_at, now)


def error_text(row: SourceRow) -> str:
    """The last error on one line (the engine already words it plainly)."""
    if row.disabled_reason and not row.last_error:
        return row.disabled_reason
    return " ".join((row.last_error or "").split())
