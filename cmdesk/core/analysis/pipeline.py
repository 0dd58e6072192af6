"""What happens to mentions right after ingest stores them: rules, then spike detection.

Imports no Qt. The listening engine calls :func:`after_ingest` on the workspace's writer after each
batch commit, with the ids it just stored. Nothing here can lose a mention: a failing rule is
skipped and recorded (see :mod:`cmdesk.core.analysis.rules`), and a failure of the spike detector
is logged and leaves the batch as stored.
"""

from __future__ import annotations

import logging

from cmdesk.core.analysis import rules, spikes
from cmdesk.core.changes import Changes
from cmdesk.core.db import Workspace
from cmdesk.core.services import contacts_scores

log = logging.getLogger(__name__)


def after_ingest(ws: Workspace, mention_ids: list[int]) -> Changes:
    """Run the inbox rules in order, then look for spikes in the queries these mentions matched.

    Call on the writer thread. Each step runs in its own savepoint (a transaction when none is
    open), so the caller's batch is never rolled back by it.
    """
    if not mention_ids:
        return Changes()
    changes = Changes(mentions=True)
    with ws.db.atomic():
        report = rules.run_rules(ws, mention_ids)
    changes |= report.changes
    try:
        with ws.db.atomic():
            alert_ids = spikes.raise_spike_alerts(ws, _queries_of(ws, mention_ids))
    except Exception:  # noqa: BLE001 - detection is advisory; the mentions are stored already
        log.exception("Spike detection failed after ingest")
        alert_ids = []
    if alert_ids or report.alert_ids:
        changes |= Changes(alerts=True)
    # Contacts: the stored influence (schema 3) of the contacts whose authors wrote these
    # mentions. Advisory like spikes: a failure is logged; the next full pass catches up.
    try:
        with ws.db.atomic():
            changes |= contacts_scores.refresh_scores_of_mentions(ws, mention_ids)
    except Exception:  # noqa: BLE001 - the mentions are stored already
        log.exception("Refreshing contact scores failed after ingest")
    return changes


def _queries_of(ws: Workspace, mention_ids: list[int]) -> list[int]:
    found: set[int] = set()
    for start in range(0, len(mention_ids), 500):
        chunk = mention_ids[start : start + 500]
        marks = ",".join("?" * len(chunk))
        found.update(
            row[0]
            for row in ws.db.execute_sql(
                f"SELECT DISTINCT query_id FROM mention_query WHERE mention_id IN ({marks})", chunk
            )
        )
    return sorted(found)
