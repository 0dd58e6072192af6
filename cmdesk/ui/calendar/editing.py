"""What the calendar pane does when the user changes something: dialogs, drags, import, export.

Every write goes through the task runner's writer (one transaction) and comes back through the
pane's ``on_changes``. A drag or a resize first moves the chip in the view (so the view answers at
once), then writes; a refused write reloads the real state and shows why. Dialogs are built by
small factory methods so tests can answer them.
"""

from __future__ import annotations

from dataclasses import replace
from datetime import date
from pathlib import Path
from typing import TYPE_CHECKING, Any

from PySide6.QtCore import QObject, Qt, QTimeZone
from PySide6.QtWidgets import QDialog, QFileDialog, QMessageBox, QWidget

from cmdesk.core.files import write_bytes_atomically
from cmdesk.core.services import (
    calendar,
    calendar_edits,
    calendar_import,
    campaigns,
    contacts_query,
    item_mentions,
    recurrence,
)
from cmdesk.core.services import calendar_periods as periods
from cmdesk.core.services.calendar import Occurrence
from cmdesk.ui.calendar.campaign_dialog import CampaignDialog
from cmdesk.ui.calendar.item_dialog import ItemDialog
from cmdesk.ui.widgets.file_chooser import choose_file_to_open, choose_file_to_save

if TYPE_CHECKING:
    from cmdesk.formats import ical
    from cmdesk.ui.calendar.pane import CalendarPane


class CalendarEditing(QObject):
    def __init__(self, pane: CalendarPane) -> None:
        super().__init__(pane)
        self.pane = pane
        self.ws = pane.ctx.workspace
        self.tasks = pane.ctx.tasks

    # -- writes ----------------------------------------------------------------------------

    def write(self, name: str, fn: Any, *args: Any, label: str = "") -> None:
        self.tasks.write(
            name, fn, self.ws, *args, label=label or name, on_error=self._on_write_failed
        )

    def _on_write_failed(self, message: str) -> None:
        self.pane.reload()
        warn(self.pane, "Calendar", message)

    def _show_moved(self, occ: Occurrence, starts_at: int, minutes: int) -> None:
        """Move the chip in the view now; the write and the reload follow."""
        moved = replace(occ, starts_at=starts_at, ends_at=starts_at + minutes * 60)
        self.pane.occurrences = [moved if o.key == occ.key else o for o in self.pane.occurrences]
        if self.pane.kind == "month":
            self.pane.month.replace_occurrence(occ, moved)
        elif self.pane.kind == "week":
            self.pane.week.set_occurrences(self.pane.occurrences, self.pane.tz)

    def move_to(self, occ: Occurrence, starts_at: int) -> None:
        minutes = calendar_edits.occurrence_minutes(occ)
        self._show_moved(occ, starts_at, minutes)
        self.write("Reschedule", calendar_edits.reschedule, occ, starts_at, minutes)

    def drop_on_day(self, occ: Occurrence, day: date) -> None:
        self.move_to(occ, periods.moved_to_day(occ.starts_at, occ.all_day, day, self.pane.tz))

    def resize(self, occ: Occurrence, minutes: int) -> None:
        self._show_moved(occ, occ.starts_at, minutes)
        self.write("Change duration", calendar_edits.reschedule, occ, occ.starts_at, minutes)

    def schedule_at(self, item_id: int, starts_at: int) -> None:
        detail = calendar.item_detail(self.ws, item_id)
        if detail is None:
            return
        occ = Occurrence(
            item_id,
            0,
            0,
            detail.all_day,
            detail.title,
            detail.item_type,
            detail.status,
            detail.campaign_id,
            detail.owner,
        )
        self.write("Schedule", calendar_edits.reschedule, occ, starts_at, detail.duration_minutes)

    def schedule_on_day(self, item_id: int, day: date) -> None:
        self.schedule_at(item_id, periods.at_local_time(day, 9 * 3600, self.pane.tz))

    # -- item dialog -----------------------------------------------------------------------

    def make_item_dialog(self, **kwargs: Any) -> ItemDialog:
        rows = self.pane.campaign_rows
        found = calendar.choices(self.ws)
        return ItemDialog(
            self.pane,
            campaigns=[(row.id, row.name) for row in rows],
            owners=found["owners"],
            find_contacts=lambda text: contacts_query.find(self.ws, text),
            default_zone=system_zone_name(),
            open_mentions=self.open_mentions,
            restore_occurrences=self.restore_occurrences,
            **kwargs,
        )

    def new_item(self, day: date | None) -> None:
        starts_at = None if day is None else periods.at_local_time(day, 9 * 3600, self.pane.tz)
        self.new_item_at(starts_at)

    def new_item_at(self, starts_at: int | None) -> ItemDialog:
        dialog = self.make_item_dialog(starts_at=starts_at)
        dialog.accepted.connect(
            lambda: self.write("New item", calendar_edits.create_item, dialog.value())
        )
        return _open(dialog)

    def edit_item(self, item_id: int) -> QDialog | None:
        detail = calendar.item_detail(self.ws, item_id)
        return self._edit(detail, None) if detail is not None else None

    def edit_occurrence(self, occ: Occurrence) -> QDialog | None:
        detail = calendar.item_detail(self.ws, occ.item_id)
        if detail is None:
            return None
        generated = occ.series_id is not None and occ.series_id == occ.item_id
        return self._edit(detail, occ if generated else None)

    def _edit(self, detail: calendar.ItemDetail, occ: Occurrence | None) -> QDialog:
        stats = item_mentions.mention_stats(self.ws, detail.published_url)
        dialog = self.make_item_dialog(
            detail=detail, occurrence_start=occ.starts_at if occ else None, stats=stats
        )
        dialog.finished.connect(
            lambda result: self._on_item_dialog_finished(dialog, detail, occ, result)
        )
        return _open(dialog)

    def _on_item_dialog_finished(
        self, dialog: ItemDialog, detail: calendar.ItemDetail, occ: Occurrence | None, result: int
    ) -> None:
        if result == ItemDialog.DELETE:
            self.write("Delete item", calendar_edits.delete_items, [detail.id])
        elif result == ItemDialog.CANCEL_OCCURRENCE and occ is not None:
            self.write("Skip occurrence", calendar_edits.cancel_occurrence, occ)
        elif result == QDialog.DialogCode.Accepted:
            data = dialog.value()
            if occ is not None and not dialog.whole_series():
                self.write("Edit occurrence", calendar_edits.edit_occurrence, occ, data)
            else:
                if occ is not None and data.starts_at is not None and detail.starts_at is not None:
                    # The dialog showed this occurrence's time: move the series by the same amount.
                    data = replace(
                        data, starts_at=detail.starts_at + data.starts_at - occ.starts_at
                    )
                self.write("Edit item", calendar_edits.update_item, detail.id, data)

    def restore_occurrences(self, series_id: int, starts: list[int]) -> None:
        self.write("Restore occurrences", calendar_edits.restore_occurrences, series_id, starts)

    def open_mentions(self, url: str) -> None:
        self.pane.ctx.navigate("inbox", filters=item_mentions.inbox_filters(url))

    # -- campaigns -------------------------------------------------------------------------

    def edit_campaign(self, campaign_id: int | None) -> CampaignDialog:
        row = campaigns.campaign(self.ws, campaign_id) if campaign_id is not None else None
        items = campaigns.campaign_items(self.ws, row.id) if row is not None else []
        dialog = CampaignDialog(self.pane, row, items, self.pane.tz)
        dialog.item_activated.connect(lambda item_id: self._open_campaign_item(dialog, item_id))

        def on_finished(result: int) -> None:
            if result == CampaignDialog.DELETE and row is not None:
                self.write("Delete campaign", campaigns.delete_campaign, row.id)
            elif result == QDialog.DialogCode.Accepted:
                self.write("Save campaign", campaigns.save_campaign, dialog.value(), campaign_id)

        dialog.finished.connect(on_finished)
        return _open(dialog)

    def _open_campaign_item(self, dialog: CampaignDialog, item_id: int) -> None:
        """Leave the campaign for one of its items: show it on the calendar and open it."""
        dialog.reject()
        self.pane.open_target(item_id=item_id)
        self.edit_item(item_id)

    # -- files -----------------------------------------------------------------------------

    def import_file(self) -> QFileDialog:
        """Ask for a .ics file without blocking; it is imported once chosen."""
        return choose_file_to_open(
            self.pane,
            "Import a calendar",
            "iCalendar (*.ics);;All files (*)",
            lambda path: self.import_path(Path(path)),
        )

    def import_path(self, path: Path) -> None:
        def parse(_progress: Any) -> ical.ParseResult:
            from cmdesk.formats import ical  # icalendar loads in ~50 ms: only when used

            return ical.parse_ics(path.read_bytes())

        def write(parsed: ical.ParseResult) -> None:
            self.tasks.write(
                "Import calendar",
                calendar_import.import_entries,
                self.ws,
                parsed.entries,
                parsed.problems,
                label=f"Importing {path.name}",
                on_done=lambda report: self._show_import(path, report),
                on_error=self._on_write_failed,
            )

        self.tasks.run_in_thread(
            "Read calendar",
            parse,
            label=f"Reading {path.name}",
            on_done=write,
            on_error=lambda message: warn(self.pane, "Import", message),
        )

    def _show_import(self, path: Path, report: calendar_import.ImportReport) -> None:
        text = f"{path.name}: {report.summary()}."
        if report.problems:
            text += "\n\nSkipped:\n" + "\n".join(report.problems[:20])
            if len(report.problems) > 20:
                text += f"\n… and {len(report.problems) - 20} more"
        self.pane.ctx.notify("Calendar imported", f"{path.name}: {report.summary()}")
        if report.problems:
            warn(self.pane, "Import", text, QMessageBox.Icon.Information)

    def export_file(self, only_filtered: bool) -> QFileDialog:
        """Ask where to save the .ics without blocking; it is written once chosen."""
        return choose_file_to_save(
            self.pane,
            "Export the calendar",
            "calendar.ics",
            "iCalendar (*.ics)",
            lambda path: self.export_path(Path(path), only_filtered),
        )

    def export_path(self, path: Path, only_filtered: bool) -> None:
        filt = self.pane.filter if only_filtered else None

        def export(_progress: Any) -> int:
            from cmdesk.formats import ical

            ids = calendar.item_ids_matching(self.ws, filt)
            items = calendar.item_details(self.ws, ids)
            names = {row.id: row.name for row in campaigns.campaigns(self.ws)}
            write_bytes_atomically(path, ical.export_ics(items, names, self.ws.clock.now()))
            return len(items)

        self.tasks.run_in_thread(
            "Export calendar",
            export,
            label=f"Exporting {path.name}",
            on_done=lambda count: self.pane.ctx.notify(
                "Calendar exported", f"{count} items written to {path.name}"
            ),
            on_error=lambda message: warn(self.pane, "Export", message),
        )


def system_zone_name() -> str:
    """The IANA name of the machine's zone, as Qt knows it (UTC if it is not a known zone)."""
    name = bytes(QTimeZone.systemTimeZoneId().data()).decode() or "UTC"
    return name if recurrence.is_known_zone(name) else "UTC"


def _open(dialog: QDialog) -> QDialog:
    """Show ``dialog`` window-modal without blocking (never ``exec()``: slots do not block)."""
    dialog.setAttribute(Qt.WidgetAttribute.WA_DeleteOnClose)
    dialog.open()
    return dialog


def warn(
    parent: QWidget, title: str, text: str, icon: QMessageBox.Icon = QMessageBox.Icon.Warning
) -> QMessageBox:
    """A message box that does not block (the static ``QMessageBox.warning`` runs a loop)."""
    box = QMessageBox(icon, title, text, parent=parent)
    box.setAttribute(Qt.WidgetAttribute.WA_DeleteOnClose)
    box.open()
    return box
