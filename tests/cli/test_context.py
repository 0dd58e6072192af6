"""The command line's progress lines on stderr, as a script's log shows them (not a terminal)."""

from __future__ import annotations

import io

from cmdesk.cli.context import _TerminalBar


def test_progress_lines_say_what_is_happening_with_or_without_a_total() -> None:
    stream = io.StringIO()
    bar = _TerminalBar("Importing", stream)
    bar(0, 0, "")  # nothing counted yet
    bar._last = 0.0
    bar(12, 0, "contacts")
    bar._last = 0.0
    bar(5, 10, "feeds")
    bar(10, 10, "feeds")  # the last update always shows
    assert stream.getvalue().splitlines() == [
        "Importing…",
        "Importing 12 contacts",
        "Importing [##############--------------] 5/10 feeds",
        "Importing [############################] 10/10 feeds",
    ]
