"""Inbox speed on a big workspace: first page, views, filters, search, end of list, bulk done, RSS.

Usage:
    .venv/bin/python bench/inbox.py --db /tmp/bench-1m.cmdesk [--mentions 1000000]

The workspace is made with ``cmdesk demo --db X --mentions N`` when the file does not exist.
Each figure is the wall time of what the user waits for, on the real InboxPane offscreen:
the synchronous first page of the list and the reading pane (totals and view counts are counted
in worker threads and reported separately). Targets from issue 4 are printed next to each figure.
"""

from __future__ import annotations

import argparse
import asyncio
import os
import shutil
import statistics
import subprocess
import sys
import time
from pathlib import Path

os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")
ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))


def ensure_workspace(path: Path, count: int) -> None:
    if path.exists():
        return
    cmdesk = shutil.which("cmdesk") or str(ROOT / ".venv" / "bin" / "cmdesk")
    print(f"building {path} with {count:,} mentions (cmdesk demo)…", flush=True)
    subprocess.run([cmdesk, "demo", "--db", str(path), "--mentions", str(count)], check=True)


def first_page_child(path: str) -> None:
    """Run in a fresh process: print the wall-clock time when the inbox's first page is on screen.

    The parent notes the time just before it spawns this process and takes the difference.
    (psutil's process create_time is derived from the boot time in whole seconds plus jiffies and
    was measured here ~1 s off; the spawn time is what a user's click would see.)
    """
    import qasync
    from PySide6.QtWidgets import QApplication

    app = QApplication([])
    loop = qasync.QEventLoop(app, already_running=True)
    asyncio.set_event_loop(loop)
    from PySide6.QtCore import QSettings

    from cmdesk.core.db import open_workspace
    from cmdesk.keychain import Keychain
    from cmdesk.ui.main_window import MainWindow

    ws = open_workspace(path)
    settings = QSettings("/tmp/cmdesk-bench-ui.ini", QSettings.Format.IniFormat)
    window = MainWindow(ws, keychain=Keychain(), settings=settings)
    window.show()
    app.processEvents()
    inbox = window.panes["inbox"]
    rows = inbox.model.rowCount()
    inbox.table.viewport().repaint()
    print(f"{time.time():.6f} {rows}")


def timed(fn, repeat: int = 5) -> float:  # noqa: ANN001
    samples = []
    for _ in range(repeat):
        start = time.perf_counter()
        fn()
        samples.append(time.perf_counter() - start)
    return statistics.median(samples) * 1000


def pick_terms(ws, total: int) -> tuple[str, int, str, int]:  # noqa: ANN001
    ws.db.execute_sql(
        "CREATE VIRTUAL TABLE IF NOT EXISTS temp.bench_vocab "
        "USING fts5vocab(main, mention_fts, row)"
    )
    common = ws.db.execute_sql(
        "SELECT term, doc FROM temp.bench_vocab WHERE length(term) > 3 "
        "ORDER BY abs(doc - ?) LIMIT 1",
        [total // 2],
    ).fetchone()
    rare = ws.db.execute_sql(
        "SELECT term, doc FROM temp.bench_vocab WHERE length(term) > 2 "
        "ORDER BY (doc BETWEEN 3 AND 30) DESC, doc LIMIT 1"
    ).fetchone()
    return rare[0], rare[1], common[0], common[1]


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--db", default="/tmp/cmdesk-bench-1m.cmdesk")
    parser.add_argument("--mentions", type=int, default=1_000_000)
    parser.add_argument("--first-page-child", action="store_true", help=argparse.SUPPRESS)
    args = parser.parse_args()
    if args.first_page_child:
        first_page_child(args.db)
        return
    path = Path(args.db)
    ensure_workspace(path, args.mentions)

    samples, rows = [], "0"
    for _ in range(3):  # the median of three cold starts (the file is in the page cache)
        spawned = time.time()
        child = subprocess.run(
            [sys.executable, __file__, "--db", str(path), "--first-page-child"],
            capture_output=True,
            text=True,
            check=True,
        )
        shown_at, rows = child.stdout.split()[-2:]
        samples.append(float(shown_at) - spawned)
    print(
        f"first page in the window from process start: {statistics.median(samples) * 1000:7.0f} ms "
        f"({rows} rows; runs {', '.join(f'{s * 1000:.0f}' for s in samples)} ms)   target < 1500 ms"
    )

    import psutil
    import qasync
    from PySide6.QtWidgets import QApplication

    app = QApplication([])
    loop = qasync.QEventLoop(app, already_running=True)
    asyncio.set_event_loop(loop)
    from cmdesk.core.db import open_workspace
    from cmdesk.core.services import mentions, triage
    from cmdesk.ui.inbox.pane import InboxPane
    from cmdesk.ui.pane import make_test_context

    ws = open_workspace(path)
    total = ws.db.execute_sql("SELECT COUNT(*) FROM mention").fetchone()[0]
    print(f"workspace: {total:,} mentions")
    pane = InboxPane(make_test_context(ws))
    pane.resize(1280, 800)
    pane.show()
    app.processEvents()

    for key in [k for k in pane.views if not k.startswith("saved:")][:12]:
        ms = timed(lambda k=key: (pane.show_subview(k), app.processEvents()), 3)
        count_ms = timed(lambda k=key: mentions.count(ws, pane.views[k].filter), 1)
        print(
            f"switch to view {key:<16} {ms:7.1f} ms   target < 150 ms   "
            f"(its count in a thread: {count_ms:.0f} ms)"
        )
    pane.show_subview("all")
    bar = pane.filter_bar
    for name in (
        "state",
        "source",
        "query",
        "sentiment",
        "tag",
        "assigned",
        "language",
        "date",
        "author",
    ):
        combo = bar.combos[name]
        if combo.count() < 2:
            continue
        combo.setCurrentIndex(min(2, combo.count() - 1) if name != "date" else 2)
        ms = timed(lambda: (pane.apply_filters(), app.processEvents()), 3)
        print(f"filter {name:<10} = {combo.currentText():<22} {ms:7.1f} ms   target < 150 ms")
        combo.setCurrentIndex(0)
    pane.apply_filters()

    rare, rare_docs, common, common_docs = pick_terms(ws, total)
    for term, docs in ((rare, rare_docs), (common, common_docs)):
        bar.search.setText(term)
        ms = timed(lambda: (pane.apply_filters(), app.processEvents()), 5)
        print(f"search {term!r} ({docs:,} hits): first page {ms:6.1f} ms   target < 100 ms")
    bar.search.setText(f"{common[:3]}*")
    ms = timed(lambda: (pane.apply_filters(), app.processEvents()), 3)
    print(f"search prefix {common[:3]!r}*: first page {ms:6.1f} ms")
    bar.clear_silently()
    pane.apply_filters()

    def at_end() -> bool:
        rows = pane.model.rowCount()
        return pane.model.total is not None and pane.table.currentIndex().row() == rows - 1

    def jump_cold() -> float:
        """End pressed on a list still being counted: UI time, then wait for the jump."""
        pane.apply_filters()
        started = time.perf_counter()
        pane.jump_to_end()
        app.processEvents()
        blocked = time.perf_counter() - started
        while not at_end():
            app.processEvents()
            time.sleep(0.001)
        cold_until.append(time.perf_counter() - started)
        return blocked

    cold_until: list[float] = []
    ms_cold = statistics.median([jump_cold() for _ in range(3)]) * 1000
    ms_warm = timed(lambda: (pane.jump_to_end(), app.processEvents()), 3)
    print(
        f"jump to the end of All ({pane.model.rowCount():,} rows): {ms_warm:6.1f} ms with the "
        f"total counted   target < 200 ms; pressed while counting: UI busy {ms_cold:5.1f} ms, "
        f"at the end after {statistics.median(cold_until) * 1000:6.1f} ms (the count, in a thread)"
    )

    from cmdesk.ui.inbox.list_model import COLUMN_SORTS, COLUMNS

    for column in (0, 1, 2, 4, 5):
        sort = COLUMN_SORTS[column]
        pane.sort_by = ("newest", False)
        pane.apply_filters()
        app.processEvents()
        started = time.perf_counter()
        pane._on_header_clicked(column)
        app.processEvents()
        blocked = time.perf_counter() - started
        while pane.model.filter.sort != sort:  # a scan sort's order is read in a thread
            app.processEvents()
            time.sleep(0.001)
        shown = time.perf_counter() - started
        middle = pane.model.rowCount() // 2
        deep = timed(
            lambda m=middle: (pane.table.scrollTo(pane.model.index(m, 0)), app.processEvents()), 3
        )
        print(
            f"sort by {COLUMNS[column]:<9} UI busy {blocked * 1000:6.1f} ms, sorted list shown "
            f"after {shown * 1000:6.0f} ms; row {middle:,} shown in {deep:5.1f} ms   "
            "target: UI busy < 150 ms"
        )
    pane.sort_by = ("newest", False)
    pane.apply_filters()
    from PySide6.QtCore import QItemSelection, QItemSelectionModel, QModelIndex

    while pane.model.rowCount() < 1000 and pane.model.canFetchMore(QModelIndex()):
        pane.model.fetchMore(QModelIndex())  # what scrolling down does
    pane.table.selectRow(0)
    last = pane.model.columnCount() - 1
    selection = QItemSelection(pane.model.index(0, 0), pane.model.index(999, last))
    pane.table.selectionModel().select(selection, QItemSelectionModel.SelectionFlag.ClearAndSelect)
    start = time.perf_counter()
    ids = pane.selected_ids()
    result = ws.write(triage.set_state, ws, ids, "done").result()
    written = time.perf_counter()
    pane.model.refresh(mentions.count(ws, pane.model.filter))
    app.processEvents()
    end = time.perf_counter()
    print(
        f"mark {len(ids):,} selected mentions done: {(written - start) * 1000:6.1f} ms write, "
        f"{(end - start) * 1000:6.1f} ms until the list shows it   target < 1000 ms"
    )
    ws.write(triage.undo, ws, result.undo).result()

    rss = psutil.Process().memory_info().rss / 1024 / 1024
    print(f"resident memory after all of the above: {rss:6.0f} MB   target < 400 MB")
    ws.close()


if __name__ == "__main__":
    main()
