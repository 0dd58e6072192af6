"""Background listening while the app is open: fetch due sources at start-up and every minute.

One :class:`Listening` per window owns the shared HTTP client (closed on shutdown) and starts
fetches through the task runner, so they show in the status bar and can be cancelled. Background
fetching follows the workspace's setting (``workspace.background_fetching``): switched on or off
in the Sources pane or by ``cmdesk sources auto-fetch``, it starts or stops at once. Offline is
said once in the status bar, not as a hundred errors; the next tick tries again, and a network
that comes back (when Qt can tell) triggers a fetch at once.
"""

from __future__ import annotations

import asyncio
import importlib
import logging
from collections.abc import Sequence
from typing import TYPE_CHECKING

from PySide6.QtCore import QObject, QTimer, Signal
from PySide6.QtNetwork import QNetworkInformation

from cmdesk.core.changes import Changes
from cmdesk.core.db import Workspace
from cmdesk.core.progress import Progress
from cmdesk.core.services import workspace as workspace_service
from cmdesk.keychain import Keychain
from cmdesk.ui.tasks import TaskRunner

if TYPE_CHECKING:  # the engine is imported when first used: ~150 ms off the app's start
    from cmdesk.listening import engine
    from cmdesk.listening.connectors.base import FetchedItem, SourceSpec
    from cmdesk.listening.connectors.feed import FeedCandidate
    from cmdesk.listening.http import HttpClient

log = logging.getLogger(__name__)

TICK_MS = 60_000
FIRST_FETCH_MS = 1_500
TASK_NAME = "fetch"


def describe(summary: engine.FetchSummary) -> str:
    """One status-bar line for a finished fetch."""
    if summary.offline:
        return "Offline: sources will be fetched again when the network is back."
    parts = [f"{summary.new_mentions} new mention{'s' if summary.new_mentions != 1 else ''}"]
    if summary.unchanged:
        parts.append(f"{summary.unchanged} unchanged")
    if summary.failed:
        parts.append(f"{len(summary.failed)} failed (see Sources)")
    if summary.waiting:
        parts.append(f"{len(summary.waiting)} paused until a keychain is available")
    checked = summary.fetched + summary.unchanged + len(summary.failed)
    return f"Checked {checked} source{'s' if checked != 1 else ''}: " + ", ".join(parts) + "."


# What the first fetch would import on the UI thread (anyio's backend at the first connection,
# the process pool's spawning, the after-ingest pipeline): ~35 modules, each read twice over by
# PySide6's import hook, measured as 50-100 ms stalls. Imported in a worker thread instead.
WARM_MODULES = (
    "cmdesk.listening.engine",
    "anyio._backends._asyncio",
    "httpcore._backends.anyio",
    "multiprocessing.popen_spawn_posix",
    "multiprocessing.popen_spawn_win32",
    "multiprocessing.synchronize",
    "multiprocessing.resource_tracker",
    "cmdesk.core.analysis.pipeline",
)


def _prepare_http() -> HttpClient:
    """Build the HTTP layer and import what fetching needs (in a worker thread)."""
    from cmdesk.listening.http import HttpClient

    for name in WARM_MODULES:
        try:
            importlib.import_module(name)
        except ImportError:  # the other platform's module
            continue
    return HttpClient()


class Listening(QObject):
    """The app's listening engine: scheduling, fetch now, test a source, find feeds."""

    fetch_finished = Signal(object)  # engine.FetchSummary
    status_changed = Signal(str)  # a line for the status bar
    background_changed = Signal(bool)  # background fetching started (True) or stopped

    def __init__(
        self,
        workspace: Workspace,
        tasks: TaskRunner,
        keychain: Keychain,
        *,
        http: HttpClient | None = None,
        parent: QObject | None = None,
    ) -> None:
        super().__init__(parent)
        self.workspace = workspace
        self.tasks = tasks
        self.keychain = keychain
        self._http = http
        self._fetching = False
        self._was_offline = False
        self._started = False
        self._timer = QTimer(self)
        self._timer.setInterval(TICK_MS)
        self._timer.timeout.connect(self._on_timer_timeout)
        self._first_fetch = QTimer(self, singleShot=True, interval=FIRST_FETCH_MS)
        self._first_fetch.timeout.connect(self._on_timer_timeout)
        tasks.events.changed.connect(self._on_events_changed)
        self._watch_network()

    async def client(self) -> HttpClient:
        """The shared HTTP layer, built in a worker thread the first time.

        Building it loads the system's TLS certificates and imports httpx's transport modules
        (which PySide6's import hook reads the source of): ~150 ms that would stall the UI.
        """
        if self._http is None:
            http = await asyncio.to_thread(_prepare_http)
            if self._http is None:  # another caller may have built one meanwhile
                self._http = http
            else:
                await http.close()
        return self._http

    def start(self) -> None:
        """Begin background fetching if this workspace wants it (and follow the setting after)."""
        self._started = True
        self._follow_setting()

    def _follow_setting(self) -> None:
        wanted = workspace_service.background_fetching(self.workspace)
        if wanted == self._timer.isActive():
            return
        if wanted:
            log.info("Background fetching is on")
            self._timer.start()
            self._first_fetch.start()
        else:
            log.info("Background fetching is off for this workspace")
            self._timer.stop()
            self._first_fetch.stop()
        self.background_changed.emit(wanted)

    def _on_events_changed(self, changes: Changes) -> None:
        if self._started and (changes.settings or changes.workspace):
            self._follow_setting()

    @property
    def active(self) -> bool:
        return self._timer.isActive()

    def fetch(self, source_ids: Sequence[int] | None = None, label: str = "") -> None:
        """Fetch the given sources now (default: the due ones), unless a fetch is running."""
        if self._fetching:
            return
        self._fetching = True
        ids = list(source_ids) if source_ids is not None else None

        async def work(progress: Progress) -> engine.FetchSummary:
            http = await self.client()  # imports the engine in a worker thread first
            from cmdesk.listening import engine

            return await engine.fetch_sources(
                self.workspace, http, ids, progress, keychain=self.keychain
            )

        self.tasks.run(
            TASK_NAME,
            work,
            label=label or "Fetching sources",
            on_done=self._on_fetch_done,
            on_error=self._on_fetch_error,
        )

    async def preview(self, spec: SourceSpec) -> list[FetchedItem]:
        http = await self.client()
        from cmdesk.listening import engine

        return await engine.preview_source(spec, http, self.keychain)

    async def discover(self, url: str) -> list[FeedCandidate]:
        http = await self.client()
        from cmdesk.listening import engine

        return await engine.discover(url, http)

    async def close(self) -> None:
        self._started = False
        self._timer.stop()
        self._first_fetch.stop()
        if self._http is not None:
            await self._http.close()
            self._http = None

    # -- internals ----------------------------------------------------------------------------

    def _on_timer_timeout(self) -> None:
        self.fetch(label="Fetching due sources")

    def _on_fetch_done(self, summary: engine.FetchSummary | None) -> None:
        self._fetching = False
        if summary is None:  # cancelled
            return
        if summary.offline:
            if not self._was_offline:
                self.status_changed.emit(describe(summary))
            self._was_offline = True
        else:
            self._was_offline = False
            if summary.fetched or summary.unchanged or summary.failed:
                self.status_changed.emit(describe(summary))
        self.fetch_finished.emit(summary)

    def _on_fetch_error(self, message: str) -> None:
        self._fetching = False
        self.status_changed.emit(f"Fetching failed: {message}")

    def _watch_network(self) -> None:
        try:
            if not QNetworkInformation.loadDefaultBackend():
                return
            info = QNetworkInformation.instance()
        except (RuntimeError, AttributeError):
            return
        if info is not None:
            info.reachabilityChanged.connect(self._on_reachability_changed)

    def _on_reachability_changed(self, reachability: QNetworkInformation.Reachability) -> None:
        if reachability == QNetworkInformation.Reachability.Online and self._was_offline:
            log.info("Network is back: fetching due sources")
            asyncio.get_event_loop().call_soon(self._on_timer_timeout)
