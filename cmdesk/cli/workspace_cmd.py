"""``cmdesk info``: where the workspace is, its schema version and what it holds.

Imports no Qt.
"""

from __future__ import annotations

import argparse
from typing import Any

from cmdesk.cli.context import CliContext
from cmdesk.core.db import schema_version
from cmdesk.core.services import workspace as workspace_service


def register(subparsers: Any) -> None:
    parser = subparsers.add_parser("info", help="show the workspace's location, schema and counts")
    parser.set_defaults(func=info)


def info(args: argparse.Namespace, ctx: CliContext) -> int:
    from cmdesk.keychain import Keychain

    ws = ctx.workspace
    counts = workspace_service.counts(ws)
    ctx.print(f"workspace: {ws.path}")
    ctx.print(f"schema:    {schema_version(ws.db)}")
    for name, value in counts.items():
        ctx.print(f"{name + ':':<10} {value}")
    ctx.print(f"keychain:  {Keychain().status().message}")
    return 0
