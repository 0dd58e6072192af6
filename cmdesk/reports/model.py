"""The figures of one report as plain frozen records: what the PDF, the CSV and the preview show.

Imports no Qt and nothing from the database: :mod:`cmdesk.reports.figures` fills these from SQL
aggregates; renderers only read them. Times are UTC seconds, durations minutes, shares 0..1.
A value is None when it cannot be computed (a median of no responses), never a made-up zero.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date

from cmdesk.reports.periods import ReportPeriod


def change_ratio(current: float | None, previous: float | None) -> float | None:
    """Relative change (0.25 for +25%), or None when there is nothing to compare with."""
    if current is None or previous is None or previous == 0:
        return None
    return (current - previous) / previous


@dataclass(frozen=True)
class MentionTotals:
    """Counts over the mentions of a period (spam excluded)."""

    mentions: int = 0
    positive: int = 0
    neutral: int = 0
    negative: int = 0
    needs_response: int = 0
    responded: int = 0
    awaiting: int = 0  # needs a response and has none yet
    starred: int = 0

    @property
    def rated(self) -> int:
        return self.positive + self.neutral + self.negative

    @property
    def unrated(self) -> int:
        return self.mentions - self.rated

    def share(self, label: str) -> float | None:
        """Share of rated mentions with sentiment ``label``, None when none is rated."""
        return getattr(self, label) / self.rated if self.rated else None


@dataclass(frozen=True)
class QueryVolume:
    query_id: int
    name: str
    kind: str
    mentions: int
    previous: int
    positive: int
    neutral: int
    negative: int
    series: tuple[int, ...]  # per bucket

    @property
    def positive_share(self) -> float | None:
        rated = self.positive + self.neutral + self.negative
        return self.positive / rated if rated else None


@dataclass(frozen=True)
class VoiceShare:
    """One bar of share of voice: the brand (all brand and product queries) or a competitor."""

    name: str
    is_brand: bool
    mentions: int
    share: float | None
    previous_share: float | None
    positive_share: float | None  # of its rated mentions (unrated ones left out)


@dataclass(frozen=True)
class SourceRow:
    source_id: int
    name: str
    kind: str
    mentions: int
    previous: int
    positive: int
    negative: int


@dataclass(frozen=True)
class AuthorRow:
    author_id: int
    name: str
    network: str
    contact_name: str | None
    mentions: int
    positive: int
    negative: int
    reach: int | None


@dataclass(frozen=True)
class ResponseGroup:
    """Responsiveness of one assignee or department (or everyone: ``name`` "All")."""

    name: str
    needs_response: int
    responded: int
    awaiting: int
    median_minutes: float | None
    p90_minutes: float | None


@dataclass(frozen=True)
class Responsiveness:
    overall: ResponseGroup
    previous_median_minutes: float | None
    by_assignee: tuple[ResponseGroup, ...]
    by_department: tuple[ResponseGroup, ...]


@dataclass(frozen=True)
class ContentItem:
    item_id: int
    starts_at: int
    title: str
    item_type: str
    status: str
    published_url: str | None
    mentions: int  # mentions linking to it, published up to the end of the period


@dataclass(frozen=True)
class Content:
    planned: int  # scheduled in the period, not cancelled
    published: int
    previous_published: int
    items: tuple[ContentItem, ...]


@dataclass(frozen=True)
class Quote:
    mention_id: int
    author: str
    source: str
    published_at: int
    url: str | None
    title: str
    text: str
    sentiment: str | None
    tags: tuple[str, ...]  # by name; the first is the tag it is grouped under

    @property
    def group_tag(self) -> str | None:
        return self.tags[0] if self.tags else None


@dataclass(frozen=True)
class AlertRow:
    kind: str
    title: str
    query: str | None
    created_at: int
    acknowledged: bool

    @property
    def is_crisis(self) -> bool:
        return self.kind == "negative_spike"


@dataclass(frozen=True)
class GoalResult:
    goal_id: int
    metric: str
    title: str
    query_name: str | None
    target: float  # scaled to the report's period
    actual: float | None
    lower_is_better: bool

    @property
    def met(self) -> bool | None:
        if self.actual is None:
            return None
        return self.actual <= self.target if self.lower_is_better else self.actual >= self.target


@dataclass(frozen=True)
class ReportFigures:
    """Everything a report shows, computed once; sections pick what they need."""

    period: ReportPeriod
    previous_period: ReportPeriod
    brand_name: str
    scope_label: str
    generated_at: int
    totals: MentionTotals
    previous_totals: MentionTotals
    bucket_unit: str  # "day", "week" or "month"
    buckets: tuple[date, ...]
    volume_by_kind: dict[str, tuple[int, ...]]
    sentiment_series: dict[str, tuple[int, ...]]
    queries: tuple[QueryVolume, ...]
    share_of_voice: tuple[VoiceShare, ...]
    top_sources: tuple[SourceRow, ...]
    top_authors: tuple[AuthorRow, ...]
    top_influencers: tuple[AuthorRow, ...]
    responsiveness: Responsiveness
    content: Content
    new_advocates: tuple[str, ...]
    previous_new_advocates: int
    quotes: tuple[Quote, ...]  # the first few of each group of quote_counts
    alerts: tuple[AlertRow, ...]
    previous_alerts: int
    goals: tuple[GoalResult, ...] = field(default=())
    # Starred mentions per (sentiment or None, first tag by name or None): all, not only quoted.
    quote_counts: dict[tuple[str | None, str | None], int] = field(default_factory=dict)

    @property
    def is_empty(self) -> bool:
        """Nothing at all happened in the period (no mention, item, advocate or alert)."""
        return not (self.totals.mentions or self.content.items or self.new_advocates or self.alerts)

    @property
    def brand_share(self) -> float | None:
        for row in self.share_of_voice:
            if row.is_brand:
                return row.share
        return None

    @property
    def previous_brand_share(self) -> float | None:
        for row in self.share_of_voice:
            if row.is_brand:
                return row.previous_share
        return None
