"""The report's sections, a report's settings, and how its numbers are written.

Sections are each on or off, in the user's order.
Imports no Qt. :class:`ReportConfig` is what a template stores (as JSON in
``ReportTemplate.config``): unknown sections in a stored config are dropped, missing ones are
appended switched off, so templates survive new versions.
"""

from __future__ import annotations

from dataclasses import dataclass, field, replace
from datetime import UTC, datetime, tzinfo
from typing import Any

SECTIONS: dict[str, str] = {
    "summary": "Executive summary",
    "goals": "Goals",
    "volume": "Volume over time",
    "sentiment": "Sentiment",
    "share_of_voice": "Share of voice",
    "sources": "Top communities and sources",
    "authors": "Top authors and influencers",
    "responsiveness": "Responsiveness",
    "content": "Content",
    "voice_of_customer": "Voice of the customer",
    "alerts": "Alerts and crises",
    "suggestions": "Suggestions for management",
}
# Names older templates (the sample and demo workspaces) use for the same sections.
SECTION_ALIASES = {
    "top_sources": "sources",
    "top_authors": "authors",
    "response_times": "responsiveness",
    "advocates": "summary",
}


@dataclass(frozen=True)
class ReportConfig:
    """Sections in order with on/off, the kind of period, and the queries and sources covered."""

    sections: tuple[tuple[str, bool], ...] = tuple((key, True) for key in SECTIONS)
    period_kind: str = "last_week"
    query_ids: tuple[int, ...] = ()
    source_ids: tuple[int, ...] = ()

    @property
    def enabled(self) -> list[str]:
        return [key for key, on in self.sections if on]

    def toggled(self, key: str, on: bool) -> ReportConfig:
        return replace(self, sections=tuple((k, on if k == key else v) for k, v in self.sections))

    def moved(self, key: str, steps: int) -> ReportConfig:
        order = list(self.sections)
        index = next(n for n, (k, _on) in enumerate(order) if k == key)
        target = max(0, min(len(order) - 1, index + steps))
        order.insert(target, order.pop(index))
        return replace(self, sections=tuple(order))

    def to_json(self) -> dict[str, Any]:
        return {
            "sections": [[key, on] for key, on in self.sections],
            "period_kind": self.period_kind,
            "query_ids": list(self.query_ids),
            "source_ids": list(self.source_ids),
        }

    @classmethod
    def from_json(cls, data: dict[str, Any] | None) -> ReportConfig:
        """Read a stored config; also the older form (a list of section names, "period")."""
        data = data or {}
        seen: list[tuple[str, bool]] = []
        for entry in data.get("sections") or []:
            key, on = (entry, True) if isinstance(entry, str) else (entry[0], entry[1])
            key = SECTION_ALIASES.get(key, key)
            if key in SECTIONS and key not in {k for k, _on in seen}:
                seen.append((str(key), bool(on)))
        keys = {key for key, _on in seen}
        if not seen:
            seen = [(key, True) for key in SECTIONS]
        else:
            seen += [(key, False) for key in SECTIONS if key not in keys]
        return cls(
            sections=tuple(seen),
            period_kind=str(
                data.get("period_kind")
                or {"week": "last_week", "month": "last_month", "quarter": "last_quarter"}.get(
                    str(data.get("period")), "last_week"
                )
            ),
            query_ids=tuple(int(n) for n in data.get("query_ids") or ()),
            source_ids=tuple(int(n) for n in data.get("source_ids") or ()),
        )


@dataclass(frozen=True)
class ReportText:
    """The words around the figures: title, the user's suggestions, the zone days are read in."""

    title: str = "Community report"
    suggestions: str = ""
    tz: tzinfo = field(default=UTC)


# -- how numbers are written -----------------------------------------------------------------


def count(value: float | None) -> str:
    if value is None:
        return "–"
    if float(value).is_integer():
        return f"{int(value):,}"
    return f"{value:,.1f}"


def percent(share: float | None, digits: int = 1) -> str:
    """A 0..1 share as "43.4%" ("–" when there is none)."""
    return "–" if share is None else f"{100 * share:.{digits}f}%"


def minutes(value: float | None) -> str:
    """A duration in minutes as "45 min", "2 h 05 min", "3 d 4 h"."""
    if value is None:
        return "–"
    total = round(value)
    if total < 60:
        return f"{total} min"
    hours, mins = divmod(total, 60)
    if hours < 24:
        return f"{hours} h {mins:02d} min"
    days, hours = divmod(hours, 24)
    return f"{days} d {hours} h"


def change(current: float | None, previous: float | None) -> str:
    """Change against the previous period: "▲ 12% vs previous period", "new", "no change"."""
    if current is None or previous is None:
        return "no previous figure"
    if previous == 0:
        return "none in the previous period" if current else "no change"
    ratio = (current - previous) / previous
    if abs(ratio) < 0.0005:
        return "no change vs previous period"
    arrow = "▲" if ratio > 0 else "▼"
    if ratio >= 9:
        return f"{arrow} ×{current / previous:,.0f} vs previous period"
    return f"{arrow} {abs(ratio) * 100:.1f}% vs previous period"


def points_change(current: float | None, previous: float | None) -> str:
    """Change between two shares in percentage points: "▲ 2.5 pts vs previous period"."""
    if current is None or previous is None:
        return "no previous figure"
    delta = (current - previous) * 100
    if abs(delta) < 0.05:
        return "no change vs previous period"
    return f"{'▲' if delta > 0 else '▼'} {abs(delta):.1f} pts vs previous period"


def local_day(seconds: int, tz: tzinfo) -> str:
    moment = datetime.fromtimestamp(seconds, tz)
    return f"{moment.day} {moment:%b} {moment.year}"


def local_time(seconds: int, tz: tzinfo) -> str:
    moment = datetime.fromtimestamp(seconds, tz)
    return f"{moment.day} {moment:%b} {moment.year}, {moment:%H:%M}"
