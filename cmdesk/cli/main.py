"""The ``cmdesk`` command: global options, the subcommand registry, and one-line errors.

Imports no Qt (the GUI is imported only when no subcommand is given). Each subcommand group is a
module with ``register(subparsers)`` that adds its parsers and sets ``func=handler``; a handler is
``handler(args, ctx) -> int``. Progress goes to stderr, results to stdout or the named file; an
error is one line on stderr and a non-zero exit, never a traceback (the traceback goes to the log).
"""

from __future__ import annotations

import argparse
import logging
import os
import sys
from collections.abc import Sequence

from cmdesk import __version__, diagnostics
from cmdesk.cli import commands
from cmdesk.cli.context import CliContext, CliError
from cmdesk.core.db import WorkspaceError
from cmdesk.core.progress import Cancelled
from cmdesk.keychain import KeychainError

log = logging.getLogger(__name__)

EXIT_ERROR = 1
EXIT_USAGE = 2
EXIT_INTERRUPTED = 130
EXIT_INTERNAL = 70


def build_parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(
        prog="cmdesk",
        description=(
            "The community manager's desk. With no subcommand, opens the app; "
            "every bulk job also runs here, headless."
        ),
    )
    parser.add_argument("--version", action="version", version=f"cmdesk {__version__}")
    parser.add_argument(
        "--db",
        metavar="PATH",
        help="workspace database to use (default: $CMDESK_DB, else the app-data folder)",
    )
    parser.add_argument(
        "--sample",
        action="store_true",
        help="use the bundled sample workspace (built on first use)",
    )
    parser.add_argument("-q", "--quiet", action="store_true", help="no progress on stderr")
    parser.add_argument("-v", "--verbose", action="store_true", help="log debug details")
    subparsers = parser.add_subparsers(dest="command", metavar="SUBCOMMAND")
    for module in commands.MODULES:
        module.register(subparsers)
    return parser


def main(argv: Sequence[str] | None = None) -> int:
    parser = build_parser()
    args = parser.parse_args(argv)
    log_path = diagnostics.setup_logging(logging.DEBUG if args.verbose else logging.INFO)
    if args.command is None:
        from cmdesk import app  # Qt is imported only for the GUI

        return app.main(args)
    ctx = CliContext.from_args(args)
    try:
        return int(args.func(args, ctx) or 0)
    except (CliError, WorkspaceError, KeychainError) as exc:
        _error(str(exc))
        return EXIT_ERROR
    except (Cancelled, KeyboardInterrupt):
        _error("interrupted; work committed before the interruption is kept.")
        return EXIT_INTERRUPTED
    except BrokenPipeError:
        # The reader of stdout went away (``cmdesk … | head``): stop quietly, as Unix tools do,
        # and keep Python from failing again when it flushes stdout at exit.
        os.dup2(os.open(os.devnull, os.O_WRONLY), sys.stdout.fileno())
        return 0
    except OSError as exc:
        _error(diagnostics.describe_exception(exc))
        return EXIT_ERROR
    except Exception as exc:  # the last line of defence: never a traceback on the terminal
        log.exception("Unexpected error in 'cmdesk %s'", args.command)
        _error(f"{diagnostics.describe_exception(exc)} (details in {log_path})")
        return EXIT_INTERNAL
    finally:
        ctx.close()


def _error(message: str) -> None:
    print(f"cmdesk: error: {message}", file=sys.stderr)


def run() -> None:
    """Console-script entry point."""
    sys.exit(main())
