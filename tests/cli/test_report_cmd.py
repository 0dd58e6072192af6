"""``cmdesk report``: the PDF read as a reader would (pdftotext, pdffonts, pdftoppm), the CSV,
goals, and one-line errors."""

from __future__ import annotations

import csv
import shutil
import subprocess
from pathlib import Path

import pytest
import report_data

from cmdesk.cli.main import main
from cmdesk.core.db import open_workspace
from cmdesk.core.services import reports as report_service
from cmdesk.reports.sections import SECTIONS

needs_poppler = pytest.mark.skipif(shutil.which("pdftotext") is None, reason="poppler-utils")


@pytest.fixture
def db(tmp_path: Path, clock) -> Path:  # type: ignore[no-untyped-def]
    path = tmp_path / "ws.cmdesk"
    ws = open_workspace(path, clock=clock)
    report_data.build(ws)
    report_service.save_template(
        ws, "Weekly", {"sections": [[k, True] for k in SECTIONS], "title": "Acme weekly pulse"}
    )
    ws.close()
    return path


def run(db: Path, *args: str) -> int:
    return main(["-q", "--db", str(db), *args])


@needs_poppler
def test_pdf_has_every_section_and_its_figures(db: Path, tmp_path: Path, capsys) -> None:  # type: ignore[no-untyped-def]
    out, numbers = tmp_path / "r.pdf", tmp_path / "r.csv"
    notes = tmp_path / "notes.txt"
    notes.write_text("Hire a second moderator for the forum.", encoding="utf-8")
    assert run(db, "report", "--from", "2026-11-09", "--to", "2026-11-15", "--template", "Weekly",
               "--out", str(out), "--csv", str(numbers),
               "--suggestions", str(notes)) == 0  # fmt: skip
    text = subprocess.run(["pdftotext", "-layout", str(out), "-"], capture_output=True,
                          text=True, check=True).stdout  # fmt: skip
    for title in SECTIONS.values():
        assert title in text
    for figure in ("9–15 November 2026", "Compared with 2–8 November 2026", "60.0%", "30 min",
                   "Alice Martin", "r/acme", "Launch post", "MISSED ✗", "MET ✓", "66.7%",
                   "Hire a second moderator", "Crisis", "Page 2 of"):  # fmt: skip
        assert figure in text, figure
    fonts = subprocess.run(["pdffonts", str(out)], capture_output=True, text=True).stdout
    assert "DejaVuSans" in fonts and " no " not in fonts.splitlines()[2][:60].replace("yes", "")
    rows = list(csv.reader(numbers.open(encoding="utf-8-sig")))
    assert ["summary", "mentions", "", "5", "2"] in rows
    assert ["responsiveness", "median first response minutes", "all", "30.0", "60.0"] in rows
    assert "r.pdf" in capsys.readouterr().out
    subprocess.run(["pdftoppm", "-r", "30", "-png", "-f", "1", "-l", "3", str(out),
                    str(tmp_path / "page")], check=True)  # fmt: skip
    assert len(list(tmp_path.glob("page-*.png"))) == 3


@needs_poppler
def test_an_empty_period_says_so(db: Path, tmp_path: Path) -> None:
    out = tmp_path / "empty.pdf"
    assert run(db, "report", "--from", "2020-01-01", "--to", "2020-01-31", "--out", str(out)) == 0
    text = subprocess.run(["pdftotext", str(out), "-"], capture_output=True, text=True).stdout
    assert "Nothing was heard or published in January 2020" in text


def test_user_errors_are_one_line(db: Path, tmp_path: Path, capsys) -> None:  # type: ignore[no-untyped-def]
    out = str(tmp_path / "x.pdf")
    assert run(db, "report", "--from", "2026-11-15", "--to", "2026-11-09", "--out", out) == 1
    assert run(db, "report", "--from", "2026-11-09", "--out", out) == 1
    assert run(db, "report", "--template", "Nope", "--out", out) == 1
    assert run(db, "report", "--from", "2026-13-01", "--to", "2026-11-09", "--out", out) == 1
    err = capsys.readouterr().err.strip().splitlines()
    assert len(err) == 4 and all(line.startswith("cmdesk: error: ") for line in err)
    assert "Traceback" not in "".join(err)


def test_goals_set_list_and_remove(db: Path, capsys) -> None:  # type: ignore[no-untyped-def]
    capsys.readouterr()
    assert (
        run(db, "report", "goals", "set", "positive_share", "week", "65%", "--query", "Acme") == 0
    )
    listed = capsys.readouterr().out
    assert "positive_share\tweek\t65%\tAcme" in listed
    goal_id = next(line.split("\t")[0] for line in listed.splitlines() if "\tweek\t65%" in line)
    assert run(db, "report", "goals", "remove", goal_id) == 0
    assert "65%" not in capsys.readouterr().out
    assert run(db, "report", "goals", "set", "new_advocates", "week", "-3") == 1


def test_a_headless_run_produces_the_report_once_per_period(db: Path, tmp_path: Path) -> None:
    from datetime import date

    week = (date(2026, 11, 9), date(2026, 11, 15))
    ws = open_workspace(db)
    report_service.save_period_report(ws, *week, "Typed in the pane", None, "Draft")
    assert report_service.produced_report_for(ws, *week) is None
    ws.close()
    for _ in range(2):  # no --suggestions: the saved ones are used and kept
        assert run(db, "report", "--from", "2026-11-09", "--to", "2026-11-15",
                   "--template", "Weekly", "--out", str(tmp_path / "r.pdf")) == 0  # fmt: skip
    ws = open_workspace(db)
    saved = report_service.saved_reports(ws)
    produced = report_service.produced_report_for(ws, *week)
    ws.close()
    assert len(saved) == 1 and produced is not None and produced.id == saved[0].id
    assert produced.suggestions == "Typed in the pane"
    assert produced.title == "Acme weekly pulse"  # the template's saved title


@needs_poppler
def test_the_cover_carries_the_templates_title_unless_one_is_given(
    db: Path, tmp_path: Path
) -> None:
    out = tmp_path / "r.pdf"
    days = ("--from", "2026-11-09", "--to", "2026-11-15")
    assert run(db, "report", *days, "--template", "Weekly", "--out", str(out)) == 0
    text = subprocess.run(["pdftotext", "-l", "1", str(out), "-"], capture_output=True,
                          text=True, check=True).stdout  # fmt: skip
    assert "Acme weekly pulse" in text
    assert run(db, "report", *days, "--template", "Weekly", "--title", "Board update",
               "--out", str(out)) == 0  # fmt: skip
    text = subprocess.run(["pdftotext", "-l", "1", str(out), "-"], capture_output=True,
                          text=True, check=True).stdout  # fmt: skip
    assert "Board update" in text and "Acme weekly pulse" not in text


def test_a_query_goal_for_an_overall_metric_is_refused(db: Path, capsys) -> None:  # type: ignore[no-untyped-def]
    capsys.readouterr()
    assert run(db, "report", "goals", "set", "median_first_response_minutes", "week", "30",
               "--query", "Acme") == 1  # fmt: skip
    err = capsys.readouterr().err.strip()
    assert err.startswith("cmdesk: error: --query works only for mention_volume and positive_share")
    assert "\n" not in err
