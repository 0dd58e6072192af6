"""What the add/edit-source dialog shows after Test: the items a source would give, or why not.

:func:`run_preview` and :func:`run_discovery` are coroutines for the task runner (network on the
qasync loop, query matching in a worker thread); they turn a connector's failure into a plain
sentence in their result instead of raising, so the dialog shows the source's own words (“… has
no feed at this address (404 Not Found).”) rather than an exception name. :class:`PreviewPanel`
shows the outcome: a busy line, an error, feeds found on a web page to pick from, or the first
items with their date, author and whether each would become a mention (and through which query).
Titles and authors are shown as plain text, never rich text.
"""

from __future__ import annotations

import asyncio
from collections.abc import Sequence
from dataclasses import dataclass, field
from typing import Any

from PySide6.QtCore import Qt, Signal
from PySide6.QtWidgets import (
    QHBoxLayout,
    QHeaderView,
    QLabel,
    QListWidget,
    QListWidgetItem,
    QPushButton,
    QStackedWidget,
    QTreeWidget,
    QTreeWidgetItem,
    QVBoxLayout,
    QWidget,
)

from cmdesk.core.db import Workspace
from cmdesk.core.query import Document, QueryError, evaluate, parse
from cmdesk.core.services import queries
from cmdesk.keychain import KeychainError
from cmdesk.listening import engine
from cmdesk.listening.connectors.base import ConnectorError, FetchedItem, Http, SourceSpec
from cmdesk.listening.connectors.feed import FeedCandidate
from cmdesk.ui.sources.health import absolute_text

SHOWN_ITEMS = 25


@dataclass(frozen=True)
class PreviewItem:
    title: str
    published_at: int | None
    author: str
    matches: tuple[str, ...]  # names of the queries it matches
    is_mention: bool


@dataclass(frozen=True)
class PreviewResult:
    items: list[PreviewItem] = field(default_factory=list)
    total: int = 0
    error: str = ""
    queries: int = 0  # enabled queries the items were checked against


@dataclass(frozen=True)
class DiscoveryResult:
    candidates: list[FeedCandidate] = field(default_factory=list)
    error: str = ""


class SecretOverride:
    """The keychain as the preview sees it: the secret typed in the form wins over the stored one.

    ``engine.preview_source`` reads the secret by the source's account name; a secret typed in
    the form is not in the keychain yet (it is stored only when the source is saved).
    """

    def __init__(self, typed: str, keychain: Any) -> None:
        self.typed = typed
        self.keychain = keychain

    def get_secret(self, account: str) -> str | None:
        if self.typed:
            return self.typed
        if self.keychain is None or not self.keychain.status().available:
            return None
        try:
            return self.keychain.get_secret(account)  # type: ignore[no-any-return]
        except KeychainError:
            return None  # the connector then says it needs its secret


def match_items(
    items: Sequence[FetchedItem],
    rows: Sequence[queries.QueryRow],
    source_id: int | None,
    all_items_are_mentions: bool,
) -> list[PreviewItem]:
    """Which enabled queries each item matches, with ingest's source and language limits."""
    compiled = []
    for row in rows:
        if not row.enabled or (row.source_ids and source_id not in row.source_ids):
            continue
        try:
            compiled.append((row, parse(row.expression)))
        except QueryError:
            continue
    out = []
    for item in items[:SHOWN_ITEMS]:
        doc = Document(item.title, item.text)
        lang = (item.lang or "").lower()
        names = tuple(
            row.name
            for row, node in compiled
            if (row.language is None or lang.startswith(row.language.lower()))
            and evaluate(node, doc)
        )
        author = item.author_name or item.author_handle or ""
        out.append(
            PreviewItem(
                item.title or item.text[:120] or item.url or item.external_id,
                item.published_at,
                author,
                names,
                all_items_are_mentions or bool(names),
            )
        )
    return out


async def run_preview(
    ws: Workspace,
    spec: SourceSpec,
    http: Http,
    keychain: SecretOverride,
    all_items_are_mentions: bool,
) -> PreviewResult:
    try:
        items = await engine.preview_source(spec, http, keychain)  # type: ignore[arg-type]
    except ConnectorError as exc:
        return PreviewResult(error=str(exc))
    rows = await asyncio.to_thread(queries.list_queries, ws)
    source_id = spec.id or None
    matched = await asyncio.to_thread(match_items, items, rows, source_id, all_items_are_mentions)
    return PreviewResult(matched, len(items), queries=sum(1 for r in rows if r.enabled))


async def run_discovery(url: str, http: Http) -> DiscoveryResult:
    try:
        return DiscoveryResult(await engine.discover(url, http))
    except ConnectorError as exc:
        return DiscoveryResult(error=str(exc))


class PreviewPanel(QWidget):
    """Busy line, error, feeds to pick from, or the items; emits ``feed_chosen(url, title)``."""

    feed_chosen = Signal(str, str)

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.message = QLabel("Press Test to see what this source would bring in.")
        self.message.setObjectName("hint")
        self.message.setWordWrap(True)
        self.message.setTextFormat(Qt.TextFormat.PlainText)
        self.message.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)
        self.items = QTreeWidget()
        self.items.setRootIsDecorated(False)
        self.items.setUniformRowHeights(True)
        self.items.setHeaderLabels(["Title", "Date", "Author", "Becomes a mention"])
        header = self.items.header()
        header.setSectionResizeMode(0, QHeaderView.ResizeMode.Stretch)
        header.setStretchLastSection(False)
        for column, width in ((1, 130), (2, 120), (3, 170)):
            self.items.setColumnWidth(column, width)
        self.candidates = QListWidget()
        self.candidates.itemDoubleClicked.connect(self._on_candidate_chosen)
        self.use_feed = QPushButton("Use this feed")
        self.use_feed.clicked.connect(self._on_candidate_chosen)
        picker = QWidget()
        picker_layout = QVBoxLayout(picker)
        picker_layout.setContentsMargins(0, 0, 0, 0)
        picker_layout.addWidget(self.candidates)
        row = QHBoxLayout()
        row.addStretch(1)
        row.addWidget(self.use_feed)
        picker_layout.addLayout(row)
        self.stack = QStackedWidget()
        self.stack.addWidget(QWidget())  # nothing yet
        self.stack.addWidget(self.items)
        self.stack.addWidget(picker)
        layout = QVBoxLayout(self)
        layout.setContentsMargins(0, 0, 0, 0)
        layout.addWidget(self.message)
        layout.addWidget(self.stack, 1)
        self.error = ""

    def show_busy(self, text: str) -> None:
        self.error = ""
        self._say(text, error=False)
        self.stack.setCurrentIndex(0)

    def show_error(self, text: str) -> None:
        self.error = text
        self._say(text, error=True)
        self.stack.setCurrentIndex(0)

    def show_candidates(self, candidates: Sequence[FeedCandidate]) -> None:
        self.error = ""
        self._say(
            f"This is a web page, not a feed. It links to {len(candidates)} feeds: "
            "pick the one to follow.",
            error=False,
        )
        self.candidates.clear()
        for candidate in candidates:
            item = QListWidgetItem(f"{candidate.title or candidate.url}  ({candidate.format})")
            item.setToolTip(candidate.url)
            item.setData(Qt.ItemDataRole.UserRole, (candidate.url, candidate.title))
            self.candidates.addItem(item)
        self.candidates.setCurrentRow(0)
        self.stack.setCurrentIndex(2)

    def show_items(self, result: PreviewResult) -> None:
        self.error = ""
        self.items.clear()
        for item in result.items:
            if item.matches:
                verdict = "Yes: " + ", ".join(item.matches)
            else:
                verdict = "Yes: every item is a mention" if item.is_mention else "No"
            row = QTreeWidgetItem([
                item.title, absolute_text(item.published_at) or "no date", item.author or "—",
                verdict,
            ])  # fmt: skip
            row.setToolTip(0, item.title)
            row.setToolTip(3, verdict)
            self.items.addTopLevelItem(row)
        mentions = sum(1 for item in result.items if item.is_mention)
        if not result.total:
            text = "The source works but has no items right now."
        else:
            shown = len(result.items)
            first = f"the first {shown} of {result.total}" if shown < result.total else "all"
            text = f"The source works: {result.total} items ({first} shown), "
            text += f"{mentions} of them would become mentions"
            text += "." if result.queries else " — add a query to pick the ones that matter."
        self._say(text, error=False)
        self.stack.setCurrentIndex(1)

    def _say(self, text: str, *, error: bool) -> None:
        self.message.setText(text)
        self.message.setStyleSheet("color: #d1242f;" if error else "")

    def _on_candidate_chosen(self, *_args: object) -> None:
        item = self.candidates.currentItem()
        if item is not None:
            url, title = item.data(Qt.ItemDataRole.UserRole)
            self.feed_chosen.emit(url, title)
