"""The Reports pane over real services on the hand-counted report workspace: preview, templates,
suggestions, export, the weekly reminder and the saved reports."""

from __future__ import annotations

import csv
import shutil
import subprocess
from datetime import date
from pathlib import Path

import pytest
import report_data
from PySide6.QtCore import QModelIndex, Qt

from cmdesk.core.db import Workspace
from cmdesk.core.services import reports as report_service
from cmdesk.reports.produce import figures_for, pages_for
from cmdesk.reports.sections import SECTIONS, ReportConfig
from cmdesk.ui.pane import make_test_context
from cmdesk.ui.reports import preview as preview_module
from cmdesk.ui.reports.pane import ReportsPane

needs_poppler = pytest.mark.skipif(shutil.which("pdftotext") is None, reason="poppler-utils")
LAST_WEEK = (date(2026, 11, 9), date(2026, 11, 15))


@pytest.fixture
def pane(qtbot, qt_loop, workspace: Workspace, monkeypatch, tmp_path):  # noqa: ANN001
    monkeypatch.setenv("TZ", "UTC")
    report_data.build(workspace)
    report_service.save_template(
        workspace, "Weekly", {"sections": [[k, True] for k in SECTIONS], "period_kind": "last_week"}
    )
    ctx = make_test_context(workspace, settings_path=str(tmp_path / "ui.ini"))
    widget = ReportsPane(ctx)
    ctx.events.changed.connect(widget.on_changes)  # what the main window does for every pane
    widget.resize(1200, 800)
    qtbot.addWidget(widget)
    with qtbot.waitSignal(widget.preview.preview_rendered, timeout=10_000):
        widget.show()
    return widget


def expected_pages(pane: ReportsPane) -> int:
    request = pane.editor.request()
    return pages_for(figures_for(pane.ctx.workspace, request), request).page_count


def wait_preview(qtbot, pane: ReportsPane) -> int:  # noqa: ANN001
    with qtbot.waitSignal(pane.preview.preview_rendered, timeout=10_000) as rendered:
        pass
    return int(rendered.args[0])


def wait_idle(qtbot, pane: ReportsPane) -> None:  # noqa: ANN001
    qtbot.waitUntil(lambda: not pane.ctx.tasks.running(), timeout=10_000)


def pdf_text(path: Path) -> str:
    return subprocess.run(
        ["pdftotext", str(path), "-"], capture_output=True, text=True, check=True
    ).stdout


def test_the_preview_follows_the_period_and_the_sections(qtbot, pane: ReportsPane) -> None:  # noqa: ANN001
    editor = pane.editor
    assert pane.editor.templates.current.name == "Weekly"
    assert (editor.period.period.first, editor.period.period.last) == LAST_WEEK
    assert "9–15 November 2026 (7 days), compared with 2–8 November 2026" in (
        editor.period.summary.text()
    )
    full = pane.preview.page_count
    assert full == expected_pages(pane) and len(pane.preview.pages.images) == full
    assert pane.preview.status.text() == f"{full} pages · 9–15 November 2026"
    figures = pane.preview.cached_figures(editor.request())
    for key in (
        "volume",
        "sentiment",
        "share_of_voice",
        "sources",
        "authors",
        "responsiveness",
        "content",
        "voice_of_customer",
        "alerts",
    ):
        editor.sections.set_checked(key, False)
    fewer = wait_preview(qtbot, pane)
    assert fewer < full and fewer == expected_pages(pane)
    assert editor.config.enabled == ["summary", "goals", "suggestions"]
    assert pane.preview.cached_figures(editor.request()) is figures  # no new SQL for sections
    assert editor.templates.state.text() == "Changed since saved"

    editor.sections.select("goals")
    editor.sections.list.setFocus()
    qtbot.keyClick(editor.sections.list, Qt.Key.Key_Up, Qt.KeyboardModifier.AltModifier)
    wait_preview(qtbot, pane)
    assert editor.config.enabled == ["goals", "summary", "suggestions"]
    assert pane.preview._report[1].sections == ["goals", "summary", "suggestions"]  # type: ignore[index]
    assert not editor.sections.up_button.isEnabled()
    editor.sections.down_button.click()
    wait_preview(qtbot, pane)
    assert editor.config.enabled == ["summary", "goals", "suggestions"]
    model = editor.sections.list.model()
    assert model.moveRows(QModelIndex(), 0, 1, QModelIndex(), 12)  # what a drag and drop does
    wait_preview(qtbot, pane)
    assert editor.config.enabled == ["goals", "suggestions", "summary"]

    editor.period.kind_combo.setCurrentIndex(editor.period.kind_combo.findData("this_month"))
    pages = wait_preview(qtbot, pane)
    assert pane.preview.status.text().endswith("November 2026") and pages == expected_pages(pane)
    assert editor.period.summary.text() == (  # Friday 20 November: no future days
        "1–20 November 2026 (20 days), to date, compared with the same days of the month before "
        "(1–20 October 2026)"
    )
    editor.period.set_custom(date(2020, 1, 1), date(2020, 1, 31))  # nothing happened then
    wait_preview(qtbot, pane)
    assert pane.preview._report[1].figures.is_empty  # type: ignore[index]
    assert editor.period.custom_row.isVisibleTo(editor)
    editor.period.set_custom(date(2020, 2, 1), date(2020, 1, 1))
    assert "ends before it starts" in editor.period.summary.text()


def test_scope_choices_narrow_the_figures(qtbot, pane: ReportsPane) -> None:  # noqa: ANN001
    scope = pane.editor.scope
    assert scope.queries_label.text() == "All queries" and scope.scope() == ((), ())
    globex = next(
        n for n in range(scope.queries.count()) if scope.queries.item(n).text() == "Globex"
    )
    scope.queries.set_ticked(
        int(scope.queries.item(globex).data(Qt.ItemDataRole.UserRole + 1)), False
    )
    wait_preview(qtbot, pane)
    assert scope.queries_label.text() == "1 of 2 queries"
    figures = pane.preview.cached_figures(pane.editor.request())
    assert figures is not None and figures.scope_label.startswith("Queries: Acme")


def test_templates_save_rename_and_delete(qtbot, pane: ReportsPane, workspace) -> None:  # noqa: ANN001
    bar = pane.editor.templates
    answers = iter(["Short weekly", "Monthly short", "Weekly"])
    bar.ask_text = lambda *_args: next(answers)  # type: ignore[method-assign]
    bar.confirm = lambda _question: True  # type: ignore[method-assign]
    pane.editor.sections.set_checked("alerts", False)
    assert bar.save_button.isEnabled()
    bar.save_as()
    qtbot.waitUntil(lambda: bar.current is not None and bar.current.name == "Short weekly")
    saved = ReportConfig.from_json(
        report_service.template_by_name(workspace, "Short weekly").config
    )
    assert ("alerts", False) in saved.sections
    assert bar.state.text() == "Saved" and not bar.save_button.isEnabled()
    bar.rename()
    qtbot.waitUntil(lambda: bar.current.name == "Monthly short")
    assert [t.name for t in report_service.templates(workspace)] == ["Monthly short", "Weekly"]
    bar.rename()  # to a name already taken
    qtbot.waitUntil(lambda: "already a template" in bar.last_error)
    pane.editor.sections.set_checked("goals", False)
    bar.save()
    wait_idle(qtbot, pane)
    stored = ReportConfig.from_json(
        report_service.template_by_name(workspace, "Monthly short").config
    )
    assert ("goals", False) in stored.sections
    bar.delete()
    qtbot.waitUntil(lambda: [t.name for t in report_service.templates(workspace)] == ["Weekly"])
    qtbot.waitUntil(lambda: bar.current is not None and bar.current.name == "Weekly")
    assert ("goals", True) in pane.editor.config.sections  # the Weekly template is loaded
    bar.combo.setCurrentIndex(bar.combo.findData(-1))
    bar._on_combo_activated(bar.combo.currentIndex())
    assert bar.current is None and bar.state.text() == "New template, not saved yet"


@needs_poppler
def test_suggestions_are_saved_for_the_period_and_exported(
    qtbot, pane: ReportsPane, workspace, tmp_path
) -> None:  # noqa: ANN001
    editor = pane.editor
    editor.suggestions.editor.setPlainText("Hire a second moderator for the forum.")

    def saved() -> str | None:
        report = report_service.latest_report_for(workspace, *LAST_WEEK)
        return report.suggestions if report is not None else None

    qtbot.waitUntil(lambda: saved() == "Hire a second moderator for the forum.", timeout=5000)
    editor.select_period("this_month")
    assert editor.suggestions.text() == ""
    editor.select_period("last_week")
    assert editor.suggestions.text() == "Hire a second moderator for the forum."
    wait_preview(qtbot, pane)

    pdf, numbers = tmp_path / "out" / "report.pdf", tmp_path / "out" / "numbers.csv"
    pdf.parent.mkdir()
    finished = []
    pane.exporter.export_finished.connect(finished.append)
    pane.export("pdf", pdf)
    qtbot.waitUntil(lambda: len(finished) == 1, timeout=10_000)
    text = pdf_text(pdf)
    assert "Hire a second moderator" in text and "9–15 November 2026" in text
    assert f"{pane.preview.page_count} pages" in pane.export_bar.label.text()
    pane.export("csv", numbers)
    qtbot.waitUntil(lambda: len(finished) == 2, timeout=10_000)
    rows = list(csv.reader(numbers.open(encoding="utf-8-sig")))
    assert ["summary", "mentions", "", "5", "2"] in rows
    assert sorted(p.name for p in pdf.parent.iterdir()) == ["numbers.csv", "report.pdf"]
    opened = []
    monkey_open = pytest.MonkeyPatch()
    monkey_open.setattr("cmdesk.ui.reports.export.QDesktopServices.openUrl", opened.append)
    pane.export_bar.show_in_folder()
    monkey_open.undo()
    assert opened[0].toLocalFile() == str(pdf.parent)


def test_export_asks_for_a_file_named_after_the_period(qtbot, pane: ReportsPane, tmp_path) -> None:  # noqa: ANN001
    asked = []

    def ask(kind: str, name: str, on_chosen) -> None:  # noqa: ANN001
        asked.append(name)
        on_chosen(str(tmp_path / "chosen"))  # no suffix: one is added

    pane.exporter.ask_path = ask  # type: ignore[method-assign]
    done = []
    pane.exporter.export_finished.connect(done.append)
    pane.export("pdf")
    qtbot.waitUntil(lambda: bool(done), timeout=10_000)
    assert asked == ["cmdesk-report-2026-11-09-to-2026-11-15.pdf"]
    assert (tmp_path / "chosen.pdf").read_bytes().startswith(b"%PDF")


def test_the_reminder_shows_until_last_weeks_report_is_produced(
    qtbot, pane: ReportsPane, tmp_path
) -> None:  # noqa: ANN001
    badges: list[str] = []
    pane.badge_changed.connect(badges.append)
    pane.reminder.state = None
    pane.reminder.check()  # Friday 20 November 10:00 UTC: past Monday 09:00, nothing saved
    assert badges[-1] == "1" and pane.banner.isVisible()
    assert "9–15 November 2026" in pane.banner.label.text()
    assert pane.ctx.notifications == [  # type: ignore[attr-defined]
        ("Weekly report", "Last week's report (9–15 November 2026) is not produced yet.")
    ]
    pane.reminder.check()
    assert len(pane.ctx.notifications) == 1  # type: ignore[attr-defined]  # once per week
    pane.editor.suggestions.editor.setPlainText("Typing is not producing the report.")
    qtbot.waitUntil(lambda: report_service.latest_report_for(pane.ctx.workspace, *LAST_WEEK)
                    is not None, timeout=5000)  # fmt: skip
    wait_idle(qtbot, pane)
    assert pane.reminder.check().due and badges[-1] == "1" and pane.banner.isVisible()
    pane.editor.select_period("this_month")
    pane.banner.produce_button.click()
    assert pane.editor.period.period.kind == "last_week"
    pane.export("pdf", tmp_path / "weekly.pdf")
    qtbot.waitUntil(lambda: badges[-1] == "", timeout=10_000)
    assert not pane.banner.isVisible()
    assert [r.period_from for r in pane.saved.reports] == [date(2026, 11, 9)]


def test_reminder_settings_are_a_workspace_setting(qtbot, pane: ReportsPane, workspace) -> None:  # noqa: ANN001
    from cmdesk.core.services.report_reminder import reminder_settings

    row = pane.editor.reminder
    assert row.enabled.isChecked() and row.weekday.currentText() == "Monday"
    row.weekday.setCurrentIndex(4)
    wait_idle(qtbot, pane)
    assert reminder_settings(workspace).weekday == 4
    row.enabled.setChecked(False)
    qtbot.waitUntil(lambda: pane.reminder.state is not None and not pane.reminder.state.enabled)
    assert not row.weekday.isEnabled()


def test_a_cancelled_preview_leaves_the_pane_usable(qtbot, pane: ReportsPane) -> None:  # noqa: ANN001
    with qtbot.waitSignal(pane.preview.preview_cancelled, timeout=5000):
        pane.preview.refresh_from_data()
        pane.ctx.tasks.cancel(preview_module.TASK_NAME)
    assert pane.preview.state == "cancelled" and "Refresh" in pane.preview.status.text()
    pane.editor.sections.set_checked("alerts", False)
    pages = wait_preview(qtbot, pane)
    assert pane.preview.state == "ready" and pages == expected_pages(pane)


def test_a_failed_preview_says_why(qtbot, pane: ReportsPane, monkeypatch) -> None:  # noqa: ANN001
    def broken(*_args: object, **_kwargs: object) -> None:
        raise OSError("disk I/O error")

    monkeypatch.setattr(preview_module, "figures_for", broken)
    with qtbot.waitSignal(pane.preview.preview_failed, timeout=5000):
        pane.preview.refresh_from_data()
    assert pane.preview.error.isVisibleTo(pane) and "disk I/O error" in pane.preview.error.text()
    monkeypatch.undo()
    pane.preview.refresh_from_data()
    wait_preview(qtbot, pane)
    assert not pane.preview.error.isVisibleTo(pane)


def test_saved_reports_open_again_in_the_builder(qtbot, pane: ReportsPane, workspace) -> None:  # noqa: ANN001
    workspace.write(
        report_service.save_report,
        workspace,
        title="Old",
        period_from=date(2026, 10, 1),
        period_to=date(2026, 10, 31),
        suggestions="More budget\nfor events",
    ).result()
    subviews = []
    pane.subviews_changed.connect(subviews.append)
    pane.on_changes(report_service.Changes(reports=True))
    assert subviews[-1][1].title == "Saved reports" and subviews[-1][1].count == 1
    pane.show_subview("saved")
    assert pane.stack.currentWidget() is pane.saved
    item = pane.saved.tree.topLevelItem(0)
    assert item.text(0) == "October 2026" and item.text(4) == "More budget"
    assert item.text(3) == "not yet"  # saved, never exported
    pane.saved.open_button.click()
    assert pane.stack.currentWidget() is pane.splitter
    period = pane.editor.period.period
    assert (period.first, period.last, period.kind) == (
        date(2026, 10, 1),
        date(2026, 10, 31),
        "custom",
    )
    assert pane.editor.suggestions.text() == "More budget\nfor events"
    wait_preview(qtbot, pane)
