"""Back to listening: the mentions that link to a published calendar item, and their sentiment.

Imports no Qt. A mention links to an item when its own address is the item's ``published_url``
(a blog's article, a Hacker News story submitted with that URL), or when it carries that address
inside it (a post, comment or article that links to it: ``mention_link``, filled at ingest by
:mod:`cmdesk.core.analysis.links`). Both sides are in listening's canonical form
(:func:`cmdesk.core.services.ingest.canonical_url`: tracking parameters and fragment dropped, host
lower-cased); the URL exactly as typed is looked up too. Both columns are indexed, so a count is a
few index probes even on a million mentions. Limits: a mention whose URL differs in ways
canonicalisation keeps (a trailing slash, ``www.``) is not linked.
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
    marks = ",".join("?" * len(forms))
    rows = ws.db.execute_sql(
        f"SELECT sentiment_label, COUNT(*) FROM mention WHERE canonical_url IN ({marks})"
        f" OR id IN (SELECT mention_id FROM mention_link WHERE url IN ({marks}))"
        " GROUP BY sentiment_label",
        [*forms, *forms],
    ).fetchall()
    counts = {label: count for label, count in rows}
    return MentionStats(
        forms[0],
        sum(counts.values()),
        counts.get("positive", 0),
        counts.get("neutral", 0),
        counts.get("negative", 0),
    )


def mention_counts(
    ws: Workspace, urls: Sequence[str], *, before: int | None = None, count_spam: bool = True
) -> dict[str, int]:
    """How many mentions link to each of ``urls`` (keys as given), in a few queries.

    ``before`` counts only mentions published before that time (a report's period end);
    ``count_spam=False`` leaves out mentions marked as spam.
    """
    forms = {url: _forms(url) for url in urls if url and url.strip()}
    every = sorted({form for values in forms.values() for form in values})
    if not every:
        return {}
    where = "" if before is None else " AND m.published_at < ?"
    where += "" if count_spam else " AND m.state != 'spam'"
    tail = [] if before is None else [before]
    # Counted in SQL. A mention never links to its own address (links leave it out), so the
    # two parts never count one mention twice for the same URL.
    counted: dict[str, int] = {}
    for start in range(0, len(every), 400):
        chunk = every[start : start + 400]
        marks = ",".join("?" * len(chunk))
        rows = ws.db.execute_sql(
            "SELECT form, SUM(n) FROM ("
            f"SELECT m.canonical_url AS form, COUNT(*) AS n FROM mention m"
            f" WHERE m.canonical_url IN ({marks}){where} GROUP BY m.canonical_url"
            " UNION ALL SELECT l.url, COUNT(*) FROM mention_link l JOIN mention m"
            f" ON m.id = l.mention_id WHERE l.url IN ({marks}){where} GROUP BY l.url"
            ") GROUP BY form",
            [*chunk, *tail, *chunk, *tail],
        ).fetchall()
        counted.update((form, int(n)) for form, n in rows)
    return {url: sum(counted.get(form, 0) for form in values) for url, values in forms.items()}


def inbox_filters(published_url: str) -> dict[str, str]:
    """The inbox filter that lists the mentions of an item (``navigate("inbox", filters=...)``)."""
    return {"url": canonical_url(published_url)}
