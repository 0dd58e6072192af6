"""Report goals, templates and saved reports: what the Reports pane and ``cmdesk report`` call.

Imports no Qt. A goal is a target for one metric per week, month or quarter (optionally for one
query, for mention volume and positive share only); targets are a count, a share from 0 to 1
(positive share, shown as a percentage), or minutes (median first response). A template is a name
and a JSON config (sections in order with on/off, period kind, query and source ids); unknown keys
in a config are kept, so older versions can read newer templates. A saved report is a period, its
template and the suggestions the user wrote for it (one per period through
:func:`save_period_report`); it counts as *produced* only once its PDF was exported
(``exported_at``), not merely because suggestions were typed. Every write returns the
:class:`Changes` it made.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date
from typing import Any

from cmdesk.core.changes import Changes
from cmdesk.core.db import Workspace
from cmdesk.core.models import GOAL_METRICS, Report, ReportGoal, ReportTemplate

GOAL_PERIODS = ("week", "month", "quarter")
GOAL_TITLES = {
    "mention_volume": "Mention volume",
    "positive_share": "Share of positive mentions",
    "median_first_response_minutes": "Median first response",
    "new_advocates": "New advocates",
    "items_published": "Items published",
}
GOAL_UNITS = {
    "mention_volume": "mentions",
    "positive_share": "",
    "median_first_response_minutes": "minutes",
    "new_advocates": "advocates",
    "items_published": "items",
}
LOWER_IS_BETTER = frozenset({"median_first_response_minutes"})
# Metrics a goal can be set for one query: volume and sentiment are counted per query. Response
# times, new advocates and published items are not (a reply, a contributor or a calendar item
# belongs to no query), so their goals are overall only.
QUERY_GOAL_METRICS = frozenset({"mention_volume", "positive_share"})
WEEKLY_REMINDER_KEY = "report_weekly_reminder"


class ReportError(ValueError):
    """A goal, template or report cannot be saved; the message is one plain sentence."""


@dataclass(frozen=True)
class Goal:
    id: int
    metric: str
    period: str
    target: float
    query_id: int | None
    query_name: str | None

    @property
    def title(self) -> str:
        return GOAL_TITLES.get(self.metric, self.metric)


@dataclass(frozen=True)
class Template:
    id: int
    name: str
    config: dict[str, Any]
    created_at: int


@dataclass(frozen=True)
class SavedReport:
    id: int
    template_id: int | None
    title: str
    period_from: date
    period_to: date
    suggestions: str
    created_at: int
    exported_at: int | None = None  # the last PDF export (pane or CLI); None: never produced


# -- goals -----------------------------------------------------------------------------------


def goals(ws: Workspace) -> list[Goal]:
    rows = ws.db.execute_sql(
        "SELECT g.id, g.metric, g.period, g.target, g.query_id, q.name FROM report_goal g "
        "LEFT JOIN query q ON q.id = g.query_id ORDER BY g.period, g.metric, q.name, g.id"
    ).fetchall()
    return [Goal(*row) for row in rows]


def set_goal(
    ws: Workspace, metric: str, period: str, target: float, query_id: int | None = None
) -> Changes:
    """Set the target of ``metric`` per ``period`` (for ``query_id``, or overall)."""
    _check_goal(metric, period, target)
    if query_id is not None and metric not in QUERY_GOAL_METRICS:
        allowed = " and ".join(
            GOAL_TITLES[m].lower() for m in GOAL_METRICS if m in QUERY_GOAL_METRICS
        )
        raise ReportError(
            f"{GOAL_TITLES[metric]} is measured over all queries: only {allowed} "
            "can have a goal for one query."
        )
    existing = ReportGoal.get_or_none(
        (ReportGoal.metric == metric)
        & (ReportGoal.period == period)
        & (
            ReportGoal.query.is_null() if query_id is None else ReportGoal.query == query_id  # type: ignore[comparison-overlap]
        )
    )
    if existing is None:
        ReportGoal.create(metric=metric, period=period, target=float(target), query=query_id)
    else:
        existing.target = float(target)
        existing.save()
    return Changes(reports=True)


def remove_goal(ws: Workspace, goal_id: int) -> Changes:
    deleted = ReportGoal.delete().where(ReportGoal.id == goal_id).execute()
    return Changes(reports=bool(deleted))


def _check_goal(metric: str, period: str, target: float) -> None:
    if metric not in GOAL_METRICS:
        raise ReportError(f"Unknown metric {metric!r} (one of: {', '.join(GOAL_METRICS)}).")
    if period not in GOAL_PERIODS:
        raise ReportError(f"Unknown period {period!r} (one of: {', '.join(GOAL_PERIODS)}).")
    if not target >= 0:  # also refuses NaN
        raise ReportError("A target must be zero or more.")
    if metric == "positive_share" and target > 1:
        raise ReportError("A share of positive mentions is a fraction from 0 to 1 (0.6 for 60%).")


# -- templates -------------------------------------------------------------------------------


def templates(ws: Workspace) -> list[Template]:
    rows = ReportTemplate.select().order_by(ReportTemplate.name)
    return [Template(row.id, row.name, dict(row.config or {}), row.created_at) for row in rows]


def template_by_name(ws: Workspace, name: str) -> Template | None:
    row = ReportTemplate.get_or_none(ReportTemplate.name == name.strip())
    if row is None:
        return None
    return Template(row.id, row.name, dict(row.config or {}), row.created_at)


def save_template(ws: Workspace, name: str, config: dict[str, Any]) -> Changes:
    """Create the template called ``name``, or replace its config."""
    name = name.strip()
    if not name:
        raise ReportError("A template needs a name.")
    row = ReportTemplate.get_or_none(ReportTemplate.name == name)
    if row is None:
        ReportTemplate.create(name=name, config=config, created_at=ws.clock.now())
    else:
        row.config = config
        row.save()
    return Changes(reports=True)


def rename_template(ws: Workspace, template_id: int, name: str) -> Changes:
    name = name.strip()
    if not name:
        raise ReportError("A template needs a name.")
    clash = ReportTemplate.get_or_none(ReportTemplate.name == name)
    if clash is not None and clash.id != template_id:
        raise ReportError(f"There is already a template called {name!r}.")
    ReportTemplate.update(name=name).where(ReportTemplate.id == template_id).execute()
    return Changes(reports=True)


def delete_template(ws: Workspace, template_id: int) -> Changes:
    deleted = ReportTemplate.delete().where(ReportTemplate.id == template_id).execute()
    return Changes(reports=bool(deleted))


# -- saved reports ---------------------------------------------------------------------------


def save_report(
    ws: Workspace,
    *,
    title: str,
    period_from: date,
    period_to: date,
    suggestions: str,
    template_id: int | None = None,
    report_id: int | None = None,
) -> tuple[int, Changes]:
    """Save a report's period and suggestions (a new one, or ``report_id`` updated)."""
    if period_to < period_from:
        raise ReportError("The period ends before it starts.")
    values = {
        "title": title.strip(),
        "period_from": period_from,
        "period_to": period_to,
        "suggestions": suggestions,
        "template": template_id,
    }
    if report_id is not None and Report.get_or_none(Report.id == report_id) is not None:
        Report.update(**values).where(Report.id == report_id).execute()
        return report_id, Changes(reports=True)
    row = Report.create(created_at=ws.clock.now(), **values)
    return row.id, Changes(reports=True)


def save_period_report(
    ws: Workspace,
    period_from: date,
    period_to: date,
    suggestions: str,
    template_id: int | None,
    title: str,
    *,
    exported: bool = False,
) -> tuple[int, Changes]:
    """Save the report for this period (one per period: the newest is updated, else created).

    ``exported`` records that its PDF was just written (the report is produced); saving without
    it (suggestions autosaved as the user types) keeps an earlier export time as it was. Run it
    in one transaction (the writer) so two racing saves cannot create two reports.
    """
    existing = latest_report_for(ws, period_from, period_to)
    if (
        template_id is not None
        and ReportTemplate.get_or_none(ReportTemplate.id == template_id) is None
    ):
        template_id = None  # deleted meanwhile
    report_id, changes = save_report(
        ws,
        title=title,
        period_from=period_from,
        period_to=period_to,
        suggestions=suggestions,
        template_id=template_id,
        report_id=existing.id if existing is not None else None,
    )
    if exported:
        Report.update(exported_at=ws.clock.now()).where(Report.id == report_id).execute()
    return report_id, changes


def produced_report_for(ws: Workspace, period_from: date, period_to: date) -> SavedReport | None:
    """The newest report over exactly this period whose PDF was exported, if any."""
    row = (
        Report.select()
        .where(
            (Report.period_from == period_from)
            & (Report.period_to == period_to)
            & Report.exported_at.is_null(False)
        )
        .order_by(Report.exported_at.desc(), Report.id.desc())
        .first()
    )
    return _saved(row) if row is not None else None


def saved_reports(ws: Workspace, limit: int = 200) -> list[SavedReport]:
    rows = Report.select().order_by(Report.created_at.desc(), Report.id.desc()).limit(limit)
    return [_saved(row) for row in rows]


def saved_report(ws: Workspace, report_id: int) -> SavedReport | None:
    row = Report.get_or_none(Report.id == report_id)
    return _saved(row) if row is not None else None


def latest_report_for(ws: Workspace, period_from: date, period_to: date) -> SavedReport | None:
    """The newest saved report over exactly this period (its suggestions are reused)."""
    row = (
        Report.select()
        .where((Report.period_from == period_from) & (Report.period_to == period_to))
        .order_by(Report.created_at.desc(), Report.id.desc())
        .first()
    )
    return _saved(row) if row is not None else None


def delete_report(ws: Workspace, report_id: int) -> Changes:
    deleted = Report.delete().where(Report.id == report_id).execute()
    return Changes(reports=bool(deleted))


def _saved(row: Report) -> SavedReport:
    return SavedReport(
        row.id,
        row.template_id,
        row.title,
        _as_date(row.period_from),
        _as_date(row.period_to),
        row.suggestions or "",
        row.created_at,
        row.exported_at,
    )


def _as_date(value: Any) -> date:
    return value if isinstance(value, date) else date.fromisoformat(str(value))
