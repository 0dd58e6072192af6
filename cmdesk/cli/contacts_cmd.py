"""``cmdesk contacts``: import CSV/vCard files, export CSV/vCard, list, and show who is due.

Imports no Qt. ``import`` parses the whole file, then writes the good records in one transaction
on the workspace's writer (a crash or Ctrl-C leaves the workspace as it was); every bad row or
card is printed with its line number on stderr, and the exit status is 0 when all went in, 3 when
some rows were refused. ``list`` computes the stored due times and influence scores first when
they are missing or a day old (see :mod:`cmdesk.core.services.contacts_scores`).
"""

from __future__ import annotations

import argparse
from pathlib import Path
from typing import Any, TextIO

from cmdesk.cli.context import CliContext, CliError
from cmdesk.core.files import atomic_path
from cmdesk.core.services import contacts_import, contacts_query, contacts_scores, keep_in_touch
from cmdesk.core.services.contacts_lists import contact_lists
from cmdesk.formats import contacts_csv

EXIT_SOME_REFUSED = 3
VCARD_SUFFIXES = (".vcf", ".vcard")


def register(subparsers: Any) -> None:
    parser = subparsers.add_parser("contacts", help="import, export and list contacts")
    sub = parser.add_subparsers(dest="contacts_command", metavar="ACTION", required=True)

    imp = sub.add_parser("import", help="import a CSV or vCard (.vcf) file")
    imp.add_argument("file", type=Path)
    imp.add_argument(
        "--preset",
        choices=sorted(contacts_csv.PRESETS),
        help="CSV column preset (default: detected from the header)",
    )
    imp.add_argument(
        "--list",
        dest="lists",
        action="append",
        default=[],
        metavar="NAME",
        help="also put every imported contact in this list",
    )
    imp.set_defaults(func=import_file)

    exp = sub.add_parser("export", help="export every contact as CSV or vCard 3.0")
    exp.add_argument("--format", choices=("csv", "vcard"), required=True)
    exp.add_argument("file", type=Path, help="where to write ('-' for standard output)")
    exp.set_defaults(func=export_file)

    lst = sub.add_parser("list", help="list contacts (tab-separated)")
    lst.add_argument("--search", default="", help="text in a name, organisation, e-mail or handle")
    lst.add_argument("--list", dest="list_name", help="only this list's members")
    lst.add_argument("--stage")
    lst.add_argument("--owner")
    lst.add_argument("--due", action="store_true", help="only contacts due a follow-up")
    lst.add_argument("--sort", choices=contacts_query.SORTS, default="name")
    lst.add_argument("--limit", type=int, default=0, help="at most this many (0: all)")
    lst.set_defaults(func=list_contacts)


def parse_file(path: Path, preset: str | None) -> contacts_import.ParseResult:
    try:
        data = path.read_bytes()
    except FileNotFoundError as exc:
        raise CliError(f"{path}: no such file") from exc
    from cmdesk.formats import vcard  # vobject: imported by the commands that use it

    try:
        if path.suffix.lower() in VCARD_SUFFIXES or data.lstrip()[:11].upper() == b"BEGIN:VCARD":
            return vcard.parse_vcards(data)
        return contacts_csv.parse_csv(data, preset=preset)
    except (contacts_csv.CsvError, vcard.VCardError) as exc:
        raise CliError(f"{path}: {exc}") from exc


def import_file(args: argparse.Namespace, ctx: CliContext) -> int:
    parsed = parse_file(args.file, args.preset)
    ws = ctx.workspace
    progress = ctx.progress("Importing")
    result = ws.write(
        contacts_import.import_contacts, ws, parsed, progress, extra_lists=args.lists
    ).result()
    for problem in result.problems:
        print(f"{args.file}: {problem} — not imported", file=ctx.err)
    for warning in result.warnings:
        print(f"{args.file}: {warning}", file=ctx.err)
    ctx.print(f"{args.file.name}: {result.summary()}; {result.linked_authors} authors linked")
    return EXIT_SOME_REFUSED if result.problems else 0


def export_file(args: argparse.Namespace, ctx: CliContext) -> int:
    ws = ctx.workspace
    profiles = contacts_import.iter_profiles(ws)
    to_stdout = str(args.file) == "-"

    def write(handle: TextIO) -> int:
        if args.format == "csv":
            return contacts_csv.write_csv((p for p, _ in profiles), handle)
        from cmdesk.formats import vcard

        return vcard.write_vcards(profiles, handle)

    if to_stdout:
        count = write(ctx.out)
    else:
        with (
            atomic_path(args.file) as partial,
            partial.open("w", encoding="utf-8", newline="") as handle,
        ):
            count = write(handle)
    if not to_stdout:
        print(f"{count} contacts written to {args.file}", file=ctx.err)
    return 0


def list_contacts(args: argparse.Namespace, ctx: CliContext) -> int:
    ws = ctx.workspace
    list_id = None
    if args.list_name:
        found = [c.id for c in contact_lists(ws) if c.name.lower() == args.list_name.lower()]
        if not found:
            raise CliError(f"no list called {args.list_name!r}")
        list_id = found[0]
    if contacts_scores.scores_need_refresh(ws):
        # The first listing after schema 3 (or a day after the last pass) stores the due times
        # and influence scores the due filter and the influence sort read.
        ws.write(contacts_scores.refresh_all_scores, ws).result()
    filt = contacts_query.ContactFilter(
        search=args.search,
        list_id=list_id,
        stage=args.stage,
        owner=args.owner,
        due_only=args.due,
        sort=args.sort,
        descending=args.sort == "last_interaction",
    )
    ids = contacts_query.snapshot_ids(ws, filt)
    if args.limit:
        ids = ids[: args.limit]
    ctx.print("id\tname\torganisation\tstage\tlists\te-mail\tlast interaction")
    for start in range(0, len(ids), 500):
        chunk = list(ids[start : start + 500])
        rows = contacts_query.rows_for_ids(ws, chunk)
        for cid in chunk:
            r = rows.get(cid)
            if r is None:
                continue
            last = _day(r.last_interaction_at)
            ctx.print(
                f"{r.id}\t{r.display_name}\t{r.organisation or ''}\t{r.stage}\t"
                f"{', '.join(r.lists)}\t{r.email or ''}\t{last}"
            )
    if args.due:
        print(f"{keep_in_touch.due_count(ws)} contacts due", file=ctx.err)
    return 0


def _day(seconds: int | None) -> str:
    if seconds is None:
        return ""
    from cmdesk.core.clock import from_epoch

    return from_epoch(seconds).strftime("%Y-%m-%d")
