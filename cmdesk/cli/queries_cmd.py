"""``cmdesk queries add|list|remove``: the keyword queries that turn fetched items into mentions.

Imports no Qt. A bad expression is refused with the position of the problem.
"""

from __future__ import annotations

import argparse
from typing import Any

from cmdesk.cli.context import CliContext, CliError
from cmdesk.core.models import QUERY_KINDS
from cmdesk.core.query import QueryError
from cmdesk.core.services import queries


def register(subparsers: Any) -> None:
    parser = subparsers.add_parser("queries", help="keyword queries that find mentions")
    actions = parser.add_subparsers(dest="action", metavar="ACTION", required=True)
    add = actions.add_parser(
        "add",
        help="add a query",
        description='Words, "exact phrases", OR, NOT or -word, parentheses; AND is implied.',
    )
    add.add_argument("name")
    add.add_argument("expression", metavar="EXPR", help="e.g. 'acme OR \"acme cloud\" -jobs'")
    add.add_argument("--kind", choices=QUERY_KINDS, default="brand")
    add.add_argument("--lang", metavar="xx", help="only items in this language (e.g. en)")
    add.add_argument(
        "--source", type=int, action="append", default=[], metavar="ID",
        help="only items from this source (repeat for several)",
    )  # fmt: skip
    add.set_defaults(func=add_query)
    listing = actions.add_parser("list", help="list queries with their stored mention counts")
    listing.set_defaults(func=list_queries)
    remove = actions.add_parser("remove", help="remove a query (its mentions stay)")
    remove.add_argument("query", metavar="NAME|ID")
    remove.set_defaults(func=remove_query)


def add_query(args: argparse.Namespace, ctx: CliContext) -> int:
    ws = ctx.workspace
    try:
        saved = ws.write(
            queries.add_query, ws, args.name, args.expression, kind=args.kind,
            language=args.lang, source_ids=args.source,
        ).result()  # fmt: skip
    except QueryError as exc:
        raise CliError(f"bad query {args.expression!r} {exc}") from exc
    except queries.QueryDefinitionError as exc:
        raise CliError(str(exc)) from exc
    count = queries.count_matching(ws, args.expression)
    ctx.print(f"added query #{saved.id} {args.name!r} ({count} stored mentions match)")
    return 0


def list_queries(args: argparse.Namespace, ctx: CliContext) -> int:
    ws = ctx.workspace
    rows = queries.list_queries(ws)
    if not rows:
        ctx.print("no queries yet: cmdesk queries add NAME 'EXPR'")
    for row in rows:
        limits = []
        if row.language:
            limits.append(f"lang={row.language}")
        if row.source_ids:
            limits.append("sources=" + ",".join(map(str, row.source_ids)))
        count = queries.count_matching(ws, row.expression)
        state = "" if row.enabled else " (off)"
        extra = f"  [{' '.join(limits)}]" if limits else ""
        ctx.print(f"{row.id:>4}  {row.name}{state}  {row.kind}  {row.expression}{extra}  {count}")
    return 0


def remove_query(args: argparse.Namespace, ctx: CliContext) -> int:
    ws = ctx.workspace
    try:
        row = queries.get_query(ws, args.query)
        ws.write(queries.remove_query, ws, row.id).result()
    except queries.QueryDefinitionError as exc:
        raise CliError(str(exc)) from exc
    ctx.print(f"removed query #{row.id} {row.name!r}")
    return 0
