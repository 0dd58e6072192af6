"""The reading pane: one mention in full, its author, notes, and the ways to act on it.

It shows what :func:`cmdesk.core.services.mention_detail.mention_detail` returns and asks the
inbox pane to do everything else through signals (the pane owns writes and navigation). Titles,
names and notes are shown as plain text; the body goes through :class:`SafeBrowser`, which loads
no resource but data: images until the user clicks "Load images" for this item.
"""

from __future__ import annotations

import html
import re
from datetime import datetime

from PySide6.QtCore import Qt, QUrl, Signal
from PySide6.QtWidgets import (
    QFrame,
    QGroupBox,
    QHBoxLayout,
    QLabel,
    QLineEdit,
    QListWidget,
    QListWidgetItem,
    QMenu,
    QPushButton,
    QScrollArea,
    QToolButton,
    QVBoxLayout,
    QWidget,
)

from cmdesk.core.services.canned_responses import CannedRow
from cmdesk.core.services.mention_detail import MentionDetail
from cmdesk.ui.inbox.delegates import mark_hits
from cmdesk.ui.inbox.list_model import STATE_TITLES
from cmdesk.ui.inbox.safe_browser import SafeBrowser

PRIORITY_TITLES = {0: "", 1: "Low priority", 2: "", 3: "High priority", 4: "Urgent"}


def plain_label(text: str = "", *, bold: bool = False, wrap: bool = True) -> QLabel:
    label = QLabel(text)
    label.setTextFormat(Qt.TextFormat.PlainText)
    label.setWordWrap(wrap)
    label.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)
    if bold:
        font = label.font()
        font.setBold(True)
        font.setPointSizeF(font.pointSizeF() * 1.15)
        label.setFont(font)
    return label


def _when(seconds: int) -> str:
    return datetime.fromtimestamp(seconds).astimezone().strftime("%d %b %Y %H:%M")


def body_html(detail: MentionDetail) -> str:
    """The stored (sanitised) HTML, or the plain text as escaped paragraphs."""
    if detail.html and detail.html.strip():
        return detail.html
    paragraphs = [p for p in re.split(r"\n\s*\n", detail.text) if p.strip()]
    return (
        "".join(f"<p>{html.escape(p).replace(chr(10), '<br>')}</p>" for p in paragraphs)
        or "<p><i>No text.</i></p>"
    )


class ReadingPane(QScrollArea):
    """Signals carry the mention id the user acted on."""

    open_original_requested = Signal(int)
    copy_link_requested = Signal(int)
    hand_off_requested = Signal(int)
    hand_off_mail_requested = Signal(int)
    route_requested = Signal(int)
    reply_requested = Signal(int, int)  # mention id, canned response id
    load_images_requested = Signal(int)
    note_added = Signal(int, str)
    contact_requested = Signal(int)  # contact id
    add_to_contacts_requested = Signal(int)  # author id
    author_mentions_requested = Signal(int)  # author id
    mention_requested = Signal(int)  # an earlier mention was clicked

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setWidgetResizable(True)
        self.setFrameShape(QFrame.Shape.NoFrame)
        self.detail: MentionDetail | None = None
        inner = QWidget()
        layout = QVBoxLayout(inner)
        layout.setContentsMargins(12, 10, 12, 10)
        self.title = plain_label(bold=True)
        self.meta = plain_label()
        self.meta.setStyleSheet("color: palette(placeholder-text);")
        self.triage = plain_label()
        layout.addWidget(self.title)
        layout.addWidget(self.meta)
        layout.addWidget(self.triage)
        layout.addLayout(self._build_actions())
        self.browser = SafeBrowser()
        self.browser.setMinimumHeight(180)
        self.browser.link_clicked.connect(self._on_browser_link_clicked)
        layout.addWidget(self.browser, 3)
        layout.addWidget(self._build_author())
        layout.addWidget(self._build_notes())
        self.setWidget(inner)
        self.show_detail(None)

    def _build_actions(self) -> QHBoxLayout:
        row = QHBoxLayout()
        self.open_button = QPushButton("Open original")
        self.open_button.clicked.connect(lambda: self._emit(self.open_original_requested))
        self.copy_button = QPushButton("Copy link")
        self.copy_button.clicked.connect(lambda: self._emit(self.copy_link_requested))
        self.reply_button = QToolButton()
        self.reply_button.setText("Reply with…")
        self.reply_button.setPopupMode(QToolButton.ToolButtonPopupMode.InstantPopup)
        self.reply_menu = QMenu(self.reply_button)
        self.reply_button.setMenu(self.reply_menu)
        self.handoff_button = QPushButton("Copy as hand-off")
        self.handoff_button.clicked.connect(lambda: self._emit(self.hand_off_requested))
        self.mail_button = QPushButton("Open as e-mail")
        self.mail_button.setToolTip(
            "The hand-off in your mail program, to the department's address"
        )
        self.mail_button.clicked.connect(lambda: self._emit(self.hand_off_mail_requested))
        self.route_button = QPushButton("Route…")
        self.route_button.clicked.connect(lambda: self._emit(self.route_requested))
        self.images_button = QPushButton("Load images")
        self.images_button.setToolTip("Fetch this mention's remote images (off by default)")
        self.images_button.clicked.connect(lambda: self._emit(self.load_images_requested))
        for widget in (
            self.open_button,
            self.copy_button,
            self.reply_button,
            self.handoff_button,
            self.mail_button,
            self.route_button,
            self.images_button,
        ):
            row.addWidget(widget)
        row.addStretch(1)
        return row

    def _build_author(self) -> QGroupBox:
        box = QGroupBox("Author")
        layout = QVBoxLayout(box)
        self.author_name = plain_label(bold=False)
        self.author_facts = plain_label()
        buttons = QHBoxLayout()
        self.contact_button = QPushButton("Open contact")
        self.contact_button.clicked.connect(self._on_contact_clicked)
        self.add_contact_button = QPushButton("Add author to contacts")
        self.add_contact_button.clicked.connect(self._on_add_contact_clicked)
        self.all_by_author = QPushButton("All their mentions")
        self.all_by_author.clicked.connect(self._on_all_by_author_clicked)
        for button in (self.contact_button, self.add_contact_button, self.all_by_author):
            buttons.addWidget(button)
        buttons.addStretch(1)
        self.earlier = QListWidget()
        self.earlier.setMaximumHeight(110)
        self.earlier.itemActivated.connect(self._on_earlier_activated)
        self.earlier.itemClicked.connect(self._on_earlier_activated)
        layout.addWidget(self.author_name)
        layout.addWidget(self.author_facts)
        layout.addLayout(buttons)
        layout.addWidget(plain_label("Earlier mentions"))
        layout.addWidget(self.earlier)
        self.author_box = box
        return box

    def _build_notes(self) -> QGroupBox:
        box = QGroupBox("Internal notes")
        layout = QVBoxLayout(box)
        self.notes_label = plain_label()
        self.note_edit = QLineEdit()
        self.note_edit.setPlaceholderText("Add a note for the team and press Enter")
        self.note_edit.returnPressed.connect(self._on_note_entered)
        layout.addWidget(self.notes_label)
        layout.addWidget(self.note_edit)
        self.notes_box = box
        return box

    # -- showing ------------------------------------------------------------------------------

    def set_canned_responses(self, responses: list[CannedRow]) -> None:
        self.reply_menu.clear()
        for response in responses:
            action = self.reply_menu.addAction(response.name)
            action.setToolTip(response.body)
            action.triggered.connect(
                lambda _=False, rid=response.id: (
                    self.detail and self.reply_requested.emit(self.detail.row.id, rid)
                )
            )
        if not responses:
            self.reply_menu.addAction(
                "No canned responses yet — add them in Inbox ▸ Canned"
            ).setEnabled(False)

    def show_detail(
        self, detail: MentionDetail | None, highlight: re.Pattern[str] | None = None
    ) -> None:
        self.detail = detail
        has = detail is not None
        for widget in (
            self.open_button,
            self.copy_button,
            self.reply_button,
            self.handoff_button,
            self.mail_button,
            self.route_button,
            self.images_button,
            self.note_edit,
        ):
            widget.setEnabled(has)
        self.author_box.setVisible(has and detail.author is not None)
        self.notes_box.setVisible(has)
        if detail is None:
            self._show_title("Select a mention to read it here.", None)
            self.meta.setText("")
            self.triage.setText("")
            self.browser.show_html("")
            return
        row = detail.row
        self._show_title(row.title or row.snippet[:120] or "(no title)", highlight)
        sentiment = f" · {row.sentiment_label}" if row.sentiment_label else ""
        self.meta.setText(
            f"{row.author or 'Unknown author'} on {row.source_name} · {_when(row.published_at)}"
            f"{sentiment}{' · ' + row.lang if row.lang else ''}"
        )
        self.triage.setText(self._triage_text(detail))
        self.open_button.setEnabled(bool(detail.url))
        self.copy_button.setEnabled(bool(detail.url))
        self.browser.show_html(body_html(detail))
        self.browser.highlight(highlight)
        self.images_button.setEnabled(bool(self.browser.image_urls()))
        self._show_author(detail)
        self._show_notes(detail)

    def _show_title(self, title: str, highlight: re.Pattern[str] | None) -> None:
        """The title, its search hits marked; untrusted text is only ever shown escaped."""
        hits = highlight is not None and highlight.search(title) is not None
        if hits:
            # Rich text only for our own markup around escaped text (mark_hits escapes all of
            # the title): a tag in a feed's title is shown as text and never interpreted.
            self.title.setTextFormat(Qt.TextFormat.RichText)
            self.title.setText(mark_hits(title, highlight))
        else:
            self.title.setTextFormat(Qt.TextFormat.PlainText)
            self.title.setText(title)

    def _triage_text(self, detail: MentionDetail) -> str:
        row = detail.row
        parts = [STATE_TITLES.get(row.state, row.state)]
        if PRIORITY_TITLES.get(row.priority):
            parts.append(PRIORITY_TITLES[row.priority])
        if row.starred:
            parts.append("★ starred")
        if row.assignee:
            parts.append(f"assigned to {row.assignee}")
        if row.department:
            routed = f"routed to {row.department}"
            if detail.routing_note:
                routed += f" (“{detail.routing_note}”)"
            parts.append(routed)
        if row.needs_response and not row.responded_at:
            parts.append("needs a response")
        if row.responded_at:
            parts.append(f"responded {_when(row.responded_at)} by {detail.responded_by or '?'}")
        if row.tags:
            parts.append("tags: " + ", ".join(row.tags))
        if detail.queries:
            parts.append("matched: " + ", ".join(name for _, name, _ in detail.queries))
        return " · ".join(parts)

    def _show_author(self, detail: MentionDetail) -> None:
        author = detail.author
        self.earlier.clear()
        if author is None:
            return
        title = author.contact_name or author.name or author.handle
        if author.contact_lists:
            title += "  [" + ", ".join(author.contact_lists) + "]"
        self.author_name.setText(title)
        facts = [f"@{author.handle} on {author.network}"]
        if author.reach is not None:
            facts.append(f"reach {author.reach:,}")
        facts.append(f"{author.mention_count} mention{'s' if author.mention_count != 1 else ''}")
        self.author_facts.setText(" · ".join(facts))
        self.contact_button.setVisible(author.contact_id is not None)
        self.add_contact_button.setVisible(author.contact_id is None)
        for mention_id, published_at, title_text in author.earlier:
            item = QListWidgetItem(f"{_when(published_at)}  {title_text or '(no title)'}")
            item.setData(Qt.ItemDataRole.UserRole, mention_id)
            self.earlier.addItem(item)

    def _show_notes(self, detail: MentionDetail) -> None:
        if not detail.notes:
            self.notes_label.setText("No notes yet.")
            return
        self.notes_label.setText(
            "\n".join(f"{_when(n.created_at)} — {n.author}: {n.body}" for n in detail.notes)
        )

    # -- slots --------------------------------------------------------------------------------

    def _emit(self, signal: Signal) -> None:
        if self.detail is not None:
            signal.emit(self.detail.row.id)

    def _on_reply_chosen(self, response_id: int) -> None:
        if self.detail is not None:
            self.reply_requested.emit(self.detail.row.id, response_id)

    def _on_browser_link_clicked(self, url: QUrl) -> None:
        if url.scheme() in ("http", "https"):
            from PySide6.QtGui import QDesktopServices

            QDesktopServices.openUrl(url)

    def _on_contact_clicked(self) -> None:
        if self.detail and self.detail.author and self.detail.author.contact_id:
            self.contact_requested.emit(self.detail.author.contact_id)

    def _on_add_contact_clicked(self) -> None:
        if self.detail and self.detail.author:
            self.add_to_contacts_requested.emit(self.detail.author.author_id)

    def _on_all_by_author_clicked(self) -> None:
        if self.detail and self.detail.author:
            self.author_mentions_requested.emit(self.detail.author.author_id)

    def _on_earlier_activated(self, item: QListWidgetItem) -> None:
        self.mention_requested.emit(int(item.data(Qt.ItemDataRole.UserRole)))

    def _on_note_entered(self) -> None:
        text = self.note_edit.text().strip()
        if text and self.detail is not None:
            self.note_added.emit(self.detail.row.id, text)
            self.note_edit.clear()
