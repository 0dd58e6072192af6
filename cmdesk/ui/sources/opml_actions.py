"""OPML in and out of the Sources pane: pick a file, run the service, show what happened.

The import runs on the writer in one transaction (``sources_opml.import_opml``; the workspace is
never half-written) and announces its changes, so the table refreshes; the export runs in a
worker thread, optionally for the folder the table is narrowed to. The outcome is a non-blocking
message box: how many were added, and the duplicates and problems listed in its details.
File dialogs are Qt's own (not the platform's) under the offscreen platform, so tests can drive
them; tests usually pass the path directly.
"""

from __future__ import annotations

from pathlib import Path
from typing import TYPE_CHECKING, Any

from PySide6.QtCore import Qt
from PySide6.QtWidgets import QMessageBox, QWidget

from cmdesk.ui.sources.source_model import NO_FOLDER
from cmdesk.ui.widgets.file_chooser import choose_file_to_open, choose_file_to_save

if TYPE_CHECKING:
    from cmdesk.ui.sources.pane import SourcesPane

OPML_FILTER = "OPML files (*.opml *.xml);;All files (*)"
SHOWN_LINES = 200


def _opml_service() -> Any:
    # Imported when used: the service module is young and the pane must open without it.
    from cmdesk.core.services import sources_opml

    return sources_opml


def import_opml(pane: SourcesPane, path: str | None = None) -> None:
    """Import ``path``, or the file the user picks (asked without blocking)."""
    if not path:
        pane.file_dialog = choose_file_to_open(  # type: ignore[attr-defined]
            pane, "Import sources from OPML", OPML_FILTER, lambda chosen: import_opml(pane, chosen)
        )
        return
    try:
        service = _opml_service()
    except ImportError:
        tell(pane, "Import OPML", "OPML import is not available in this version of cmdesk.")
        return
    file = Path(path)
    pane.ctx.tasks.write(
        "sources.opml-import", service.import_opml, pane.ctx.workspace, file,
        label=f"Importing {file.name}",
        on_done=lambda result: _report_import(pane, file, result),
        on_error=lambda message: tell(pane, "Import failed", f"{file.name}: {_plain(message)}",
                                      QMessageBox.Icon.Warning),
    )  # fmt: skip


def _report_import(pane: SourcesPane, file: Path, result: Any) -> None:
    pane.last_import = result  # type: ignore[attr-defined]
    added = int(result.added)
    duplicates, problems = list(result.duplicates), list(result.problems)
    text = f"{file.name}: {added} source{'s' if added != 1 else ''} added"
    extras = []
    if duplicates:
        extras.append(f"{len(duplicates)} already there")
    if problems:
        extras.append(f"{len(problems)} could not be read")
    text += (", " + ", ".join(extras) if extras else "") + "."
    if added:
        text += " They are fetched in the background."
    box = tell(pane, "Import finished", text)
    lines = [f"Already there: {item}" for item in duplicates[:SHOWN_LINES]]
    lines += [f"Problem: {item}" for item in problems[:SHOWN_LINES]]
    if lines:
        box.setDetailedText("\n".join(lines))


def export_opml(pane: SourcesPane, path: str | None = None) -> None:
    folder = pane.sources_view.proxy.folder
    folder = None if folder in (None, NO_FOLDER) else folder
    if not path:
        pane.file_dialog = choose_file_to_save(  # type: ignore[attr-defined]
            pane, "Export sources as OPML", f"{folder or 'sources'}.opml", OPML_FILTER,
            lambda chosen: export_opml(pane, chosen),
        )  # fmt: skip
        return
    try:
        service = _opml_service()
    except ImportError:
        tell(pane, "Export OPML", "OPML export is not available in this version of cmdesk.")
        return
    file, ws = Path(path), pane.ctx.workspace

    def write_file(_progress: object) -> Any:
        return service.export_opml(ws, file, folder=folder)

    pane.ctx.tasks.run_in_thread(
        "sources.opml-export", write_file, label=f"Exporting to {file.name}",
        on_done=lambda result: _report_export(pane, file, folder, result),
        on_error=lambda message: tell(pane, "Export failed", _plain(message),
                                      QMessageBox.Icon.Warning),
    )  # fmt: skip


def _report_export(pane: SourcesPane, file: Path, folder: str | None, result: Any) -> None:
    pane.last_export = result  # type: ignore[attr-defined]
    written, skipped = int(result.written), int(result.skipped)
    where = f" from the folder {folder}" if folder else ""
    text = f"{written} source{'s' if written != 1 else ''}{where} written to {file}."
    if skipped:
        some = "1 search source" if skipped == 1 else f"{skipped} search sources"
        was = "was" if skipped == 1 else "were"
        text += f" {some} cannot be described in OPML and {was} left out."
    tell(pane, "Export finished", text)


def _plain(message: str) -> str:
    """The runner's "SomeError: sentence" without the exception's name."""
    head, sep, tail = message.partition(": ")
    return tail if sep and head.isidentifier() and head[:1].isupper() else message


def tell(
    parent: QWidget, title: str, text: str, icon: QMessageBox.Icon = QMessageBox.Icon.Information
) -> QMessageBox:
    box = QMessageBox(icon, title, text, parent=parent)
    box.setAttribute(Qt.WidgetAttribute.WA_DeleteOnClose)
    box.open()  # not exec(): the app keeps running while the message is up
    parent.last_message = text  # type: ignore[attr-defined]
    return box
