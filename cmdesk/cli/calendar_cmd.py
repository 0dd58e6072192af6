"""``cmdesk calendar``: export and import iCalendar files, and list what is planned.

Imports no Qt. ``import`` parses the whole file, then writes the good entries in one transaction
on the workspace's writer; every skipped entry is printed with its line and why on stderr, and the
exit status is 0 when all went in, 3 when some were skipped. Importing a file again changes only
what changed in it. Dates on the command line are local days (``YYYY-MM-DD``, both included);
times are printed in the local zone, all-day items as dates. The calendar services (dateutil,
recurrence rules) are imported when a ``calendar`` command runs, not by every cmdesk command.
"""

from __future__ import annotations

import argparse
import sys
from datetime import UTC, date, datetime, timedelta, tzinfo
from pathlib import Path
from typing import TYPE_CHECKING, Any

from cmdesk.cli.context import CliContext, CliError
from cmdesk.core.files import write_bytes_atomically

if TYPE_CHECKING:
    from cmdesk.core.services import calendar

EXIT_SOME_SKIPPED = 3
DEFAULT_LIST_DAYS = 30


def register(subparsers: Any) -> None:
    parser = subparsers.add_parser("calendar", help="export, import and list the content calendar")
    sub = parser.add_subparsers(dest="calendar_command", metavar="ACTION", required=True)

    exp = sub.add_parser("export", help="write the calendar (or a date range) as an .ics file")
    exp.add_argument("file", type=Path, help="where to write ('-' for standard output)")
    _range_arguments(exp)
    _filter_arguments(exp)
    exp.set_defaults(func=export_file)

    imp = sub.add_parser("import", help="import an .ics file (Google Calendar, Outlook, tasks)")
    imp.add_argument("file", type=Path)
    imp.set_defaults(func=import_file)

    lst = sub.add_parser("list", help="list occurrences in a date range (tab-separated)")
    _range_arguments(lst)
    _filter_arguments(lst)
    lst.add_argument("--backlog", action="store_true", help="list the unscheduled ideas instead")
    lst.set_defaults(func=list_items)


def _range_arguments(parser: argparse.ArgumentParser) -> None:
    parser.add_argument("--from", dest="first", metavar="DATE", help="first day, YYYY-MM-DD")
    parser.add_argument("--to", dest="last", metavar="DATE", help="last day, YYYY-MM-DD")


def _filter_arguments(parser: argparse.ArgumentParser) -> None:
    parser.add_argument("--type", dest="types", action="append", default=[], metavar="TYPE")
    parser.add_argument("--status", dest="statuses", action="append", default=[])
    parser.add_argument("--channel", dest="channels", action="append", default=[])
    parser.add_argument("--owner", dest="owners", action="append", default=[])
    parser.add_argument("--campaign", dest="campaigns", action="append", default=[])


def local_zone() -> tzinfo:
    from dateutil import tz as dateutil_tz

    return dateutil_tz.gettz() or dateutil_tz.UTC


def _day(text: str | None) -> date | None:
    if text is None:
        return None
    from cmdesk.core.services.calendar_periods import parse_day

    try:
        return parse_day(text)
    except ValueError as exc:
        raise CliError(str(exc)) from exc


def _filter(args: argparse.Namespace, ctx: CliContext) -> calendar.CalendarFilter:
    from cmdesk.core.services import calendar, campaigns

    for kind in args.types:
        if kind not in calendar.TYPE_TITLES:
            raise CliError(f"unknown type {kind!r} (one of: {', '.join(calendar.TYPE_TITLES)})")
    for status in args.statuses:
        if status not in calendar.STATUS_TITLES:
            raise CliError(
                f"unknown status {status!r} (one of: {', '.join(calendar.STATUS_TITLES)})"
            )
    ids = []
    for name in args.campaigns:
        campaign_id = campaigns.campaign_id_by_name(ctx.workspace, name)
        if campaign_id is None:
            raise CliError(f"no campaign called {name!r}")
        ids.append(campaign_id)
    return calendar.CalendarFilter(
        types=tuple(args.types),
        statuses=tuple(args.statuses),
        channels=tuple(args.channels),
        owners=tuple(args.owners),
        campaign_ids=tuple(ids),
    )


def _bounds(args: argparse.Namespace, tz: tzinfo, default_days: int | None) -> tuple | None:
    first, last = _day(args.first), _day(args.last)
    if first is None and last is None and default_days is None:
        return None
    today = datetime.now(tz).date()
    first = first or (last - timedelta(days=default_days or 30) if last else today)
    last = last or first + timedelta(days=(default_days or 30) - 1)
    if last < first:
        raise CliError("--to is before --from")
    from cmdesk.core.services.calendar_periods import utc_bounds

    return utc_bounds(first, last, tz)


def export_file(args: argparse.Namespace, ctx: CliContext) -> int:
    from cmdesk.core.services import calendar, campaigns

    ws = ctx.workspace
    filt = _filter(args, ctx)
    bounds = _bounds(args, local_zone(), None)
    ids = calendar.item_ids_matching(ws, filt, *(bounds or (None, None)))
    items = calendar.item_details(ws, ids)
    names = {row.id: row.name for row in campaigns.campaigns(ws)}
    from cmdesk.formats import ical  # icalendar: imported by the commands that use it

    data = ical.export_ics(items, names, ws.clock.now())
    if str(args.file) == "-":
        sys.stdout.buffer.write(data)
        sys.stdout.flush()
    else:
        write_bytes_atomically(args.file, data)
        print(f"Exported {len(items)} items to {args.file}", file=ctx.err)
    return 0


def import_file(args: argparse.Namespace, ctx: CliContext) -> int:
    try:
        data = args.file.read_bytes()
    except FileNotFoundError as exc:
        raise CliError(f"{args.file}: no such file") from exc
    from cmdesk.core.services import calendar_import
    from cmdesk.formats import ical

    try:
        parsed = ical.parse_ics(data)
    except ical.IcsError as exc:
        raise CliError(f"{args.file}: {exc}") from exc
    ws = ctx.workspace
    progress = ctx.progress("Importing")
    report = ws.write(
        calendar_import.import_entries, ws, parsed.entries, parsed.problems, progress
    ).result()
    for problem in report.problems:
        print(f"{args.file}: skipped {problem}", file=ctx.err)
    ctx.print(f"{args.file}: {report.summary()}")
    return EXIT_SOME_SKIPPED if report.problems else 0


def list_items(args: argparse.Namespace, ctx: CliContext) -> int:
    from cmdesk.core.services import calendar, campaigns

    ws = ctx.workspace
    filt = _filter(args, ctx)
    names = {row.id: row.name for row in campaigns.campaigns(ws)}
    if args.backlog:
        for item in calendar.backlog(ws, filt):
            ctx.print(
                "\t".join(
                    (
                        "backlog",
                        item.item_type,
                        item.status,
                        item.title,
                        item.owner or "",
                        names.get(item.campaign_id or 0, ""),
                    )
                )
            )
        return 0
    zone = local_zone()
    start, end = _bounds(args, zone, DEFAULT_LIST_DAYS)
    for occ in calendar.occurrences(ws, start, end, filt):
        ctx.print("\t".join(_row(occ, zone, names)))
    return 0


def _row(occ: calendar.Occurrence, zone: tzinfo, names: dict[int, str]) -> tuple[str, ...]:
    if occ.all_day:
        when = datetime.fromtimestamp(occ.starts_at, UTC).strftime("%Y-%m-%d")
    else:
        when = datetime.fromtimestamp(occ.starts_at, zone).strftime("%Y-%m-%d %H:%M")
    flags = ",".join(
        flag for flag, on in (("overdue", occ.overdue), ("repeats", occ.is_recurring)) if on
    )
    return (
        when,
        occ.item_type,
        occ.status,
        occ.title,
        occ.owner or "",
        names.get(occ.campaign_id or 0, ""),
        flags,
    )
