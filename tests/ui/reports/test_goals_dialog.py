"""The goals editor: targets checked in words, add, edit (also into another period), remove."""

from __future__ import annotations

import pytest

from cmdesk.core.db import Workspace
from cmdesk.core.models import Query
from cmdesk.core.services import reports as report_service
from cmdesk.ui.pane import make_test_context
from cmdesk.ui.reports.goals_dialog import GoalsDialog, parse_target, target_text


@pytest.mark.parametrize(
    ("metric", "text", "value"),
    [
        ("mention_volume", "120", 120.0),
        ("positive_share", "60", 0.6),
        ("positive_share", "62.5%", 0.625),
        ("median_first_response_minutes", "90", 90.0),
        ("median_first_response_minutes", "7,5", 7.5),
    ],
)
def test_targets_are_read_in_the_units_shown(metric: str, text: str, value: float) -> None:
    assert parse_target(metric, text) == pytest.approx(value)


@pytest.mark.parametrize(
    ("metric", "text", "message"),
    [
        ("mention_volume", "", "Enter a target."),
        ("mention_volume", "lots", "“lots” is not a number."),
        ("mention_volume", "-5", "A target must be zero or more."),
        ("mention_volume", "12.5", "counted in whole mentions"),
        ("positive_share", "150", "a percentage from 0 to 100"),
        ("items_published", "nan", "zero or more"),
    ],
)
def test_bad_targets_are_explained(metric: str, text: str, message: str) -> None:
    with pytest.raises(ValueError, match=message):
        parse_target(metric, text)


def test_targets_are_shown_in_the_users_units() -> None:
    assert target_text("positive_share", 0.55) == "55%"
    assert target_text("median_first_response_minutes", 90) == "1 h 30 min"
    assert target_text("mention_volume", 1200) == "1,200"


@pytest.fixture
def dialog(qtbot, qt_loop, workspace: Workspace, tmp_path):  # noqa: ANN001
    Query.create(name="Acme", kind="brand", expression="acme", created_at=0)
    ctx = make_test_context(workspace, settings_path=str(tmp_path / "ui.ini"))
    widget = GoalsDialog(ctx)
    qtbot.addWidget(widget)
    widget.show()
    return widget


def choose(combo, data) -> None:  # noqa: ANN001
    combo.setCurrentIndex(combo.findData(data))


def saved_goal(qtbot, dialog: GoalsDialog) -> None:  # noqa: ANN001
    with qtbot.waitSignal(dialog.goals_changed, timeout=5000):
        dialog.save_button.click()


def test_add_edit_and_remove_goals(qtbot, dialog: GoalsDialog, workspace: Workspace) -> None:  # noqa: ANN001
    choose(dialog.metric_combo, "positive_share")
    assert dialog.unit.text() == "% of rated mentions"
    dialog.target.setText("150")
    dialog.save_button.click()
    assert dialog.error.text() == "A share of positive mentions is a percentage from 0 to 100."
    assert report_service.goals(workspace) == []
    dialog.target.setText("60")
    choose(dialog.query_combo, Query.get(Query.name == "Acme").id)
    saved_goal(qtbot, dialog)
    assert dialog.error.text() == ""
    [goal] = report_service.goals(workspace)
    assert (goal.metric, goal.period, goal.target, goal.query_name) == (
        "positive_share",
        "week",
        0.6,
        "Acme",
    )
    assert [dialog.table.item(0, n).text() for n in range(4)] == [
        "Share of positive mentions",
        "Per week",
        "Acme",
        "60%",
    ]

    dialog.start_new()  # the same metric, period and query again: refused in words
    choose(dialog.metric_combo, "positive_share")
    choose(dialog.query_combo, Query.get(Query.name == "Acme").id)
    dialog.target.setText("70")
    dialog.save_button.click()
    assert "already a goal for share of positive mentions per week (Acme)" in dialog.error.text()

    dialog.table.selectRow(0)  # edit it into a monthly goal: moved, not copied
    assert dialog.target.text() == "60" and dialog.remove_button.isEnabled()
    choose(dialog.period_combo, "month")
    dialog.target.setText("65")
    saved_goal(qtbot, dialog)
    [goal] = report_service.goals(workspace)
    assert (goal.period, goal.target) == ("month", 0.65)

    dialog.table.selectRow(0)
    with qtbot.waitSignal(dialog.goals_changed, timeout=5000):
        dialog.remove_button.click()
    assert report_service.goals(workspace) == [] and dialog.table.rowCount() == 0
    assert dialog.form_title.text() == "New goal"


def test_goals_dialog_from_the_pane_recomputes_the_figures(
    qtbot, qt_loop, workspace, monkeypatch, tmp_path
) -> None:  # noqa: ANN001
    from cmdesk.ui.reports.pane import ReportsPane

    monkeypatch.setenv("TZ", "UTC")
    ctx = make_test_context(workspace, settings_path=str(tmp_path / "ui.ini"))
    pane = ReportsPane(ctx)
    qtbot.addWidget(pane)
    with qtbot.waitSignal(pane.preview.preview_rendered, timeout=10_000):
        pane.show()
    dialog = pane.open_goals()
    assert dialog.isVisible()
    choose(dialog.metric_combo, "mention_volume")
    dialog.target.setText("100")
    with qtbot.waitSignal(pane.preview.preview_rendered, timeout=10_000):
        dialog.save_button.click()
    figures = pane.preview.cached_figures(pane.editor.request())
    assert figures is not None and [g.metric for g in figures.goals] == ["mention_volume"]


def test_the_query_box_is_only_for_metrics_counted_per_query(
    qtbot, dialog: GoalsDialog, workspace: Workspace
) -> None:  # noqa: ANN001
    acme = Query.get(Query.name == "Acme").id
    choose(dialog.metric_combo, "mention_volume")
    choose(dialog.query_combo, acme)
    assert dialog.query_combo.isEnabled()
    choose(dialog.metric_combo, "median_first_response_minutes")
    assert not dialog.query_combo.isEnabled()
    assert dialog.query_combo.currentData() is None
    assert "all queries" in dialog.query_combo.toolTip()
    dialog.target.setText("45")
    saved_goal(qtbot, dialog)
    [goal] = report_service.goals(workspace)
    assert (goal.metric, goal.query_id) == ("median_first_response_minutes", None)
