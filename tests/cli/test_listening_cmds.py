"""``cmdesk sources|queries|fetch|mentions`` end to end against a loopback feed."""

from __future__ import annotations

import csv
import io
import json

import pytest
from listening.server import LoopbackServer, Reply

from cmdesk.cli.main import main

RSS = (
    b'<rss version="2.0"><channel><title>Blog</title>'
    b"<item><title>Acme rocks</title><guid>1</guid><link>http://b.example/1</link>"
    b"<pubDate>Wed, 18 Nov 2026 10:00:00 GMT</pubDate></item>"
    b"<item><title>Acme jobs</title><guid>2</guid><link>http://b.example/2</link></item>"
    b"<item><title>Other</title><guid>3</guid></item></channel></rss>"
)
PAGE = (
    b'<html><head><link rel="alternate" type="application/rss+xml" title="Blog" href="/a.xml">'
    b'<link rel="alternate" type="application/atom+xml" title="Comments" href="/c.xml">'
    b"</head></html>"
)


@pytest.fixture
def server():
    with LoopbackServer() as srv:
        srv.route("/feed.xml", Reply(200, RSS, {"Content-Type": "application/rss+xml"}))
        srv.route("/page", Reply(200, PAGE, {"Content-Type": "text/html"}))
        yield srv


def run(capsys, db, *args: str) -> tuple[int, str, str]:
    code = main(["--db", str(db), "-q", *args])
    out, err = capsys.readouterr()
    return code, out, err


def test_the_listening_commands(tmp_path, capsys, server) -> None:
    db = tmp_path / "w.cmdesk"
    code, out, _ = run(capsys, db, "sources", "add", server.url("/feed.xml"), "--folder", "News")
    assert code == 0 and "added source #1 'Blog'" in out
    code, _, err = run(capsys, db, "sources", "add", server.url("/feed.xml"))
    assert code == 1 and "already there" in err and "Traceback" not in err
    code, out, err = run(capsys, db, "sources", "add", server.url("/page"))
    assert code == 1 and "links to 2 feeds" in err and "/c.xml" in out
    code, _, err = run(capsys, db, "queries", "add", "brand", "acme -jobs (")
    assert code == 1 and "at position 12" in err
    assert run(capsys, db, "queries", "add", "brand", "acme -jobs", "--lang", "en")[0] == 0
    assert run(capsys, db, "queries", "add", "all", "acme")[0] == 0
    code, out, _ = run(capsys, db, "fetch")
    assert code == 0 and "fetched 1, unchanged 0, failed 0, new mentions 2" in out
    seen = len(server.requests_to("/feed.xml"))
    code, out, _ = run(capsys, db, "fetch")  # nothing due any more
    assert "fetched 0" in out and len(server.requests_to("/feed.xml")) == seen
    code, out, _ = run(capsys, db, "sources", "list")
    assert "ok" in out and "News/Blog" in out and "items 3" in out
    code, out, _ = run(capsys, db, "queries", "list")
    assert "acme -jobs" in out and "[lang=en]" in out
    code, out, _ = run(capsys, db, "mentions", "export", "--format", "csv")
    rows = list(csv.DictReader(io.StringIO(out)))
    assert [r["title"] for r in rows] == ["Acme rocks", "Acme jobs"] and rows[0]["queries"] == "all"
    out_file = tmp_path / "m.jsonl"
    code, out, _ = run(capsys, db, "mentions", "export", "--format", "jsonl", "--since",
                       "2026-11-19", "--out", str(out_file))  # fmt: skip
    records = [json.loads(line) for line in out_file.read_text().splitlines()]
    assert code == 0 and "exported" in out and all(r["title"] != "Acme rocks" for r in records)
    assert run(capsys, db, "sources", "pause", "1")[0] == 0
    assert run(capsys, db, "sources", "resume", "1")[0] == 0
    code, out, _ = run(capsys, db, "fetch", "--source", "1")
    assert "fetched 1" in out and "new mentions 0" in out
    code, _, err = run(capsys, db, "fetch", "--source", "9")
    assert code == 1 and "no source #9" in err
    assert run(capsys, db, "queries", "remove", "brand")[0] == 0
    code, out, _ = run(capsys, db, "sources", "remove", "1")
    assert code == 0 and "its 2 mentions" in out


def test_sources_auto_fetch_switches_background_fetching(tmp_path, capsys) -> None:
    db = tmp_path / "w.cmdesk"
    code, out, _ = run(capsys, db, "sources", "auto-fetch")
    assert code == 0 and "background fetching is on" in out
    code, out, _ = run(capsys, db, "sources", "auto-fetch", "off")
    assert code == 0 and "background fetching is off" in out
    assert "is off" in run(capsys, db, "sources", "auto-fetch")[1]
    assert "is on" in run(capsys, db, "sources", "auto-fetch", "on")[1]
    with pytest.raises(SystemExit):
        run(capsys, db, "sources", "auto-fetch", "maybe")
    assert "invalid choice" in capsys.readouterr().err
