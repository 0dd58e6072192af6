"""The explicit list of subcommand modules, in ``cmdesk --help`` order.

Each module has ``register(subparsers)``. Listed here, not discovered, so packagers and readers
see every command.
"""

from cmdesk.cli import contacts_cmd, demo_cmd, workspace_cmd

MODULES = [workspace_cmd, demo_cmd, contacts_cmd]
