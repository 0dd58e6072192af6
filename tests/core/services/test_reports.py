"""Report goals, templates and saved reports (with their suggestions)."""

from __future__ import annotations

from datetime import date

import pytest

from cmdesk.core.db import Workspace
from cmdesk.core.services import reports
from cmdesk.reports.sections import SECTIONS, ReportConfig


def test_set_goal_replaces_the_target_of_the_same_metric_and_period(workspace: Workspace) -> None:
    assert reports.set_goal(workspace, "mention_volume", "week", 100).reports
    reports.set_goal(workspace, "mention_volume", "week", 120)
    reports.set_goal(workspace, "mention_volume", "month", 400)
    goals = reports.goals(workspace)
    assert [(g.metric, g.period, g.target) for g in goals] == [
        ("mention_volume", "month", 400),
        ("mention_volume", "week", 120),
    ]
    assert reports.remove_goal(workspace, goals[0].id).reports
    assert len(reports.goals(workspace)) == 1


@pytest.mark.parametrize(
    ("metric", "period", "target", "message"),
    [
        ("likes", "week", 1, "Unknown metric"),
        ("mention_volume", "year", 1, "Unknown period"),
        ("mention_volume", "week", -1, "zero or more"),
        ("positive_share", "week", 60, "fraction"),
    ],
)
def test_bad_goals_are_refused(workspace: Workspace, metric, period, target, message) -> None:  # type: ignore[no-untyped-def]
    with pytest.raises(reports.ReportError, match=message):
        reports.set_goal(workspace, metric, period, target)


def test_templates_round_trip_their_config(workspace: Workspace) -> None:
    config = ReportConfig().toggled("alerts", False).moved("suggestions", -20)
    reports.save_template(workspace, "Weekly", config.to_json())
    template = reports.template_by_name(workspace, "Weekly")
    assert template is not None
    again = ReportConfig.from_json(template.config)
    assert again == config and again.enabled[0] == "suggestions" and "alerts" not in again.enabled
    reports.rename_template(workspace, template.id, "Weekly for the board")
    assert [t.name for t in reports.templates(workspace)] == ["Weekly for the board"]
    with pytest.raises(reports.ReportError):
        reports.save_template(workspace, "  ", {})


def test_older_template_configs_are_read(workspace: Workspace) -> None:
    config = ReportConfig.from_json(
        {"period": "month", "sections": ["summary", "top_sources", "response_times"]}
    )
    assert config.period_kind == "last_month"
    assert config.enabled == ["summary", "sources", "responsiveness"]
    assert len(config.sections) == len(SECTIONS)


def test_saved_reports_keep_their_suggestions(workspace: Workspace) -> None:
    report_id, changes = reports.save_report(
        workspace, title="Weekly", period_from=date(2026, 11, 9), period_to=date(2026, 11, 15),
        suggestions="More office hours.",
    )  # fmt: skip
    assert changes.reports
    reports.save_report(
        workspace, title="Weekly", period_from=date(2026, 11, 9), period_to=date(2026, 11, 15),
        suggestions="More office hours.\n\nA forum moderator.", report_id=report_id,
    )  # fmt: skip
    saved = reports.latest_report_for(workspace, date(2026, 11, 9), date(2026, 11, 15))
    assert saved is not None and saved.id == report_id
    assert saved.suggestions.endswith("A forum moderator.")
    with pytest.raises(reports.ReportError):
        reports.save_report(workspace, title="x", period_from=date(2026, 11, 9),
                            period_to=date(2026, 11, 1), suggestions="")  # fmt: skip


def test_one_report_per_period_marked_exported_only_by_an_export(workspace: Workspace) -> None:
    week = (date(2026, 11, 9), date(2026, 11, 15))
    first_id, _ = reports.save_period_report(workspace, *week, "Draft", None, "Weekly")
    assert reports.produced_report_for(workspace, *week) is None
    same_id, _ = reports.save_period_report(
        workspace, *week, "Final", None, "Weekly", exported=True
    )
    assert same_id == first_id
    produced = reports.produced_report_for(workspace, *week)
    assert produced is not None and produced.exported_at == workspace.clock.now()
    reports.save_period_report(workspace, *week, "Final, edited", None, "Weekly")  # autosave
    again = reports.produced_report_for(workspace, *week)
    assert again is not None and again.exported_at == produced.exported_at
    assert again.suggestions == "Final, edited"
    assert [r.id for r in reports.saved_reports(workspace)] == [first_id]


def test_only_volume_and_positive_share_take_a_goal_for_one_query(workspace: Workspace) -> None:
    from cmdesk.core.models import Query

    acme = Query.create(name="Acme", kind="brand", expression="acme", created_at=0)
    reports.set_goal(workspace, "mention_volume", "week", 100, acme.id)
    reports.set_goal(workspace, "positive_share", "week", 0.6, acme.id)
    for metric in ("median_first_response_minutes", "new_advocates", "items_published"):
        with pytest.raises(reports.ReportError, match="measured over all queries"):
            reports.set_goal(workspace, metric, "week", 5, acme.id)
    assert {g.metric for g in reports.goals(workspace)} == {"mention_volume", "positive_share"}
