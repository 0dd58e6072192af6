"""Sources: CRUD, pause/resume, due list, health and the backoff policy."""

from __future__ import annotations

import random

import pytest

from cmdesk.core.services import sources
from cmdesk.core.services.sources import FetchOutcome, SourceError

NOW = 1_795_168_800


def add(ws, url="http://a.example/feed", **kw) -> int:
    return ws.write(sources.add_source, ws, url, **kw).result().id


def test_add_list_update_remove(workspace) -> None:
    ws = workspace
    sid = add(ws, folder="News", name="A blog")
    row = sources.get_source(ws, sid)
    assert (row.name, row.folder, row.state, row.next_fetch_at) == ("A blog", "News", "new", NOW)
    with pytest.raises(SourceError, match="already there"):
        add(ws)
    with pytest.raises(SourceError, match="not a web address"):
        add(ws, "file:///etc/passwd")
    with pytest.raises(SourceError, match="Unknown source kind"):
        add(ws, "http://b.example", kind="myspace")
    ws.write(sources.update_source, ws, sid, name="Renamed", url="http://a.example/new").result()
    assert sources.get_source(ws, sid).url == "http://a.example/new"
    with pytest.raises(SourceError, match="cannot be changed"):
        ws.write(sources.update_source, ws, sid, etag="x").result()
    assert [r.name for r in sources.list_sources(ws)] == ["Renamed"]
    assert ws.write(sources.remove_source, ws, sid).result().mentions
    assert sources.list_sources(ws) == []


def test_pause_resume_and_due(workspace) -> None:
    ws = workspace
    a, b = add(ws), add(ws, "http://b.example/feed")
    ws.write(sources.pause_source, ws, a).result()
    assert sources.get_source(ws, a).state == "paused"
    assert sources.due_source_ids(ws) == [b]
    outcome = FetchOutcome(b, False, NOW, NOW + 60, error="x", disabled_reason="410 Gone")
    ws.write(sources.record_outcome, ws, outcome).result()
    assert sources.get_source(ws, b).state == "disabled"
    assert sources.due_source_ids(ws, NOW + 3600) == []
    ws.write(sources.resume_source, ws, a).result()
    ws.write(sources.resume_source, ws, b).result()
    assert sources.due_source_ids(ws) == [a, b]
    assert sources.get_source(ws, b).consecutive_failures == 0


def test_health_success_moves_url_and_merges_state(workspace) -> None:
    ws = workspace
    sid = add(ws, config={"tag": "acme"})
    ok = FetchOutcome(
        sid, True, NOW, NOW + 900, items_seen=5, etag='"e"', new_url="http://moved.example/f",
        state={"cursor": "c1"},
    )  # fmt: skip
    ws.write(sources.record_outcome, ws, ok).result()
    row = sources.get_source(ws, sid)
    assert (row.url, row.etag, row.items_seen, row.last_success_at) == (
        "http://moved.example/f", '"e"', 5, NOW,
    )  # fmt: skip
    assert row.config == {"tag": "acme", "cursor": "c1"}


def test_backoff_doubles_with_jitter_up_to_a_day() -> None:
    rng = random.Random(3)
    delays = [sources.plan_after_failure(15, n, 0, rng=rng) for n in range(1, 12)]
    assert 0.85 * 900 <= delays[0] <= 1.15 * 900
    assert 0.85 * 1800 <= delays[1] <= 1.15 * 1800
    assert max(delays) <= 24 * 3600 and delays[-1] >= 0.85 * 24 * 3600
    assert sources.plan_after_failure(15, 3, 0, retry_after=120) == 120
    assert sources.plan_after_failure(15, 1, 0, retry_after=1) == 60  # never hammer
