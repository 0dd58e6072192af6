"""What the search connectors (Hacker News, Reddit, Mastodon, Bluesky, Stack Exchange…) share.

Imports no Qt. HTTP statuses of JSON APIs become :class:`ConnectorError` kinds with one plain
sentence (never a token: callers pass hints written by us, and any text taken from an answer is
scrubbed of the secret); rate-limit reset headers become a ``retry_after`` in seconds; JSON that
does not parse is an "invalid" error; one malformed item is skipped, never fatal.

Limits: the reset header is read as seconds-to-wait, a Unix time or an ISO 8601 time, whichever
it looks like; waits are capped at a week.
"""

from __future__ import annotations

import json
import logging
import time
from collections.abc import Callable, Iterable, Mapping
from datetime import UTC, datetime
from typing import Any
from urllib.parse import urlsplit

from cmdesk.listening.connectors.base import ConnectorError, FetchedItem, HttpResponse, SourceSpec
from cmdesk.listening.connectors.feed import parse_retry_after

log = logging.getLogger(__name__)

MAX_PAGES = 3  # pages per fetch: the rest waits for the next fetch (or is skipped, with a note)
OVERLAP_SECONDS = 300  # ask a little before the last success: search indexes lag a few minutes
MAX_WAIT = 7 * 24 * 3600
OLDEST = 631_152_000  # 1990-01-01: anything older is a broken date


def base_url(source: SourceSpec, default: str) -> str:
    """The API base or instance URL of a source, without a trailing slash (default when empty)."""
    return (source.url or "").strip().rstrip("/") or default


def config_text(source: SourceSpec, key: str, default: str = "") -> str:
    """A config value as trimmed text (a list, as the dialog may store, is joined with spaces)."""
    value = (source.config or {}).get(key)
    if value is None:
        return default
    if isinstance(value, list | tuple):
        return " ".join(str(part).strip() for part in value if str(part).strip())
    return str(value).strip() or default


def since_of(source: SourceSpec) -> int | None:
    """The UTC second to ask from: the last success minus a small overlap (None: first fetch).

    The overlap re-asks for a few minutes already seen because items reach search indexes late;
    the engine drops items it already stored (same source and external id).
    """
    if not source.last_success_at:
        return None
    return max(0, source.last_success_at - OVERLAP_SECONDS)


def check_web_address(value: str, what: str) -> str | None:
    """A plain-words problem with an http(s) address, or None (empty is fine: the default)."""
    value = (value or "").strip()
    if not value:
        return None
    parts = urlsplit(value)
    if parts.scheme.lower() not in ("http", "https") or not parts.hostname:
        return f"The {what} must be a web address starting with https://."
    return None


def iso(seconds: int) -> str:
    """UTC seconds as the ISO 8601 form most APIs take (``2026-11-20T10:00:00Z``)."""
    return datetime.fromtimestamp(seconds, UTC).strftime("%Y-%m-%dT%H:%M:%SZ")


def epoch_of_iso(value: Any) -> int | None:
    """UTC seconds from an ISO 8601 time (``Z`` or an offset); None when unusable."""
    if not isinstance(value, str) or not value.strip():
        return None
    try:
        moment = datetime.fromisoformat(value.strip().replace("Z", "+00:00"))
    except ValueError:
        return None
    if moment.tzinfo is None:
        moment = moment.replace(tzinfo=UTC)
    try:
        seconds = int(moment.timestamp())
    except (OverflowError, OSError, ValueError):
        return None
    return seconds if seconds >= OLDEST else None


def epoch_of_unix(value: Any) -> int | None:
    """UTC seconds from a Unix time given as a number; None when missing or absurd."""
    if isinstance(value, bool) or not isinstance(value, int | float):
        return None
    seconds = int(value)
    return seconds if seconds >= OLDEST else None


def as_int(value: Any) -> int | None:
    """An integer count, or None (booleans and text are not counts)."""
    if isinstance(value, bool) or not isinstance(value, int | float):
        return None
    return int(value)


def wait_from_reset(value: str | None, now: float | None = None) -> int | None:
    """Seconds to wait from a rate-limit reset header: a delta, a Unix time or an ISO time."""
    if not value:
        return None
    value = value.strip()
    now = time.time() if now is None else now
    try:
        number = float(value)
    except ValueError:
        when = epoch_of_iso(value)
        if when is None:
            return None
        return max(0, min(int(when - now), MAX_WAIT))
    if number > 1_000_000_000:  # a Unix time, not a delta
        number -= now
    return max(0, min(int(number), MAX_WAIT))


def retry_after_of(
    response: HttpResponse, reset_header: str | None = None, now: float | None = None
) -> int | None:
    """Retry-After, else the network's own reset header."""
    wait = parse_retry_after(response.headers.get("retry-after"), now)
    if wait is None and reset_header:
        wait = wait_from_reset(response.headers.get(reset_header), now)
    return wait


def in_words(seconds: int | None) -> str:
    """A wait in words for the health column: "in about 5 minutes"."""
    if seconds is None:
        return "later"
    if seconds < 90:
        return f"in about {max(1, seconds)} seconds"
    if seconds < 90 * 60:
        return f"in about {round(seconds / 60)} minutes"
    return f"in about {round(seconds / 3600)} hours"


def scrub(text: str, secret: str | None) -> str:
    """``text`` without the secret in it, squeezed to one short line."""
    if secret:
        text = text.replace(secret, "…")
    line = " ".join(text.split())
    return line if len(line) <= 200 else line[:199] + "…"


def raise_for_api_status(
    response: HttpResponse,
    network: str,
    *,
    auth_hint: str,
    reset_header: str | None = None,
    not_found_hint: str = "check the address and search settings of this source.",
    detail: str = "",
) -> None:
    """Turn a non-2xx answer into the :class:`ConnectorError` the engine acts on.

    ``auth_hint`` says what the user should fix after a 401/403; ``detail`` is the API's own
    error message (already scrubbed), added to 4xx sentences.
    """
    status = response.status
    if 200 <= status < 300:
        return
    extra = f" ({detail})" if detail else ""
    if status in (401, 403):
        raise ConnectorError(f"{network} refused the request ({status}): {auth_hint}", "auth")
    if status == 404:
        raise ConnectorError(
            f"{network} found nothing at this address (404 Not Found){extra}: {not_found_hint}",
            "not_found",
        )
    if status == 410:
        raise ConnectorError(f"{network} says this is gone for good (410 Gone).", "gone")
    if status in (429, 503):
        wait = retry_after_of(response, reset_header)
        what = "too many requests" if status == 429 else "temporarily unavailable"
        raise ConnectorError(
            f"{network} asked us to slow down ({status}, {what}); cmdesk tries again "
            f"{in_words(wait)}.",
            "rate_limited",
            wait,
        )
    if status >= 500:
        raise ConnectorError(
            f"{network} had a server error ({status}); cmdesk tries again later.",
            "transient",
            retry_after_of(response, reset_header),
        )
    raise ConnectorError(f"{network} did not accept the search ({status}){extra}.", "invalid")


def decode_json(response: HttpResponse, network: str) -> Any:
    """The JSON body; an "invalid" :class:`ConnectorError` with a plain sentence otherwise."""
    try:
        return json.loads(response.body.decode("utf-8-sig"))
    except (UnicodeDecodeError, ValueError, RecursionError):
        raise ConnectorError(
            f"{network} sent an answer that is not the JSON cmdesk expects; "
            "it may be down for maintenance.",
            "invalid",
        ) from None


def error_message(payload: Any, *keys: str) -> str:
    """The first text under ``keys`` of an error body ("" when it has none)."""
    if isinstance(payload, Mapping):
        for key in keys:
            value = payload.get(key)
            if isinstance(value, str) and value.strip():
                return value
    return ""


def map_items(
    raw_items: Any, to_item: Callable[[Mapping[str, Any]], FetchedItem | None], network: str
) -> tuple[list[FetchedItem], int]:
    """Map each raw item; a malformed one (or a non-object) is skipped: (items, skipped)."""
    items: list[FetchedItem] = []
    skipped = 0
    for raw in raw_items if isinstance(raw_items, Iterable) else ():
        try:
            item = to_item(raw) if isinstance(raw, Mapping) else None
        except (KeyError, TypeError, ValueError, AttributeError, IndexError):
            item = None
        if item is None:
            skipped += 1
        else:
            items.append(item)
    if skipped:
        log.info("%s: skipped %d malformed item(s)", network, skipped)
    return items, skipped


def skipped_note(skipped: int) -> list[str]:
    if not skipped:
        return []
    if skipped == 1:
        return ["1 item could not be read and was skipped."]
    return [f"{skipped} items could not be read and were skipped."]


def unique(items: Iterable[FetchedItem]) -> list[FetchedItem]:
    """Items with distinct external ids, first seen kept (pages can overlap while items arrive)."""
    seen: dict[str, FetchedItem] = {}
    for item in items:
        seen.setdefault(item.external_id, item)
    return list(seen.values())


def text_or_none(value: Any) -> str | None:
    return (value.strip() or None) if isinstance(value, str) else None


def web_url(value: Any) -> str | None:
    """An http(s) URL from an API field, or None (never javascript:, data: or file:)."""
    if not isinstance(value, str):
        return None
    value = value.strip()
    return value if urlsplit(value).scheme.lower() in ("http", "https") else None
