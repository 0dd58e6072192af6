"""The parse pool starts its workers off the calling thread, at the first task only."""

from __future__ import annotations

import asyncio
import os
import threading

import pytest

from cmdesk.listening.parse_pool import ParsePool


def _pid_and_niceness() -> tuple[int, int]:
    return os.getpid(), os.nice(0)


def test_nothing_starts_until_a_task_and_results_come_back() -> None:
    pool = ParsePool(workers=2)
    assert pool._ready is None  # a fetch whose feeds all answer 304 starts no process
    try:
        pid, niceness = pool.submit(_pid_and_niceness).result(timeout=60)
        assert pid != os.getpid()
        assert niceness > os.nice(0)  # workers yield the cores to the app
        assert pool.submit(pow, 2, 10).result(timeout=60) == 1024
        with pytest.raises(ZeroDivisionError):
            pool.submit(divmod, 1, 0).result(timeout=60)
    finally:
        pool.shutdown(wait=True)
    with pytest.raises(RuntimeError):
        pool.submit(pow, 2, 2)


def test_the_event_loop_thread_never_starts_a_worker() -> None:
    starters: list[str] = []
    original = threading.Thread.start

    async def run() -> int:
        pool = ParsePool(workers=2)
        try:
            loop = asyncio.get_running_loop()
            results = await asyncio.gather(
                *(loop.run_in_executor(pool, pow, 3, n) for n in range(6))
            )
            return sum(results)
        finally:
            pool.shutdown(wait=False)

    def spy(thread: threading.Thread) -> None:
        starters.append(threading.current_thread().name)
        original(thread)

    threading.Thread.start = spy  # type: ignore[method-assign]
    try:
        assert asyncio.run(run()) == sum(3**n for n in range(6))
    finally:
        threading.Thread.start = original  # type: ignore[method-assign]
    # The loop's thread starts only the pool's starter thread; processes and the pool's
    # management thread are started from that starter thread.
    assert starters.count("MainThread") == 1
