"""Report sections as blocks and pages: voice of the customer, the volume chart, contents."""

from __future__ import annotations

import re
import shutil
import subprocess
from datetime import date
from pathlib import Path

import pytest
import report_data as fixture

from cmdesk.core.db import Workspace
from cmdesk.core.models import Mention, MentionTag, Source, Tag
from cmdesk.reports import document
from cmdesk.reports.figures import compute_figures
from cmdesk.reports.layout import Heading, Paragraph, QuoteBlock
from cmdesk.reports.model import ReportFigures
from cmdesk.reports.pdf import lay_out, write_pdf
from cmdesk.reports.periods import ReportPeriod
from cmdesk.reports.sections import SECTIONS, ReportText

LAST_WEEK = ReportPeriod(date(2026, 11, 9), date(2026, 11, 15), "last_week")
needs_poppler = pytest.mark.skipif(shutil.which("pdftotext") is None, reason="poppler-utils")


def _starred(n: int, label: str | None, tags: tuple[str, ...]) -> None:
    row = Mention.create(source=Source.get(Source.name == "Blog"), external_id=f"s{n}",
                         title=f"Starred {n}", text=f"Quote number {n}", author_name=f"p{n}",
                         published_at=fixture.at(13, 8, n), fetched_at=fixture.at(13, 8, n),
                         sentiment_label=label, starred=True)  # fmt: skip
    for name in tags:
        MentionTag.create(mention=row, tag=Tag.get_or_create(name=name)[0])


@pytest.fixture
def figures(workspace: Workspace) -> ReportFigures:
    fixture.build(workspace)
    for n in range(5):
        _starred(n, "positive", ("praise",))
    _starred(5, "positive", ("praise", "bug"))  # grouped under its first tag by name: bug
    _starred(6, "negative", ())
    return compute_figures(workspace, LAST_WEEK)


def _words(blocks: list) -> list[str]:  # type: ignore[type-arg]
    out = []
    for block in blocks:
        if isinstance(block, Heading):
            out.append(f"h{block.level} {block.text}")
        elif isinstance(block, QuoteBlock):
            out.append(f"q {block.text}")
        elif isinstance(block, Paragraph):
            out.append(f"p {block.text}")
    return out


def test_voice_of_the_customer_groups_by_sentiment_then_tag_and_says_what_is_left_out(
    figures: ReportFigures,
) -> None:
    # Positive starred: m1 (praise), s0-s4 (praise), s5 (bug, praise); m5 untagged.
    assert figures.quote_counts == {
        ("positive", "praise"): 6,
        ("positive", "bug"): 1,
        ("positive", None): 1,
        ("negative", None): 1,
    }
    words = _words(document.section_blocks("voice_of_customer", figures, ReportText()))
    assert words[:9] == [
        "h1 Voice of the customer",
        "h2 What people liked (8)",
        "h3 Tagged praise (6)",
        "q Text of mention 1",
        "q Quote number 0",
        "q Quote number 1",
        "p …and 3 more starred mentions tagged praise.",
        "h3 Tagged bug (1)",
        "q Quote number 5",
    ]
    assert words[9:13] == [
        "h3 No tag (1)",
        "q Text of mention 5",
        "h2 What people disliked (1)",
        "q Quote number 6",  # no tag at all in the group: no tag heading
    ]


def test_volume_chart_folds_source_kinds_past_six_into_other() -> None:
    kinds = [(f"kind{n}", (n, 1)) for n in range(8)]  # totals 1..8
    series = document.chart_series(kinds)
    assert [s.name for s in series] == ["kind7", "kind6", "kind5", "kind4", "kind3",
                                        "Other (3 kinds)"]  # fmt: skip
    assert tuple(series[-1].values) == (0 + 1 + 2, 3)
    assert len(document.chart_series(kinds[:6])) == 6


def test_contents_lists_every_section_on_the_page_it_starts(figures: ReportFigures) -> None:
    report = lay_out(figures, list(SECTIONS), ReportText())
    assert report.with_contents
    for key in SECTIONS:
        page = report.body[report.page_of(key) - 2 - 1]
        assert any(isinstance(b, Heading) and b.section == key for b, _ in page.placed), key


@needs_poppler
def test_the_contents_page_reads_with_page_numbers(figures: ReportFigures, tmp_path: Path) -> None:
    report = lay_out(figures, list(SECTIONS), ReportText(title="Weekly"))
    out = tmp_path / "r.pdf"
    write_pdf(report, out)
    contents = subprocess.run(["pdftotext", "-layout", "-f", "2", "-l", "2", str(out), "-"],
                              capture_output=True, text=True, check=True).stdout  # fmt: skip
    assert "\nContents\n" in contents
    lines = contents.splitlines()
    for key, title in SECTIONS.items():
        found = [re.fullmatch(rf"\s*{re.escape(title)}\s+(\d+)\s*", line) for line in lines]
        numbers = [match.group(1) for match in found if match]
        assert numbers == [str(report.page_of(key))], title
        page = subprocess.run(["pdftotext", "-f", str(report.page_of(key)), "-l",
                               str(report.page_of(key)), str(out), "-"],
                              capture_output=True, text=True, check=True).stdout  # fmt: skip
        assert title in page, title


def test_a_partial_first_or_last_week_is_left_out_of_the_charts_and_said(workspace) -> None:
    def span_of(first: date, last: date) -> tuple[slice, str | None, int]:
        f = compute_figures(workspace, ReportPeriod(first, last))
        assert f.bucket_unit == "week"
        return (*document.chart_span(f), len(f.buckets))

    # Tuesday 1 September to Monday 30 November 2026: the last Monday week holds 1 day.
    span, note, weeks = span_of(date(2026, 9, 1), date(2026, 11, 30))
    assert weeks == 14 and span == slice(0, 13)
    assert note is not None and "the last week (30 Nov: 1 day of the period)" in note
    assert "first" not in note
    # Saturday 5 September to Sunday 29 November: the first week holds 2 days, the last is whole.
    span, note, weeks = span_of(date(2026, 9, 5), date(2026, 11, 29))
    assert span == slice(1, weeks)
    assert note is not None and "the first week (31 Aug: 2 days of the period)" in note
    # Whole weeks: nothing left out.
    assert span_of(date(2026, 8, 31), date(2026, 12, 6))[:2] == (slice(None), None)
