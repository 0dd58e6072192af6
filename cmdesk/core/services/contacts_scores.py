"""The stored keep-in-touch due time and influence score of contacts: kept fresh, backfilled.

Imports no Qt. Schema 3 stores two derived columns on ``contact`` so the Due filter, the due
count and the influence sort walk an index instead of computing a formula for every contact:

- ``due_at``: when keeping in touch is next due (:mod:`~cmdesk.core.services.keep_in_touch`
  has the formula); NULL for a contact without a cadence.
- ``influence``: the score of :mod:`~cmdesk.core.services.contacts_influence`; 0.0 for a contact
  with neither reach nor mentions. Once computed it is never NULL: NULL means "not computed yet".

**Kept up to date on write.** Every contacts service that changes an input refreshes them in the
same transaction: :func:`refresh_contact_scores` after a contact is created, edited, merged or
imported or an author is linked to it; ``keep_in_touch.refresh_due`` after a cadence, a list
membership, a list's cadence, a snooze or an interaction changes. The listening side calls
:func:`refresh_scores_of_mentions` from ``analysis.pipeline.after_ingest`` with the mentions it
just stored, which refreshes the contacts whose authors wrote them.

**Backfilled lazily, not at workspace open.** The migration only adds the columns (NULL for every
existing contact). Computing them while opening the workspace would make every open pay for a
pass over all mentions (seconds at a million) — the inbox, the calendar and every CLI command that
never looks at contacts included — and a migration step stays plain SQL in one transaction. So
the first reader that needs them does it: the contacts pane when it is built and
``cmdesk contacts list`` ask :func:`scores_need_refresh` (one probe of the ``contact_influence``
index and one setting read) and, when it says so, run :func:`refresh_all_scores` (the app reads
the scores in a worker thread with :func:`compute_all_influence` and stores them on the writer
with :func:`store_all_scores`). Contacts inserted by code that bypasses these services (the
bundled sample and the demo loaders) have a NULL influence too and are caught the same way.

**The influence window slides.** Mentions older than 90 days stop counting without any write, so
the full pass is also redone when the last one is more than :data:`STALE_AFTER` old (the time is
the workspace setting ``contacts.scores_refreshed_at``).

Limits: between two full passes a score can lag by up to a day for a contact whose mentions
aged out of the window, or whose mentions were deleted (nothing refreshes it on delete); a full
pass stored after being computed in a worker may briefly overwrite a fresher score written in
between, until that contact's next write or the next pass.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping

from cmdesk.core.changes import Changes
from cmdesk.core.db import Workspace
from cmdesk.core.services import keep_in_touch as kit
from cmdesk.core.services.contacts_influence import influence_scores
from cmdesk.core.services.workspace import get_setting, set_setting

DAY = 86_400
STALE_AFTER = DAY
CHUNK = 500
REFRESHED_SETTING = "contacts.scores_refreshed_at"


def refresh_contact_scores(ws: Workspace, contact_ids: Iterable[int]) -> int:
    """Recompute the stored due time and influence of these contacts; returns how many changed.

    Indexed reads per contact (their handles, authors and recent mentions): a few milliseconds
    for a handful, well under a second for the 10,000 contacts of a big import. Run it in the
    transaction of the write that changed their inputs.
    """
    ids = list(dict.fromkeys(contact_ids))
    if not ids:
        return 0
    kit.refresh_due(ws, ids)
    return _store_influence(ws, influence_scores(ws, ids))


def contacts_of_mentions(ws: Workspace, mention_ids: Iterable[int]) -> list[int]:
    """The contacts whose linked authors wrote these mentions."""
    ids = list(mention_ids)
    found: set[int] = set()
    for start in range(0, len(ids), CHUNK):
        chunk = ids[start : start + CHUNK]
        found.update(
            row[0]
            for row in ws.db.execute_sql(
                "SELECT DISTINCT a.contact_id FROM mention m JOIN author a ON a.id = m.author_id "
                f"WHERE m.id IN ({','.join('?' * len(chunk))}) AND a.contact_id IS NOT NULL",
                chunk,
            )
        )
    return sorted(found)


def refresh_scores_of_mentions(ws: Workspace, mention_ids: Iterable[int]) -> Changes:
    """After ingest: refresh the influence of the contacts who wrote these new mentions."""
    changed = refresh_contact_scores(ws, contacts_of_mentions(ws, mention_ids))
    return Changes(contacts=changed > 0)


def scores_need_refresh(ws: Workspace) -> bool:
    """True when some contact was never scored (NULL influence) or the last full pass is stale."""
    missing = ws.db.execute_sql("SELECT 1 FROM contact WHERE influence IS NULL LIMIT 1")
    if missing.fetchone() is not None:
        return True
    refreshed = get_setting(ws, REFRESHED_SETTING)
    has_contacts = ws.db.execute_sql("SELECT 1 FROM contact LIMIT 1").fetchone() is not None
    return has_contacts and (
        not isinstance(refreshed, int) or ws.clock.now() - refreshed >= STALE_AFTER
    )


def refresh_all_due(ws: Workspace) -> Changes:
    """Store every contact's due time (one statement; rows already right are not written)."""
    kit.refresh_due(ws, None)
    return Changes(contacts=True)


def compute_all_influence(ws: Workspace) -> dict[int, float]:
    """Every contact's influence (read-only: run it in a worker thread, then store it)."""
    return influence_scores(ws)


def store_all_scores(ws: Workspace, influence: Mapping[int, float]) -> Changes:
    """Store every contact's due time and ``influence`` (contacts left out score 0.0).

    Only rows whose values differ are written, so a daily pass over a quiet workspace writes
    little. Run on the writer.
    """
    kit.refresh_due(ws, None)
    current = ws.db.execute_sql("SELECT id, influence FROM contact").fetchall()
    updates = []
    for cid, old in current:
        score = float(influence.get(cid, 0.0))
        if old != score:  # None (never computed) differs from every score
            updates.append((score, cid))
    if updates:
        ws.db.cursor().executemany("UPDATE contact SET influence = ? WHERE id = ?", updates)
    set_setting(ws, REFRESHED_SETTING, ws.clock.now())
    return Changes(contacts=True)


def refresh_all_scores(ws: Workspace) -> Changes:
    """Recompute and store every contact's due time and influence (on the writer)."""
    return store_all_scores(ws, compute_all_influence(ws))


def _store_influence(ws: Workspace, scores: Mapping[int, float]) -> int:
    changed = 0
    for cid, score in scores.items():
        cursor = ws.db.execute_sql(
            "UPDATE contact SET influence = ? WHERE id = ? AND influence IS NOT ?",
            [score, cid, score],
        )
        changed += cursor.rowcount
    return changed
