"""Each report section as layout blocks: the figures turned into words, tiles, charts and tables.

Imports QtGui only through :mod:`cmdesk.reports.layout` and :mod:`cmdesk.reports.charts`. A
section with nothing to show says so in a sentence instead of drawing an empty chart or table.
"""

from __future__ import annotations

from collections.abc import Callable
from datetime import date, timedelta

from PySide6.QtCore import QRectF
from PySide6.QtGui import QPainter

from cmdesk.core.services.reports import GOAL_UNITS
from cmdesk.reports import charts
from cmdesk.reports import sections as fmt
from cmdesk.reports.layout import (
    Block,
    Chart,
    Column,
    Heading,
    Paragraph,
    QuoteBlock,
    Table,
    Tile,
    Tiles,
)
from cmdesk.reports.model import GoalResult, Quote, ReportFigures
from cmdesk.reports.sections import SECTIONS, ReportText

QUOTE_GROUPS = (("positive", "What people liked"), ("negative", "What people disliked"),
                ("neutral", "Other voices"), (None, "Not rated"))  # fmt: skip
CHART_LINES = 6  # lines a chart can tell apart by dash and marker
FIRST_RESPONSE_NOTE = (
    "First-response time runs from when a mention reached cmdesk to the first reply; "
    "spam is left out of every figure."
)


def section_blocks(key: str, f: ReportFigures, text: ReportText) -> list[Block]:
    """The blocks of section ``key``, starting with its heading."""
    builder = BUILDERS[key]
    return [Heading(SECTIONS[key], 1, section=key), *builder(f, text)]


def chart_series(items: list[tuple[str, tuple[int, ...]]]) -> list[charts.Series]:
    """At most :data:`CHART_LINES` lines, busiest first; the rest summed into one "Other" line."""
    ranked = sorted(items, key=lambda item: -sum(item[1]))
    if len(ranked) <= CHART_LINES:
        return [charts.Series(name, values) for name, values in ranked]
    kept, rest = ranked[: CHART_LINES - 1], ranked[CHART_LINES - 1 :]
    other = tuple(sum(values) for values in zip(*(values for _name, values in rest), strict=True))
    return [
        *(charts.Series(name, values) for name, values in kept),
        charts.Series(f"Other ({len(rest)} kinds)", other),
    ]


def _bucket_labels(f: ReportFigures) -> list[str]:
    return [_bucket_label(f, day) for day in f.buckets]


def _bucket_label(f: ReportFigures, day: date) -> str:
    return f"{day:%b %y}" if f.bucket_unit == "month" else f"{day.day} {day:%b}"


def _bucket_days(f: ReportFigures, index: int) -> tuple[int, int]:
    """(days of the period in bucket ``index``, days in that bucket)."""
    start = f.buckets[index]
    if f.bucket_unit == "week":
        end = start + timedelta(days=6)
    else:  # a month: the day before the next month's first
        end = (start.replace(day=28) + timedelta(days=4)).replace(day=1) - timedelta(days=1)
    inside = (min(end, f.period.last) - max(start, f.period.first)).days + 1
    return inside, (end - start).days + 1


def chart_span(f: ReportFigures) -> tuple[slice, str | None]:
    """The buckets the charts draw, and a note when a partial first or last one is left out.

    A week or month at either end that holds less than half of its days of the period would
    make every line dip (one day of mentions plotted as a week): the charts leave it out and
    say so; every table and total still counts it.
    """
    if f.bucket_unit == "day" or len(f.buckets) < 3:
        return slice(None), None
    unit = "week" if f.bucket_unit == "week" else "month"
    first, last, notes = 0, len(f.buckets), []
    for index, where in ((0, "first"), (len(f.buckets) - 1, "last")):
        inside, length = _bucket_days(f, index)
        if inside * 2 < length:
            first, last = (1, last) if index == 0 else (first, last - 1)
            days = "1 day" if inside == 1 else f"{inside} days"
            notes.append(f"the {where} {unit} ({_bucket_label(f, f.buckets[index])}: {days} of "
                         "the period)")  # fmt: skip
    if not notes:
        return slice(None), None
    return slice(first, last), (
        "Left out of the charts, so that lines do not dip: "
        + " and ".join(notes)
        + ". The tables and totals count them."
    )


def _chart_note(note: str | None) -> list[Block]:
    return [Paragraph(note, 7, muted=True)] if note else []


def _goal_line(f: ReportFigures, metric: str) -> str | None:
    goal = next((g for g in f.goals if g.metric == metric and g.query_name is None), None)
    if goal is None:
        return None
    return f"Goal {_goal_value(goal, goal.target)}: {_verdict(goal)}"


def _goal_value(goal: GoalResult, value: float | None) -> str:
    if goal.metric == "positive_share":
        return fmt.percent(value)
    if goal.metric == "median_first_response_minutes":
        return fmt.minutes(value)
    return fmt.count(value)


def _verdict(goal: GoalResult) -> str:
    return {True: "met ✓", False: "missed ✗", None: "no data"}[goal.met]


# -- sections --------------------------------------------------------------------------------


def _summary(f: ReportFigures, text: ReportText) -> list[Block]:
    t, p = f.totals, f.previous_totals
    if f.is_empty:
        return [Paragraph(f"Nothing was heard or published in {f.period.label()}: no mentions, "
                          "no content, no new advocates and no alerts.", 10)]  # fmt: skip
    r = f.responsiveness
    tiles = [
        Tile("Mentions", fmt.count(t.mentions),
             _lines(fmt.change(t.mentions, p.mentions), _goal_line(f, "mention_volume"))),
        Tile("Positive share", fmt.percent(t.share("positive")),
             _lines(fmt.points_change(t.share("positive"), p.share("positive")),
                    _goal_line(f, "positive_share"))),
        Tile("Median first response", fmt.minutes(r.overall.median_minutes),
             _lines(fmt.change(r.overall.median_minutes, r.previous_median_minutes),
                    _goal_line(f, "median_first_response_minutes"))),
        Tile("Responded", fmt.count(t.responded),
             (f"{fmt.count(t.awaiting)} still awaiting a reply",
              fmt.change(t.responded, p.responded))),
        Tile("New advocates", fmt.count(len(f.new_advocates)),
             _lines(fmt.change(len(f.new_advocates), f.previous_new_advocates),
                    _goal_line(f, "new_advocates"))),
        Tile("Items published", fmt.count(f.content.published),
             _lines(fmt.change(f.content.published, f.content.previous_published),
                    _goal_line(f, "items_published"))),
    ]  # fmt: skip
    if f.share_of_voice:
        tiles.append(Tile("Share of voice", fmt.percent(f.brand_share),
                          (fmt.points_change(f.brand_share, f.previous_brand_share),)))  # fmt: skip
    tiles.append(Tile("Alerts", fmt.count(len(f.alerts)),
                      (f"{sum(a.is_crisis for a in f.alerts)} crisis alerts",
                       fmt.change(len(f.alerts), f.previous_alerts))))  # fmt: skip
    if len(tiles) % 3:
        tiles.append(Tile("Starred quotes", fmt.count(t.starred), ("in Voice of the customer",)))
    return [Paragraph(_summary_sentence(f), 10), Tiles(tiles)]


def _lines(*lines: str | None) -> tuple[str, ...]:
    return tuple(line for line in lines if line)


def _summary_sentence(f: ReportFigures) -> str:
    t = f.totals
    parts = [f"{fmt.count(t.mentions)} mentions in {f.period.label()} "
             f"({fmt.change(t.mentions, f.previous_totals.mentions)})."]  # fmt: skip
    if t.rated:
        parts.append(f"{fmt.percent(t.share('positive'), 0)} were positive and "
                     f"{fmt.percent(t.share('negative'), 0)} negative.")  # fmt: skip
    if t.needs_response:
        parts.append(f"{fmt.count(t.responded)} replies were sent; "
                     f"{fmt.count(t.awaiting)} mentions still need one.")  # fmt: skip
    met = [g for g in f.goals if g.met]
    if f.goals:
        parts.append(f"{len(met)} of {len(f.goals)} goals met.")
    return " ".join(parts)


def _goals(f: ReportFigures, text: ReportText) -> list[Block]:
    if not f.goals:
        return [
            Paragraph(
                "No goals are set. Set targets per week, month or quarter in the Reports pane "
                "or with 'cmdesk report goals set'.",
                muted=True,
            )
        ]
    rows = [
        [g.title + (f" ({g.query_name})" if g.query_name else ""),
         _goal_value(g, g.target) + ("" if g.metric in ("positive_share",
                                      "median_first_response_minutes")
                                      else f" {GOAL_UNITS[g.metric]}"),
         _goal_value(g, g.actual), ("lower is better" if g.lower_is_better else ""),
         {True: "MET ✓", False: "MISSED ✗", None: "no data"}[g.met]]
        for g in f.goals
    ]  # fmt: skip
    return [
        Table([Column("Goal", 3), Column("Target", 1.6, "right"), Column("Actual", 1.4, "right"),
               Column("", 1.3), Column("Result", 1.1)], rows),  # fmt: skip
        Paragraph("Targets set per another kind of period are scaled to this period's length "
                  "for counts; shares and medians are compared as they are.", 7, muted=True),
    ]  # fmt: skip


def _volume(f: ReportFigures, text: ReportText) -> list[Block]:
    if not f.totals.mentions:
        return [Paragraph("No mentions in this period.", muted=True)]
    span, note = chart_span(f)
    labels = _bucket_labels(f)[span]
    per = {"day": "per day", "week": "per week (weeks start on Monday)", "month": "per month"}
    kinds = chart_series([(name, values[span]) for name, values in f.volume_by_kind.items()])
    blocks: list[Block] = [
        Heading(f"By source kind, {per[f.bucket_unit]}", 2),
        Chart(_draw(lambda p, r: charts.line_chart(p, r, labels, kinds))),
        *_chart_note(note),
    ]
    if len(f.volume_by_kind) > CHART_LINES:
        shown = {series.name for series in kinds}
        rest = [f"{name} {fmt.count(sum(values))}" for name, values
                in sorted(f.volume_by_kind.items(), key=lambda item: -sum(item[1]))
                if name not in shown]  # fmt: skip
        blocks.append(Paragraph("Other: " + ", ".join(rest) + " mentions.", 7, muted=True))
    queries = sorted((q for q in f.queries if q.mentions), key=lambda q: -q.mentions)
    if queries:
        # Queries overlap (a mention can match several), so they are not summed into "Other":
        # the chart shows the busiest; the table below lists every query.
        series = [charts.Series(q.name, q.series[span]) for q in queries[:CHART_LINES]]
        blocks += [Heading(f"By query, {per[f.bucket_unit]}", 2),
                   Chart(_draw(lambda p, r: charts.line_chart(p, r, labels, series)))]  # fmt: skip
        rows = [[q.name, q.kind, fmt.count(q.mentions), fmt.count(q.previous),
                 fmt.change(q.mentions, q.previous).replace(" vs previous period", ""),
                 fmt.percent(q.positive_share)] for q in f.queries]  # fmt: skip
        blocks.append(Table([Column("Query", 2.4), Column("Kind", 1.2),
                             Column("Mentions", 1.2, "right"), Column("Previous", 1.2, "right"),
                             Column("Change", 1.3, "right"), Column("Positive", 1.1, "right")],
                            rows))  # fmt: skip
    return blocks


def _sentiment(f: ReportFigures, text: ReportText) -> list[Block]:
    t, p = f.totals, f.previous_totals
    if not t.mentions:
        return [Paragraph("No mentions in this period.", muted=True)]
    bars = [charts.Bar(label.capitalize(), getattr(t, label),
                       f"{fmt.percent(t.share(label))} · {fmt.count(getattr(t, label))}", label)
            for label in ("positive", "neutral", "negative")]  # fmt: skip
    if t.unrated:
        bars.append(charts.Bar("Not rated", t.unrated, fmt.count(t.unrated), "unrated"))
    span, note = chart_span(f)
    labels = _bucket_labels(f)[span]
    names = ("positive", "neutral", "negative", "unrated")
    stacks = [
        charts.Series(name, f.sentiment_series[name][span])
        for name in names
        if any(f.sentiment_series[name])
    ]
    return [
        Paragraph(
            f"Positive share {fmt.percent(t.share('positive'))} "
            f"({fmt.points_change(t.share('positive'), p.share('positive'))}); negative "
            f"{fmt.percent(t.share('negative'))} "
            f"({fmt.points_change(t.share('negative'), p.share('negative'))})."
        ),  # fmt: skip
        Chart(_draw(lambda pa, r: charts.bar_rows(pa, r, bars)), 22.0 * len(bars)),
        Heading("Trend", 2),
        Chart(_draw(lambda pa, r: charts.stacked_bars(pa, r, labels, stacks))),
        *_chart_note(note),
    ]


def _share_of_voice(f: ReportFigures, text: ReportText) -> list[Block]:
    if not f.share_of_voice:
        return [Paragraph("No competitor queries: add a query of kind 'competitor' to compare "
                          "the brand with its competitors.", muted=True)]  # fmt: skip
    if not sum(row.mentions for row in f.share_of_voice):
        return [Paragraph("Neither the brand nor its competitors were mentioned.", muted=True)]
    name = f.brand_name or "Brand"
    bars = [charts.Bar(name if row.is_brand else row.name, row.share or 0,
                       f"{fmt.percent(row.share)} · {fmt.count(row.mentions)}",
                       "solid" if row.is_brand else "hatch", row.is_brand)
            for row in f.share_of_voice]  # fmt: skip
    rows = [[name if row.is_brand else row.name, fmt.count(row.mentions), fmt.percent(row.share),
             fmt.points_change(row.share, row.previous_share).replace(" vs previous period", ""),
             fmt.percent(row.positive_share)] for row in f.share_of_voice]  # fmt: skip
    return [
        Chart(_draw(lambda p, r: charts.bar_rows(p, r, bars)), 24.0 * len(bars)),
        Table(
            [
                Column("", 2.4),
                Column("Mentions", 1.2, "right"),
                Column("Share", 1, "right"),
                Column("Change", 1.3, "right"),
                Column("Positive*", 1, "right"),
            ],
            rows,
        ),  # fmt: skip
        Paragraph(
            "The brand counts mentions matching any brand or product query once. *Positive is "
            "the share of each row's rated mentions (mentions without a sentiment are left "
            "out), as everywhere in this report.",
            7,
            muted=True,
        ),  # fmt: skip
    ]


def _sources(f: ReportFigures, text: ReportText) -> list[Block]:
    if not f.top_sources:
        return [Paragraph("No mentions in this period.", muted=True)]
    total = f.totals.mentions or 1
    rows = [[s.name, s.kind, fmt.count(s.mentions), fmt.percent(s.mentions / total),
             fmt.change(s.mentions, s.previous).replace(" vs previous period", ""),
             fmt.count(s.positive), fmt.count(s.negative)] for s in f.top_sources]  # fmt: skip
    return [Table([Column("Community or source", 3), Column("Kind", 1.3),
                   Column("Mentions", 1.2, "right"), Column("Share", 1, "right"),
                   Column("Change", 1.3, "right"), Column("Positive", 1.1, "right"),
                   Column("Negative", 1.1, "right")], rows)]  # fmt: skip


def _authors(f: ReportFigures, text: ReportText) -> list[Block]:
    if not f.top_authors:
        return [Paragraph("No identified authors in this period.", muted=True)]

    def rows(items: tuple) -> list[list[str]]:
        return [[a.name, a.contact_name or "–", a.network, fmt.count(a.mentions),
                 fmt.count(a.positive), fmt.count(a.negative),
                 "–" if a.reach is None else fmt.count(a.reach)] for a in items]  # fmt: skip

    columns = [Column("Author", 2.2), Column("Contact", 1.8), Column("Network", 2),
               Column("Mentions", 1.1, "right"), Column("Positive", 1, "right"),
               Column("Negative", 1, "right"), Column("Reach", 1, "right")]  # fmt: skip
    blocks: list[Block] = [Heading("Most active", 2), Table(columns, rows(f.top_authors))]
    if f.top_influencers:
        blocks += [Heading("Widest reach", 2), Table(columns, rows(f.top_influencers))]
    return blocks


def _responsiveness(f: ReportFigures, text: ReportText) -> list[Block]:
    r = f.responsiveness
    if not (r.overall.needs_response or r.overall.responded):
        return [Paragraph("No mention needed or received a reply in this period.", muted=True)]

    def rows(groups: tuple) -> list[list[str]]:
        return [[g.name, fmt.count(g.needs_response), fmt.count(g.responded),
                 fmt.count(g.awaiting), fmt.minutes(g.median_minutes),
                 fmt.minutes(g.p90_minutes)] for g in groups]  # fmt: skip

    def columns(first: str) -> list[Column]:
        return [Column(first, 2.2), Column("Needed reply", 1.2, "right"),
                Column("Responded", 1.2, "right"), Column("Awaiting", 1.1, "right"),
                Column("Median", 1.3, "right"), Column("90th pct", 1.3, "right")]  # fmt: skip

    o = r.overall
    return [
        Paragraph(
            f"{fmt.count(o.needs_response)} mentions needed a reply; "
            f"{fmt.count(o.responded)} replies were sent and {fmt.count(o.awaiting)} still "
            f"wait. Median first response {fmt.minutes(o.median_minutes)} "
            f"({fmt.change(o.median_minutes, r.previous_median_minutes)}); 90% within "
            f"{fmt.minutes(o.p90_minutes)}."
        ),  # fmt: skip
        Heading("By assignee", 2),
        Table(columns("Assignee"), rows(r.by_assignee)),
        Heading("By department routed to", 2),
        Table(columns("Department"), rows(r.by_department)),
        Paragraph(FIRST_RESPONSE_NOTE, 7, muted=True),
    ]


def _content(f: ReportFigures, text: ReportText) -> list[Block]:
    c = f.content
    if not c.items:
        return [Paragraph("Nothing was planned on the calendar for this period.", muted=True)]
    rows = [[fmt.local_day(i.starts_at, text.tz), i.title, i.item_type.replace("_", " "),
             i.status.replace("_", " "), fmt.count(i.mentions) if i.published_url else "–"]
            for i in c.items]  # fmt: skip
    return [
        Paragraph(
            f"{fmt.count(c.planned)} items planned, {fmt.count(c.published)} published "
            f"({fmt.change(c.published, c.previous_published)}); mentions earned count "
            "mentions linking to an item's published URL."
        ),  # fmt: skip
        Table(
            [
                Column("Date", 1.3),
                Column("Item", 4),
                Column("Type", 1.4),
                Column("Status", 1.2),
                Column("Mentions earned", 1.3, "right"),
            ],
            rows,
        ),  # fmt: skip
    ]


def _voice_of_customer(f: ReportFigures, text: ReportText) -> list[Block]:
    if not f.quote_counts:
        return [Paragraph("No starred mentions in this period: star mentions in the inbox to "
                          "quote them here.", muted=True)]  # fmt: skip
    blocks: list[Block] = []
    for label, title in QUOTE_GROUPS:
        counts = {tag: n for (lab, tag), n in f.quote_counts.items() if lab == label}
        if not counts:
            continue
        blocks.append(Heading(f"{title} ({fmt.count(sum(counts.values()))})", 2))
        tagged = any(tag is not None for tag in counts)
        for tag in sorted(counts, key=lambda t: (t is None, -counts[t], t or "")):
            quotes = [q for q in f.quotes if q.sentiment == label and q.group_tag == tag]
            if tagged:
                name = "No tag" if tag is None else f"Tagged {tag}"
                blocks.append(Heading(f"{name} ({fmt.count(counts[tag])})", 3))
            blocks += [_quote_block(q, text) for q in quotes]
            if counts[tag] > len(quotes):
                more = counts[tag] - len(quotes)
                noun = "mention" if more == 1 else "mentions"
                where = f" tagged {tag}." if tag else "."
                blocks.append(Paragraph(f"…and {fmt.count(more)} more starred {noun}{where}", 8,
                                        muted=True))  # fmt: skip
    blocks.append(Paragraph("Quotes are grouped under their first tag by name; each is shown once.",
                            7, muted=True))  # fmt: skip
    return blocks


def _quote_block(q: Quote, text: ReportText) -> QuoteBlock:
    where = f"— {q.author}, {q.source}, {fmt.local_day(q.published_at, text.tz)}"
    tail = (f" · tags: {', '.join(q.tags)}" if q.tags else "") + (f"\n{q.url}" if q.url else "")
    return QuoteBlock(q.text or q.title, where + tail)


def _alerts(f: ReportFigures, text: ReportText) -> list[Block]:
    if not f.alerts:
        return [Paragraph(f"No alerts in this period ({f.previous_alerts} in the previous one).",
                          muted=True)]  # fmt: skip
    crises = sum(a.is_crisis for a in f.alerts)
    rows = [
        [
            fmt.local_time(a.created_at, text.tz),
            "Crisis" if a.is_crisis else a.kind.replace("_", " "),
            a.title,
            a.query or "–",
            "yes" if a.acknowledged else "no",
        ]
        for a in f.alerts
    ]
    return [
        Paragraph(
            f"{len(f.alerts)} alerts, {crises} of them crises (negative spikes); "
            f"{f.previous_alerts} alerts in the previous period."
        ),  # fmt: skip
        Table(
            [
                Column("When", 1.6),
                Column("Kind", 1),
                Column("Alert", 4),
                Column("Query", 1.3),
                Column("Seen", 0.7),
            ],
            rows,
        ),  # fmt: skip
    ]


def _suggestions(f: ReportFigures, text: ReportText) -> list[Block]:
    body = text.suggestions.strip()
    if not body:
        return [Paragraph("No suggestions were written for this report.", muted=True)]
    return [Paragraph(part.strip(), 10) for part in body.split("\n\n") if part.strip()]


def _draw(fn: Callable[[QPainter, QRectF], None]) -> Callable[[QPainter, QRectF], None]:
    return fn


BUILDERS: dict[str, Callable[[ReportFigures, ReportText], list[Block]]] = {
    "summary": _summary,
    "goals": _goals,
    "volume": _volume,
    "sentiment": _sentiment,
    "share_of_voice": _share_of_voice,
    "sources": _sources,
    "authors": _authors,
    "responsiveness": _responsiveness,
    "content": _content,
    "voice_of_customer": _voice_of_customer,
    "alerts": _alerts,
    "suggestions": _suggestions,
}
