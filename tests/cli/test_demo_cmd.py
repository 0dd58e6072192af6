from __future__ import annotations

import pytest

from cmdesk.cli.main import main
from cmdesk.core.db import open_workspace


def test_demo_builds_a_workspace_end_to_end(tmp_path, capsys):
    db = tmp_path / "demo.cmdesk"
    args = ["demo", "--db", str(db), "--mentions", "300", "--contacts", "12", "--items", "12"]
    assert main(["-q", *args, "--seed", "4"]) == 0
    out = capsys.readouterr().out
    assert f"demo workspace: {db} (seed 4)" in out
    assert "mentions:  300" in out and "contacts:  12" in out and "items:     12" in out
    ws = open_workspace(db)
    try:
        assert ws.db.execute_sql("SELECT COUNT(*) FROM mention").fetchone()[0] == 300
        hits = ws.db.execute_sql(
            "SELECT COUNT(*) FROM mention_fts WHERE mention_fts MATCH 'acme'"
        ).fetchone()[0]
        assert hits > 0
    finally:
        ws.close()
    assert main(["--db", str(db), "info"]) == 0
    assert "mentions:  300" in capsys.readouterr().out


def test_the_global_db_option_works_too_and_progress_goes_to_stderr(tmp_path, capsys):
    db = tmp_path / "global.cmdesk"
    assert (
        main(["--db", str(db), "demo", "--mentions", "100", "--contacts", "5", "--items", "5"]) == 0
    )
    captured = capsys.readouterr()
    assert "mentions:  100" in captured.out
    assert "demo" in captured.err and "mentions" in captured.err


def test_a_workspace_with_data_is_refused_in_one_line(tmp_path, capsys):
    db = tmp_path / "twice.cmdesk"
    small = ["--mentions", "50", "--contacts", "3", "--items", "3"]
    assert main(["-q", "demo", "--db", str(db), *small]) == 0
    capsys.readouterr()
    assert main(["-q", "demo", "--db", str(db), *small]) == 1
    err = capsys.readouterr().err
    assert err.startswith("cmdesk: error: ") and "empty workspace" in err
    assert len(err.strip().splitlines()) == 1


def test_the_workspace_must_be_named(capsys):
    assert main(["demo", "--mentions", "10"]) == 1
    assert "cmdesk demo --db PATH" in capsys.readouterr().err


def test_negative_counts_are_a_usage_error(tmp_path, capsys):
    with pytest.raises(SystemExit) as exit_info:
        main(["demo", "--db", str(tmp_path / "x.cmdesk"), "--mentions", "-5"])
    assert exit_info.value.code == 2
    assert "must be 0 or more" in capsys.readouterr().err
