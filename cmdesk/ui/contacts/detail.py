"""The contact detail panel: photo, profile, influence (with its formula), handles, notes, timeline.

The profile and the first timeline page are indexed reads of a few milliseconds, read on the UI
thread; the influence figures scan the person's mentions and are read in a worker thread. Every
write (notes, interactions, snooze...) goes to the writer through the task runner; the pane
refreshes from ``on_changes``.
"""

from __future__ import annotations

from PySide6.QtCore import Qt, Signal
from PySide6.QtWidgets import (
    QCheckBox,
    QGridLayout,
    QHBoxLayout,
    QLabel,
    QListWidget,
    QListWidgetItem,
    QPlainTextEdit,
    QPushButton,
    QScrollArea,
    QVBoxLayout,
    QWidget,
)

from cmdesk.core.services import contacts as svc
from cmdesk.core.services import contacts_activity as act
from cmdesk.core.services import contacts_influence as infl
from cmdesk.core.services import keep_in_touch as kit
from cmdesk.ui.contacts.avatar import Avatar
from cmdesk.ui.contacts.dialogs import network_title
from cmdesk.ui.contacts.list_model import day_text
from cmdesk.ui.contacts.sentiment_bars import SentimentBars
from cmdesk.ui.pane import PaneContext

TIMELINE_PAGE = 100
KIND_MARKS = {
    "mention": "Mention",
    "interaction": "Contact",
    "contribution": "Contribution",
    "calendar": "Calendar",
}


def _label(text: str = "", name: str = "") -> QLabel:
    label = QLabel(text)
    label.setTextFormat(Qt.TextFormat.PlainText)
    label.setWordWrap(True)
    label.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)
    if name:
        label.setObjectName(name)
    return label


class ContactDetailPanel(QWidget):
    """Everything about one contact; ``action_requested(name)`` asks the pane to act on it."""

    action_requested = Signal(str)  # "edit", "log", "today", "snooze", "contribution", "merge"
    mention_opened = Signal(int)
    calendar_item_opened = Signal(int, int)  # item id, the occurrence's start
    entry_delete_requested = Signal(str, int)  # "interaction" or "contribution", its id

    def __init__(self, ctx: PaneContext, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.ctx = ctx
        self.contact_id: int | None = None
        self.avatar = Avatar(72)
        self.name = _label(name="contactName")
        font = self.name.font()
        font.setPointSizeF(font.pointSizeF() * 1.5)
        font.setBold(True)
        self.name.setFont(font)
        self.subtitle = _label()
        self.facts = _label()
        self.influence = _label(name="influence")
        self.sentiment_bars = SentimentBars()
        self.formula = _label(infl.FORMULA, "hint")
        self.formula.setStyleSheet("color: palette(mid); font-size: 90%;")
        self.handles = _label()
        self.details = _label()
        self.notes = QPlainTextEdit()
        self.notes.setPlaceholderText("Notes about this person")
        self.notes.setFixedHeight(90)
        self.save_notes = QPushButton("Save notes")
        self.save_notes.clicked.connect(self._on_save_notes_clicked)
        buttons = QGridLayout()
        for n, (key, text) in enumerate((
            ("edit", "Edit…"), ("log", "Log interaction…"), ("today", "Logged contact today"),
            ("snooze", "Snooze 7 days"), ("contribution", "Log contribution…"),
            ("merge", "Similar names…"),
        )):  # fmt: skip
            button = QPushButton(text)
            button.clicked.connect(lambda _=False, k=key: self.action_requested.emit(k))
            buttons.addWidget(button, n // 3, n % 3)
        self.kind_boxes: dict[str, QCheckBox] = {}
        kinds = QHBoxLayout()
        kinds.addWidget(QLabel("Timeline:"))
        for kind in act.TIMELINE_KINDS:
            box = QCheckBox(act.TIMELINE_TITLES[kind])
            box.setChecked(True)
            box.toggled.connect(self._load_timeline)
            self.kind_boxes[kind] = box
            kinds.addWidget(box)
        kinds.addStretch(1)
        self.timeline = QListWidget()
        self.timeline.setObjectName("contactTimeline")
        self.timeline.itemActivated.connect(self._on_timeline_item_activated)
        self.timeline.currentItemChanged.connect(self._on_timeline_current_changed)
        self.more = QPushButton("Older entries")
        self.more.clicked.connect(self._on_more_clicked)
        self.delete_entry = QPushButton("Delete entry…")
        self.delete_entry.setToolTip("Delete the selected interaction or contribution")
        self.delete_entry.setEnabled(False)
        self.delete_entry.clicked.connect(self._on_delete_entry_clicked)

        titles = QVBoxLayout()
        titles.addStretch(1)
        titles.addWidget(self.name)
        titles.addWidget(self.subtitle)
        titles.addStretch(1)
        header = QHBoxLayout()
        header.addWidget(self.avatar, 0, Qt.AlignmentFlag.AlignTop)
        header.addSpacing(8)
        header.addLayout(titles, 1)
        body = QWidget()
        grid = QGridLayout(body)
        grid.addLayout(header, 0, 0, 2, 2)
        grid.addWidget(self.facts, 2, 0, 1, 2)
        grid.addLayout(buttons, 3, 0, 1, 2)
        grid.addWidget(_label("Influence", "sectionTitle"), 4, 0)
        grid.addWidget(_label("Handles and details", "sectionTitle"), 4, 1)
        influence = QVBoxLayout()
        influence.addWidget(self.influence)
        influence.addWidget(self.sentiment_bars)
        grid.addLayout(influence, 5, 0)
        grid.addWidget(self.formula, 6, 0)
        right = QVBoxLayout()  # handles, then details, from the top beside the influence
        right.addWidget(self.handles)
        right.addWidget(self.details)
        right.addStretch(1)
        grid.addLayout(right, 5, 1, 2, 1)
        grid.addWidget(self.notes, 7, 0, 1, 2)
        grid.addWidget(self.save_notes, 8, 1, Qt.AlignmentFlag.AlignRight)
        grid.addLayout(kinds, 9, 0, 1, 2)
        grid.addWidget(self.timeline, 10, 0, 1, 2)
        grid.addWidget(self.more, 11, 0, 1, 1, Qt.AlignmentFlag.AlignLeft)
        grid.addWidget(self.delete_entry, 11, 1, 1, 1, Qt.AlignmentFlag.AlignRight)
        grid.setRowStretch(10, 1)
        grid.setColumnStretch(0, 1)
        grid.setColumnStretch(1, 1)
        scroll = QScrollArea()
        scroll.setWidgetResizable(True)
        scroll.setHorizontalScrollBarPolicy(Qt.ScrollBarPolicy.ScrollBarAlwaysOff)
        scroll.setWidget(body)
        layout = QVBoxLayout(self)
        layout.setContentsMargins(0, 0, 0, 0)
        layout.addWidget(scroll)
        self._oldest: int | None = None

    # -- showing a contact --------------------------------------------------------------------

    def show_contact(self, contact_id: int | None) -> None:
        self.contact_id = contact_id
        profile = svc.contact_profile(self.ctx.workspace, contact_id) if contact_id else None
        self.setEnabled(profile is not None)
        if profile is None:
            self.name.setText("No contact selected")
            self.avatar.clear()
            for label in (self.subtitle, self.facts, self.influence, self.handles, self.details):
                label.clear()
            self.sentiment_bars.clear()
            self.notes.clear()
            self.timeline.clear()
            return
        self._show_profile(profile)
        self.influence.setText("Reading mentions…")
        self.sentiment_bars.clear()
        self._load_timeline()
        ws = self.ctx.workspace
        self.ctx.tasks.run_in_thread(
            "contacts.influence",
            lambda _p: infl.contact_influence(ws, contact_id),
            label="Reading a contact's figures",
            latest_wins=True,
            on_done=self._on_influence_read,
        )

    def _show_profile(self, p: svc.ContactProfile) -> None:
        ws = self.ctx.workspace
        self.name.setText(p.display_name)
        photo = svc.contact_photo(ws, p.id) if p.has_photo else None
        self.avatar.show_person(photo, p.display_name)
        org = " at ".join(x for x in (p.title, p.organisation) if x)
        self.subtitle.setText(" · ".join(x for x in (org, p.location, p.timezone) if x))
        due = kit.next_due_at(ws, p.id)
        cadence = kit.effective_cadence(ws, p.id)
        keep = (
            f"keep in touch every {cadence} days, due {day_text(due)}"
            if cadence
            else "no keep-in-touch cadence"
        )
        lists = ", ".join(name for _, name in p.lists) or "no list"
        self.facts.setText(
            f"Stage: {p.stage.capitalize()} · Lists: {lists} · Owner: {p.owner or 'nobody'}\n"
            f"Last contact: {day_text(p.last_interaction_at)} · {keep}"
        )
        self.handles.setText(
            "\n".join(
                f"{network_title(h.network)}: {h.handle}"
                + (f" (reach {h.reach:,})" if h.reach is not None else "")
                for h in p.handles
            )
            or "No handle yet: add one to link their mentions."
        )
        self.details.setText(
            "\n".join(f"{d.kind.capitalize()}: {d.value}" for d in p.details) or ""
        )
        self.notes.setPlainText(p.notes or "")

    def _on_influence_read(self, figures: infl.ContactInfluence) -> None:
        if figures.contact_id != self.contact_id:
            return
        tone = (
            "no tone yet"
            if figures.sentiment_recent is None
            else f"average sentiment {figures.sentiment_recent:+.2f}"
        )
        reach = f"{figures.reach:,}" if figures.reach is not None else "unknown"
        self.influence.setText(
            f"Score {figures.score:.1f}\n"
            f"Reach {reach} · {figures.mentions_recent} mentions in 90 days ({tone})\n"
            f"{figures.mentions_total} mentions in all: {figures.positive} positive, "
            f"{figures.negative} negative · {figures.brand_share:.1%} of brand mentions\n"
            f"Per month, by sentiment (last mention {day_text(figures.last_mention_at)}):"
        )
        self.sentiment_bars.set_months(figures.months)

    # -- timeline ------------------------------------------------------------------------------

    def selected_kinds(self) -> set[str]:
        return {kind for kind, box in self.kind_boxes.items() if box.isChecked()}

    def _load_timeline(self) -> None:
        self.timeline.clear()
        self._oldest = None
        self._append_timeline()

    def _append_timeline(self) -> None:
        if self.contact_id is None:
            return
        entries = act.timeline(
            self.ctx.workspace,
            self.contact_id,
            kinds=self.selected_kinds(),
            before=self._oldest,
            limit=TIMELINE_PAGE,
        )
        for entry in entries:
            detail = entry.detail + (f" · {entry.sentiment_label}" if entry.sentiment_label else "")
            item = QListWidgetItem(
                f"{day_text(entry.at)}   {KIND_MARKS[entry.kind]}: {entry.title}   ({detail})"
            )
            item.setData(Qt.ItemDataRole.UserRole, (entry.kind, entry.id, entry.at))
            item.setToolTip(entry.url or entry.title)
            self.timeline.addItem(item)
        if entries:
            self._oldest = entries[-1].at
        self.more.setVisible(len(entries) == TIMELINE_PAGE)
        if self.timeline.count() == 0:
            self.timeline.addItem("Nothing yet: mentions they write and interactions appear here.")

    def _on_more_clicked(self) -> None:
        self._append_timeline()

    def _on_timeline_item_activated(self, item: QListWidgetItem) -> None:
        data = item.data(Qt.ItemDataRole.UserRole)
        if data and data[0] == "mention":
            self.mention_opened.emit(int(data[1]))
        elif data and data[0] == "calendar":
            self.calendar_item_opened.emit(int(data[1]), int(data[2]))

    def _on_timeline_current_changed(self, item: QListWidgetItem | None, _previous: object) -> None:
        data = item.data(Qt.ItemDataRole.UserRole) if item is not None else None
        self.delete_entry.setEnabled(bool(data) and data[0] in ("interaction", "contribution"))

    def _on_delete_entry_clicked(self) -> None:
        item = self.timeline.currentItem()
        data = item.data(Qt.ItemDataRole.UserRole) if item is not None else None
        if data and data[0] in ("interaction", "contribution"):
            self.entry_delete_requested.emit(data[0], int(data[1]))

    def _on_save_notes_clicked(self) -> None:
        if self.contact_id is not None:
            self.ctx.tasks.write(
                "contacts.notes",
                svc.set_notes,
                self.ctx.workspace,
                self.contact_id,
                self.notes.toPlainText(),
                label="Saving notes",
            )
