"""The process pool that parses feeds and prepares mentions, started off the event loop.

Imports no Qt. Parsing (feedparser), matching, sentiment and sanitising run in worker processes
(both cores). Two things about starting them matter to the app:

- Starting a worker forks the calling process (~25 ms each for the app's size, the GIL held).
  ``ProcessPoolExecutor`` starts one whenever a task finds no idle worker, so left to itself it
  forks on the event loop during the first parses, and the window stutters.
- A fetch where every feed answers 304 parses nothing and should start nothing.

:class:`ParsePool` therefore starts its workers in a thread of its own at the first submitted
task, and hands tasks to them once they run. Workers run at a lower CPU priority than the app,
so on a two-core laptop the UI thread wins the cores while they parse.
"""

from __future__ import annotations

import contextlib
import multiprocessing
import os
import threading
import time
from collections.abc import Callable
from concurrent.futures import Executor, Future, ProcessPoolExecutor
from typing import Any, TypeVar

PARSE_WORKERS = 2
WORKER_NICENESS = 5

T = TypeVar("T")


def _lower_priority() -> None:
    """Pool initializer: parse at a lower CPU priority than the process that waits for it."""
    with contextlib.suppress(AttributeError, OSError):  # not here, or not allowed: parse anyway
        os.nice(WORKER_NICENESS)


def new_parse_pool(workers: int = PARSE_WORKERS) -> ProcessPoolExecutor:
    """A plain process pool (spawned: safe beside Qt threads) whose workers start on demand."""
    return ProcessPoolExecutor(
        workers, mp_context=multiprocessing.get_context("spawn"), initializer=_lower_priority
    )


def ready_parse_pool(workers: int = PARSE_WORKERS) -> ProcessPoolExecutor:
    """A pool whose workers all run already (a short task each). Blocking: not on the loop."""
    pool = new_parse_pool(workers)
    for started in [pool.submit(time.sleep, 0.05) for _ in range(workers)]:
        started.result()
    return pool


class ParsePool(Executor):
    """An executor over a :func:`ready_parse_pool` started in a thread at the first task."""

    def __init__(self, workers: int = PARSE_WORKERS) -> None:
        self._workers = workers
        self._lock = threading.Lock()
        self._ready: Future[ProcessPoolExecutor] | None = None
        self._closed = False

    def _pool(self) -> Future[ProcessPoolExecutor]:
        with self._lock:
            if self._closed:
                raise RuntimeError("cannot schedule new futures after shutdown")
            if self._ready is None:
                ready: Future[ProcessPoolExecutor] = Future()
                self._ready = ready

                def start() -> None:
                    try:
                        ready.set_result(ready_parse_pool(self._workers))
                    except BaseException as exc:  # handed to every task waiting for the pool
                        ready.set_exception(exc)

                threading.Thread(target=start, name="cmdesk-parse-pool", daemon=True).start()
            return self._ready

    def submit(self, fn: Callable[..., T], /, *args: Any, **kwargs: Any) -> Future[T]:
        result: Future[T] = Future()

        def hand_over(ready: Future[ProcessPoolExecutor]) -> None:
            if result.cancelled():  # nobody waits for it any more
                return
            try:
                task = ready.result().submit(fn, *args, **kwargs)
            except BaseException as exc:  # the pool did not start, or is broken or shut down
                result.set_exception(exc)
                return
            task.add_done_callback(lambda done: _copy(done, result))

        self._pool().add_done_callback(hand_over)
        return result

    def shutdown(self, wait: bool = True, *, cancel_futures: bool = False) -> None:
        with self._lock:
            self._closed = True
            ready = self._ready
        if ready is None:
            return

        def stop(started: Future[ProcessPoolExecutor]) -> None:
            if started.exception() is None:
                started.result().shutdown(wait=wait, cancel_futures=cancel_futures)

        if wait:
            stop(ready)  # waits for the start to end, then for the workers
        else:
            ready.add_done_callback(stop)


def _copy(source: Future[T], target: Future[T]) -> None:
    if target.done():  # cancelled by whoever awaited it
        return
    if source.cancelled():
        target.cancel()
    elif (exc := source.exception()) is not None:
        target.set_exception(exc)
    else:
        target.set_result(source.result())
