"""``cmdesk team …`` and ``cmdesk departments …``: who mentions are assigned and routed to.

Imports no Qt. Teammates and departments are named by name (any case) or id. Removing one never
deletes a mention: its mentions are unassigned or unrouted, or handed to ``--reassign-to`` /
``--move-to`` (see :mod:`cmdesk.core.services.team`).
"""

from __future__ import annotations

import argparse
from typing import Any

from cmdesk.cli.context import CliContext, CliError
from cmdesk.core.services import team
from cmdesk.core.services.team import Removed, TeamError


def register(subparsers: Any) -> None:
    parser = subparsers.add_parser("team", help="teammates mentions can be assigned to")
    actions = parser.add_subparsers(dest="action", metavar="ACTION", required=True)
    actions.add_parser("list", help="list teammates").set_defaults(func=list_teammates)
    add = actions.add_parser("add", help="add a teammate")
    add.add_argument("name")
    add.add_argument("--email", metavar="E", help="their e-mail address")
    add.add_argument("--me", action="store_true", help="this is me (unmarks anyone else)")
    add.set_defaults(func=add_teammate)
    rename = actions.add_parser("rename", help="rename a teammate")
    rename.add_argument("teammate", metavar="NAME|ID")
    rename.add_argument("new_name", metavar="NEW_NAME")
    rename.set_defaults(func=rename_teammate)
    remove = actions.add_parser(
        "remove", help="remove a teammate (their mentions become unassigned)"
    )
    remove.add_argument("teammate", metavar="NAME|ID")
    remove.add_argument(
        "--reassign-to", metavar="NAME|ID", help="give their mentions to this teammate instead"
    )
    remove.set_defaults(func=remove_teammate)

    parser = subparsers.add_parser("departments", help="departments mentions can be routed to")
    actions = parser.add_subparsers(dest="action", metavar="ACTION", required=True)
    actions.add_parser("list", help="list departments in order").set_defaults(func=list_departments)
    add = actions.add_parser("add", help="add a department at the end of the list")
    add.add_argument("name")
    add.add_argument("--email", metavar="E", help="the address hand-offs are sent to")
    add.set_defaults(func=add_department)
    rename = actions.add_parser("rename", help="rename a department")
    rename.add_argument("department", metavar="NAME|ID")
    rename.add_argument("new_name", metavar="NEW_NAME")
    rename.set_defaults(func=rename_department)
    remove = actions.add_parser("remove", help="remove a department (its mentions become unrouted)")
    remove.add_argument("department", metavar="NAME|ID")
    remove.add_argument(
        "--move-to", metavar="NAME|ID", help="route its mentions to this department instead"
    )
    remove.set_defaults(func=remove_department)


def _write(ctx: CliContext, fn: Any, *args: Any, **kwargs: Any) -> Any:
    ws = ctx.workspace
    try:
        return ws.write(fn, ws, *args, **kwargs).result()
    except TeamError as exc:
        raise CliError(str(exc)) from exc


def _get(ctx: CliContext, fn: Any, key: str) -> Any:
    try:
        return fn(ctx.workspace, key)
    except TeamError as exc:
        raise CliError(str(exc)) from exc


def _removed(what: str, removed: Removed, verb: str, target: str | None) -> str:
    """One line: what went, and what happened to the mentions, rules and views naming it."""
    moved = f"{verb} to {target!r}" if target else f"un{verb}"
    line = f"removed {what} {removed.name!r}: {_count(removed.mentions, 'mention')} {moved}"
    if removed.rules:
        line += f", {_count(removed.rules, 'rule')} changed"
    if removed.views:
        line += f", {_count(removed.views, 'saved view')} changed"
    return line


def _count(number: int, noun: str) -> str:
    return f"{number} {noun}" if number == 1 else f"{number} {noun}s"


# -- teammates ------------------------------------------------------------------------------------


def list_teammates(args: argparse.Namespace, ctx: CliContext) -> int:
    rows = team.list_teammates(ctx.workspace)
    if not rows:
        ctx.print("no teammates yet: cmdesk team add NAME [--email E] [--me]")
        return 0
    ctx.print("id\tname\temail\tme\tassigned")
    for row in rows:
        me = "me" if row.is_me else ""
        ctx.print(f"{row.id}\t{row.name}\t{row.email or ''}\t{me}\t{row.assigned}")
    return 0


def add_teammate(args: argparse.Namespace, ctx: CliContext) -> int:
    saved = _write(ctx, team.add_teammate, args.name, args.email, is_me=args.me)
    row = team.get_teammate(ctx.workspace, saved.id)
    ctx.print(f"added teammate #{row.id} {row.name!r}{' (me)' if row.is_me else ''}")
    return 0


def rename_teammate(args: argparse.Namespace, ctx: CliContext) -> int:
    row = _get(ctx, team.get_teammate, args.teammate)
    _write(ctx, team.rename_teammate, row.id, args.new_name)
    ctx.print(f"renamed teammate #{row.id} to {team.get_teammate(ctx.workspace, row.id).name!r}")
    return 0


def remove_teammate(args: argparse.Namespace, ctx: CliContext) -> int:
    row = _get(ctx, team.get_teammate, args.teammate)
    target = _get(ctx, team.get_teammate, args.reassign_to) if args.reassign_to else None
    removed = _write(ctx, team.remove_teammate, row.id, target.id if target else None)
    ctx.print(_removed("teammate", removed, "assigned", target.name if target else None))
    return 0


# -- departments ----------------------------------------------------------------------------------


def list_departments(args: argparse.Namespace, ctx: CliContext) -> int:
    rows = team.list_departments(ctx.workspace)
    if not rows:
        ctx.print("no departments yet: cmdesk departments add NAME [--email E]")
        return 0
    ctx.print("id\tname\temail\trouted")
    for row in rows:
        ctx.print(f"{row.id}\t{row.name}\t{row.email or ''}\t{row.routed}")
    return 0


def add_department(args: argparse.Namespace, ctx: CliContext) -> int:
    saved = _write(ctx, team.add_department, args.name, args.email)
    ctx.print(f"added department #{saved.id} {team.get_department(ctx.workspace, saved.id).name!r}")
    return 0


def rename_department(args: argparse.Namespace, ctx: CliContext) -> int:
    row = _get(ctx, team.get_department, args.department)
    _write(ctx, team.rename_department, row.id, args.new_name)
    name = team.get_department(ctx.workspace, row.id).name
    ctx.print(f"renamed department #{row.id} to {name!r}")
    return 0


def remove_department(args: argparse.Namespace, ctx: CliContext) -> int:
    row = _get(ctx, team.get_department, args.department)
    target = _get(ctx, team.get_department, args.move_to) if args.move_to else None
    removed = _write(ctx, team.remove_department, row.id, target.id if target else None)
    ctx.print(_removed("department", removed, "routed", target.name if target else None))
    return 0
