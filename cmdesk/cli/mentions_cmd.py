"""``cmdesk mentions export --format csv|jsonl [--since DATE] [--out FILE]``.

Imports no Qt. Streams mentions oldest first (constant memory); ``--since`` takes a date
(YYYY-MM-DD, UTC) or an ISO date-time. Without ``--out`` the export goes to stdout.
"""

from __future__ import annotations

import argparse
import csv
import json
from datetime import UTC, datetime
from pathlib import Path
from typing import Any, TextIO

from cmdesk.cli.context import CliContext, CliError
from cmdesk.core.files import atomic_path
from cmdesk.core.services.mentions_export import EXPORT_COLUMNS, export_records


def register(subparsers: Any) -> None:
    parser = subparsers.add_parser("mentions", help="export mentions")
    actions = parser.add_subparsers(dest="action", metavar="ACTION", required=True)
    export = actions.add_parser("export", help="export mentions as CSV or JSON Lines")
    export.add_argument("--format", choices=("csv", "jsonl"), default="csv")
    export.add_argument("--since", type=_date, metavar="DATE", help="published on or after")
    export.add_argument("--out", type=Path, metavar="FILE", help="write here instead of stdout")
    export.set_defaults(func=export_mentions)


def _date(text: str) -> int:
    try:
        moment = datetime.fromisoformat(text.strip().replace("Z", "+00:00"))
    except ValueError:
        raise argparse.ArgumentTypeError(f"{text!r} is not a date such as 2026-11-01") from None
    if moment.tzinfo is None:
        moment = moment.replace(tzinfo=UTC)
    return int(moment.timestamp())


def export_mentions(args: argparse.Namespace, ctx: CliContext) -> int:
    records = export_records(ctx.workspace, args.since)
    if args.out is None:
        count = _write(records, args.format, ctx.out)
    else:
        try:
            with (
                atomic_path(args.out) as partial,
                partial.open("w", encoding="utf-8", newline="") as handle,
            ):
                count = _write(records, args.format, handle)
        except OSError as exc:
            raise CliError(f"cannot write {args.out}: {exc.strerror or exc}") from exc
        ctx.print(f"exported {count} mentions to {args.out}")
    return 0


def _write(records: Any, fmt: str, stream: TextIO) -> int:
    count = 0
    if fmt == "csv":
        writer = csv.DictWriter(stream, fieldnames=EXPORT_COLUMNS)
        writer.writeheader()
        for record in records:
            writer.writerow(record)
            count += 1
    else:
        for record in records:
            stream.write(json.dumps(record, ensure_ascii=False) + "\n")
            count += 1
    return count
