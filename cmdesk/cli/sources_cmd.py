"""``cmdesk sources add|list|remove|pause|resume|auto-fetch``: where mentions come from.

Imports no Qt. ``add`` on a web page finds its feeds (autodiscovery): the only feed is added,
several are listed and, on a terminal, one is chosen. ``add --kind KIND`` adds a search (Hacker
News, Mastodon, Bluesky…) from options named after its connector's fields, validated by the
connector's ``check``; a token or password comes from an environment variable or a no-echo
prompt, never the command line, and goes to the keychain only. Other subcommands plug in through
:data:`SOURCE_SUBCOMMANDS`: a builder ``build(actions)`` receives the ``sources`` sub-parsers and
adds its own (OPML import/export adds one line there).

The listening package (connectors, httpx, feedparser), the keychain and the OPML reader are
imported when a ``sources`` command runs, not when the parser is built: every cmdesk command
builds it.
"""

from __future__ import annotations

import argparse
import getpass
import os
import secrets
import sys
from collections.abc import Callable, Sequence
from pathlib import Path
from typing import TYPE_CHECKING, Any

from cmdesk.cli.context import CliContext, CliError
from cmdesk.core.models import SOURCE_KINDS
from cmdesk.core.services import sources
from cmdesk.core.services import workspace as workspace_service

if TYPE_CHECKING:
    from cmdesk.listening.connectors.feed import FeedCandidate


class CompletedOnUse(argparse.ArgumentParser):
    """A parser that runs ``complete(parser)`` once, when it first parses (or shows its help).

    ``sources add`` has an option per search connector field; reading the fields imports the
    connectors, which the other commands, building the same parser tree, should not pay for.
    """

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.complete: Callable[[argparse.ArgumentParser], None] | None = None

    def parse_known_args(  # type: ignore[override]
        self, args: Sequence[str] | None = None, namespace: argparse.Namespace | None = None
    ) -> tuple[argparse.Namespace, list[str]]:
        complete, self.complete = self.complete, None
        if complete is not None:
            complete(self)
        return super().parse_known_args(args, namespace)


def _build_add(actions: Any) -> None:
    add = actions.add_parser(
        "add",
        help="add a feed (or a web page: its feed is found), or a search with --kind",
        description=(
            "Add a feed by its URL (a web page's feeds are found), or a search on a network with "
            "--kind KIND and its search words, e.g. sources add --kind hackernews '\"acme widget\"'"
            " or sources add --kind mastodon --instance https://mastodon.social --tag acme. "
            "Tokens and passwords are read from an environment variable (--secret-env) or "
            "asked without echo (--ask-secret), and kept in the system keychain only."
        ),
    )
    add.add_argument(
        "url", metavar="URL|WORDS", nargs="?",
        help="a feed or web page address; for a search (--kind), the search words",
    )  # fmt: skip
    add.add_argument("--name")
    add.add_argument("--kind", choices=SOURCE_KINDS, default="rss")
    add.add_argument("--folder")
    add.add_argument(
        "--all-mentions", action=argparse.BooleanOptionalAction, default=None,
        help="every item is a mention, no query matching "
        "(default: on for searches, off for feeds)",
    )  # fmt: skip
    add.add_argument("--no-discover", action="store_true", help="add the URL as given")
    if isinstance(add, CompletedOnUse):
        add.complete = _add_search_arguments
    else:
        _add_search_arguments(add)
    add.set_defaults(func=add_source)


def _add_search_arguments(add: argparse.ArgumentParser) -> None:
    search = add.add_argument_group("searches (--kind other than rss)")
    search.add_argument(
        "--instance", "--api", dest="api_url", metavar="URL",
        help="the Mastodon instance, Bluesky server or API address (each kind has a default)",
    )  # fmt: skip
    for key, label in _search_options().items():
        flag = f"--{key.replace('_', '-')}"
        search.add_argument(flag, dest=f"field_{key}", metavar=key.upper(), help=label)
    search.add_argument(
        "--secret-env", metavar="VAR",
        help="read the token, app password or key from this environment variable",
    )  # fmt: skip
    search.add_argument(
        "--ask-secret", action="store_true",
        help="ask for the token, app password or key without showing it",
    )  # fmt: skip


def _search_options() -> dict[str, str]:
    """Each config key the search connectors ask for (``--tag``, ``--site``…), with a help line."""
    from cmdesk.listening.connectors import CONNECTORS

    labels: dict[str, str] = {}
    kinds: dict[str, list[str]] = {}
    for kind, connector in CONNECTORS.items():
        for field in getattr(connector, "fields", ()):
            if field.key not in ("url", "secret") and kind != "rss":
                labels.setdefault(field.key, field.label.lower())
                kinds.setdefault(field.key, []).append(kind)
    return {key: f"{labels[key]} ({', '.join(kinds[key])})" for key in labels}


def _build_list(actions: Any) -> None:
    listing = actions.add_parser("list", help="list sources with their health")
    listing.set_defaults(func=list_sources)


def _build_by_id(name: str, help_text: str, handler: Callable[..., int]) -> Callable[[Any], None]:
    def build(actions: Any) -> None:
        parser = actions.add_parser(name, help=help_text)
        parser.add_argument("source_id", type=int, metavar="ID")
        parser.set_defaults(func=handler)

    return build


def add_source(args: argparse.Namespace, ctx: CliContext) -> int:
    if args.kind != "rss":
        return _add_search(args, ctx)
    if not args.url:
        raise CliError("give the address of the feed, or of a web page that links to it.")
    url = args.url.strip()
    name = args.name
    if args.kind == "rss" and not args.no_discover:
        chosen = _choose_feed(ctx, url)
        url, name = chosen.url, name or chosen.title or None
    ws = ctx.workspace
    try:
        added = ws.write(
            sources.add_source, ws, url, kind=args.kind, name=name, folder=args.folder,
            all_items_are_mentions=bool(args.all_mentions),
        ).result()  # fmt: skip
    except sources.SourceError as exc:
        raise CliError(str(exc)) from exc
    row = sources.get_source(ws, added.id)
    ctx.print(f"added source #{row.id} {row.name!r} {row.url}")
    return 0


def _add_search(args: argparse.Namespace, ctx: CliContext) -> int:
    """A search source: its fields from the options, checked by its connector, secret stored."""
    from cmdesk.keychain import Keychain, KeychainError
    from cmdesk.listening.connectors import CONNECTORS

    connector = CONNECTORS[args.kind]
    fields = {field.key: field for field in connector.fields}
    given = {
        key.removeprefix("field_"): value.strip()
        for key, value in vars(args).items()
        if key.startswith("field_") and value is not None
    }
    if args.url and "query" not in given:
        given["query"] = args.url.strip()
    unused = sorted(set(given) - set(fields))
    if unused:
        flags = ", ".join(f"--{key.replace('_', '-')}" for key in unused)
        raise CliError(f"{connector.label} sources do not take {flags}.")
    if args.api_url and "url" not in fields:
        raise CliError(f"{connector.label} sources do not take --instance/--api.")
    url = (args.api_url or (fields["url"].default if "url" in fields else "")).strip()
    config = {
        key: given.get(key) or field.default
        for key, field in fields.items()
        if key not in ("url", "secret") and (given.get(key) or field.default)
    }
    secret = _read_secret(args, connector)
    keychain = Keychain()
    if secret:
        status = keychain.status()
        if not status.available:
            raise CliError(status.message)
    name = args.name or f"{connector.label}: {config.get('query') or '#' + config.get('tag', '')}"
    account = _account_name(args.kind, name) if secret else None
    ws = ctx.workspace
    try:
        added = ws.write(
            sources.add_source, ws, url, kind=args.kind, name=name, folder=args.folder,
            config=config, account=account, all_items_are_mentions=args.all_mentions,
            check=connector.check,
        ).result()  # fmt: skip
    except sources.SourceError as exc:
        raise CliError(str(exc)) from exc
    if secret and account:
        try:
            keychain.set_secret(account, secret)
        except KeychainError as exc:
            ws.write(sources.remove_source, ws, added.id).result()
            raise CliError(f"nothing was added: {exc}") from exc
    row = sources.get_source(ws, added.id)
    kept = f"; its {fields['secret'].label.lower()} is in the system keychain" if secret else ""
    ctx.print(f"added source #{row.id} {row.name!r} {row.kind} {row.url}{kept}")
    return 0


def _read_secret(args: argparse.Namespace, connector: Any) -> str:
    """The secret from --secret-env or a no-echo prompt; never from the command line itself."""
    field = next((f for f in connector.fields if f.key == "secret"), None)
    if field is None:
        if args.secret_env or args.ask_secret:
            raise CliError(f"{connector.label} sources use no token or password.")
        return ""
    what = field.label.lower()
    secret = ""
    if args.secret_env:
        secret = os.environ.get(args.secret_env, "")
        if not secret.strip():
            raise CliError(f"the environment variable {args.secret_env} is empty or not set.")
    elif args.ask_secret:
        secret = getpass.getpass(f"{field.label} (not shown): ")
        if not secret.strip():
            raise CliError(f"no {what} given; nothing was added.")
    elif connector.needs_secret:
        raise CliError(
            f"{connector.label} sources need your {what}: give the name of an environment "
            "variable holding it with --secret-env VAR, or type it with --ask-secret."
        )
    return secret.strip()


def _account_name(kind: str, name: str) -> str:
    """A keychain account for a new source: readable in the keychain app, and unique."""
    slug = "-".join(name.lower().split())[:40] or kind
    return f"{kind}/{slug}-{secrets.token_hex(3)}"


def _choose_feed(ctx: CliContext, url: str) -> FeedCandidate:
    import asyncio

    from cmdesk.listening.connectors.base import ConnectorError
    from cmdesk.listening.engine import discover
    from cmdesk.listening.http import HttpClient

    async def run() -> list[FeedCandidate]:
        async with HttpClient() as http:
            return await discover(url, http)

    try:
        candidates = asyncio.run(run())
    except ConnectorError as exc:
        raise CliError(f"could not read {url}: {exc}") from exc
    if not candidates:
        raise CliError(f"{url} is a web page that links to no feed; give the feed's address.")
    if len(candidates) == 1:
        return candidates[0]
    for number, candidate in enumerate(candidates, 1):
        ctx.print(
            f"{number}. {candidate.title or '(untitled)'} [{candidate.format}] {candidate.url}"
        )
    if not sys.stdin.isatty():
        raise CliError(f"{url} links to {len(candidates)} feeds; add one of the addresses above.")
    answer = input(f"which feed (1-{len(candidates)})? ").strip()
    if not answer.isdigit() or not 1 <= int(answer) <= len(candidates):
        raise CliError("no feed chosen; nothing was added.")
    return candidates[int(answer) - 1]


def _when(seconds: int | None) -> str:
    if not seconds:
        return "-"
    from datetime import UTC, datetime

    return datetime.fromtimestamp(seconds, UTC).strftime("%Y-%m-%d %H:%M")


def list_sources(args: argparse.Namespace, ctx: CliContext) -> int:
    rows = sources.list_sources(ctx.workspace)
    if not rows:
        ctx.print("no sources yet: cmdesk sources add URL")
    for row in rows:
        folder = f"{row.folder}/" if row.folder else ""
        ctx.print(
            f"{row.id:>4}  {row.state:<8} {folder}{row.name}  {row.kind}  {row.url}  "
            f"last ok {_when(row.last_success_at)}  next {_when(row.next_fetch_at)}  "
            f"items {row.items_seen}"
        )
        problem = row.disabled_reason or row.last_error
        if problem:
            failures = f" ({row.consecutive_failures} in a row)" if row.consecutive_failures else ""
            ctx.print(f"      {problem}{failures}")
    return 0


def remove_source(args: argparse.Namespace, ctx: CliContext) -> int:
    ws = ctx.workspace
    try:
        row = sources.get_source(ws, args.source_id)
        count = sources.mention_count(ws, row.id)
        ws.write(sources.remove_source, ws, row.id).result()
    except sources.SourceError as exc:
        raise CliError(str(exc)) from exc
    ctx.print(f"removed source #{row.id} {row.name!r} and its {count} mentions")
    return 0


def pause_source(args: argparse.Namespace, ctx: CliContext) -> int:
    return _set_state(ctx, args.source_id, sources.pause_source, "paused")


def resume_source(args: argparse.Namespace, ctx: CliContext) -> int:
    return _set_state(ctx, args.source_id, sources.resume_source, "resumed")


def _set_state(ctx: CliContext, source_id: int, change: Callable[..., Any], done: str) -> int:
    ws = ctx.workspace
    try:
        ws.write(change, ws, source_id).result()
    except sources.SourceError as exc:
        raise CliError(str(exc)) from exc
    ctx.print(f"{done} source #{source_id}")
    return 0


def _build_auto_fetch(actions: Any) -> None:
    parser = actions.add_parser(
        "auto-fetch",
        help="fetch due sources in the background while the app is open: on, off, or show",
        description=(
            "Whether the desktop app fetches due sources by itself (at start-up and every "
            "minute) while it is open. Without on/off, says which it is. cmdesk fetch works "
            "either way."
        ),
    )
    parser.add_argument("switch", nargs="?", choices=("on", "off"), metavar="on|off")
    parser.set_defaults(func=auto_fetch)


def auto_fetch(args: argparse.Namespace, ctx: CliContext) -> int:
    ws = ctx.workspace
    if args.switch is not None:
        ws.write(workspace_service.set_background_fetching, ws, args.switch == "on").result()
    on = workspace_service.background_fetching(ws)
    ctx.print(
        "background fetching is on: the app fetches due sources while it is open"
        if on
        else "background fetching is off: sources are fetched only on request (cmdesk fetch, "
        "Fetch now)"
    )
    return 0


def _build_import(actions: Any) -> None:
    parser = actions.add_parser(
        "import", help="add the feeds of an OPML file (Feedly, Inoreader, NetNewsWire...)"
    )
    parser.add_argument("file", type=Path, metavar="FILE")
    parser.set_defaults(func=import_opml)


def _build_export(actions: Any) -> None:
    parser = actions.add_parser("export", help="write the feed sources to an OPML file")
    parser.add_argument("file", metavar="FILE", help="where to write; - for standard output")
    parser.add_argument("--folder", metavar="NAME", help="only this folder and those inside it")
    parser.set_defaults(func=export_opml)


def _count(number: int, noun: str) -> str:
    return f"{number} {noun}{'' if number == 1 else 's'}"


def import_opml(args: argparse.Namespace, ctx: CliContext) -> int:
    """Print the summary to stdout and each duplicate and problem on its own line to stderr."""
    from cmdesk.core.services import sources_opml

    ws = ctx.workspace
    try:
        progress = ctx.progress("Importing")
        result = ws.write(sources_opml.import_opml, ws, args.file, progress).result()
    except sources.SourceError as exc:
        raise CliError(f"{args.file}: {exc}") from exc
    for duplicate in result.duplicates:
        print(f"duplicate: {duplicate}", file=ctx.err)
    for problem in result.problems:
        print(f"not imported: {problem}", file=ctx.err)
    if not result.added and not result.duplicates:
        problems = _count(len(result.problems), "problem")
        raise CliError(f"{args.file}: no feed in it could be read ({problems} above).")
    ctx.print(
        f"Imported {_count(result.added, 'source')}; "
        f"{_count(len(result.duplicates), 'duplicate')} skipped; "
        f"{_count(len(result.problems), 'problem')}"
    )
    return 0


def export_opml(args: argparse.Namespace, ctx: CliContext) -> int:
    """The OPML goes to the file (replaced atomically) or stdout; the count to the other stream."""
    from cmdesk.core.services import sources_opml

    ws = ctx.workspace
    to_stdout = args.file == "-"
    try:
        if to_stdout:
            data, result = sources_opml.export_document(ws, folder=args.folder)
            ctx.out.write(data.decode("utf-8"))
            ctx.out.flush()
        else:
            result = sources_opml.export_opml(ws, Path(args.file), folder=args.folder)
    except sources.SourceError as exc:
        raise CliError(str(exc)) from exc
    summary = f"Exported {_count(result.written, 'source')}"
    if not to_stdout:
        summary += f" to {args.file}"
    if result.skipped:
        left = _count(result.skipped, "search source")
        summary += f"; {left} left out (OPML only lists feeds)"
    print(summary, file=ctx.err if to_stdout else ctx.out)
    return 0


# Builders of ``cmdesk sources`` subcommands, in --help order; append yours here.
SOURCE_SUBCOMMANDS: list[Callable[[Any], None]] = [
    _build_add,
    _build_list,
    _build_by_id("remove", "remove a source and its mentions", remove_source),
    _build_by_id("pause", "stop fetching a source", pause_source),
    _build_by_id("resume", "fetch a paused or disabled source again", resume_source),
    _build_import,
    _build_export,
    _build_auto_fetch,
]


def register(subparsers: Any) -> None:
    parser = subparsers.add_parser("sources", help="feeds and searches that mentions come from")
    actions = parser.add_subparsers(
        dest="action", metavar="ACTION", required=True, parser_class=CompletedOnUse
    )
    for build in SOURCE_SUBCOMMANDS:
        build(actions)
