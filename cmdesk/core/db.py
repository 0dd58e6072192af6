"""Opening a workspace: checks, pragmas, migrations, full-text triggers and the single writer.

Imports no Qt. A workspace is one SQLite file in WAL mode. :func:`open_workspace` is the only
place that opens one. It looks at the file read-only first, so a foreign, corrupt or newer file
is refused with a clear message and left byte-for-byte untouched.

Writes in the app go through :meth:`Workspace.write`, which runs them one at a time on a single
writer thread, each in a transaction; readers use their own thread's connection (WAL lets them
read while the writer writes), so the UI thread never waits on a write lock.
"""

from __future__ import annotations

import logging
import shutil
import sqlite3
from collections.abc import Callable
from concurrent.futures import Future, ThreadPoolExecutor
from dataclasses import dataclass, field
from pathlib import Path
from types import ModuleType
from typing import Any, TypeVar

import peewee as pw

from cmdesk import __version__
from cmdesk.core import contact_search
from cmdesk.core.clock import Clock
from cmdesk.core.migrations import STEPS
from cmdesk.core.models import ALL_MODELS

log = logging.getLogger(__name__)
T = TypeVar("T")

SQLITE_MAGIC = b"SQLite format 3\x00"
PRAGMAS = {
    "journal_mode": "wal",
    "foreign_keys": 1,
    "busy_timeout": 10_000,
    "synchronous": "normal",
    "cache_size": -16_000,  # 16 MB page cache per connection (UI, writer, workers)
    "temp_store": "memory",
    "mmap_size": 0,  # mapped pages count as resident memory; the page cache is enough
}

# Recreated at every open: peewee's table-rebuilding migrations drop triggers silently. So are
# the contact search index's (:mod:`cmdesk.core.contact_search`).
FTS_TRIGGERS = (
    """CREATE TRIGGER IF NOT EXISTS mention_fts_ai AFTER INSERT ON mention BEGIN
         INSERT INTO mention_fts(rowid, title, text) VALUES (new.id, new.title, new.text);
       END""",
    """CREATE TRIGGER IF NOT EXISTS mention_fts_ad AFTER DELETE ON mention BEGIN
         INSERT INTO mention_fts(mention_fts, rowid, title, text)
         VALUES ('delete', old.id, old.title, old.text);
       END""",
    """CREATE TRIGGER IF NOT EXISTS mention_fts_au AFTER UPDATE OF title, text ON mention BEGIN
         INSERT INTO mention_fts(mention_fts, rowid, title, text)
         VALUES ('delete', old.id, old.title, old.text);
         INSERT INTO mention_fts(rowid, title, text) VALUES (new.id, new.title, new.text);
       END""",
)


class WorkspaceError(Exception):
    """A workspace cannot be opened; the message is one plain sentence for the user."""


def latest_version(steps: list[ModuleType] | None = None) -> int:
    return max(step.VERSION for step in (steps or STEPS))


@dataclass
class Workspace:
    """An open workspace: the database, its path, the clock and the single writer."""

    path: Path
    db: pw.SqliteDatabase
    clock: Clock = field(default_factory=Clock)
    _writer: ThreadPoolExecutor = field(
        default_factory=lambda: ThreadPoolExecutor(1, thread_name_prefix="cmdesk-writer")
    )

    def write(self, fn: Callable[..., T], /, *args: Any, **kwargs: Any) -> Future[T]:
        """Run ``fn(*args, **kwargs)`` in one transaction on the writer thread."""

        def run() -> T:
            with self.db.atomic():
                return fn(*args, **kwargs)

        return self._writer.submit(run)

    def close(self) -> None:
        """Finish pending writes, then close every connection this object opened."""
        try:
            self._writer.submit(self._close_thread_connection).result(timeout=30)
        finally:
            self._writer.shutdown(wait=True)
            self._close_thread_connection()

    def _close_thread_connection(self) -> None:
        if not self.db.is_closed():
            try:
                self.db.execute_sql("PRAGMA optimize")
            except pw.DatabaseError:
                log.debug("PRAGMA optimize failed", exc_info=True)
            self.db.close()


def inspect_file(path: Path) -> int | None:
    """The schema version of an existing workspace file, or None when the file is new or empty.

    Opens the file read-only; raises :class:`WorkspaceError` for anything that is not a cmdesk
    workspace this version can open.
    """
    if not path.exists() or path.stat().st_size == 0:
        return None
    if path.is_dir():
        raise WorkspaceError(f"{path} is a folder, not a workspace file.")
    with path.open("rb") as handle:
        if handle.read(16) != SQLITE_MAGIC:
            raise WorkspaceError(
                f"{path} is not a cmdesk workspace (it is not an SQLite database)."
            )
    try:
        con = sqlite3.connect(f"{path.resolve().as_uri()}?mode=ro", uri=True)
        try:
            tables = {row[0] for row in con.execute("SELECT name FROM sqlite_master")}
            if not tables:
                return None
            if "schema_version" not in tables:
                raise WorkspaceError(
                    f"{path} is an SQLite database but not a cmdesk workspace; "
                    "it was left untouched."
                )
            row = con.execute("SELECT MAX(version) FROM schema_version").fetchone()
        finally:
            con.close()
    except sqlite3.DatabaseError as exc:
        raise WorkspaceError(f"{path} cannot be read as a workspace ({exc}).") from exc
    version = int(row[0] or 0)
    newest = latest_version()
    if version > newest:
        raise WorkspaceError(
            f"{path} was written by a newer cmdesk (schema {version}; this version knows up to "
            f"{newest}). Update cmdesk to open it; the file was left untouched."
        )
    return version


def open_workspace(
    path: Path | str,
    *,
    clock: Clock | None = None,
    steps: list[ModuleType] | None = None,
    backup: bool = True,
) -> Workspace:
    """Open (creating or migrating as needed) the workspace at ``path``."""
    path = Path(path).expanduser()
    steps = sorted(steps or STEPS, key=lambda step: step.VERSION)
    version = inspect_file(path)
    if version is not None and version < latest_version(steps) and backup:
        _backup_before_migration(path, version)
    path.parent.mkdir(parents=True, exist_ok=True)
    db = pw.SqliteDatabase(str(path), pragmas=PRAGMAS, check_same_thread=False)
    try:
        db.connect()
        _migrate(db, steps)
        for statement in FTS_TRIGGERS:
            db.execute_sql(statement)
        contact_search.create_triggers(db)
    except (pw.DatabaseError, sqlite3.DatabaseError) as exc:
        db.close()
        raise WorkspaceError(f"{path} could not be opened: {exc}.") from exc
    db.bind(ALL_MODELS)
    return Workspace(path=path, db=db, clock=clock or Clock())


def _backup_before_migration(path: Path, version: int) -> None:
    """Keep a copy of the file as it was before a schema upgrade: a migration never loses data."""
    target = path.with_name(f"{path.name}.before-v{latest_version()}.bak")
    if target.exists():
        return
    source = sqlite3.connect(f"{path.resolve().as_uri()}?mode=ro", uri=True)
    try:
        dest = sqlite3.connect(target)
        with dest:
            source.backup(dest)
        dest.close()
    finally:
        source.close()
    log.info("Backed up schema %s workspace to %s before migrating", version, target)
    if not target.exists():  # pragma: no cover - backup API failed silently
        shutil.copy2(path, target)


def _migrate(db: pw.SqliteDatabase, steps: list[ModuleType]) -> None:
    db.execute_sql(
        "CREATE TABLE IF NOT EXISTS schema_version ("
        "version INTEGER PRIMARY KEY, applied_at INTEGER NOT NULL, app_version TEXT NOT NULL)"
    )
    row = db.execute_sql("SELECT MAX(version) FROM schema_version").fetchone()
    current = int(row[0] or 0)
    for step in steps:
        if current >= step.VERSION:
            continue
        log.info("Migrating workspace to schema %s", step.VERSION)
        with db.atomic():
            step.apply(db)
            db.execute_sql(
                "INSERT INTO schema_version(version, applied_at, app_version) "
                "VALUES (?, strftime('%s','now'), ?)",
                (step.VERSION, __version__),
            )


def schema_version(db: pw.SqliteDatabase) -> int:
    row = db.execute_sql("SELECT MAX(version) FROM schema_version").fetchone()
    return int(row[0] or 0)
