"""Every number of a report as CSV rows: section, figure, breakdown, value, previous period.

Imports no Qt. One row per number, in the units the report uses (counts, shares as 0..1,
minutes), so a spreadsheet can recompute or chart anything in the PDF: every count, share and
duration its tiles, tables and headings show (a test holds the two together). Changes against the
previous period are left to the spreadsheet: the previous value is on the same row. Limits: the
quotes and the suggestions are text, not numbers, and are left out (their counts are in).
"""

from __future__ import annotations

import csv
from collections.abc import Iterator
from pathlib import Path

from cmdesk.reports.model import ReportFigures

HEADER = ("section", "figure", "breakdown", "value", "previous_period")
Row = tuple[str, str, str, object, object]


def rows(f: ReportFigures) -> Iterator[Row]:
    t, p = f.totals, f.previous_totals
    yield (
        "period",
        "first day",
        "",
        f.period.first.isoformat(),
        f.previous_period.first.isoformat(),
    )
    yield ("period", "last day", "", f.period.last.isoformat(), f.previous_period.last.isoformat())
    for name in ("mentions", "positive", "neutral", "negative", "unrated", "needs_response",
                 "responded", "awaiting", "starred"):  # fmt: skip
        yield ("summary", name.replace("_", " "), "", getattr(t, name), getattr(p, name))
    for label in ("positive", "neutral", "negative"):
        yield ("summary", f"{label} share (of rated)", "", t.share(label), p.share(label))
    if f.share_of_voice:
        yield ("summary", "share of voice", "brand", f.brand_share, f.previous_brand_share)
    r = f.responsiveness
    yield ("responsiveness", "median first response minutes", "all", r.overall.median_minutes,
           r.previous_median_minutes)  # fmt: skip
    yield ("responsiveness", "p90 first response minutes", "all", r.overall.p90_minutes, "")
    for dim, groups in (("assignee", r.by_assignee), ("department", r.by_department)):
        for g in groups:
            for name in (
                "needs_response",
                "responded",
                "awaiting",
                "median_minutes",
                "p90_minutes",
            ):
                yield ("responsiveness", f"{name.replace('_', ' ')} by {dim}", g.name,
                       getattr(g, name), "")  # fmt: skip
    yield ("summary", "new advocates", "", len(f.new_advocates), f.previous_new_advocates)
    yield ("content", "items planned", "", f.content.planned, "")
    yield ("content", "items published", "", f.content.published, f.content.previous_published)
    for item in f.content.items:
        yield ("content", "mentions earned", item.title, item.mentions, "")
    yield ("alerts", "alerts", "", len(f.alerts), f.previous_alerts)
    yield ("alerts", "crises", "", sum(a.is_crisis for a in f.alerts), "")
    for g in f.goals:
        label = g.title + (f" ({g.query_name})" if g.query_name else "")
        yield ("goals", "target", label, g.target, "")
        yield ("goals", "actual", label, g.actual, "")
        yield ("goals", "met", label, {True: "yes", False: "no", None: ""}[g.met], "")
    yield from _breakdowns(f)


def _breakdowns(f: ReportFigures) -> Iterator[Row]:
    for q in f.queries:
        yield ("volume", "mentions by query", q.name, q.mentions, q.previous)
        yield ("volume", "positive share by query", q.name, q.positive_share, "")
    for kind, values in f.volume_by_kind.items():
        for day, value in zip(f.buckets, values, strict=True):
            yield ("volume", f"mentions per {f.bucket_unit} by source kind",
                   f"{kind} {day.isoformat()}", value, "")  # fmt: skip
    for q in f.queries:
        for day, value in zip(f.buckets, q.series, strict=True):
            yield ("volume", f"mentions per {f.bucket_unit} by query",
                   f"{q.name} {day.isoformat()}", value, "")  # fmt: skip
    for label, values in f.sentiment_series.items():
        for day, value in zip(f.buckets, values, strict=True):
            yield ("sentiment", f"mentions per {f.bucket_unit}", f"{label} {day.isoformat()}",
                   value, "")  # fmt: skip
    for v in f.share_of_voice:
        name = (f.brand_name or "Brand") if v.is_brand else v.name
        yield ("share of voice", "mentions", name, v.mentions, "")
        yield ("share of voice", "share", name, v.share, v.previous_share)
        yield ("share of voice", "positive share (of rated)", name, v.positive_share, "")
    total = f.totals.mentions
    for s in f.top_sources:
        yield ("sources", "mentions", s.name, s.mentions, s.previous)
        yield ("sources", "share of mentions", s.name, s.mentions / total if total else None, "")
        yield ("sources", "positive", s.name, s.positive, "")
        yield ("sources", "negative", s.name, s.negative, "")
    for title, authors in (("most active", f.top_authors), ("widest reach", f.top_influencers)):
        for a in authors:
            yield ("authors", f"mentions ({title})", a.name, a.mentions, "")
            yield ("authors", f"positive ({title})", a.name, a.positive, "")
            yield ("authors", f"negative ({title})", a.name, a.negative, "")
            yield ("authors", f"reach ({title})", a.name, a.reach, "")
    yield from _quote_counts(f)


def _quote_counts(f: ReportFigures) -> Iterator[Row]:
    """Starred mentions per sentiment, and per sentiment and first tag (as the PDF groups them)."""
    by_label: dict[str, int] = {}
    for (label, _tag), count in f.quote_counts.items():
        by_label[label or "not rated"] = by_label.get(label or "not rated", 0) + count
    for label in ("positive", "negative", "neutral", "not rated"):
        if label in by_label:
            yield ("voice of the customer", "starred mentions", label, by_label[label], "")
    for (label, tag), count in sorted(
        f.quote_counts.items(), key=lambda item: (item[0][0] or "~", item[0][1] or "~")
    ):
        yield ("voice of the customer", "starred mentions by first tag",
               f"{label or 'not rated'} / {tag or 'no tag'}", count, "")  # fmt: skip


def write_csv(f: ReportFigures, path: Path) -> int:
    """Write the rows to ``path`` (UTF-8 with a BOM so spreadsheets read accents); row count."""
    count = 0
    with path.open("w", newline="", encoding="utf-8-sig") as handle:
        writer = csv.writer(handle)
        writer.writerow(HEADER)
        for row in rows(f):
            writer.writerow(["" if value is None else value for value in row])
            count += 1
    return count
