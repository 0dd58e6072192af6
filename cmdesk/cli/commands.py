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
    team_cmd,
    workspace_cmd,
)

# In the order a user meets them in `cmdesk --help`: listening and the team triaging it, the
# CRM and calendar, the report, then the workspace tools.
MODULES = [sources_cmd, queries_cmd, fetch_cmd, mentions_cmd, team_cmd]
MODULES += [contacts_cmd, calendar_cmd, report_cmd]
MODULES += [demo_cmd, workspace_cmd]
