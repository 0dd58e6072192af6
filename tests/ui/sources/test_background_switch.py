"""The "Fetch in the background" switch: says the state in words, and listening follows it."""

from __future__ import annotations

import asyncio

from cmdesk.core.services import workspace as workspace_service
from cmdesk.keychain import Keychain
from cmdesk.ui.listening import Listening
from cmdesk.ui.pane import make_test_context
from cmdesk.ui.sources.background_switch import OFF_TEXT, ON_TEXT
from cmdesk.ui.sources.pane import SourcesPane


def test_switching_background_fetching_on_and_off_without_restart(qtbot, qt_loop, workspace):  # type: ignore[no-untyped-def]
    ws = workspace
    ws.write(workspace_service.set_background_fetching, ws, False).result()
    ctx = make_test_context(ws)
    listening = Listening(ws, ctx.tasks, Keychain())
    ctx.listening = listening
    pane = SourcesPane(ctx)
    qtbot.addWidget(pane)
    ctx.events.changed.connect(pane.on_changes)
    pane.show()
    switch = pane.sources_view.background
    listening.start()
    assert not listening.active
    assert not switch.check.isChecked() and switch.state.text() == OFF_TEXT

    switch.check.setChecked(True)  # as a click does
    qtbot.waitUntil(lambda: listening.active, timeout=5_000)
    assert workspace_service.background_fetching(ws) is True
    assert switch.state.text() == ON_TEXT

    switch.check.setChecked(False)
    qtbot.waitUntil(lambda: not listening.active, timeout=5_000)
    assert switch.state.text() == OFF_TEXT

    # A change made elsewhere (the CLI, a service call) shows in the switch too.
    ctx.tasks.write("t", workspace_service.set_background_fetching, ws, True)
    qtbot.waitUntil(lambda: switch.check.isChecked() and listening.active, timeout=5_000)
    closing = asyncio.ensure_future(listening.close())
    qtbot.waitUntil(closing.done, timeout=5_000)
