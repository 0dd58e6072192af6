"""The one task runner: every background job of the UI starts, reports and ends here.

It keeps strong references to running tasks (asyncio only keeps weak ones), shows progress and a
cancel button through its signals, cancels the previous run of a ``latest_wins`` task (searches),
turns each failure into one readable line (and a log entry with the traceback), and announces what
a write changed exactly once through :class:`WorkspaceEvents`.

Three kinds of work:
- ``run``: a coroutine on the qasync loop (network).
- ``run_in_thread``: a blocking function in a worker thread (heavy reads, parsing, rendering).
- ``write``: a function on the workspace's single writer thread, in one transaction.
"""

from __future__ import annotations

import asyncio
import inspect
import itertools
import logging
from collections.abc import Awaitable, Callable
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass, field
from typing import Any

from PySide6.QtCore import QObject, Signal

from cmdesk.core.changes import Changes
from cmdesk.core.db import Workspace
from cmdesk.core.progress import Cancelled, Progress
from cmdesk.diagnostics import describe_exception

log = logging.getLogger(__name__)

DoneCallback = Callable[[Any], None] | None
ErrorCallback = Callable[[str], None] | None


def changes_in(result: Any) -> Changes | None:
    """The :class:`Changes` a write returned, or None.

    The result itself, its ``changes`` attribute, or the first :class:`Changes` in a returned
    tuple (the ``(new id, Changes)`` of creating services).
    """
    if isinstance(result, Changes):
        return result
    if isinstance(result, tuple):
        return next((item for item in result if isinstance(item, Changes)), None)
    found = getattr(result, "changes", None)
    return found if isinstance(found, Changes) else None


class WorkspaceEvents(QObject):
    """Announces what changed in the workspace, once per write."""

    changed = Signal(object)  # Changes


@dataclass(eq=False)
class TaskInfo:
    """What the status bar shows about one running task."""

    id: int
    name: str
    label: str
    progress: Progress
    done: int = 0
    total: int = 0
    text: str = ""
    task: asyncio.Task[Any] | None = field(default=None, repr=False)

    def cancel(self) -> None:
        self.progress.cancel()
        if self.task is not None:
            self.task.cancel()


class TaskRunner(QObject):
    """Owns every background job: strong references, progress, cancel, one-line errors."""

    task_started = Signal(object)  # TaskInfo
    task_progressed = Signal(object)  # TaskInfo
    task_finished = Signal(object)  # TaskInfo
    task_failed = Signal(object, str)  # TaskInfo, one readable line
    # Emitted from worker threads; Qt queues it to the UI thread.
    _progress_from_thread = Signal(object, int, int, str)

    def __init__(
        self, workspace: Workspace, events: WorkspaceEvents, parent: QObject | None = None
    ):
        super().__init__(parent)
        self.workspace = workspace
        self.events = events
        self._ids = itertools.count(1)
        self._running: dict[int, TaskInfo] = {}
        self._by_name: dict[str, TaskInfo] = {}
        self._threads = ThreadPoolExecutor(2, thread_name_prefix="cmdesk-worker")
        self._progress_from_thread.connect(self._on_progress)

    # -- public API ---------------------------------------------------------------------------

    def run(
        self,
        name: str,
        coro_fn: Callable[[Progress], Awaitable[Any]],
        *,
        label: str = "",
        latest_wins: bool = False,
        on_done: DoneCallback = None,
        on_error: ErrorCallback = None,
    ) -> asyncio.Task[Any]:
        """Run ``await coro_fn(progress)`` on the event loop.

        Like :meth:`write`, a result carrying ``Changes`` (a fetch summary does) is announced.
        """
        info = self._register(name, label, latest_wins)
        return self._start(info, coro_fn(info.progress), on_done, on_error, announce=True)

    def run_in_thread(
        self,
        name: str,
        fn: Callable[[Progress], Any],
        *,
        label: str = "",
        latest_wins: bool = False,
        on_done: DoneCallback = None,
        on_error: ErrorCallback = None,
    ) -> asyncio.Task[Any]:
        """Run ``fn(progress)`` in a worker thread; the UI thread never waits for it."""
        info = self._register(name, label, latest_wins)
        loop = asyncio.get_event_loop()

        async def in_thread() -> Any:
            return await loop.run_in_executor(self._threads, fn, info.progress)

        return self._start(info, in_thread(), on_done, on_error)

    def write(
        self,
        name: str,
        fn: Callable[..., Any],
        *args: Any,
        label: str = "",
        on_done: DoneCallback = None,
        on_error: ErrorCallback = None,
    ) -> asyncio.Task[Any]:
        """Run ``fn(*args)`` on the single writer thread in one transaction.

        A returned :class:`Changes` (or an object with a ``changes`` attribute, or a tuple holding
        one, such as the ``(new id, Changes)`` of creating services) is announced once through
        :attr:`WorkspaceEvents.changed` before ``on_done`` is called.
        """
        info = self._register(name, label, latest_wins=False)

        async def on_writer() -> Any:
            return await asyncio.wrap_future(self.workspace.write(fn, *args))

        return self._start(info, on_writer(), on_done, on_error, announce=True)

    def cancel(self, name: str) -> None:
        info = self._by_name.get(name)
        if info is not None:
            info.cancel()

    def cancel_all(self) -> None:
        for info in list(self._running.values()):
            info.cancel()

    def running(self) -> list[TaskInfo]:
        return list(self._running.values())

    async def shutdown(self) -> None:
        """Cancel every task, wait for them to end, then stop the worker threads."""
        tasks = [info.task for info in self._running.values() if info.task is not None]
        self.cancel_all()
        if tasks:
            await asyncio.gather(*tasks, return_exceptions=True)
        self._threads.shutdown(wait=True, cancel_futures=True)

    # -- internals ----------------------------------------------------------------------------

    def _register(self, name: str, label: str, latest_wins: bool) -> TaskInfo:
        previous = self._by_name.get(name)
        if latest_wins and previous is not None:
            previous.cancel()
        task_id = next(self._ids)

        def report(done: int, total: int, text: str) -> None:
            self._progress_from_thread.emit(task_id, done, total, text)

        info = TaskInfo(task_id, name, label or name, Progress(report))
        self._running[task_id] = info
        self._by_name[name] = info
        return info

    def _start(
        self,
        info: TaskInfo,
        coro: Awaitable[Any],
        on_done: DoneCallback,
        on_error: ErrorCallback,
        announce: bool = False,
    ) -> asyncio.Task[Any]:
        async def wrapper() -> Any:
            try:
                result = await coro
            except (asyncio.CancelledError, Cancelled):
                log.info("Task %s cancelled", info.name)
                self._finish(info)
                return None
            except Exception as exc:
                message = describe_exception(exc)
                log.error("Task %s failed: %s", info.name, message, exc_info=exc)
                self._finish(info)
                self.task_failed.emit(info, message)
                if on_error is not None:
                    on_error(message)
                return None
            self._finish(info)
            if announce:
                changes = changes_in(result)
                if changes:
                    self.events.changed.emit(changes)
            if on_done is not None:
                on_done(result)
            return result

        task = asyncio.ensure_future(wrapper())

        def finished(_task: asyncio.Task[Any]) -> None:
            # A task cancelled before it started never ran ``wrapper``: close its coroutine
            # and take it off the list here.
            if inspect.iscoroutine(coro):
                coro.close()
            self._finish(info)

        task.add_done_callback(finished)
        info.task = task
        self.task_started.emit(info)
        return task

    def _finish(self, info: TaskInfo) -> None:
        if self._running.pop(info.id, None) is None:
            return  # already finished
        if self._by_name.get(info.name) is info:
            del self._by_name[info.name]
        self.task_finished.emit(info)

    def _on_progress(self, task_id: int, done: int, total: int, text: str) -> None:
        info = self._running.get(task_id)
        if info is None:
            return
        info.done, info.total, info.text = done, total, text
        self.task_progressed.emit(info)
