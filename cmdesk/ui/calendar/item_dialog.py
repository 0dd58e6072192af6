"""The item dialog: every field of a calendar item, its repetition, reminder and people.

It edits a value (:class:`~cmdesk.core.services.calendar_edits.ItemInput`) and never writes: the
pane writes through the task runner. For a published item it shows what listening saw ("earned
23 mentions, 80% positive") with a button that opens those mentions in the inbox. For an
occurrence of a repeating item it asks whether the change is for this occurrence or the series,
and offers to cancel just this occurrence; a series lists its cancelled (skipped) dates and
restores the selected ones at once through ``restore_occurrences`` (the pane writes them). Times
are shown and typed in the item's own zone.
"""

from __future__ import annotations

from collections.abc import Callable
from datetime import UTC, date, datetime, time
from zoneinfo import ZoneInfo

from PySide6.QtCore import QDate, QDateTime, Qt, QTime, QTimer
from PySide6.QtGui import QStandardItem, QStandardItemModel
from PySide6.QtWidgets import (
    QCheckBox,
    QComboBox,
    QCompleter,
    QDateEdit,
    QDateTimeEdit,
    QDialog,
    QDialogButtonBox,
    QFormLayout,
    QHBoxLayout,
    QLabel,
    QLineEdit,
    QListWidget,
    QListWidgetItem,
    QMessageBox,
    QPlainTextEdit,
    QPushButton,
    QRadioButton,
    QSpinBox,
    QVBoxLayout,
    QWidget,
)

from cmdesk.core.services import recurrence
from cmdesk.core.services.calendar import STATUS_TITLES, TYPE_TITLES, ItemDetail
from cmdesk.core.services.calendar_edits import CalendarError, ItemInput, check_input
from cmdesk.core.services.item_mentions import MentionStats

REPEATS = (
    ("Does not repeat", ""),
    ("Every day", "FREQ=DAILY"),
    ("Every week", "FREQ=WEEKLY"),
    ("Every two weeks", "FREQ=WEEKLY;INTERVAL=2"),
    ("Every month", "FREQ=MONTHLY"),
    ("Every year", "FREQ=YEARLY"),
)
REMINDERS = (
    ("No reminder", None),
    ("When due", 0),
    ("15 minutes before", 15),
    ("1 hour before", 60),
    ("1 day before", 1440),
    ("1 week before", 10080),
)
COMMON_ZONES = (
    "UTC",
    "Europe/London",
    "Europe/Paris",
    "Europe/Berlin",
    "America/New_York",
    "America/Chicago",
    "America/Los_Angeles",
    "Asia/Tokyo",
    "Australia/Sydney",
)


PERSON_SEARCH_DELAY_MS = 150
FindContacts = Callable[[str], list[tuple[int, str, str | None]]]
RestoreOccurrences = Callable[[int, list[int]], object]  # (series id, original starts)


class ItemDialog(QDialog):
    """Create or edit one item; ``value()`` after ``exec()`` is accepted."""

    CANCEL_OCCURRENCE = 2  # a result code besides Accepted/Rejected
    DELETE = 3

    def __init__(
        self,
        parent: QWidget | None,
        *,
        detail: ItemDetail | None = None,
        starts_at: int | None = None,
        campaigns: list[tuple[int, str]] = (),  # type: ignore[assignment]
        owners: list[str] = (),  # type: ignore[assignment]
        contacts: list[tuple[int, str]] = (),  # type: ignore[assignment]
        find_contacts: FindContacts | None = None,
        default_zone: str = "UTC",
        occurrence_start: int | None = None,
        stats: MentionStats | None = None,
        open_mentions=None,  # noqa: ANN001 - a callable(url) or None
        restore_occurrences: RestoreOccurrences | None = None,
    ) -> None:
        super().__init__(parent)
        self.setWindowTitle("Edit item" if detail else "New item")
        self.setMinimumWidth(560)
        self.detail = detail
        self.occurrence_start = occurrence_start
        self._contacts = dict(contacts)
        # Search-as-you-type over every contact; without a search, the given list is filtered.
        self.find_contacts: FindContacts = find_contacts or self._find_in_given
        self._found: dict[str, tuple[int, str]] = {}  # completion label -> (id, name)
        self._build(campaigns, owners, contacts, default_zone)
        self._load(detail, starts_at, default_zone)
        self._add_mentions(stats, open_mentions)
        self._add_skipped(restore_occurrences)
        self._add_buttons()

    # -- building --------------------------------------------------------------------------

    def _build(self, campaigns, owners, contacts, default_zone: str) -> None:  # noqa: ANN001
        self.form = QFormLayout()
        self.title_edit = QLineEdit()
        self.title_edit.setPlaceholderText("What is it? e.g. Launch post for Relay 2.0")
        self.type_combo = QComboBox()
        for key, title in TYPE_TITLES.items():
            self.type_combo.addItem(title, key)
        self.status_combo = QComboBox()
        for key, title in STATUS_TITLES.items():
            self.status_combo.addItem(title, key)
        self.channels_edit = QLineEdit()
        self.channels_edit.setPlaceholderText("blog, newsletter, mastodon…")
        self.owner_combo = QComboBox()
        self.owner_combo.setEditable(True)
        self.owner_combo.addItems(["", *owners])
        self.scheduled_check = QCheckBox("Scheduled")
        self.start_edit = QDateTimeEdit()
        self.start_edit.setCalendarPopup(True)
        self.start_edit.setDisplayFormat("yyyy-MM-dd HH:mm")
        self.all_day_check = QCheckBox("All day")
        self.duration_spin = QSpinBox()
        self.duration_spin.setRange(0, 366 * 1440)
        self.duration_spin.setSingleStep(15)
        self.duration_spin.setSuffix(" min")
        self.zone_combo = QComboBox()
        self.zone_combo.setEditable(True)
        self.zone_combo.addItems(list(dict.fromkeys([default_zone, *COMMON_ZONES])))
        when = QHBoxLayout()
        for widget in (self.scheduled_check, self.start_edit, self.all_day_check):
            when.addWidget(widget)
        length = QHBoxLayout()
        length.addWidget(self.duration_spin)
        length.addWidget(QLabel("in"))
        length.addWidget(self.zone_combo, 1)
        self.repeat_combo = QComboBox()
        for label, rule in REPEATS:
            self.repeat_combo.addItem(label, rule)
        self.repeat_combo.addItem("Custom rule…", "custom")
        self.rule_edit = QLineEdit()
        self.rule_edit.setPlaceholderText("RFC 5545 rule, e.g. FREQ=MONTHLY;BYDAY=2TH")
        self.reminder_combo = QComboBox()
        for label, minutes in REMINDERS:
            self.reminder_combo.addItem(label, minutes)
        self.campaign_combo = QComboBox()
        self.campaign_combo.addItem("No campaign", None)
        for campaign_id, name in campaigns:
            self.campaign_combo.addItem(name, campaign_id)
        self.tags_edit = QLineEdit()
        self.tags_edit.setPlaceholderText("launch, tutorial…")
        self.location_edit = QLineEdit()
        self.travel_check = QCheckBox("Travel")
        self.travel_from = QDateEdit(calendarPopup=True)
        self.travel_to = QDateEdit(calendarPopup=True)
        for edit in (self.travel_from, self.travel_to):
            edit.setDisplayFormat("yyyy-MM-dd")
            edit.setDate(QDate.currentDate())
        travel = QHBoxLayout()
        for widget in (self.travel_check, self.travel_from, QLabel("to"), self.travel_to):
            travel.addWidget(widget)
        self.url_edit = QLineEdit()
        self.url_edit.setPlaceholderText("https://… once published")
        self.brief_edit = QPlainTextEdit()
        self.brief_edit.setPlaceholderText("Brief, angle, notes")
        self.brief_edit.setFixedHeight(80)
        self.people_list = QListWidget()
        self.people_list.setFixedHeight(70)
        self.person_edit = QLineEdit()
        self.person_edit.setPlaceholderText("Type a name, e-mail or handle")
        self._person_model = QStandardItemModel(self)
        self._person_completer = QCompleter(self._person_model, self)
        self._person_completer.setCompletionMode(
            QCompleter.CompletionMode.UnfilteredPopupCompletion
        )
        self.person_edit.setCompleter(self._person_completer)
        self._person_timer = QTimer(self, singleShot=True, interval=PERSON_SEARCH_DELAY_MS)
        self._person_timer.timeout.connect(self.search_people)
        self.person_edit.textEdited.connect(self._person_timer.start)
        self.person_edit.returnPressed.connect(self._on_add_person_clicked)
        self.role_edit = QLineEdit()
        self.role_edit.setPlaceholderText("speaker, guest author…")
        add_person = QPushButton("Add")
        add_person.clicked.connect(self._on_add_person_clicked)
        remove_person = QPushButton("Remove")
        remove_person.clicked.connect(self._on_remove_person_clicked)
        people_row = QHBoxLayout()
        for widget in (self.person_edit, self.role_edit, add_person, remove_person):
            people_row.addWidget(widget)
        rows = (
            ("Title", self.title_edit),
            ("Type", self.type_combo),
            ("Status", self.status_combo),
            ("When", when),
            ("Duration", length),
            ("Repeats", self.repeat_combo),
            ("", self.rule_edit),
            ("Reminder", self.reminder_combo),
            ("Channels", self.channels_edit),
            ("Owner", self.owner_combo),
            ("Campaign", self.campaign_combo),
            ("Tags", self.tags_edit),
            ("Location", self.location_edit),
            ("", travel),
            ("Brief", self.brief_edit),
            ("People", self.people_list),
            ("", people_row),
            ("Published at", self.url_edit),
        )
        for label, widget in rows:
            self.form.addRow(label, widget)
        self.layout_ = QVBoxLayout(self)
        self.layout_.addLayout(self.form)
        self.scheduled_check.toggled.connect(self._on_schedule_toggled)
        self.all_day_check.toggled.connect(self._on_schedule_toggled)
        self.repeat_combo.currentIndexChanged.connect(self._on_schedule_toggled)
        self.travel_check.toggled.connect(self._on_schedule_toggled)
        self.type_combo.currentIndexChanged.connect(self._on_schedule_toggled)

    def _add_mentions(self, stats: MentionStats | None, open_mentions) -> None:  # noqa: ANN001
        if stats is None:
            return
        row = QHBoxLayout()
        self.mentions_label = QLabel(stats.sentence())
        self.mentions_label.setTextFormat(Qt.TextFormat.PlainText)
        row.addWidget(self.mentions_label, 1)
        if stats.total and open_mentions is not None:
            button = QPushButton("Show in inbox")
            button.clicked.connect(lambda: (open_mentions(stats.url), self.reject()))
            row.addWidget(button)
        self.form.addRow("Listening", row)

    def _add_skipped(self, restore: RestoreOccurrences | None) -> None:
        """For a series with cancelled occurrences: their dates, and a way to bring them back."""
        detail = self.detail
        self.skipped_list: QListWidget | None = None
        if detail is None or not detail.rrule or not detail.exdates or restore is None:
            return
        self._restore = restore
        tz = recurrence.zone(detail.timezone)
        self.skipped_list = QListWidget()
        self.skipped_list.setObjectName("skippedOccurrences")
        self.skipped_list.setSelectionMode(QListWidget.SelectionMode.ExtendedSelection)
        self.skipped_list.setFixedHeight(64)
        for start in sorted(detail.exdates):
            moment = datetime.fromtimestamp(start, UTC if detail.all_day else tz)
            text = moment.strftime("%a %d %b %Y" if detail.all_day else "%a %d %b %Y %H:%M")
            entry = QListWidgetItem(text)
            entry.setData(Qt.ItemDataRole.UserRole, start)
            self.skipped_list.addItem(entry)
        self.restore_button = QPushButton("Restore selected")
        self.restore_button.setToolTip("Bring the selected dates back into the series")
        self.restore_button.setEnabled(False)
        self.skipped_list.itemSelectionChanged.connect(
            lambda: self.restore_button.setEnabled(bool(self.skipped_list.selectedItems()))
        )
        self.restore_button.clicked.connect(self._on_restore_clicked)
        row = QHBoxLayout()
        row.addWidget(self.skipped_list, 1)
        row.addWidget(self.restore_button, 0, Qt.AlignmentFlag.AlignTop)
        self.form.addRow("Skipped dates", row)

    def _on_restore_clicked(self) -> None:
        assert self.detail is not None and self.skipped_list is not None
        chosen = self.skipped_list.selectedItems()
        starts = [int(entry.data(Qt.ItemDataRole.UserRole)) for entry in chosen]
        if not starts:
            return
        self._restore(self.detail.id, starts)
        for entry in chosen:
            self.skipped_list.takeItem(self.skipped_list.row(entry))
        if self.skipped_list.count() == 0:
            self.skipped_list.addItem("None: every occurrence is on the calendar.")
            self.skipped_list.setEnabled(False)

    def _add_buttons(self) -> None:
        self.scope_series: QRadioButton | None = None
        if self.detail is not None and self.occurrence_start is not None:
            scope = QHBoxLayout()
            self.scope_one = QRadioButton("This occurrence")
            self.scope_series = QRadioButton("The whole series")
            self.scope_one.setChecked(True)
            scope.addWidget(self.scope_one)
            scope.addWidget(self.scope_series)
            self.form.insertRow(0, "Change", scope)
        buttons = QDialogButtonBox(
            QDialogButtonBox.StandardButton.Save | QDialogButtonBox.StandardButton.Cancel
        )
        buttons.accepted.connect(self._on_save_clicked)
        buttons.rejected.connect(self.reject)
        if self.detail is not None:
            delete = buttons.addButton("Delete", QDialogButtonBox.ButtonRole.DestructiveRole)
            delete.clicked.connect(lambda: self.done(self.DELETE))
        if self.occurrence_start is not None:
            cancel_one = buttons.addButton(
                "Skip this occurrence", QDialogButtonBox.ButtonRole.ActionRole
            )
            cancel_one.clicked.connect(lambda: self.done(self.CANCEL_OCCURRENCE))
        self.layout_.addWidget(buttons)

    # -- values ----------------------------------------------------------------------------

    def _load(self, detail: ItemDetail | None, starts_at: int | None, default_zone: str) -> None:
        zone_name = detail.timezone if detail else default_zone
        self.zone_combo.setCurrentText(zone_name)
        start = detail.starts_at if detail else starts_at
        if self.occurrence_start is not None:
            start = self.occurrence_start
        self.scheduled_check.setChecked(start is not None)
        self._set_start(start, bool(detail and detail.all_day), zone_name)
        self.duration_spin.setValue(detail.duration_minutes if detail else 60)
        if detail is None:
            self.status_combo.setCurrentIndex(
                self.status_combo.findData("idea" if start is None else "draft")
            )
            self._on_schedule_toggled()
            return
        self.title_edit.setText(detail.title)
        self.type_combo.setCurrentIndex(self.type_combo.findData(detail.item_type))
        self.status_combo.setCurrentIndex(self.status_combo.findData(detail.status))
        self.channels_edit.setText(", ".join(detail.channels))
        self.owner_combo.setCurrentText(detail.owner or "")
        self.all_day_check.setChecked(detail.all_day)
        self._set_rule(detail.rrule)
        self.reminder_combo.setCurrentIndex(
            max(0, self.reminder_combo.findData(detail.reminder_minutes))
        )
        self.campaign_combo.setCurrentIndex(
            max(0, self.campaign_combo.findData(detail.campaign_id))
        )
        self.tags_edit.setText(", ".join(detail.tags))
        self.location_edit.setText(detail.location or "")
        self.travel_check.setChecked(detail.travel_starts_on is not None)
        for edit, value in (
            (self.travel_from, detail.travel_starts_on),
            (self.travel_to, detail.travel_ends_on),
        ):
            if value:
                edit.setDate(QDate(value.year, value.month, value.day))
        self.url_edit.setText(detail.published_url or "")
        self.brief_edit.setPlainText(detail.brief or "")
        for contact_id, name, role in detail.contacts:
            self._add_person(contact_id, name, role)
        self._on_schedule_toggled()

    def _set_start(self, start: int | None, all_day: bool, zone_name: str) -> None:
        tz = recurrence.zone(zone_name)
        if start is None:
            moment = datetime.now(tz).replace(minute=0, second=0, microsecond=0)
        elif all_day:
            moment = datetime.fromtimestamp(start, UTC).replace(hour=9)
        else:
            moment = datetime.fromtimestamp(start, tz)
        self.start_edit.setDateTime(
            QDateTime(
                QDate(moment.year, moment.month, moment.day), QTime(moment.hour, moment.minute)
            )
        )

    def _set_rule(self, rule: str | None) -> None:
        index = self.repeat_combo.findData(rule or "")
        if index < 0:
            index = self.repeat_combo.findData("custom")
            self.rule_edit.setText(rule or "")
        self.repeat_combo.setCurrentIndex(index)

    def _add_person(self, contact_id: int, name: str, role: str) -> None:
        entry = QListWidgetItem(f"{name} — {role}" if role else name)
        entry.setData(Qt.ItemDataRole.UserRole, (contact_id, role))
        self.people_list.addItem(entry)

    def search_people(self) -> list[str]:
        """Offer the contacts matching what is typed (at most 20); returns their labels."""
        text = self.person_edit.text().strip()
        found = self.find_contacts(text) if text else []
        self._found = {}
        self._person_model.clear()
        for contact_id, name, organisation in found:
            label = f"{name} · {organisation}" if organisation else name
            if label in self._found:
                label = f"{label} (#{contact_id})"
            self._found[label] = (contact_id, name)
            self._person_model.appendRow(QStandardItem(label))
        if found and self.person_edit.hasFocus():
            self._person_completer.complete()
        return list(self._found)

    def _find_in_given(self, text: str) -> list[tuple[int, str, str | None]]:
        needle = text.casefold()
        return [(i, n, None) for i, n in self._contacts.items() if needle in n.casefold()][:20]

    def _on_add_person_clicked(self) -> None:
        text = self.person_edit.text().strip()
        if text and self._person_timer.isActive():
            self._person_timer.stop()
            self.search_people()
        chosen = self._found.get(text)
        if chosen is None:  # typed, not picked: a single match, or one named exactly that
            exact = [v for v in self._found.values() if v[1].casefold() == text.casefold()]
            chosen = exact[0] if len(exact) == 1 else None
            if chosen is None and len(self._found) == 1:
                chosen = next(iter(self._found.values()))
        if chosen is None:
            return
        self._add_person(chosen[0], chosen[1], self.role_edit.text().strip())
        self.person_edit.clear()
        self.role_edit.clear()

    def _on_remove_person_clicked(self) -> None:
        for entry in self.people_list.selectedItems():
            self.people_list.takeItem(self.people_list.row(entry))

    def _on_schedule_toggled(self) -> None:
        scheduled = self.scheduled_check.isChecked()
        for widget in (
            self.start_edit,
            self.all_day_check,
            self.duration_spin,
            self.zone_combo,
            self.repeat_combo,
        ):
            widget.setEnabled(scheduled)
        self.start_edit.setDisplayFormat(
            "yyyy-MM-dd" if self.all_day_check.isChecked() else "yyyy-MM-dd HH:mm"
        )
        self.duration_spin.setSingleStep(1440 if self.all_day_check.isChecked() else 15)
        self.zone_combo.setEnabled(scheduled and not self.all_day_check.isChecked())
        self.rule_edit.setVisible(self.repeat_combo.currentData() == "custom")
        is_event = self.type_combo.currentData() == "event"
        self.travel_from.setEnabled(is_event and self.travel_check.isChecked())
        self.travel_to.setEnabled(is_event and self.travel_check.isChecked())
        self.travel_check.setEnabled(is_event)

    def _starts_at(self) -> int | None:
        if not self.scheduled_check.isChecked():
            return None
        value = self.start_edit.dateTime()
        day = date(value.date().year(), value.date().month(), value.date().day())
        if self.all_day_check.isChecked():
            return int(datetime.combine(day, time(0), tzinfo=UTC).timestamp())
        clock = time(value.time().hour(), value.time().minute())
        zone_name = self.zone_combo.currentText().strip() or "UTC"
        tz = ZoneInfo(zone_name) if recurrence.is_known_zone(zone_name) else UTC
        return int(datetime.combine(day, clock, tzinfo=tz).timestamp())

    def value(self) -> ItemInput:
        rule = self.repeat_combo.currentData()
        if rule == "custom":
            rule = self.rule_edit.text().strip()
        people = tuple(
            self.people_list.item(n).data(Qt.ItemDataRole.UserRole)
            for n in range(self.people_list.count())
        )
        travel = self.travel_check.isChecked() and self.type_combo.currentData() == "event"
        scheduled = self.scheduled_check.isChecked()
        return ItemInput(
            title=self.title_edit.text(),
            item_type=self.type_combo.currentData(),
            status=self.status_combo.currentData(),
            channels=tuple(part.strip() for part in self.channels_edit.text().split(",")),
            owner=self.owner_combo.currentText(),
            starts_at=self._starts_at(),
            duration_minutes=self.duration_spin.value(),
            all_day=self.all_day_check.isChecked() and scheduled,
            timezone=self._zone_name(),
            campaign_id=self.campaign_combo.currentData(),
            tags=tuple(part.strip() for part in self.tags_edit.text().split(",")),
            brief=self.brief_edit.toPlainText(),
            published_url=self.url_edit.text(),
            location=self.location_edit.text(),
            travel_starts_on=self.travel_from.date().toPython() if travel else None,
            travel_ends_on=self.travel_to.date().toPython() if travel else None,
            rrule=(rule or None) if scheduled else None,
            reminder_minutes=self.reminder_combo.currentData(),
            contacts=people,
        )

    def _zone_name(self) -> str:
        if not self.scheduled_check.isChecked() or self.all_day_check.isChecked():
            return "UTC"
        return self.zone_combo.currentText().strip() or "UTC"

    def whole_series(self) -> bool:
        return self.scope_series is not None and self.scope_series.isChecked()

    def _on_save_clicked(self) -> None:
        data = self.value()
        if self.occurrence_start is not None and not self.whole_series():
            data = ItemInput(**{**data.__dict__, "rrule": None})
        try:
            check_input(data)
        except CalendarError as exc:
            self._say(str(exc))
            return
        self.accept()

    def _say(self, message: str) -> None:
        """Say what is wrong without blocking; the dialog stays open."""
        box = QMessageBox(QMessageBox.Icon.Warning, self.windowTitle(), message, parent=self)
        box.setAttribute(Qt.WidgetAttribute.WA_DeleteOnClose)
        box.open()
        self.last_problem = message
