"""Moving contacts in and out from the pane: import (with the column-mapping step), export, merge.

Parsing happens in a worker thread, the import itself on the writer in one transaction (the
workspace is never half-written), the export in a worker thread. The outcome is shown in a
non-blocking message box that lists every refused row with its line number.
"""

from __future__ import annotations

from collections.abc import Mapping
from pathlib import Path
from typing import TYPE_CHECKING

from PySide6.QtCore import Qt
from PySide6.QtWidgets import QFileDialog, QMessageBox

from cmdesk.core.files import atomic_path
from cmdesk.core.services import contacts_import as imp
from cmdesk.core.services import contacts_merge as merge
from cmdesk.formats import contacts_csv
from cmdesk.ui.contacts.dialogs import ColumnMappingDialog
from cmdesk.ui.widgets.file_chooser import choose_file_to_open, choose_file_to_save
from cmdesk.ui.widgets.questions import ask_text

if TYPE_CHECKING:
    from cmdesk.ui.contacts.pane import ContactsPane

VCARD_SUFFIXES = (".vcf", ".vcard")
SHOWN_PROBLEMS = 200


def import_file(pane: ContactsPane, path: str | None = None) -> QFileDialog | None:
    """Import ``path``, or first ask for a file without blocking (returns that dialog)."""
    if path:
        import_path(pane, Path(path))
        return None
    return choose_file_to_open(
        pane,
        "Import contacts",
        "Contacts (*.csv *.vcf *.vcard);;All files (*)",
        lambda chosen: import_path(pane, Path(chosen)),
    )


def export_file(pane: ContactsPane, kind: str, path: str | None = None) -> QFileDialog | None:
    """Export to ``path``, or first ask where without blocking (returns that dialog)."""
    if path:
        export_path(pane, Path(path), kind)
        return None
    suffix = "csv" if kind == "csv" else "vcf"
    title = "CSV" if kind == "csv" else "vCard"
    return choose_file_to_save(
        pane,
        "Export contacts",
        f"contacts.{suffix}",
        f"{title} (*.{suffix})",
        lambda chosen: export_path(pane, Path(chosen), kind),
    )


def import_path(
    pane: ContactsPane, path: Path, *, mapping: Mapping[str, str] | None = None
) -> None:
    """Import a CSV or vCard file; a CSV asks for its column mapping unless one is given.

    The file is read and parsed in a worker thread; a CSV then opens the mapping dialog
    (``open()``, kept as ``pane.mapping_dialog``) unless ``mapping`` is given, and its rows are
    parsed in a worker thread too once the mapping is chosen. The import is one write.
    """

    def read(_progress: object) -> imp.ParseResult | contacts_csv.CsvTable:
        data = path.read_bytes()
        if path.suffix.lower() in VCARD_SUFFIXES or data.lstrip()[:11].upper() == b"BEGIN:VCARD":
            from cmdesk.formats import vcard  # vobject: imported when used (worker thread)

            return vcard.parse_vcards(data)
        table = contacts_csv.read_table(data)
        return contacts_csv.parse_table(table, mapping) if mapping is not None else table

    def on_read(found: imp.ParseResult | contacts_csv.CsvTable) -> None:
        if isinstance(found, contacts_csv.CsvTable):
            _ask_mapping(pane, path, found)
        else:
            _write(pane, path, found)

    pane.ctx.tasks.run_in_thread(
        "contacts.import.read", read, label=f"Reading {path.name}", on_done=on_read,
        on_error=lambda message: _tell(pane, "Import failed", f"{path.name}: {message}"),
    )  # fmt: skip


def _ask_mapping(pane: ContactsPane, path: Path, table: contacts_csv.CsvTable) -> None:
    dialog = ColumnMappingDialog(table, pane)
    dialog.setAttribute(Qt.WidgetAttribute.WA_DeleteOnClose)

    def parse() -> None:
        mapping = dialog.mapping()  # read on the UI thread; parsed in a worker
        pane.ctx.tasks.run_in_thread(
            "contacts.import.parse", lambda _p: contacts_csv.parse_table(table, mapping),
            label=f"Reading {path.name}", on_done=lambda parsed: _write(pane, path, parsed),
            on_error=lambda message: _tell(pane, "Import failed", f"{path.name}: {message}"),
        )  # fmt: skip

    dialog.accepted.connect(parse)
    dialog.open()
    pane.mapping_dialog = dialog  # type: ignore[attr-defined]


def _write(pane: ContactsPane, path: Path, parsed: imp.ParseResult) -> None:
    pane.ctx.tasks.write(
        "contacts.import", imp.import_contacts, pane.ws, parsed,
        label=f"Importing {path.name}",
        on_done=lambda result: _report(pane, path, result),
        on_error=lambda message: _tell(pane, "Import failed", message),
    )  # fmt: skip


def _report(pane: ContactsPane, path: Path, result: imp.ImportResult) -> None:
    pane.last_import = result  # type: ignore[attr-defined]
    lines = [str(p) for p in result.problems[:SHOWN_PROBLEMS]]
    lines += [str(w) for w in result.warnings[:SHOWN_PROBLEMS]]
    box = _tell(pane, "Import finished", f"{path.name}: {result.summary()}.")
    if lines:
        box.setDetailedText("\n".join(lines))


def export_path(pane: ContactsPane, path: Path, kind: str) -> None:
    ws = pane.ws

    def write_file(_progress: object) -> int:
        with (
            atomic_path(path) as partial,
            partial.open("w", encoding="utf-8", newline="") as handle,
        ):
            profiles = imp.iter_profiles(ws)
            if kind == "csv":
                return contacts_csv.write_csv((p for p, _ in profiles), handle)
            from cmdesk.formats import vcard

            return vcard.write_vcards(profiles, handle)

    pane.ctx.tasks.run_in_thread(
        "contacts.export", write_file, label=f"Exporting to {path.name}",
        on_done=lambda count: _tell(pane, "Export finished", f"{count} contacts in {path}."),
        on_error=lambda message: _tell(pane, "Export failed", message),
    )  # fmt: skip


def offer_merge(pane: ContactsPane, contact_id: int) -> None:
    """List contacts with similar names; merge the chosen one into this contact."""
    similar = merge.similar_contacts(pane.ws, contact_id)
    if not similar:
        _tell(pane, "Similar names", "No other contact has a similar name.")
        return
    choices = [f"{name} — similarity {score:.0f}" for _, name, score in similar]

    def on_chosen(choice: str) -> None:
        other = similar[choices.index(choice)][0]
        pane.ctx.tasks.write(
            "contacts.merge", merge.merge_contacts, pane.ws, contact_id, other, label="Merging"
        )

    pane.last_dialog = ask_text(  # type: ignore[attr-defined]
        pane, "Merge a similar contact", "Merge into the current contact:", on_chosen,
        choices=choices,
    )  # fmt: skip


def _tell(pane: ContactsPane, title: str, text: str) -> QMessageBox:
    box = QMessageBox(QMessageBox.Icon.Information, title, text, parent=pane)
    box.open()  # not exec(): the app keeps running while the message is up
    pane.last_message = text  # type: ignore[attr-defined]
    return box
