"""Thin launcher: ``python main.py [--db PATH] [SUBCOMMAND ...]`` is ``cmdesk``."""

from cmdesk.cli.main import run

if __name__ == "__main__":
    run()
