"""``cmdesk demo``: fill a new workspace with a realistic synthetic demo (same seed, same content).

Imports no Qt. The workspace must be named (``--db``) and new or empty: a demo never mixes with
real data. Progress goes to stderr; the counts of what was made go to stdout.
"""

from __future__ import annotations

import argparse
from typing import Any

from cmdesk.cli.context import CliContext, CliError
from cmdesk.core.demo import DemoError, DemoSize, generate_demo

DEFAULTS = DemoSize()


def register(subparsers: Any) -> None:
    parser = subparsers.add_parser(
        "demo",
        help="fill a new workspace with a synthetic demo (a year of mentions, contacts, calendar)",
        description=(
            "Build a realistic synthetic workspace in a new or empty file: sources, queries, a "
            "year of mentions with triage, contacts with their history, and a content calendar. "
            "The same seed gives the same content."
        ),
    )
    parser.add_argument(
        "--db",
        metavar="PATH",
        default=argparse.SUPPRESS,  # the global --db works too; this spelling reads naturally
        help="the workspace file to create (required, here or before 'demo')",
    )
    parser.add_argument(
        "--mentions", type=_count, default=DEFAULTS.mentions, metavar="N",
        help=f"mentions to generate (default {DEFAULTS.mentions})",
    )  # fmt: skip
    parser.add_argument(
        "--contacts", type=_count, default=DEFAULTS.contacts, metavar="N",
        help=f"contacts to generate (default {DEFAULTS.contacts})",
    )  # fmt: skip
    parser.add_argument(
        "--items", type=_count, default=DEFAULTS.items, metavar="N",
        help=f"calendar items to generate (default {DEFAULTS.items})",
    )  # fmt: skip
    parser.add_argument("--seed", type=int, default=1, help="random seed (default 1)")
    parser.set_defaults(func=demo)


def _count(text: str) -> int:
    try:
        value = int(text.replace("_", ""))
    except ValueError:
        raise argparse.ArgumentTypeError(f"{text!r} is not a whole number") from None
    if value < 0:
        raise argparse.ArgumentTypeError("must be 0 or more")
    return value


def demo(args: argparse.Namespace, ctx: CliContext) -> int:
    if not getattr(args, "db", None):
        raise CliError("name the workspace to create: cmdesk demo --db PATH")
    size = DemoSize(mentions=args.mentions, contacts=args.contacts, items=args.items)
    ws = ctx.workspace
    try:
        summary = generate_demo(ws, size, seed=args.seed, progress=ctx.progress("demo"))
    except DemoError as exc:
        raise CliError(str(exc)) from exc
    ctx.print(f"demo workspace: {ws.path} (seed {args.seed})")
    for name, value in summary.counts.items():
        ctx.print(f"{name + ':':<10} {value}")
    ctx.print(f"{'authors:':<10} {summary.authors}")
    ctx.print(f"{'alerts:':<10} {summary.alerts}")
    ctx.print(f"built in {summary.seconds:.1f} s")
    return 0
