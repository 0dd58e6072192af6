"""``cmdesk calendar import/export/list`` end to end on a temp workspace."""

from __future__ import annotations

from pathlib import Path

import icalendar
import pytest

from cmdesk.cli.main import main

FIXTURES = Path(__file__).parent.parent / "fixtures" / "calendar"


def run(db: Path, *args: str) -> int:
    return main(["--db", str(db), "-q", "calendar", *args])


def test_import_list_export_and_reimport(tmp_path: Path, capsys: pytest.CaptureFixture) -> None:
    db = tmp_path / "w.cmdesk"
    assert run(db, "import", str(FIXTURES / "google.ics")) == 0
    assert "5 created" in capsys.readouterr().out
    assert run(db, "import", str(FIXTURES / "google.ics")) == 0
    assert "0 created, 0 updated, 5 already there" in capsys.readouterr().out
    assert run(db, "list", "--from", "2026-11-01", "--to", "2026-11-30") == 0
    rows = [line.split("\t") for line in capsys.readouterr().out.splitlines()]
    assert ["2026-11-25", "event", "scheduled", "Relay 2.0 release day", "", "", ""] in rows
    assert any(row[3] == "Community standup (moved)" and row[6] == "repeats" for row in rows)
    out = tmp_path / "out.ics"
    assert run(db, "export", str(out), "--from", "2026-12-01", "--to", "2026-12-31") == 0
    exported = icalendar.Calendar.from_ical(out.read_bytes())
    titles = sorted(str(c["SUMMARY"]) for c in exported.walk("VEVENT"))
    assert titles == [
        "Community standup",
        "Community standup (moved)",
        "DevConf Berlin",
        "Webinar: webhooks at scale",
    ]


def test_broken_file_reports_each_skipped_entry(
    tmp_path: Path, capsys: pytest.CaptureFixture
) -> None:
    assert run(tmp_path / "w.cmdesk", "import", str(FIXTURES / "broken.ics")) == 3
    captured = capsys.readouterr()
    assert "2 created" in captured.out
    assert "skipped line 11: the event has no start (DTSTART)" in captured.err


def test_user_errors_are_one_line(tmp_path: Path, capsys: pytest.CaptureFixture) -> None:
    db = tmp_path / "w.cmdesk"
    assert run(db, "import", str(FIXTURES / "not-a-calendar.ics")) == 1
    assert run(db, "import", str(tmp_path / "missing.ics")) == 1
    assert run(db, "list", "--from", "2026-13-01") == 1
    assert run(db, "list", "--type", "podcast") == 1
    err = capsys.readouterr().err
    assert "not an iCalendar file" in err and "no such file" in err and "not a date" in err
    assert "Traceback" not in err
