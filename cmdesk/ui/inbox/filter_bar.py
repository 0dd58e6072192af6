"""The inbox filter bar: search box and one drop-down per filter, combined with the current view.

It only edits a :class:`MentionFilter` and emits ``filters_changed``; the pane runs the query.
Search waits for a short pause in typing (a new query per keystroke would be wasted work).
"""

from __future__ import annotations

from datetime import datetime, time
from typing import Any

from PySide6.QtCore import QDate, QTimer, Signal
from PySide6.QtWidgets import (
    QComboBox,
    QDateEdit,
    QDialog,
    QDialogButtonBox,
    QFormLayout,
    QGridLayout,
    QLineEdit,
    QPushButton,
    QWidget,
)

from cmdesk.core.models import MENTION_STATES, SENTIMENT_LABELS, SOURCE_KINDS
from cmdesk.core.services.inbox_filters import MentionFilter
from cmdesk.core.services.mention_detail import FilterChoices
from cmdesk.ui.inbox.list_model import STATE_TITLES

SEARCH_PAUSE_MS = 250
DATE_PRESETS = (("Any time", None), ("Last 24 hours", 1), ("Last 7 days", 7), ("Last 30 days", 30))
CUSTOM_DATES = "custom"


def range_label(start: int, end: int) -> str:
    """A range of local days as "12 Nov – 18 Nov" (``end`` is the midnight after the last)."""
    first = datetime.fromtimestamp(start).astimezone()
    last = datetime.fromtimestamp(end - 1).astimezone()  # not end - 1 day: DST days differ
    return f"{first:%d %b} – {last:%d %b}"


class DateRangeDialog(QDialog):
    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setWindowTitle("Date range")
        self.start = QDateEdit(QDate.currentDate().addDays(-7))
        self.end = QDateEdit(QDate.currentDate())
        for edit in (self.start, self.end):
            edit.setCalendarPopup(True)
        form = QFormLayout(self)
        form.addRow("From", self.start)
        form.addRow("To (included)", self.end)
        buttons = QDialogButtonBox(
            QDialogButtonBox.StandardButton.Ok | QDialogButtonBox.StandardButton.Cancel
        )
        buttons.accepted.connect(self.accept)
        buttons.rejected.connect(self.reject)
        form.addRow(buttons)

    def range(self) -> tuple[int, int]:
        def epoch(day: QDate) -> int:
            value = datetime.combine(day.toPython(), time()).astimezone()
            return int(value.timestamp())

        return epoch(self.start.date()), epoch(self.end.date().addDays(1))


class FilterBar(QWidget):
    filters_changed = Signal()
    save_view_requested = Signal()

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.search = QLineEdit()
        self.search.setPlaceholderText('Search: words, "a phrase", prefix*, this OR that, -not')
        self.search.setClearButtonEnabled(True)
        self._search_timer = QTimer(self)
        self._search_timer.setSingleShot(True)
        self._search_timer.setInterval(SEARCH_PAUSE_MS)
        self._search_timer.timeout.connect(self.filters_changed)
        self.search.textChanged.connect(self._search_timer.start)
        self.search.returnPressed.connect(self._on_search_entered)
        self.combos: dict[str, QComboBox] = {}
        for name in (
            "state",
            "source",
            "query",
            "sentiment",
            "tag",
            "assigned",
            "language",
            "date",
            "author",
        ):
            combo = QComboBox()
            # Shrinkable: the bar must fit a narrow window; the popup still shows whole names.
            combo.setSizeAdjustPolicy(
                QComboBox.SizeAdjustPolicy.AdjustToMinimumContentsLengthWithIcon
            )
            combo.setMinimumContentsLength(1)
            combo.activated.connect(lambda _=0, n=name: self._on_combo_activated(n))
            self.combos[name] = combo
        self.save_button = QPushButton("Save view…")
        self.save_button.clicked.connect(self.save_view_requested)
        self.clear_button = QPushButton("Clear filters")
        self.clear_button.clicked.connect(self.clear)
        grid = QGridLayout(self)
        grid.setContentsMargins(8, 6, 8, 4)
        grid.addWidget(self.search, 0, 0, 1, 3)
        grid.addWidget(self.clear_button, 0, 3)
        grid.addWidget(self.save_button, 0, 4)
        for number, combo in enumerate(self.combos.values()):
            grid.addWidget(combo, 1 + number // 5, number % 5)
        self._custom_range: tuple[int, int] | None = None
        self.set_choices(FilterChoices((), (), (), (), (), (), ()))

    # -- choices ------------------------------------------------------------------------------

    def set_choices(self, choices: FilterChoices) -> None:
        """Fill the drop-downs, keeping what is selected."""
        kept = {name: combo.currentData() for name, combo in self.combos.items()}
        self._fill("state", "Any state", [(STATE_TITLES[s], s) for s in MENTION_STATES])
        sources = [(f"All {kind}", ("kind", kind)) for kind in SOURCE_KINDS]
        sources += [(name, ("id", sid)) for sid, name, _ in choices.sources]
        self._fill("source", "Any source", sources)
        self._fill("query", "Any query", [(name, qid) for qid, name in choices.queries])
        self._fill("sentiment", "Any sentiment", [(s.title(), s) for s in SENTIMENT_LABELS])
        self._fill("tag", "Any tag", [(name, tid) for tid, name in choices.tags])
        assigned = [("Assigned to me", ("me", 0))]
        assigned += [(name, ("teammate", tid)) for tid, name, _ in choices.teammates]
        assigned += [(f"Dept: {name}", ("department", did)) for did, name in choices.departments]
        self._fill("assigned", "Anyone / any team", assigned)
        self._fill("language", "Any language", [(lang, lang) for lang in choices.languages])
        dates = [(title, days) for title, days in DATE_PRESETS if days is not None]
        self._fill("date", "Any time", [*dates, ("Custom range…", CUSTOM_DATES)])
        self._fill(
            "author",
            "From anyone",
            [("From a contact", "contact"), ("From an influencer", "influencer")],
        )
        for name, data in kept.items():
            self._select(name, data)

    def _fill(self, name: str, any_title: str, items: list[tuple[str, Any]]) -> None:
        combo = self.combos[name]
        combo.blockSignals(True)
        combo.clear()
        combo.addItem(any_title, None)
        for title, data in items:
            combo.addItem(title, data)
        combo.blockSignals(False)

    def _select(self, name: str, data: Any) -> None:
        combo = self.combos[name]
        for index in range(combo.count()):
            if combo.itemData(index) == data:
                combo.setCurrentIndex(index)
                return
        combo.setCurrentIndex(0)

    # -- reading and writing the filter -------------------------------------------------------

    def apply_to(self, base: MentionFilter) -> MentionFilter:
        """``base`` (the view's filter) narrowed by what the bar shows.

        Every drop-down narrows, as in a mail client: the bar's choices go into ``also`` and are
        ANDed with the view's own conditions (a second query inside a query's view shows what
        matched both). The one thing a choice lifts is the view's hiding of archived and spam:
        picking one of those states in the bar shows them.
        """
        bar = self.bar_filter()
        search = " ".join(part for part in (base.search, bar.search) if part)
        narrowed = base.with_(search=search)
        choices = bar.with_(search="")
        if choices.is_empty():
            return narrowed
        if choices.states:
            narrowed = narrowed.with_(
                exclude_states=tuple(s for s in base.exclude_states if s not in choices.states)
            )
        if base.also is not None:  # a saved view that was itself narrowed
            choices = choices.with_(also=base.also)
        return narrowed.with_(also=choices)

    def bar_filter(self) -> MentionFilter:
        """What the bar alone asks for (search and drop-downs), as a filter of its own."""
        values: dict[str, Any] = {"search": self.search.text().strip()}
        data = {name: combo.currentData() for name, combo in self.combos.items()}
        if data["state"]:
            values["states"] = (data["state"],)
        if data["source"]:
            kind, value = data["source"]
            values["source_kinds" if kind == "kind" else "source_ids"] = (value,)
        if data["query"]:
            values["query_ids"] = (data["query"],)
        if data["sentiment"]:
            values["sentiments"] = (data["sentiment"],)
        if data["tag"]:
            values["tag_ids"] = (data["tag"],)
        if data["assigned"]:
            kind, value = data["assigned"]
            if kind == "me":
                values["assigned_to_me"] = True
            elif kind == "teammate":
                values["assignee_ids"] = (value,)
            else:
                values["department_ids"] = (value,)
        if data["language"]:
            values["langs"] = (data["language"],)
        if data["date"] == CUSTOM_DATES and self._custom_range:
            values["since"], values["until"] = self._custom_range
        elif isinstance(data["date"], int):
            values["since_days"] = data["date"]  # resolved when the query runs
        if data["author"] == "contact":
            values["from_contact"] = True
        elif data["author"] == "influencer":
            values["from_influencer"] = True
        return MentionFilter(**values)

    def show_filter(self, filt: MentionFilter) -> None:
        """Reflect a filter another pane asked for (contact, URL...) without emitting."""
        self.blockSignals(True)
        self.search.setText(filt.search)
        self._search_timer.stop()
        self.blockSignals(False)

    def clear(self) -> None:
        self.clear_silently()
        self.filters_changed.emit()

    def clear_silently(self) -> None:
        """Back to no filters without announcing it (the pane applies the filter itself)."""
        self.search.blockSignals(True)
        self.search.clear()
        self.search.blockSignals(False)
        self._search_timer.stop()
        for combo in self.combos.values():
            combo.setCurrentIndex(0)
        self._custom_range = None

    def has_filters(self) -> bool:
        return bool(self.search.text().strip()) or any(
            combo.currentIndex() > 0 for combo in self.combos.values()
        )

    # -- slots --------------------------------------------------------------------------------

    def _on_search_entered(self) -> None:
        self._search_timer.stop()
        self.filters_changed.emit()

    def _on_combo_activated(self, name: str) -> None:
        if name == "date" and self.combos["date"].currentData() == CUSTOM_DATES:
            dialog = DateRangeDialog(self)
            if dialog.exec() != QDialog.DialogCode.Accepted:
                self.combos["date"].setCurrentIndex(0)
            else:
                self._custom_range = dialog.range()
                label = range_label(*self._custom_range)
                self.combos["date"].setItemText(self.combos["date"].currentIndex(), label)
        self.filters_changed.emit()
