import asyncio
import threading

import pytest

from cmdesk.core.changes import Changes
from cmdesk.core.models import Source
from cmdesk.ui.tasks import TaskRunner, WorkspaceEvents


@pytest.fixture
def runner(qt_loop, workspace):
    events = WorkspaceEvents()
    runner = TaskRunner(workspace, events)
    yield runner
    runner.cancel_all()


def test_coroutine_result_reaches_on_done(qtbot, runner):
    results = []

    async def work(progress):
        progress.update(1, 2, "half way")
        await asyncio.sleep(0.01)
        return 42

    runner.run("answer", work, label="Answering", on_done=results.append)
    qtbot.waitUntil(lambda: results == [42], timeout=3000)
    assert runner.running() == []


def test_thread_work_runs_off_the_ui_thread_and_reports_progress(qtbot, runner):
    seen_threads, progress_texts, results = [], [], []
    runner.task_progressed.connect(lambda info: progress_texts.append(info.text))

    def work(progress):
        seen_threads.append(threading.current_thread().name)
        progress.update(1, 1, "done counting")
        return "ok"

    runner.run_in_thread("count", work, label="Counting", on_done=results.append)
    qtbot.waitUntil(lambda: results == ["ok"], timeout=3000)
    assert seen_threads[0].startswith("cmdesk-worker")
    qtbot.waitUntil(lambda: "done counting" in progress_texts, timeout=3000)


def test_write_runs_on_the_writer_and_announces_changes_once(qtbot, runner, workspace):
    announced, results = [], []
    runner.events.changed.connect(announced.append)

    def add_source(name):
        Source.create(name=name, created_at=workspace.clock.now())
        return Changes(sources=True)

    runner.write("add", add_source, "Blog", label="Adding a source", on_done=results.append)
    qtbot.waitUntil(lambda: len(results) == 1, timeout=3000)
    assert announced == [Changes(sources=True)]
    assert Source.select().count() == 1


def test_a_creating_write_returning_id_and_changes_is_announced(qtbot, runner, workspace):
    announced, results = [], []
    runner.events.changed.connect(announced.append)

    def create(name):
        source = Source.create(name=name, created_at=workspace.clock.now())
        return source.id, Changes(sources=True)

    runner.write("create", create, "Forum", on_done=results.append)
    qtbot.waitUntil(lambda: len(results) == 1, timeout=3000)
    assert announced == [Changes(sources=True)]
    assert results[0][0] == Source.get(Source.name == "Forum").id


def test_a_write_with_nothing_changed_announces_nothing(qtbot, runner):
    announced, results = [], []
    runner.events.changed.connect(announced.append)
    runner.write("noop", lambda: (7, Changes()), on_done=results.append)
    qtbot.waitUntil(lambda: len(results) == 1, timeout=3000)
    assert results == [(7, Changes())] and announced == []


def test_failure_becomes_one_readable_line(qtbot, runner):
    failures, errors = [], []
    runner.task_failed.connect(lambda info, message: failures.append(message))

    def boom(progress):
        raise ValueError("the feed is not XML")

    runner.run_in_thread("parse", boom, label="Parsing", on_error=errors.append)
    qtbot.waitUntil(lambda: bool(failures), timeout=3000)
    assert failures == ["ValueError: the feed is not XML"]
    assert errors == failures


def test_latest_wins_cancels_the_previous_search(qtbot, runner):
    results = []

    async def slow(progress):
        await asyncio.sleep(5)
        return "old"

    async def fast(progress):
        return "new"

    first = runner.run("search", slow, latest_wins=True, on_done=results.append)
    runner.run("search", fast, latest_wins=True, on_done=results.append)
    qtbot.waitUntil(lambda: results == ["new"], timeout=3000)
    qtbot.waitUntil(first.done, timeout=3000)
    assert results == ["new"]


def test_cancel_from_the_status_bar_stops_thread_work_cleanly(qtbot, runner):
    from cmdesk.core.progress import Cancelled

    started = threading.Event()
    stopped = []

    def long_work(progress):
        started.set()
        try:
            for step in range(1000):
                progress.update(step, 1000)
                threading.Event().wait(0.005)
        except Cancelled:
            stopped.append(True)
            raise

    runner.run_in_thread("import", long_work, label="Importing")
    qtbot.waitUntil(started.is_set, timeout=3000)
    runner.cancel("import")
    qtbot.waitUntil(lambda: stopped == [True], timeout=3000)
    qtbot.waitUntil(lambda: runner.running() == [], timeout=3000)
