"""Benchmark ``cmdesk fetch``: 500 loopback feeds × 50 items, cold then all-304, against newsboat.

Run: ``.venv/bin/python bench/fetch.py [--feeds 500]``. Starts bench/feedserver.py in its own
process, adds the feeds and one query ("acme", matching one item in five) to a temp workspace,
then times ``cmdesk fetch`` (a fresh process, as a user runs it) into the empty workspace and again
with nothing changed (every source made due; every feed answers 304). When newsboat is installed it
fetches the same server with ``reload-threads 8`` (temp config/urls/cache), cold and again, and
the ratios are printed. Last, a fetch into a new workspace through the desktop app's own path
(Listening and the TaskRunner on a qasync loop over an offscreen QApplication) measures the worst
event-loop stall, seen by a 10 ms Qt timer and by a coroutine sleeping 10 ms.
"""

from __future__ import annotations

import argparse
import asyncio
import os
import shutil
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
# Not bench/ itself on the path: a bench script named like a stdlib module (calendar.py) would
# shadow it here and in the spawned parsing workers, which inherit this sys.path.
sys.path[:] = [p for p in sys.path if Path(p or ".").resolve() != ROOT / "bench"]
sys.path.insert(0, str(ROOT))

from cmdesk.core.db import open_workspace  # noqa: E402
from cmdesk.core.services import queries, sources  # noqa: E402


def start_server(feeds: int) -> tuple[subprocess.Popen[str], int]:
    proc = subprocess.Popen(
        [sys.executable, str(ROOT / "bench" / "feedserver.py"), "--feeds", str(feeds)],
        stdout=subprocess.PIPE, text=True,
    )  # fmt: skip
    assert proc.stdout is not None
    return proc, int(proc.stdout.readline())


def make_workspace(path: Path, port: int, feeds: int) -> None:
    ws = open_workspace(path)
    try:

        def setup() -> None:
            for n in range(feeds):
                sources.add_source(ws, f"http://127.0.0.1:{port}/feed/{n}.xml", name=f"Blog {n}")
            queries.add_query(ws, "brand", "acme")

        ws.write(setup).result()
    finally:
        ws.close()


def make_all_due(path: Path) -> None:
    ws = open_workspace(path)
    try:
        ws.write(lambda: ws.db.execute_sql("UPDATE source SET next_fetch_at = 0")).result()
    finally:
        ws.close()


def count_mentions(path: Path) -> int:
    ws = open_workspace(path)
    try:
        return int(ws.db.execute_sql("SELECT count(*) FROM mention").fetchone()[0])
    finally:
        ws.close()


def timed(cmd: list[str], env: dict[str, str] | None = None) -> tuple[float, str]:
    started = time.perf_counter()
    done = subprocess.run(cmd, capture_output=True, text=True, env=env, check=False)
    elapsed = time.perf_counter() - started
    if done.returncode != 0:
        print(f"  ! {' '.join(cmd[:3])}... exited {done.returncode}: {done.stderr[-500:]}")
    return elapsed, done.stdout.strip()


def run_cmdesk(tmp: Path, port: int, feeds: int) -> tuple[float, float]:
    db = tmp / "bench.cmdesk"
    make_workspace(db, port, feeds)
    cmdesk = [str(ROOT / ".venv" / "bin" / "cmdesk"), "--db", str(db), "-q", "fetch"]
    env = {**os.environ, "CMDESK_HOME": str(tmp / "home")}
    first, out = timed(cmdesk, env)
    print(f"cmdesk fetch, empty workspace:   {first:6.2f} s   ({out}; {count_mentions(db)} stored)")
    make_all_due(db)
    second, out = timed(cmdesk, env)
    print(f"cmdesk fetch, nothing changed:   {second:6.2f} s   ({out})")
    return first, second


def run_newsboat(tmp: Path, port: int, feeds: int) -> tuple[float, float] | None:
    binary = shutil.which("newsboat")
    if binary is None:
        print("newsboat not installed: no comparison")
        return None
    home = tmp / "newsboat"
    home.mkdir()
    (home / "config").write_text("reload-threads 8\nshow-read-feeds yes\n")
    (home / "urls").write_text(
        "".join(f"http://127.0.0.1:{port}/feed/{n}.xml\n" for n in range(feeds))
    )
    cmd = [binary, "-x", "reload", "-C", str(home / "config"), "-u", str(home / "urls"),
           "-c", str(home / "cache.db")]  # fmt: skip
    env = {
        **os.environ,
        "HOME": str(home),
        "XDG_CONFIG_HOME": str(home),
        "XDG_DATA_HOME": str(home),
    }
    first, _ = timed(cmd, env)
    second, _ = timed(cmd, env)
    print(f"newsboat reload, empty cache:    {first:6.2f} s")
    print(f"newsboat reload, nothing changed:{second:6.2f} s")
    return first, second


async def _stall_probe(stop: asyncio.Event, worst: list[float]) -> None:
    """asyncio's view: a coroutine sleeping 10 ms in a loop records its worst lateness."""
    while not stop.is_set():
        started = time.perf_counter()
        await asyncio.sleep(0.010)
        worst[0] = max(worst[0], time.perf_counter() - started - 0.010)


def measure_stall(tmp: Path, port: int, feeds: int) -> None:
    """Fetch every feed through the app's own path on a qasync loop over a QApplication.

    The path is the desktop app's: :class:`cmdesk.ui.listening.Listening` starts the fetch
    through the :class:`~cmdesk.ui.tasks.TaskRunner` (progress, the writer thread, Changes
    announced on the Qt side). Two probes run meanwhile: a 10 ms precise QTimer (what the UI
    feels: late timer ticks are late repaints and clicks) and a coroutine sleeping 10 ms (what
    asyncio feels). Offscreen, so it runs headless.
    """
    os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")
    import qasync
    from PySide6.QtCore import Qt, QTimer
    from PySide6.QtWidgets import QApplication

    from cmdesk.app import settle_heap
    from cmdesk.keychain import Keychain
    from cmdesk.listening.http import HttpClient
    from cmdesk.ui.listening import Listening
    from cmdesk.ui.tasks import TaskRunner, WorkspaceEvents

    app = QApplication.instance() or QApplication([sys.argv[0]])
    db = tmp / "stall.cmdesk"
    make_workspace(db, port, feeds)
    ws = open_workspace(db)
    settle_heap()  # as the app does a few seconds after it opens

    async def run() -> tuple[float, float, float, str]:
        events = WorkspaceEvents()
        tasks = TaskRunner(ws, events)
        listening = Listening(ws, tasks, Keychain(), http=HttpClient())
        done = asyncio.Event()
        outcome: list[str] = []
        listening.fetch_finished.connect(
            lambda summary: (outcome.append(repr(summary)), done.set())
        )
        listening.status_changed.connect(
            lambda line: line.startswith("Fetching failed") and (outcome.append(line), done.set())
        )
        worst_qt, last_tick = [0.0], [time.perf_counter()]

        def on_tick() -> None:
            now = time.perf_counter()
            worst_qt[0] = max(worst_qt[0], now - last_tick[0] - 0.010)
            last_tick[0] = now

        timer = QTimer(interval=10, timerType=Qt.TimerType.PreciseTimer)
        timer.timeout.connect(on_tick)
        worst_async = [0.0]
        stop = asyncio.Event()
        probe = asyncio.ensure_future(_stall_probe(stop, worst_async))
        timer.start()
        last_tick[0] = time.perf_counter()
        started = time.perf_counter()
        listening.fetch(label="bench")
        await done.wait()
        elapsed = time.perf_counter() - started
        timer.stop()
        stop.set()
        await probe
        await listening.close()
        await tasks.shutdown()
        return elapsed, worst_qt[0], worst_async[0], outcome[0]

    try:
        with asyncio.Runner(loop_factory=lambda: qasync.QEventLoop(app)) as runner:
            elapsed, worst_qt, worst_async, outcome = runner.run(run())
    finally:
        ws.close()
    worst = max(worst_qt, worst_async)
    verdict = "ok" if worst < 0.100 else "OVER TARGET"
    print(f"in-app fetch (qasync + QApplication, Listening/TaskRunner) {elapsed:.2f} s, "
          f"{count_mentions(db)} stored")  # fmt: skip
    print(f"worst event-loop stall {worst * 1000:.0f} ms (Qt timer {worst_qt * 1000:.0f} ms, "
          f"asyncio {worst_async * 1000:.0f} ms; target < 100 ms: {verdict})")  # fmt: skip
    if "FetchSummary" not in outcome:
        print(f"  ! {outcome}")


def compare(tmp: Path, port: int, feeds: int, *, newsboat: bool) -> None:
    first, second = run_cmdesk(tmp, port, feeds)
    reference = run_newsboat(tmp, port, feeds) if newsboat else None
    if reference:
        print(f"ratio cmdesk/newsboat: cold {first / reference[0]:.2f}x (target <= 0.8x), "
              f"unchanged {second / reference[1]:.2f}x")  # fmt: skip
    print(f"targets: cold <= 8 s, unchanged < 2 s -> cold {first:.2f} s, "
          f"unchanged {second:.2f} s")  # fmt: skip


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--feeds", type=int, default=500)
    parser.add_argument("--no-newsboat", action="store_true")
    parser.add_argument("--stall-only", action="store_true", help="only the event-loop stall")
    args = parser.parse_args()
    proc, port = start_server(args.feeds)
    try:
        with tempfile.TemporaryDirectory() as name:
            tmp = Path(name)
            print(f"{args.feeds} feeds x 50 items from 127.0.0.1:{port}, {os.cpu_count()} cores")
            if not args.stall_only:
                compare(tmp, port, args.feeds, newsboat=not args.no_newsboat)
            measure_stall(tmp, port, args.feeds)
    finally:
        proc.terminate()
        proc.wait()


if __name__ == "__main__":
    main()
