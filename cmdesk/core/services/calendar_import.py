"""Writing parsed .ics entries into the calendar, idempotently, in the caller's transaction.

Imports no Qt. :mod:`cmdesk.formats.ical` turns a file into entries and problems;
:func:`import_entries` writes the entries and must run in one transaction on the writer
(``Workspace.write``), so a crash or a cancel leaves the workspace as it was. Each entry is written
under a savepoint: an entry the database refuses is reported and the others still go in.

Importing the same file twice creates nothing twice: an entry is matched to an item by its UID
(or, for files cmdesk exported, by the item id the UID carries), a moved occurrence by its series
and original start; a matched item is updated only when the file says something different.
Campaigns named in X-CMDESK-CAMPAIGN are created on the way.
"""

from __future__ import annotations

import re
from collections.abc import Sequence
from dataclasses import dataclass, field, replace

import peewee as pw

from cmdesk.core.changes import NOTHING, Changes
from cmdesk.core.db import Workspace
from cmdesk.core.models import CalendarItem
from cmdesk.core.progress import Progress
from cmdesk.core.services import calendar_edits, campaigns
from cmdesk.core.services.calendar import ItemDetail, item_detail

PROGRESS_EVERY = 100
OWN_UID = re.compile(r"^cmdesk-item-(\d+)-(\d+)@cmdesk$")


def own_uid(item_id: int, created_at: int) -> str:
    """The UID exported for an item that has none (stable across exports, recognised here)."""
    return f"cmdesk-item-{item_id}-{created_at}@cmdesk"


@dataclass(frozen=True)
class ImportEntry:
    """One calendar entry read from a file (a VEVENT or VTODO), ready to be written."""

    line: int  # where it starts in the file (1-based), for problems
    uid: str
    data: calendar_edits.ItemInput
    exdates: tuple[int, ...] = ()
    recurrence_id: int | None = None  # set for a moved occurrence of the series ``uid``
    campaign: str | None = None  # a campaign name, created when missing


@dataclass
class ImportReport:
    created: int = 0
    updated: int = 0
    unchanged: int = 0
    problems: list[str] = field(default_factory=list)  # "line N: why", in file order
    changes: Changes = NOTHING

    def summary(self) -> str:
        parts = [f"{self.created} created", f"{self.updated} updated"]
        if self.unchanged:
            parts.append(f"{self.unchanged} already there")
        if self.problems:
            parts.append(f"{len(self.problems)} skipped")
        return ", ".join(parts)


def import_entries(
    ws: Workspace,
    entries: Sequence[ImportEntry],
    problems: Sequence[object] = (),
    progress: Progress | None = None,
) -> ImportReport:
    """Write ``entries``, series before their moved occurrences; ``problems`` are reported too."""
    progress = progress or Progress()
    report = ImportReport(problems=[str(problem) for problem in problems])
    ordered = sorted(entries, key=lambda e: (e.recurrence_id is not None, e.line))
    progress.update(0, len(ordered), "")
    for done, entry in enumerate(ordered, start=1):
        try:
            with ws.db.atomic():
                outcome = _write_entry(ws, entry)
        except (calendar_edits.CalendarError, campaigns.CampaignError, pw.IntegrityError) as exc:
            report.problems.append(f"line {entry.line}: {exc}")
            continue
        setattr(report, outcome, getattr(report, outcome) + 1)
        if done % PROGRESS_EVERY == 0 or done == len(ordered):
            progress.update(done, len(ordered), entry.data.title)
    report.problems.sort(key=_line_of)
    if report.created or report.updated:
        report.changes = Changes(calendar=True)
    return report


def _line_of(problem: str) -> int:
    head = problem.split(":", 1)[0].removeprefix("line ").strip()
    return int(head) if head.isdigit() else 0


def _write_entry(ws: Workspace, entry: ImportEntry) -> str:
    """Which counter the entry adds to: created, updated or unchanged."""
    data: calendar_edits.ItemInput = entry.data
    campaign_name = entry.campaign
    if campaign_name:
        data = replace(data, campaign_id=campaigns.campaign_id_by_name(ws, campaign_name, True))
    if entry.recurrence_id is not None:
        return _write_override(ws, entry, data)
    existing = find_by_uid(ws, entry.uid)
    exdates = list(entry.exdates) or None
    if existing is None:
        saved = calendar_edits.create_item(ws, data, uid=entry.uid)
        _set_exdates(saved.item_id, exdates)
        return "created"
    return _update_if_different(ws, existing, data, exdates)


def _update_if_different(
    ws: Workspace, item_id: int, data: calendar_edits.ItemInput, exdates: list[int] | None
) -> str:
    before = item_detail(ws, item_id)
    checked = calendar_edits.check_input(data)
    if before is not None and _same(before, checked, exdates):
        return "unchanged"
    if before is not None and not checked.contacts:
        # A file has no contacts: keep the ones linked in cmdesk.
        checked = replace(checked, contacts=tuple((c[0], c[2]) for c in before.contacts))
    calendar_edits.update_item(ws, item_id, checked)
    _set_exdates(item_id, exdates)
    return "updated"


def _same(before: ItemDetail, data: calendar_edits.ItemInput, exdates: list[int] | None) -> bool:
    for name in (
        "title",
        "item_type",
        "status",
        "owner",
        "starts_at",
        "duration_minutes",
        "all_day",
        "timezone",
        "campaign_id",
        "brief",
        "published_url",
        "location",
        "travel_starts_on",
        "travel_ends_on",
        "rrule",
        "reminder_minutes",
    ):
        if getattr(before, name) != getattr(data, name):
            return False
    return (
        tuple(before.channels) == data.channels
        and tuple(before.tags) == data.tags
        and tuple(before.exdates) == tuple(exdates or ())
    )


def _set_exdates(item_id: int, exdates: list[int] | None) -> None:
    CalendarItem.update(exdates=exdates).where(CalendarItem.id == item_id).execute()


def _write_override(ws: Workspace, entry: ImportEntry, data: calendar_edits.ItemInput) -> str:
    series_id = find_by_uid(ws, entry.uid)
    if series_id is None:
        raise calendar_edits.CalendarError(
            "a moved occurrence whose repeating series is neither in the file nor the calendar"
        )
    rid = entry.recurrence_id
    row = ws.db.execute_sql(
        "SELECT id FROM calendar_item WHERE recurrence_parent_id = ? AND recurrence_id = ?",
        (series_id, rid),
    ).fetchone()
    data = replace(data, rrule=None)
    if row is None:
        saved = calendar_edits.create_item(ws, data)
        CalendarItem.update(recurrence_parent=series_id, recurrence_id=rid, uid=None).where(
            CalendarItem.id == saved.item_id
        ).execute()
        return "created"
    return _update_if_different(ws, int(row[0]), data, None)


def find_by_uid(ws: Workspace, uid: str) -> int | None:
    """The item an iCalendar UID names: stored UIDs first, then UIDs cmdesk exported."""
    row = ws.db.execute_sql(
        "SELECT id FROM calendar_item WHERE uid = ? AND recurrence_parent_id IS NULL", (uid,)
    ).fetchone()
    if row:
        return int(row[0])
    match = OWN_UID.match(uid)
    if match:
        row = ws.db.execute_sql(
            "SELECT id FROM calendar_item WHERE id = ? AND created_at = ?",
            (int(match.group(1)), int(match.group(2))),
        ).fetchone()
        if row:
            return int(row[0])
    return None
