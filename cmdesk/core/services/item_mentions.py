"""Back to listening: the mentions that link to a published calendar item, and their sentiment.

Imports no Qt. A mention links to an item when its ``canonical_url`` is the item's
``published_url`` in canonical form (``mention.canonical_url`` is indexed, so a count is a few
index probes even on a million mentions). The canonical form is listening's own
(:func:`cmdesk.core.services.ingest.canonical_url`: tracking parameters and fragment dropped, host
lower-cased), so both sides agree; the URL exactly as typed is looked up too. Limits: a mention
whose URL differs in ways canonicalisation keeps (a trailing slash, ``www.``) is not linked.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass

from cmdesk.core.db import Workspace
from cmdesk.core.services import ingest


def canonical_url(url: str) -> str:
    """``url`` in the form listening stores in ``mention.canonical_url`` (itself if not http)."""
    return ingest.canonical_url(url) or url.strip()


@dataclass(frozen=True)
class MentionStats:
    """Mentions linking to an item: the post earned 23 mentions, 80% positive."""

    url: str  # the canonical URL the inbox filters on
    total: int
    positive: int
    neutral: int
    negative: int

    @property
    def positive_share(self) -> float:
        rated = self.positive + self.neutral + self.negative
        return self.positive / rated if rated else 0.0

    def sentence(self) -> str:
        if not self.total:
            return "No mentions link to it yet."
        noun = "mention" if self.total == 1 else "mentions"
        rated = self.positive + self.neutral + self.negative
        if not rated:
            return f"Earned {self.total} {noun}."
        return f"Earned {self.total} {noun}, {round(100 * self.positive_share)}% positive."


def _forms(url: str) -> list[str]:
    return list(dict.fromkeys((canonical_url(url), url.strip())))


def mention_stats(ws: Workspace, published_url: str | None) -> MentionStats | None:
    """Counts of the mentions linking to ``published_url`` (None when there is no URL)."""
    if not published_url or not published_url.strip():
        return None
    forms = _forms(published_url)
    rows = ws.db.execute_sql(
        "SELECT sentiment_label, COUNT(*) FROM mention "
        f"WHERE canonical_url IN ({','.join('?' * len(forms))}) GROUP BY sentiment_label",
        forms,
    ).fetchall()
    counts = {label: count for label, count in rows}
    return MentionStats(
        forms[0],
        sum(counts.values()),
        counts.get("positive", 0),
        counts.get("neutral", 0),
        counts.get("negative", 0),
    )


def mention_counts(ws: Workspace, urls: Sequence[str]) -> dict[str, int]:
    """How many mentions link to each of ``urls`` (keys as given), in one query."""
    forms = {url: _forms(url) for url in urls if url and url.strip()}
    every = sorted({form for values in forms.values() for form in values})
    if not every:
        return {}
    counted: dict[str, int] = {}
    for start in range(0, len(every), 500):
        chunk = every[start : start + 500]
        rows = ws.db.execute_sql(
            "SELECT canonical_url, COUNT(*) FROM mention "
            f"WHERE canonical_url IN ({','.join('?' * len(chunk))}) GROUP BY canonical_url",
            chunk,
        ).fetchall()
        counted.update(dict(rows))
    return {url: sum(counted.get(form, 0) for form in values) for url, values in forms.items()}


def inbox_filters(published_url: str) -> dict[str, str]:
    """The inbox filter that lists the mentions of an item (``navigate("inbox", filters=...)``)."""
    return {"url": canonical_url(published_url)}
