"""Dialogs of the contacts pane: a contact's form, interactions, contributions, CSV columns.

They only collect input; the pane opens them with ``open()`` and writes through services on the
task runner when they are accepted. The contact form checks its input with the service's
(pure) ``check_input`` before closing, so a mistake is shown in the form, which stays open.
"""

from __future__ import annotations

import re
from collections.abc import Iterable
from pathlib import Path

from PySide6.QtCore import QBuffer, QIODevice, Qt
from PySide6.QtGui import QImage
from PySide6.QtWidgets import (
    QComboBox,
    QDialog,
    QDialogButtonBox,
    QFileDialog,
    QFormLayout,
    QHBoxLayout,
    QHeaderView,
    QLabel,
    QLineEdit,
    QPlainTextEdit,
    QPushButton,
    QSpinBox,
    QTableWidget,
    QTableWidgetItem,
    QVBoxLayout,
    QWidget,
)

from cmdesk.core.models import CONTRIBUTION_KINDS, HANDLE_NETWORKS, INTERACTION_KINDS
from cmdesk.core.services.contacts import (
    NETWORK_TITLES,
    ContactError,
    ContactInput,
    DetailInput,
    HandleInput,
    check_input,
)
from cmdesk.core.services.contacts_activity import CONTRIBUTION_TITLES, INTERACTION_TITLES
from cmdesk.formats import contacts_csv
from cmdesk.ui.contacts.avatar import Avatar
from cmdesk.ui.widgets.file_chooser import choose_file_to_open


def _buttons(dialog: QDialog) -> QDialogButtonBox:
    box = QDialogButtonBox(
        QDialogButtonBox.StandardButton.Ok | QDialogButtonBox.StandardButton.Cancel
    )
    box.accepted.connect(dialog.accept)
    box.rejected.connect(dialog.reject)
    return box


class ContactDialog(QDialog):
    """New or edited contact: names, photo, organisation, details, handles with reach, lists.

    What the form does not show is kept: an e-mail, phone or website keeps its label (typed
    as ``value (label)``), a handle its profile URL and reach (one row each in the handles
    table, so two handles on one network keep their own reach), the notes stay as they are.
    """

    def __init__(
        self,
        stages: list[str],
        data: ContactInput | None = None,
        parent: QWidget | None = None,
    ) -> None:
        super().__init__(parent)
        self.setWindowTitle("Edit contact" if data else "New contact")
        self.original = data or ContactInput()
        d = self.original
        self.photo: bytes | None = d.photo
        self.name = QLineEdit(d.display_name)
        self.name.setPlaceholderText("Full name")
        self.given_name = QLineEdit(d.given_name or "")
        self.given_name.setPlaceholderText("Given name")
        self.family_name = QLineEdit(d.family_name or "")
        self.family_name.setPlaceholderText("Family name")
        names = QHBoxLayout()
        names.addWidget(self.given_name)
        names.addWidget(self.family_name)
        self.avatar = Avatar(56)
        self.photo_button = QPushButton("Choose photo…")
        self.photo_button.clicked.connect(self.choose_photo)
        self.remove_photo_button = QPushButton("Remove photo")
        self.remove_photo_button.clicked.connect(lambda: self.set_photo(None))
        photo_row = QHBoxLayout()
        photo_row.addWidget(self.avatar)
        photo_row.addWidget(self.photo_button)
        photo_row.addWidget(self.remove_photo_button)
        photo_row.addStretch(1)
        self.organisation = QLineEdit(d.organisation or "")
        self.job_title = QLineEdit(d.title or "")
        self.emails = QLineEdit(_details_text(d.details, "email"))
        self.emails.setPlaceholderText("ada@example.org (work), ada@home.example")
        self.phones = QLineEdit(_details_text(d.details, "phone"))
        self.websites = QLineEdit(_details_text(d.details, "website"))
        self.location = QLineEdit(d.location or "")
        self.timezone = QLineEdit(d.timezone or "")
        self.timezone.setPlaceholderText("Europe/Paris")
        self.stage = QComboBox()
        self.stage.setEditable(True)  # custom stages
        self.stage.addItems(stages)
        self.stage.setCurrentText(d.stage)
        self.owner = QLineEdit(d.owner or "")
        self.lists = QLineEdit(", ".join(d.lists))
        self.lists.setPlaceholderText("Influencers, Press")
        self.cadence = QSpinBox()
        self.cadence.setRange(0, 3650)
        self.cadence.setSpecialValueText("follow the lists")
        self.cadence.setSuffix(" days")
        self.cadence.setValue(d.cadence_days or 0)
        self.handles = QTableWidget(0, len(HANDLE_COLUMNS))
        self.handles.setObjectName("handles")
        self.handles.setHorizontalHeaderLabels(list(HANDLE_COLUMNS))
        self.handles.verticalHeader().hide()
        self.handles.horizontalHeader().setStretchLastSection(False)
        self.handles.horizontalHeader().setSectionResizeMode(1, QHeaderView.ResizeMode.Stretch)
        self.handles.horizontalHeader().setSectionResizeMode(2, QHeaderView.ResizeMode.Stretch)
        self.handles.setWordWrap(False)
        self.handles.setColumnWidth(0, 140)
        self.handles.setColumnWidth(3, 80)
        self.handles.verticalHeader().setDefaultSectionSize(28)
        self.handles.setMinimumHeight(110)
        self.handles.setMaximumHeight(150)
        self.set_handles(d.handles)
        add_handle = QPushButton("Add handle")
        add_handle.clicked.connect(lambda: self.add_handle_row())
        remove_handle = QPushButton("Remove handle")
        remove_handle.clicked.connect(self._on_remove_handle_clicked)
        handle_buttons = QHBoxLayout()
        handle_buttons.addWidget(add_handle)
        handle_buttons.addWidget(remove_handle)
        handle_buttons.addStretch(1)
        handle_box = QVBoxLayout()
        handle_box.addWidget(self.handles)
        handle_box.addLayout(handle_buttons)
        form = QFormLayout()
        form.addRow("Photo", photo_row)
        for label, item in (
            ("Name", self.name), ("Given / family", names),
            ("Organisation", self.organisation), ("Title", self.job_title),
            ("E-mails", self.emails), ("Phones", self.phones), ("Websites", self.websites),
            ("Handles", handle_box), ("Location", self.location), ("Time zone", self.timezone),
            ("Stage", self.stage), ("Owner", self.owner), ("Lists", self.lists),
            ("Keep in touch every", self.cadence),
        ):  # fmt: skip
            form.addRow(label, item)
        hint = QLabel(
            "A handle may be a profile URL; reach is the number of followers there. "
            "A label goes in brackets after an e-mail, phone or website: “(work)”."
        )
        hint.setWordWrap(True)
        hint.setObjectName("hint")
        self.error = QLabel()
        self.error.setObjectName("error")
        self.error.setStyleSheet("color: #c0392b;")
        self.error.setWordWrap(True)
        self.error.hide()
        layout = QVBoxLayout(self)
        layout.addLayout(form)
        layout.addWidget(hint)
        layout.addWidget(self.error)
        layout.addWidget(_buttons(self))
        self.set_photo(self.photo)
        self.resize(620, self.sizeHint().height())

    # -- handles -----------------------------------------------------------------------------

    def set_handles(self, handles: Iterable[HandleInput]) -> None:
        self.handles.setRowCount(0)
        for handle in handles:
            self.add_handle_row(handle)

    def add_handle_row(self, handle: HandleInput | None = None) -> int:
        row = self.handles.rowCount()
        self.handles.insertRow(row)
        network = QComboBox()
        for key in HANDLE_NETWORKS:
            network.addItem(network_title(key), key)
        network.setCurrentIndex(max(0, network.findData(handle.network if handle else "")))
        self.handles.setCellWidget(row, 0, network)
        reach = "" if handle is None or handle.reach is None else str(handle.reach)
        for column, text in enumerate(
            (handle.handle if handle else "", (handle.url or "") if handle else "", reach), 1
        ):
            self.handles.setItem(row, column, QTableWidgetItem(text))
        if handle is None:
            self.handles.setCurrentCell(row, 1)
            self.handles.editItem(self.handles.item(row, 1))
        return row

    def _on_remove_handle_clicked(self) -> None:
        rows = sorted({i.row() for i in self.handles.selectedIndexes()}, reverse=True)
        for row in rows or ([self.handles.currentRow()] if self.handles.currentRow() >= 0 else []):
            self.handles.removeRow(row)

    def handle_inputs(self) -> tuple[HandleInput, ...]:
        """One :class:`HandleInput` a filled row; a reach that is not a number is refused."""
        result = []
        for row in range(self.handles.rowCount()):
            combo = self.handles.cellWidget(row, 0)
            assert isinstance(combo, QComboBox)
            handle, url, reach = (self._cell(row, c) for c in (1, 2, 3))
            if not handle and url:
                handle = url  # the profile URL alone says who it is
            if not handle:
                continue
            digits = reach.replace(",", "").replace(" ", "").replace(" ", "")
            if digits and not digits.isdigit():
                raise ContactError(f"The reach of {handle} should be a number of followers.")
            result.append(
                HandleInput(
                    combo.currentData(), handle, url or None, int(digits) if digits else None
                )
            )
        return tuple(result)

    def _cell(self, row: int, column: int) -> str:
        item = self.handles.item(row, column)
        return item.text().strip() if item is not None else ""

    # -- photo -------------------------------------------------------------------------------

    def choose_photo(self) -> QFileDialog:
        """Ask for a picture file without blocking; the chosen one becomes the photo."""
        return choose_file_to_open(
            self, "Choose a photo", "Images (*.png *.jpg *.jpeg *.gif *.webp)", self.load_photo
        )

    def load_photo(self, path: str) -> bool:
        """Read a picture file (a small one: scaled down to 512 px) as the photo to store."""
        try:
            photo = photo_bytes(Path(path).read_bytes())
        except OSError as exc:
            self._say(f"Cannot read {Path(path).name}: {exc.strerror or exc}.")
            return False
        if photo is None:
            self._say(f"{Path(path).name} is not a picture this app can read.")
            return False
        self.set_photo(photo)
        return True

    def set_photo(self, photo: bytes | None) -> None:
        self.photo = photo
        self.avatar.show_person(photo, self.name.text() or "?")
        self.remove_photo_button.setEnabled(photo is not None)

    def _say(self, message: str) -> None:
        self.error.setText(message)
        self.error.show()

    # -- the result --------------------------------------------------------------------------

    def accept(self) -> None:
        """Close only when the service would take what the form says; else say what is wrong."""
        try:
            check_input(self.contact_input())
        except ContactError as exc:
            self._say(str(exc))
            return
        super().accept()

    def contact_input(self) -> ContactInput:
        """What the form says; the service checks it (and says what is wrong)."""
        details = tuple(
            detail
            for kind, widget in (
                ("email", self.emails), ("phone", self.phones), ("website", self.websites)
            )
            for detail in _parse_details(kind, widget.text(), self.original.details)
        )  # fmt: skip
        return ContactInput(
            display_name=self.name.text(),
            given_name=self.given_name.text().strip() or None,
            family_name=self.family_name.text().strip() or None,
            organisation=self.organisation.text(),
            title=self.job_title.text(),
            location=self.location.text(),
            timezone=self.timezone.text(),
            stage=self.stage.currentText(),
            owner=self.owner.text(),
            notes=self.original.notes,
            cadence_days=self.cadence.value() or None,
            photo=self.photo,
            details=details,
            handles=self.handle_inputs(),
            lists=tuple(_split(self.lists.text())),
        )


HANDLE_COLUMNS = ("Network", "Handle", "Profile URL", "Reach")
PHOTO_MAX_PX = 512
_LABELLED = re.compile(r"^(?P<value>.*?)\s*\((?P<label>[^()]*[A-Za-z][^()]*)\)$")


def _split(text: str) -> list[str]:
    return [p.strip() for p in text.replace(";", ",").split(",") if p.strip()]


def _details_text(details: Iterable[DetailInput], kind: str) -> str:
    return ", ".join(
        f"{d.value} ({d.label})" if d.label else d.value for d in details if d.kind == kind
    )


def _parse_details(kind: str, text: str, original: Iterable[DetailInput]) -> list[DetailInput]:
    """``value (label)`` items; a value typed without a label keeps the one it had."""
    known = {(d.kind, d.value.lower()): d.label for d in original}
    result = []
    for part in _split(text):
        match = _LABELLED.match(part)
        value, label = (match["value"], match["label"].strip()) if match else (part, None)
        result.append(DetailInput(kind, value, label or known.get((kind, value.lower()))))
    return result


def photo_bytes(data: bytes) -> bytes | None:
    """The bytes to store as a photo: the file as it is, or a PNG of it at most 512 px wide."""
    image = QImage()
    if not data or not image.loadFromData(data):
        return None
    if max(image.width(), image.height()) <= PHOTO_MAX_PX and len(data) <= 512 * 1024:
        return data
    image = image.scaled(
        PHOTO_MAX_PX, PHOTO_MAX_PX, Qt.AspectRatioMode.KeepAspectRatio,
        Qt.TransformationMode.SmoothTransformation,
    )  # fmt: skip
    buffer = QBuffer()
    buffer.open(QIODevice.OpenModeFlag.WriteOnly)
    image.save(buffer, "PNG")
    return bytes(buffer.data().data())


class InteractionDialog(QDialog):
    def __init__(self, name: str, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setWindowTitle(f"Log an interaction with {name}")
        self.kind = QComboBox()
        for kind in INTERACTION_KINDS:
            self.kind.addItem(INTERACTION_TITLES[kind], kind)
        self.summary = QLineEdit()
        self.summary.setPlaceholderText("What happened, in a line")
        self.notes = QPlainTextEdit()
        self.days_ago = QSpinBox()
        self.days_ago.setRange(0, 3650)
        self.days_ago.setSpecialValueText("today")
        self.days_ago.setSuffix(" days ago")
        form = QFormLayout(self)
        form.addRow("Kind", self.kind)
        form.addRow("Summary", self.summary)
        form.addRow("When", self.days_ago)
        form.addRow("Notes", self.notes)
        form.addRow(_buttons(self))


class ContributionDialog(QDialog):
    def __init__(self, name: str, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setWindowTitle(f"Log what {name} did")
        self.kind = QComboBox()
        for kind in CONTRIBUTION_KINDS:
            self.kind.addItem(CONTRIBUTION_TITLES[kind], kind)
        self.description = QLineEdit()
        self.description.setPlaceholderText("Talk at the Lyon meetup")
        self.url = QLineEdit()
        form = QFormLayout(self)
        form.addRow("Kind", self.kind)
        form.addRow("What", self.description)
        form.addRow("Link", self.url)
        form.addRow(_buttons(self))


class OrganisationDialog(QDialog):
    def __init__(
        self, name: str, website: str | None, notes: str | None, parent: QWidget | None = None
    ) -> None:
        super().__init__(parent)
        self.setWindowTitle(f"Edit {name}")
        self.name = QLineEdit(name)
        self.website = QLineEdit(website or "")
        self.website.setPlaceholderText("https://example.org")
        self.notes = QPlainTextEdit(notes or "")
        form = QFormLayout(self)
        form.addRow("Name", self.name)
        form.addRow("Website", self.website)
        form.addRow("Notes", self.notes)
        form.addRow(_buttons(self))


class ColumnMappingDialog(QDialog):
    """Which column of a CSV file goes into which contact field, with presets and samples."""

    def __init__(self, table: contacts_csv.CsvTable, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setWindowTitle("Import contacts — match the columns")
        self.table = table
        self.preset = QComboBox()
        self.preset.addItem("Guess from the headers", None)
        for key, title in contacts_csv.PRESET_TITLES.items():
            self.preset.addItem(title, key)
        detected = contacts_csv.detect_preset(table.headers)
        self.grid = QTableWidget(len(table.headers), 3)
        self.grid.setHorizontalHeaderLabels(["Column", "Examples", "Goes into"])
        self.grid.verticalHeader().hide()
        self.combos: list[QComboBox] = []
        for row, header in enumerate(table.headers):
            self.grid.setItem(row, 0, QTableWidgetItem(header))
            samples = QTableWidgetItem(" · ".join(table.samples(row)))
            samples.setFlags(samples.flags() & ~Qt.ItemFlag.ItemIsEditable)
            self.grid.setItem(row, 1, samples)
            combo = QComboBox()
            for key, title in contacts_csv.FIELDS.items():
                combo.addItem(title, key)
            self.grid.setCellWidget(row, 2, combo)
            self.combos.append(combo)
        self.grid.resizeColumnsToContents()
        self.preset.currentIndexChanged.connect(self._on_preset_changed)
        self.preset.setCurrentIndex(max(0, self.preset.findData(detected)))
        self._on_preset_changed()
        rows = len(table.rows)
        info = QLabel(f"{rows} rows after the header (line {table.header_line}).")
        layout = QVBoxLayout(self)
        form = QFormLayout()
        form.addRow("Preset", self.preset)
        layout.addLayout(form)
        layout.addWidget(self.grid)
        layout.addWidget(info)
        layout.addWidget(_buttons(self))
        self.resize(720, 520)

    def _on_preset_changed(self) -> None:
        mapping = contacts_csv.guess_mapping(self.table.headers, self.preset.currentData())
        for combo, header in zip(self.combos, self.table.headers, strict=True):
            combo.setCurrentIndex(max(0, combo.findData(mapping.get(header, ""))))

    def mapping(self) -> dict[str, str]:
        return {
            header: combo.currentData()
            for header, combo in zip(self.table.headers, self.combos, strict=True)
        }


def network_title(network: str) -> str:
    return NETWORK_TITLES.get(network, network)
