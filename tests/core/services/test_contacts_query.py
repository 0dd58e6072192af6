"""The contact list's Due filter sorted by name: right order, from the contact_name_due index."""

from __future__ import annotations

import random

from cmdesk.core.db import Workspace
from cmdesk.core.services import contacts_query as q
from cmdesk.core.services import keep_in_touch as kit

DAY = 86400


def test_due_filter_by_name_walks_the_name_due_index(workspace: Workspace) -> None:
    ws = workspace
    now = ws.clock.now()
    rng = random.Random(5)
    expected = []
    for _ in range(60):
        name = rng.choice(["Ada", "ada", "Grace", "Émile", "Zoe", "Linus"])
        due = rng.choice([None, now - 3 * DAY, now, now + DAY])
        stage = rng.choice(["aware", "advocate"])
        cid = ws.db.execute_sql(
            "INSERT INTO contact(display_name, stage, due_at, created_at, updated_at) "
            "VALUES (?, ?, ?, 0, 0)",
            [name, stage, due],
        ).lastrowid
        if due is not None and due <= now:
            expected.append((name, cid, stage))
    expected.sort()
    for descending in (False, True):
        filt = q.ContactFilter(due_only=True, descending=descending)
        ids = [cid for _, cid, _ in (expected[::-1] if descending else expected)]
        assert list(q.snapshot_ids(ws, filt)) == ids
        assert q.count(ws, filt) == len(ids)
    advocates = q.ContactFilter(due_only=True, stage="advocate")
    assert list(q.snapshot_ids(ws, advocates)) == [c for _, c, s in expected if s == "advocate"]
    condition, params = kit.due_column_condition(now)
    plan = ws.db.execute_sql(
        f"EXPLAIN QUERY PLAN SELECT c.id FROM contact c WHERE {condition} "
        "ORDER BY c.display_name, c.id",
        params,
    ).fetchall()
    assert [row[3] for row in plan] == ["SCAN c USING COVERING INDEX contact_name_due"]
