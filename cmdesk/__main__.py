"""``python -m cmdesk``: the same as the ``cmdesk`` command."""

from cmdesk.cli.main import run

run()
