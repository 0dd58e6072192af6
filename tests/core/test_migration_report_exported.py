"""Schema 4 (``report.exported_at``) from a schema 3 workspace: data kept, none marked exported."""

from __future__ import annotations

from pathlib import Path

from cmdesk.core import db as dbmod
from cmdesk.core.db import open_workspace, schema_version
from cmdesk.core.migrations import STEPS


def test_schema_3_workspace_gains_report_exported_at(tmp_path: Path) -> None:
    path = tmp_path / "v3.cmdesk"
    before = [step for step in STEPS if step.VERSION <= 3]
    ws = open_workspace(path, steps=before)
    assert schema_version(ws.db) == 3
    ws.db.execute_sql(
        "INSERT INTO report (title, period_from, period_to, suggestions, created_at) "
        "VALUES ('Weekly', '2026-11-09', '2026-11-15', 'Typed, never exported', 1)"
    )
    ws.close()
    ws = open_workspace(path)
    assert schema_version(ws.db) == dbmod.latest_version() >= 4
    columns = {row[1] for row in ws.db.execute_sql('PRAGMA table_info("report")')}
    assert "exported_at" in columns
    rows = ws.db.execute_sql("SELECT suggestions, exported_at FROM report").fetchall()
    ws.close()
    assert rows == [("Typed, never exported", None)]
    assert list(tmp_path.glob("v3.cmdesk.before-v*.bak"))
