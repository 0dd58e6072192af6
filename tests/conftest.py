"""Shared test fixtures: a temp workspace, an in-memory keychain, offscreen Qt, a qasync loop.

Nothing here touches the internet or the real keychain: every test gets a fresh in-memory keyring
backend and its own ``CMDESK_HOME``.
"""

from __future__ import annotations

import asyncio
import os
from collections.abc import Iterator
from concurrent.futures import ThreadPoolExecutor
from datetime import UTC, datetime
from pathlib import Path

import keyring
import pytest
from keyring.backend import KeyringBackend

os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")

from cmdesk.core.clock import Clock, fixed_clock  # noqa: E402
from cmdesk.core.db import Workspace, open_workspace  # noqa: E402

FIXED_NOW = datetime(2026, 11, 20, 10, 0, tzinfo=UTC)


class MemoryKeyring(KeyringBackend):
    """A keyring backend that keeps secrets in a dict, for tests only."""

    priority = 1  # type: ignore[assignment]

    def __init__(self) -> None:
        super().__init__()
        self.secrets: dict[tuple[str, str], str] = {}

    def get_password(self, service: str, username: str) -> str | None:
        return self.secrets.get((service, username))

    def set_password(self, service: str, username: str, password: str) -> None:
        self.secrets[(service, username)] = password

    def delete_password(self, service: str, username: str) -> None:
        if (service, username) not in self.secrets:
            from keyring.errors import PasswordDeleteError

            raise PasswordDeleteError(username)
        del self.secrets[(service, username)]


@pytest.fixture(scope="session", autouse=True)
def one_qapplication(qapp):  # type: ignore[no-untyped-def]
    """Make the session's QApplication before any test runs.

    The report renderer makes a bare QGuiApplication when none exists (right for the headless
    CLI); if a report test ran first, every later widget test would abort on "QWidget without
    QApplication". One QApplication from the start serves both.
    """
    return qapp


@pytest.fixture(autouse=True)
def memory_keyring() -> Iterator[MemoryKeyring]:
    previous = keyring.get_keyring()
    backend = MemoryKeyring()
    keyring.set_keyring(backend)
    yield backend
    keyring.set_keyring(previous)


@pytest.fixture(autouse=True)
def cmdesk_home(tmp_path_factory: pytest.TempPathFactory, monkeypatch: pytest.MonkeyPatch) -> Path:
    home = tmp_path_factory.mktemp("cmdesk-home")
    monkeypatch.setenv("CMDESK_HOME", str(home))
    monkeypatch.delenv("CMDESK_DB", raising=False)
    return home


@pytest.fixture
def clock() -> Clock:
    return fixed_clock(FIXED_NOW)


@pytest.fixture
def workspace(tmp_path: Path, clock: Clock) -> Iterator[Workspace]:
    ws = open_workspace(tmp_path / "test.cmdesk", clock=clock)
    yield ws
    ws.close()


@pytest.fixture
def qt_loop(qapp) -> Iterator[asyncio.AbstractEventLoop]:  # type: ignore[no-untyped-def]
    """A qasync loop on the test QApplication; qtbot's waits also drive asyncio.

    Torn down by cancelling pending tasks, never ``loop.stop()`` (that makes every later qtbot
    wait return at once). Never call qtbot waits inside an ``async def`` test.
    """
    import qasync

    loop = qasync.QEventLoop(qapp, already_running=True)
    # qasync's default executor runs QThreads (asyncio's getaddrinfo uses it); one left alive at
    # interpreter exit aborts the process ("QThread: Destroyed while thread is still running").
    # Plain threads, shut down with the loop, cannot.
    executor = ThreadPoolExecutor(4, thread_name_prefix="test-default-executor")
    loop.set_default_executor(executor)
    asyncio.set_event_loop(loop)
    yield loop
    pending = [task for task in asyncio.all_tasks(loop) if not task.done()]
    for task in pending:
        task.cancel()
    asyncio.set_event_loop(None)
    # already_running=True registered it as the running loop; a later asyncio.run() in a
    # non-Qt test would otherwise refuse to start.
    asyncio.events._set_running_loop(None)
    executor.shutdown(wait=True, cancel_futures=True)
