"""The Reports pane's writes: small compositions of report service calls, run on the writer.

Imports no Qt. Each runs in one transaction on the workspace's single writer, so "update the
period's report or create it" cannot create two reports when two saves race.
"""

from __future__ import annotations

from datetime import date

from cmdesk.core.changes import Changes
from cmdesk.core.db import Workspace
from cmdesk.core.services import reports as report_service


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
    """Save the suggestions (and template) with the report for this period: one per period.

    ``exported`` when its PDF was just written: only that marks the report produced.
    """
    return report_service.save_period_report(
        ws, period_from, period_to, suggestions, template_id, title, exported=exported
    )


def save_exported_report(
    ws: Workspace,
    period_from: date,
    period_to: date,
    suggestions: str,
    template_id: int | None,
    title: str,
) -> tuple[int, Changes]:
    """After a PDF export: save the period's report and mark it produced (for the reminder)."""
    return save_period_report(
        ws, period_from, period_to, suggestions, template_id, title, exported=True
    )


def replace_goal(
    ws: Workspace,
    goal_id: int | None,
    metric: str,
    period: str,
    target: float,
    query_id: int | None,
) -> Changes:
    """Set a goal; when editing ``goal_id`` into another metric, period or query, move it."""
    changes = report_service.set_goal(ws, metric, period, target, query_id)
    old = next((g for g in report_service.goals(ws) if g.id == goal_id), None)
    if old is not None and (old.metric, old.period, old.query_id) != (metric, period, query_id):
        changes |= report_service.remove_goal(ws, old.id)
    return changes
