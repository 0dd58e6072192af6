"""``cmdesk fetch [--source ID]``: fetch due sources now (or the named ones), headless.

Imports no Qt. A progress bar goes to stderr; the summary (fetched, new mentions, unchanged,
failed with reasons) to stdout. Exit status 0 when the run completed (even with failing sources,
which are listed), 1 when offline. The listening engine (httpx, feedparser, every connector) is
imported when ``fetch`` runs, not by every cmdesk command.
"""

from __future__ import annotations

import argparse
from typing import TYPE_CHECKING, Any

from cmdesk.cli.context import CliContext, CliError
from cmdesk.core.services import sources

if TYPE_CHECKING:
    from cmdesk.listening.engine import FetchSummary


def register(subparsers: Any) -> None:
    parser = subparsers.add_parser("fetch", help="fetch sources now and store new mentions")
    parser.add_argument(
        "--source", type=int, action="append", metavar="ID",
        help="fetch this source even if not due (repeat for several); default: every due source",
    )  # fmt: skip
    parser.set_defaults(func=fetch)


def fetch(args: argparse.Namespace, ctx: CliContext) -> int:
    import asyncio

    from cmdesk.keychain import Keychain
    from cmdesk.listening.engine import fetch_sources
    from cmdesk.listening.http import HttpClient

    ws = ctx.workspace
    if args.source:
        for source_id in args.source:
            try:
                sources.get_source(ws, source_id)
            except sources.SourceError as exc:
                raise CliError(str(exc)) from exc
    progress = ctx.progress("fetch")

    async def run() -> FetchSummary:
        async with HttpClient() as http:
            return await fetch_sources(ws, http, args.source, progress, keychain=Keychain())

    summary = asyncio.run(run())
    print_summary(ctx, summary)
    return 1 if summary.offline else 0


def print_summary(ctx: CliContext, summary: FetchSummary) -> None:
    if summary.offline:
        ctx.print("offline: the internet could not be reached; sources will be tried again soon.")
    ctx.print(
        f"fetched {summary.fetched}, unchanged {summary.unchanged}, "
        f"failed {len(summary.failed)}, new mentions {summary.new_mentions}"
        + (f", not tried {summary.skipped}" if summary.skipped else "")
    )
    for source_id, name, reason in summary.failed:
        ctx.print(f"  #{source_id} {name}: {reason}")
    for source_id, name, reason in summary.waiting:
        ctx.print(f"  #{source_id} {name}: {reason}")
