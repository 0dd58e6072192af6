"""The live preview on its own: real pages as images, zoom, re-drawing at a new width without
laying out again, the latest request winning, and an empty period's report."""

from __future__ import annotations

from datetime import date

import pytest
import report_data
from PySide6.QtGui import QColor

from cmdesk.core.db import Workspace
from cmdesk.reports.layout import PAGE_WIDTH
from cmdesk.reports.periods import ReportPeriod
from cmdesk.reports.produce import ReportRequest
from cmdesk.reports.sections import ReportConfig, ReportText
from cmdesk.ui.pane import make_test_context
from cmdesk.ui.reports.preview import ReportPreview

LAST_WEEK = ReportPeriod(date(2026, 11, 9), date(2026, 11, 15), "last_week")


def request(period: ReportPeriod = LAST_WEEK, **config: object) -> ReportRequest:
    return ReportRequest(period, ReportConfig(**config), ReportText(suggestions="More moderators"))  # type: ignore[arg-type]


@pytest.fixture
def preview(qtbot, qt_loop, workspace: Workspace, tmp_path):  # noqa: ANN001
    report_data.build(workspace)
    ctx = make_test_context(workspace, settings_path=str(tmp_path / "ui.ini"))
    widget = ReportPreview(ctx)
    widget.resize(700, 600)
    qtbot.addWidget(widget)
    widget.show()
    qtbot.waitExposed(widget)
    return widget


def shown(qtbot, preview: ReportPreview, req: ReportRequest) -> int:  # noqa: ANN001
    with qtbot.waitSignal(preview.preview_rendered, timeout=10_000) as rendered:
        preview.show_request(req)
    return int(rendered.args[0])


def test_pages_are_painted_and_fit_the_width(qtbot, preview: ReportPreview) -> None:  # noqa: ANN001
    assert preview.state == "idle"
    pages = shown(qtbot, preview, request())
    assert pages == len(preview.pages.images) > 2
    viewport = preview.scroll_area.viewport().width()
    assert preview.pages.page_width == viewport - 36  # the margins either side
    assert preview.pages.width() == viewport  # no horizontal scrolling at "fit width"
    cover = preview.pages.images[0]
    assert cover.width() >= preview.pages.page_width
    assert cover.pixelColor(5, 5) == QColor("#1f2933")  # the cover's dark band was painted
    grab = preview.pages.grab().toImage()
    assert not grab.isNull() and grab.height() > preview.pages.page_height()


def test_zoom_at_100_percent_redraws_without_laying_out_again(
    qtbot, preview: ReportPreview
) -> None:  # noqa: ANN001
    shown(qtbot, preview, request())
    report = preview._report[1]  # type: ignore[index]
    with qtbot.waitSignal(preview.preview_rendered, timeout=10_000):
        preview.set_zoom("100")
    assert preview.pages.page_width == round(PAGE_WIDTH * preview.logicalDpiX() / 72)
    assert preview._report[1] is report  # type: ignore[index]  # the same layout, drawn again at the new width
    assert preview.pages.images[0].width() >= preview.pages.page_width
    assert preview.ctx.settings.value("reports/zoom") == "100"
    preview.set_zoom("fit")
    assert [b.isChecked() for b in preview.zoom_buttons.buttons()] == [True, False]


def test_the_latest_request_wins(qtbot, preview: ReportPreview) -> None:  # noqa: ANN001
    few = request(sections=(("summary", True), ("suggestions", True)))
    preview.show_request(request())
    preview.refresh()  # computing the full report...
    with qtbot.waitSignal(preview.preview_rendered, timeout=10_000) as rendered:
        preview.show_request(few)  # ...when the user switches most sections off
    assert rendered.args == [preview.page_count] and preview._report[1].sections == [  # type: ignore[index]
        "summary",
        "suggestions",
    ]
    assert preview.state == "ready" and not preview.ctx.tasks.running()


def test_an_empty_period_shows_the_report_that_says_so(qtbot, preview: ReportPreview) -> None:  # noqa: ANN001
    pages = shown(qtbot, preview, request(ReportPeriod(date(2020, 1, 1), date(2020, 1, 31))))
    assert pages >= 2 and preview._report[1].figures.is_empty  # type: ignore[index]
    assert preview.status.text() == f"{pages} pages · January 2020"
