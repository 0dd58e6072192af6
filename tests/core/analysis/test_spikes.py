from __future__ import annotations

from inbox_data import NOW, add_mention, add_query, add_source

from cmdesk.core.analysis import spikes
from cmdesk.core.analysis.pipeline import after_ingest


def fill(ws, source, query, hours_ago, count, sentiment="neutral"):
    ids = []
    for n in range(count):
        ids.append(
            add_mention(
                ws,
                source,
                f"m{hours_ago}-{n}-{sentiment}",
                "acme",
                published_at=NOW - hours_ago * 3600 - 60 - n,
                sentiment_label=sentiment,
                query_ids=[query],
            )
        )
    return ids


def test_a_burst_far_above_the_baseline_raises_one_alert(workspace):
    ws = workspace
    source = add_source(ws)
    acme = add_query(ws, "Acme")
    quiet = add_query(ws, "Quiet")
    for hours_ago in range(1, 25):
        fill(ws, source, acme, hours_ago, 2)
    burst = fill(ws, source, acme, 0, 25)
    fill(ws, source, quiet, 0, 3)  # three mentions: above a zero baseline but not a crisis
    found = spikes.detect_spikes(ws)
    assert [(s.query_id, s.kind, s.current) for s in found] == [(acme, "spike", 25)]
    assert found[0].baseline_mean == 2.0
    changes = after_ingest(ws, burst)
    assert changes.alerts
    assert ws.db.execute_sql("SELECT kind, query_id FROM alert").fetchall() == [("spike", acme)]
    after_ingest(ws, burst)  # the same hour again: no second alert
    assert ws.db.execute_sql("SELECT COUNT(*) FROM alert").fetchone()[0] == 1


def test_negative_spike_is_told_apart_from_volume(workspace):
    ws = workspace
    source = add_source(ws)
    acme = add_query(ws, "Acme")
    for hours_ago in range(1, 25):
        fill(ws, source, acme, hours_ago, 6)
    fill(ws, source, acme, 0, 4)
    burst = fill(ws, source, acme, 0, 8, sentiment="negative")  # 12 total: not 3x of 6
    after_ingest(ws, burst)
    rows = ws.db.execute_sql("SELECT kind, title FROM alert").fetchall()
    assert [r[0] for r in rows] == ["negative_spike"]
    assert "8 negative mentions in the last hour" in rows[0][1]


def test_steady_volume_raises_nothing():
    settings = spikes.SpikeSettings()
    assert not spikes.is_spike([10] * 24 + [14], 10, settings)[0]
    assert not spikes.is_spike([0] * 24 + [9], 10, settings)[0]
    assert spikes.is_spike([0] * 24 + [10], 10, settings)[0]
    noisy = [0, 40] * 12 + [60]  # mean 20, std 20: 60 is 3x but not above mean + 3 std
    assert not spikes.is_spike(noisy, 10, settings)[0]
