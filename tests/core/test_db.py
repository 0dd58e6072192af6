import sqlite3
from pathlib import Path
from types import SimpleNamespace

import peewee as pw
import pytest

from cmdesk.core import db as dbmod
from cmdesk.core.db import WorkspaceError, inspect_file, open_workspace, schema_version
from cmdesk.core.migrations import STEPS
from cmdesk.core.models import ALL_MODELS, Mention, Source


def _add_mention(title: str, text: str = "") -> Mention:
    source = Source.get_or_create(name="Blog", defaults={"created_at": 1})[0]
    return Mention.create(
        source=source, external_id=title, title=title, text=text, published_at=1, fetched_at=1
    )


def test_new_workspace_uses_wal_and_foreign_keys(workspace):
    db = workspace.db
    assert db.execute_sql("PRAGMA journal_mode").fetchone()[0] == "wal"
    assert db.execute_sql("PRAGMA foreign_keys").fetchone()[0] == 1
    assert schema_version(db) == dbmod.latest_version()


def test_schema_matches_the_models(workspace):
    """The migrations build every column each model declares (catches model/migration drift)."""
    for model in ALL_MODELS:
        table = model._meta.table_name
        columns = {row[1] for row in workspace.db.execute_sql(f'PRAGMA table_info("{table}")')}
        expected = {field.column_name for field in model._meta.sorted_fields}
        assert expected <= columns, f"{table} lacks {expected - columns}"


def test_fts_follows_inserts_updates_and_deletes(workspace):
    mention = _add_mention("Café crème review", "the acme widget is great")

    def hits(term: str) -> list[int]:
        sql = "SELECT rowid FROM mention_fts WHERE mention_fts MATCH ?"
        return [row[0] for row in workspace.db.execute_sql(sql, (term,))]

    assert hits("cafe") == [mention.id]  # diacritics folded
    assert hits("widget") == [mention.id]
    Mention.update(text="now about gadgets").where(Mention.id == mention.id).execute()
    assert hits("widget") == []
    assert hits("gadgets") == [mention.id]
    Mention.update(state="done").where(Mention.id == mention.id).execute()
    assert hits("gadgets") == [mention.id]
    mention.delete_instance()
    assert hits("gadgets") == []


def test_triggers_are_recreated_on_open(tmp_path):
    path = tmp_path / "w.cmdesk"
    ws = open_workspace(path)
    ws.db.execute_sql("DROP TRIGGER mention_fts_ai")
    ws.close()
    ws = open_workspace(path)
    _add_mention("after reopen")
    count = ws.db.execute_sql(
        "SELECT COUNT(*) FROM mention_fts WHERE mention_fts MATCH 'reopen'"
    ).fetchone()[0]
    assert count == 1
    ws.close()


def test_writer_runs_writes_in_one_transaction(workspace):
    def failing_write() -> None:
        _add_mention("half written")
        raise RuntimeError("crash mid-write")

    with pytest.raises(RuntimeError):
        workspace.write(failing_write).result()
    assert Mention.select().count() == 0
    mention = workspace.write(_add_mention, "whole").result()
    assert Mention.get_by_id(mention.id).title == "whole"


def test_foreign_file_is_refused_untouched(tmp_path):
    path = tmp_path / "notes.txt"
    path.write_bytes(b"just some text, not a database")
    with pytest.raises(WorkspaceError, match="not an SQLite database"):
        open_workspace(path)
    assert path.read_bytes() == b"just some text, not a database"


def test_other_sqlite_database_is_refused_untouched(tmp_path):
    path = tmp_path / "other.sqlite"
    con = sqlite3.connect(path)
    con.execute("CREATE TABLE songs (title TEXT)")
    con.commit()
    con.close()
    before = path.read_bytes()
    with pytest.raises(WorkspaceError, match="not a cmdesk workspace"):
        open_workspace(path)
    assert path.read_bytes() == before


def test_corrupt_database_gets_a_clear_error(tmp_path):
    path = tmp_path / "corrupt.cmdesk"
    ws = open_workspace(path)
    _add_mention("x")
    ws.close()
    data = bytearray(path.read_bytes())
    data[100:4096] = b"\xff" * (4096 - 100)  # smash the schema page
    path.write_bytes(bytes(data))
    with pytest.raises(WorkspaceError):
        open_workspace(path)


def test_newer_schema_is_refused_untouched(tmp_path):
    path = tmp_path / "future.cmdesk"
    open_workspace(path).close()
    con = sqlite3.connect(path)
    con.execute("INSERT INTO schema_version VALUES (999, 0, '9.9')")
    con.commit()
    con.close()
    before = path.read_bytes()
    with pytest.raises(WorkspaceError, match="newer cmdesk"):
        open_workspace(path)
    assert path.read_bytes() == before


def test_directory_is_refused(tmp_path):
    with pytest.raises(WorkspaceError, match="folder"):
        inspect_file(tmp_path)


def _step(version: int, sql: str) -> SimpleNamespace:
    return SimpleNamespace(VERSION=version, apply=lambda db: db.execute_sql(sql))


def test_forward_migration_keeps_data_and_backs_up(tmp_path, monkeypatch):
    path = tmp_path / "old.cmdesk"
    ws = open_workspace(path)
    _add_mention("kept across versions", "hello")
    ws.close()
    newer = [*STEPS, _step(dbmod.latest_version() + 1, "ALTER TABLE mention ADD COLUMN mood TEXT")]
    monkeypatch.setattr(dbmod, "STEPS", newer)
    ws = open_workspace(path)
    assert schema_version(ws.db) == dbmod.latest_version(newer)
    row = ws.db.execute_sql("SELECT title, mood FROM mention").fetchone()
    assert row == ("kept across versions", None)
    ws.close()
    backups = list(tmp_path.glob("old.cmdesk.before-v*.bak"))
    assert len(backups) == 1
    con = sqlite3.connect(backups[0])
    assert con.execute("SELECT MAX(version) FROM schema_version").fetchone()[0] == (
        dbmod.latest_version(STEPS)
    )
    con.close()


def test_failed_migration_rolls_back(tmp_path, monkeypatch):
    path = tmp_path / "w.cmdesk"
    open_workspace(path).close()
    broken = SimpleNamespace(VERSION=dbmod.latest_version() + 1, apply=_broken_apply)
    monkeypatch.setattr(dbmod, "STEPS", [*STEPS, broken])
    with pytest.raises(WorkspaceError):
        open_workspace(path)
    monkeypatch.setattr(dbmod, "STEPS", STEPS)
    ws = open_workspace(path)
    tables = {row[0] for row in ws.db.execute_sql("SELECT name FROM sqlite_master")}
    assert "half_done" not in tables
    assert schema_version(ws.db) == dbmod.latest_version()
    ws.close()


def _broken_apply(db: pw.Database) -> None:
    db.execute_sql("CREATE TABLE half_done (x)")
    db.execute_sql("THIS IS NOT SQL")


def test_fixture_from_schema_1_opens_in_this_version(tmp_path):
    """A workspace written by the first release (committed fixture) opens with its data."""
    fixture = Path(__file__).parent.parent / "fixtures" / "workspace-v1.cmdesk"
    path = tmp_path / "v1.cmdesk"
    path.write_bytes(fixture.read_bytes())
    ws = open_workspace(path)
    assert schema_version(ws.db) == dbmod.latest_version()
    titles = [m.title for m in Mention.select().order_by(Mention.id)]
    assert titles == ["Acme widget saved my weekend", "Support never answered"]
    indexes = {row[0] for row in ws.db.execute_sql("SELECT name FROM sqlite_master")}
    assert {"mention_starred_id", "mention_published_at_id"} <= indexes  # schema 2
    assert "mention_published_at" not in indexes
    hits = ws.db.execute_sql("SELECT rowid FROM mention_fts WHERE mention_fts MATCH 'weekend'")
    assert len(hits.fetchall()) == 1
    ws.close()
    assert list(tmp_path.glob("v1.cmdesk.before-v*.bak"))


def test_starred_and_needs_response_views_walk_their_partial_indexes(workspace):
    plans = {
        "starred": "SELECT id FROM mention m WHERE m.starred = 1 ORDER BY id DESC LIMIT 50",
        "awaiting": "SELECT id FROM mention m WHERE m.needs_response = 1 "
        "AND m.responded_at IS NULL ORDER BY id DESC LIMIT 50",
    }
    expected = {"starred": "mention_starred_id", "awaiting": "mention_awaiting_response_id"}
    for key, sql in plans.items():
        plan = " ".join(row[3] for row in workspace.db.execute_sql("EXPLAIN QUERY PLAN " + sql))
        assert expected[key] in plan, plan


def built_up_to(tmp_path, monkeypatch, version: int):  # noqa: ANN001, ANN201
    """A new workspace (path, open Workspace) with only the schema steps up to ``version``."""
    path = tmp_path / f"v{version}.cmdesk"
    monkeypatch.setattr(dbmod, "STEPS", [step for step in STEPS if version >= step.VERSION])
    ws = open_workspace(path)
    assert schema_version(ws.db) == version
    return path, ws


def upgraded(path, ws, monkeypatch):  # noqa: ANN001, ANN201
    """``ws`` closed and opened again with every step: upgraded, with its backup beside it."""
    ws.close()
    monkeypatch.setattr(dbmod, "STEPS", STEPS)
    ws = open_workspace(path)
    assert schema_version(ws.db) == dbmod.latest_version()
    assert list(path.parent.glob(f"{path.name}.before-v*.bak"))
    return ws


def test_schema_5_finds_the_links_in_mentions_stored_before_it(tmp_path, monkeypatch):
    path, ws = built_up_to(tmp_path, monkeypatch, 4)
    source = Source.create(name="HN", created_at=1)
    for n, (html, text) in enumerate(
        [('<a href="https://blog.test/p?utm_source=x">post</a>', ""), (None, "see http://a.test/")]
        + [(None, "no link here")] * 10
        + [(None, f"more at https://c.test/{n}") for n in range(2500)]  # two batches and more
    ):
        Mention.create(source=source, external_id=str(n), title="t", text=text, html=html,
                       published_at=1, fetched_at=1)  # fmt: skip
    ws = upgraded(path, ws, monkeypatch)
    links = ws.db.execute_sql("SELECT url, mention_id FROM mention_link ORDER BY mention_id")
    rows = links.fetchall()
    assert rows[:2] == [("https://blog.test/p", 1), ("http://a.test/", 2)]
    assert len(rows) == 2 + 2500 and rows[-1] == ("https://c.test/2499", 2512)
    ws.close()


def test_schema_6_adds_the_contact_sort_indexes_to_a_schema_5_workspace(tmp_path, monkeypatch):
    path, ws = built_up_to(tmp_path, monkeypatch, 5)
    ws.db.execute_sql("INSERT INTO organisation(name) VALUES ('Acme')")
    ws.db.execute_sql(
        "INSERT INTO contact(display_name, organisation_id, stage, created_at, updated_at) "
        "VALUES ('Ada', 1, 'engaged', 0, 0)"
    )
    ws = upgraded(path, ws, monkeypatch)
    indexes = {row[0] for row in ws.db.execute_sql("SELECT name FROM sqlite_master")}
    assert {"contact_stage", "organisation_name_nocase"} <= indexes
    assert ws.db.execute_sql("SELECT display_name, stage FROM contact").fetchall() == [
        ("Ada", "engaged")
    ]
    ws.close()


def test_schema_7_fills_the_contact_search_index_of_a_schema_6_workspace(tmp_path, monkeypatch):
    path, ws = built_up_to(tmp_path, monkeypatch, 6)
    ws.db.execute_sql("INSERT INTO organisation(name) VALUES ('Acme Rockets')")
    for name, org in (("Ada Lovelace", 1), ("Grace Hopper", None)):
        ws.db.execute_sql(
            "INSERT INTO contact(display_name, organisation_id, stage, created_at, updated_at) "
            "VALUES (?, ?, 'engaged', 0, 0)",
            [name, org],
        )
    ws.db.execute_sql(
        "INSERT INTO contact_detail(contact_id, kind, value) VALUES (2, 'email', 'GH@Navy.example')"
    )
    ws.db.execute_sql(
        "INSERT INTO contact_handle(contact_id, network, handle) VALUES (1, 'github', 'ada-l')"
    )
    ws = upgraded(path, ws, monkeypatch)
    stored = "SELECT rowid >> 32, rowid & 0xFFFFFFFF, text FROM contact_search ORDER BY rowid"
    assert ws.db.execute_sql(stored).fetchall() == [
        (1, 0, "ada lovelace"),
        (1, 2 << 30 | 1, "ada-l"),
        (1, 3 << 30, "acme rockets"),
        (2, 0, "grace hopper"),
        (2, 1 << 30 | 1, "gh@navy.example"),
    ]
    ws.db.execute_sql("UPDATE organisation SET name = 'Acme Gliders' WHERE id = 1")
    hits = "SELECT rowid >> 32 FROM contact_search WHERE contact_search MATCH ?"
    assert ws.db.execute_sql(hits, ['"glider"']).fetchall() == [(1,)]
    ws.close()


def test_schema_8_adds_the_name_due_index(tmp_path, monkeypatch):
    path, ws = built_up_to(tmp_path, monkeypatch, 7)
    ws = upgraded(path, ws, monkeypatch)
    indexes = {row[0] for row in ws.db.execute_sql("SELECT name FROM sqlite_master")}
    assert "contact_name_due" in indexes
    ws.close()
