"""The CSV holds every number the PDF shows: tiles, table cells and group counts, checked
against the blocks the PDF is painted from."""

from __future__ import annotations

import csv
import re
from datetime import date
from pathlib import Path

import pytest
import report_data as fixture

from cmdesk.core.db import Workspace
from cmdesk.core.models import Mention, MentionQuery, MentionTag, Query, Source, Tag
from cmdesk.reports import csv_export
from cmdesk.reports import sections as fmt
from cmdesk.reports.document import section_blocks
from cmdesk.reports.figures import compute_figures
from cmdesk.reports.layout import Heading, Table, Tiles
from cmdesk.reports.model import ReportFigures
from cmdesk.reports.periods import ReportPeriod
from cmdesk.reports.sections import SECTIONS, ReportText

NUMBER = re.compile(
    r"\d+ d \d+ h|\d+ h \d\d min|\d+ min"  # durations
    r"|\d+(?:\.\d+)?%"  # shares
    r"|\d[\d,]*(?:\.\d)?"  # counts
)
CHANGE_WORDS = ("▲", "▼", "vs previous", "no change", "none in the previous", "no previous")
NOT_FIGURES = {"Date", "When", "Change"}  # dates, and changes (value and previous are in the CSV)


@pytest.fixture
def figures(workspace: Workspace) -> ReportFigures:
    fixture.build(workspace)
    blog, acme = Source.get(Source.name == "Blog"), Query.get(Query.name == "Acme")
    for n, (label, tags) in enumerate([("positive", ("praise",)), ("positive", ("bug", "praise")),
                                       ("negative", ()), (None, ("praise",))]):  # fmt: skip
        row = Mention.create(source=blog, external_id=f"x{n}", title=f"x{n}", text=f"x{n}",
                             published_at=fixture.at(13, 9, n), fetched_at=fixture.at(13, 9, n),
                             sentiment_label=label, starred=True)  # fmt: skip
        MentionQuery.create(mention=row, query=acme)
        for name in tags:
            MentionTag.create(mention=row, tag=Tag.get_or_create(name=name)[0])
    return compute_figures(workspace, ReportPeriod(date(2026, 11, 9), date(2026, 11, 15)))


def shown_numbers(f: ReportFigures) -> list[tuple[str, str | None, str]]:
    """(where, the row's name in a table, number as printed) for every figure in the PDF's
    tiles, tables and headings."""
    found: list[tuple[str, str | None, str]] = []
    for key in SECTIONS:
        for block in section_blocks(key, f, ReportText()):
            texts: list[tuple[str, str | None, str]] = []
            if isinstance(block, Tiles):
                for tile in block.tiles:
                    texts.append((tile.label, None, tile.value))
                    texts += [(tile.label, None, line) for line in tile.lines
                              if not any(word in line for word in CHANGE_WORDS)]  # fmt: skip
            elif isinstance(block, Table):
                for n, column in enumerate(block.columns):
                    if column.align == "right" and column.title not in NOT_FIGURES:
                        texts += [(f"{key}: {column.title}", row[0], row[n])
                                  for row in block.rows]  # fmt: skip
            elif isinstance(block, Heading):
                groups = re.findall(r"\((\d[\d,]*)\)", block.text)
                texts += [(f"{key}: {block.text}", None, group) for group in groups]
            found += [(where, name, number) for where, name, text in texts
                      for number in NUMBER.findall(text)]  # fmt: skip
    return found


def csv_numbers(path: Path) -> dict[str, set[str]]:
    """Every value of the CSV written each way the PDF may print it, by breakdown ("" for all).

    A table cell is looked for among the rows of its own breakdown (a source, an author, a
    goal...) when the CSV has one by that name, so a small count cannot match by chance.
    """
    printed: dict[str, set[str]] = {"": set()}
    with path.open(encoding="utf-8-sig") as handle:
        for row in list(csv.reader(handle))[1:]:
            for cell in row[3:5]:
                try:
                    value = float(cell)
                except ValueError:
                    continue
                forms = {fmt.count(value), fmt.percent(value), fmt.percent(value, 0),
                         fmt.minutes(value)}  # fmt: skip
                printed[""] |= forms
                printed.setdefault(row[2], set()).update(forms)
    return printed


def test_every_number_in_the_pdf_is_in_the_csv(figures: ReportFigures, tmp_path: Path) -> None:
    assert figures.totals.unrated == 1 and len(figures.quote_counts) > 3
    out = tmp_path / "r.csv"
    csv_export.write_csv(figures, out)
    shown = shown_numbers(figures)
    assert len(shown) > 80  # the walk found the tiles and tables
    in_csv = csv_numbers(out)
    missing = [
        (where, name, number)
        for where, name, number in shown
        if number not in in_csv.get(name or "", in_csv[""])
    ]
    assert missing == []


def test_the_numbers_added_for_the_pdf_tables(figures: ReportFigures, tmp_path: Path) -> None:
    out = tmp_path / "r.csv"
    csv_export.write_csv(figures, out)
    rows = list(csv.reader(out.open(encoding="utf-8-sig")))
    for row in (
        ["summary", "unrated", "", "1", "0"],
        ["sources", "positive", "r/acme", "2", ""],
        ["sources", "negative", "r/acme", "1", ""],
        ["authors", "negative (most active)", "alice", "1", ""],
        ["voice of the customer", "starred mentions", "positive", "4", ""],
        ["voice of the customer", "starred mentions by first tag", "positive / bug", "1", ""],
        ["voice of the customer", "starred mentions by first tag", "not rated / praise", "1", ""],
    ):
        assert row in rows, row
    [brand] = [r for r in rows if r[:3] == ["share of voice", "positive share (of rated)", "Acme"]]
    assert float(brand[3]) == pytest.approx(4 / 7)  # m1 m5 x0 x1 of 7 rated (x3 is not rated)
