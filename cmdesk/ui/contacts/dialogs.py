"""Dialogs of the contacts pane: a contact's form, interactions, contributions, CSV columns.

They only collect input; the pane opens them with ``open()`` and writes through services on the
task runner when they are accepted. The contact form checks its input with the service's
(pure) ``check_input`` before closing, so a mistake is shown in the form, which stays open.
"""

from __future__ import annotations

from PySide6.QtCore import Qt
from PySide6.QtWidgets import (
    QComboBox,
    QDialog,
    QDialogButtonBox,
    QFormLayout,
    QLabel,
    QLineEdit,
    QPlainTextEdit,
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


def _buttons(dialog: QDialog) -> QDialogButtonBox:
    box = QDialogButtonBox(
        QDialogButtonBox.StandardButton.Ok | QDialogButtonBox.StandardButton.Cancel
    )
    box.accepted.connect(dialog.accept)
    box.rejected.connect(dialog.reject)
    return box


class ContactDialog(QDialog):
    """New or edited contact: names, organisation, e-mails, phones, handles, lists, stage."""

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
        self.name = QLineEdit(d.display_name)
        self.name.setPlaceholderText("Full name")
        self.organisation = QLineEdit(d.organisation or "")
        self.job_title = QLineEdit(d.title or "")
        self.emails = QLineEdit(", ".join(x.value for x in d.details if x.kind == "email"))
        self.phones = QLineEdit(", ".join(x.value for x in d.details if x.kind == "phone"))
        self.websites = QLineEdit(", ".join(x.value for x in d.details if x.kind == "website"))
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
        self.handles = QPlainTextEdit("\n".join(f"{h.network}: {h.handle}" for h in d.handles))
        self.handles.setPlaceholderText("github: octocat\nmastodon: https://fosstodon.org/@ada")
        self.handles.setFixedHeight(80)
        form = QFormLayout()
        for label, widget in (
            ("Name", self.name), ("Organisation", self.organisation), ("Title", self.job_title),
            ("E-mails", self.emails), ("Phones", self.phones), ("Websites", self.websites),
            ("Handles", self.handles), ("Location", self.location), ("Time zone", self.timezone),
            ("Stage", self.stage), ("Owner", self.owner), ("Lists", self.lists),
            ("Keep in touch every", self.cadence),
        ):  # fmt: skip
            form.addRow(label, widget)
        networks = ", ".join(HANDLE_NETWORKS)
        hint = QLabel(f"One handle a line, as “network: handle or profile URL” ({networks}).")
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

    def accept(self) -> None:
        """Close only when the service would take what the form says; else say what is wrong."""
        try:
            check_input(self.contact_input())
        except ContactError as exc:
            self.error.setText(str(exc))
            self.error.show()
            return
        super().accept()

    def contact_input(self) -> ContactInput:
        """What the form says; the service checks it (and says what is wrong)."""

        def split(text: str) -> list[str]:
            return [p.strip() for p in text.replace(";", ",").split(",") if p.strip()]

        details = tuple(
            DetailInput(kind, value)
            for kind, widget in (
                ("email", self.emails), ("phone", self.phones), ("website", self.websites)
            )
            for value in split(widget.text())
        )  # fmt: skip
        handles = []
        for line in self.handles.toPlainText().splitlines():
            network, _, handle = line.partition(":")
            if handle.strip().startswith("//"):  # "https://..." without a network
                continue
            if handle.strip():
                reach = next(
                    (h.reach for h in self.original.handles if h.network == network.strip()),
                    None,
                )
                handles.append(HandleInput(network.strip().lower(), handle.strip(), None, reach))
        return ContactInput(
            display_name=self.name.text(),
            given_name=self.original.given_name,
            family_name=self.original.family_name,
            organisation=self.organisation.text(),
            title=self.job_title.text(),
            location=self.location.text(),
            timezone=self.timezone.text(),
            stage=self.stage.currentText(),
            owner=self.owner.text(),
            notes=self.original.notes,
            cadence_days=self.cadence.value() or None,
            photo=self.original.photo,
            details=details,
            handles=tuple(handles),
            lists=tuple(split(self.lists.text())),
        )


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
