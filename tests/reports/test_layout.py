"""Pagination of report blocks: tables split between rows, nothing runs off a page."""

from __future__ import annotations

from cmdesk.reports.layout import (
    BODY_HEIGHT,
    BODY_WIDTH,
    MARGIN_TOP,
    Chart,
    Column,
    Heading,
    Paragraph,
    Table,
    paginate,
)


def _table(rows: int) -> Table:
    return Table([Column("Item", 3), Column("Mentions", 1, "right")],
                 [[f"Row {n}", str(n)] for n in range(rows)])  # fmt: skip


def _placed_tables(pages) -> list[list[Table]]:  # type: ignore[no-untyped-def]
    return [[b for b, _ in page.placed if isinstance(b, Table)] for page in pages]


def _assert_within_pages(pages) -> None:  # type: ignore[no-untyped-def]
    for number, page in enumerate(pages, 1):
        for block, rect in page.placed:
            assert rect.bottom() <= MARGIN_TOP + BODY_HEIGHT + 0.01, (number, block)


def test_a_long_table_started_near_the_foot_of_a_page_is_split_not_run_off() -> None:
    # A chart leaves less room at the foot than a table header and one row need.
    chart = Chart(lambda painter, rect: None, fixed_height=BODY_HEIGHT - 30)
    table = _table(120)
    room_left = BODY_HEIGHT - chart.height(BODY_WIDTH) - chart.space_after
    assert table.split(BODY_WIDTH, room_left) is None
    pages, starts = paginate([Heading("Content", section="content"), chart, table])

    _assert_within_pages(pages)
    parts = [t for page in _placed_tables(pages) for t in page]
    assert len(parts) >= 3  # 120 rows do not fit on one page
    assert [row for part in parts for row in part.rows] == table.rows  # each row once, in order
    assert [part.continued for part in parts] == [False] + [True] * (len(parts) - 1)
    assert starts == {"content": 0}


def test_a_table_that_fits_stays_whole_and_one_that_does_not_repeats_its_header() -> None:
    pages, _ = paginate([Heading("Small"), _table(5)])
    assert len(pages) == 1 and len(_placed_tables(pages)[0]) == 1

    pages, _ = paginate([Heading("Big"), _table(200)])
    _assert_within_pages(pages)
    parts = [t for page in _placed_tables(pages) for t in page]
    assert len(parts) == len(pages) > 1
    assert all(part.columns == parts[0].columns for part in parts)
    assert sum(len(part.rows) for part in parts) == 200


def test_a_heading_never_ends_a_page() -> None:
    filler = Paragraph("Words " * 40)
    for count in range(1, 30):
        pages, _ = paginate([*([filler] * count), Heading("Next", section="next"), _table(3)])
        for page in pages:
            assert not isinstance(page.placed[-1][0], Heading)
