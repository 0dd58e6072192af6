import asyncio

from listening.server import LoopbackServer, Reply

from cmdesk.core.changes import Changes
from cmdesk.core.models import Mention
from cmdesk.core.services import queries, sources
from cmdesk.core.services import workspace as workspace_service
from cmdesk.keychain import Keychain
from cmdesk.listening import engine
from cmdesk.listening.http import HttpClient, HttpSettings
from cmdesk.ui.listening import Listening, describe
from cmdesk.ui.tasks import TaskRunner, WorkspaceEvents

FEED = b"""<?xml version="1.0"?>
<rss version="2.0"><channel><title>Widget news</title><link>http://example.org/</link>
<item><guid>a1</guid><title>Acme widget review</title><link>http://example.org/a1</link>
<description>The acme widget is lovely.</description>
<pubDate>Thu, 19 Nov 2026 10:00:00 GMT</pubDate></item>
<item><guid>a2</guid><title>Unrelated</title><link>http://example.org/a2</link>
<description>Nothing to see.</description><pubDate>Thu, 19 Nov 2026 11:00:00 GMT</pubDate></item>
</channel></rss>"""


def test_describe_says_offline_once_and_counts_otherwise():
    assert describe(engine.FetchSummary(offline=True)).startswith("Offline")
    line = describe(engine.FetchSummary(fetched=2, unchanged=3, new_mentions=1))
    assert line == "Checked 5 sources: 1 new mention, 3 unchanged."


def test_background_fetching_respects_the_workspace_setting(qt_loop, workspace):
    workspace.write(workspace_service.set_setting, workspace, "auto_fetch", False).result()
    runner = TaskRunner(workspace, WorkspaceEvents())
    listening = Listening(workspace, runner, Keychain())
    listening.start()
    assert not listening.active


def test_fetch_now_stores_mentions_and_announces_them(qtbot, qt_loop, workspace):
    events = WorkspaceEvents()
    runner = TaskRunner(workspace, events)
    with LoopbackServer() as server:
        server.route("/feed.xml", Reply(200, body=FEED, headers={"Content-Type": "text/xml"}))
        workspace.write(sources.add_source, workspace, server.url("/feed.xml")).result()
        workspace.write(queries.add_query, workspace, "Acme", '"acme widget"').result()
        http = HttpClient(HttpSettings(deadline=10))
        listening = Listening(workspace, runner, Keychain(), http=http)
        announced, summaries, lines = [], [], []
        events.changed.connect(announced.append)
        listening.fetch_finished.connect(summaries.append)
        listening.status_changed.connect(lines.append)
        listening.fetch()
        qtbot.waitUntil(lambda: bool(summaries), timeout=20_000)
        closing = asyncio.ensure_future(listening.close())
        qtbot.waitUntil(closing.done, timeout=5_000)
    assert summaries[0].new_mentions == 1
    assert [m.title for m in Mention.select()] == ["Acme widget review"]
    assert any(change.mentions for change in announced if isinstance(change, Changes))
    assert lines == ["Checked 1 source: 1 new mention."]
