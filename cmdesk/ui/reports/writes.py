"""The Reports pane's writes: small compositions of report service calls, run on the writer.

Imports no Qt. Each runs in one transaction on the workspace's single writer, so "update the
period's report or create it" cannot create two reports when two saves race.
"""

from __future__ import annotations

from cmdesk.core.changes import Changes
from cmdesk.core.db import Workspace
from cmdesk.core.services import reports as report_service


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
