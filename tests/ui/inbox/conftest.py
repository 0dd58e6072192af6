"""Fixtures of the inbox UI tests: a realistic filled workspace and a shown inbox pane."""

from __future__ import annotations

import pytest
from inbox_data import NOW, add_author, add_contact, add_mention, add_query, add_source

from cmdesk.ui.inbox.pane import InboxPane
from cmdesk.ui.pane import make_test_context


@pytest.fixture
def filled(workspace):
    ws = workspace
    hn = add_source(ws)
    reddit = add_source(ws, "r/selfhosted", "reddit")
    acme = add_query(ws, "Acme", 'acme OR "acme cloud"')
    contact = add_contact(ws, "Ada Lovelace", lists=("Influencers",))
    ada = add_author(ws, "ada", name="Ada L.", reach=50_000, contact_id=contact)
    bob = add_author(ws, "bob", name="Bob", reach=10)
    ws.db.execute_sql("INSERT INTO teammate(name, is_me) VALUES ('Sam', 1)")
    ids = [
        add_mention(
            ws,
            reddit if n % 2 else hn,
            f"Mention {n} about acme",
            f"text {n} " + ("refund please" if n % 7 == 0 else "all fine"),
            author_id=ada if n % 5 == 0 else bob,
            query_ids=[acme],
            sentiment_label=("negative" if n % 3 == 0 else "positive"),
            lang="fr" if n % 4 == 0 else "en",
            published_at=NOW - 60 * n,
        )
        for n in range(250)
    ]
    return ws, ids, {"acme": acme, "ada": ada, "contact": contact}


@pytest.fixture
def pane(qtbot, qt_loop, filled):
    ws = filled[0]
    ctx = make_test_context(ws)
    p = InboxPane(ctx)
    ctx.events.changed.connect(p.on_changes)  # what the main window does for every pane
    qtbot.addWidget(p)
    p.resize(1200, 800)
    p.show()
    qtbot.waitUntil(lambda: p.model.total == 250)
    yield p
    p.shutdown()
    ctx.tasks.cancel_all()
    qtbot.waitUntil(lambda: not ctx.tasks.running(), timeout=5000)
    ctx.tasks._threads.shutdown(wait=True)
