"""The explicit list of subcommand modules, in ``cmdesk --help`` order.

Each module has ``register(subparsers)``. Listed here, not discovered, so packagers and readers
see every command.
"""

from cmdesk.cli import (
    calendar_cmd,
    contacts_cmd,
    demo_cmd,
    fetch_cmd,
    mentions_cmd,
    queries_cmd,
    report_cmd,
    sources_cmd,
    workspace_cmd,
)

MODULES = [workspace_cmd, demo_cmd, contacts_cmd, calendar_cmd]
MODULES += [sources_cmd, queries_cmd, fetch_cmd, mentions_cmd]
MODULES += [report_cmd]
