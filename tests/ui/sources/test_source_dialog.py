"""The add/edit-source dialog: fields from each connector, Test against the loopback server,
feed discovery on a web page, saving a feed, secrets in the keychain and never in the database."""

from __future__ import annotations

import asyncio
from typing import ClassVar

import pytest
from keyring.backends.fail import Keyring as FailKeyring
from listening.server import LoopbackServer, Reply
from PySide6.QtWidgets import QComboBox, QDialogButtonBox, QLineEdit, QSpinBox
from shiboken6 import isValid
from test_sources_pane import FEED, make_pane

from cmdesk.core.models import Source
from cmdesk.core.services import queries, sources
from cmdesk.keychain import Keychain
from cmdesk.listening.connectors import CONNECTORS
from cmdesk.listening.connectors.base import ConfigField, FetchResult
from cmdesk.listening.http import HttpClient, HttpSettings
from cmdesk.ui.listening import Listening
from cmdesk.ui.pane import make_test_context
from cmdesk.ui.sources.source_dialog import SourceDialog

PAGE = b"""<html><head><title>Widget blog</title>
<link rel="alternate" type="application/rss+xml" title="All posts" href="/feed.xml">
<link rel="alternate" type="application/atom+xml" title="Comments" href="/comments.xml">
</head><body>Hello</body></html>"""
FEED_HEADERS = {"Content-Type": "application/rss+xml"}


class TokenConnector:
    """A search connector with a token, as the real ones declare themselves."""

    kind: ClassVar[str] = "github"
    label: ClassVar[str] = "GitHub search (test)"
    needs_secret: ClassVar[bool] = True
    fields: ClassVar[tuple[ConfigField, ...]] = (
        ConfigField("terms", "Search terms", required=True, help="Words to look for"),
        ConfigField("scope", "Look in", "choice", choices=("issues", "discussions")),
        ConfigField("per_page", "Per page", "int", default="30"),
        ConfigField("secret", "Token", "secret", required=True, help="A fine-grained token"),
    )

    @classmethod
    def check(cls, values: dict[str, str]) -> str | None:
        return "Search terms cannot start with a dash." if values["terms"].startswith("-") else None

    async def fetch(self, source, http, secret):  # type: ignore[no-untyped-def]
        return FetchResult()


def closed(dialog: SourceDialog) -> bool:
    """Saved and closed (the dialog deletes itself on close)."""
    return not isValid(dialog) or not dialog.isVisible()


def save(dialog: SourceDialog) -> None:
    dialog.buttons.button(QDialogButtonBox.StandardButton.Save).click()


@pytest.fixture
def listening_server(qtbot, qt_loop, workspace):  # type: ignore[no-untyped-def]
    """A loopback server with a feed, a page linking to two feeds and a 404; a Listening."""
    with LoopbackServer() as server:
        server.route("/feed.xml", Reply(200, body=FEED, headers=FEED_HEADERS))
        server.route("/comments.xml", Reply(200, body=FEED.replace(b"Acme", b"Other"),
                                            headers=FEED_HEADERS))  # fmt: skip
        server.route("/blog", Reply(200, body=PAGE, headers={"Content-Type": "text/html"}))
        from cmdesk.ui.tasks import TaskRunner, WorkspaceEvents

        listening = Listening(workspace, TaskRunner(workspace, WorkspaceEvents()), Keychain(),
                              http=HttpClient(HttpSettings(deadline=10)))  # fmt: skip
        yield server, listening
        closing = asyncio.ensure_future(listening.close())
        qtbot.waitUntil(closing.done, timeout=5_000)


def test_fields_are_rendered_for_each_registered_kind(qtbot, qt_loop, workspace, monkeypatch):  # type: ignore[no-untyped-def]
    monkeypatch.setitem(CONNECTORS, "github", TokenConnector)
    pane = make_pane(qtbot, workspace)
    dialog = pane.sources_view.add_source()
    kinds = [dialog.kind.itemData(i) for i in range(dialog.kind.count())]
    assert kinds == list(CONNECTORS)
    for number, kind in enumerate(kinds):
        dialog.kind.setCurrentIndex(number)
        assert dialog.form is not None
        expected = [field.key for field in CONNECTORS[kind].fields]
        assert list(dialog.form.widgets) == expected
        for field in CONNECTORS[kind].fields:
            widget = dialog.form.widget(field.key)
            wanted = {"choice": QComboBox, "int": QSpinBox}.get(field.kind, QLineEdit)
            assert isinstance(widget, wanted), (kind, field.key)
            if field.kind == "secret":
                assert widget.echoMode() == QLineEdit.EchoMode.Password
    assert dialog.form.widget("per_page").value() == 30
    dialog.reject()


def test_a_secret_goes_to_the_keychain_never_the_database(
    qtbot, qt_loop, workspace, monkeypatch, memory_keyring
):  # type: ignore[no-untyped-def]
    monkeypatch.setitem(CONNECTORS, "github", TokenConnector)
    pane = make_pane(qtbot, workspace)
    dialog = pane.sources_view.add_source()
    dialog.kind.setCurrentIndex(dialog.kind.findData("github"))
    form = dialog.form
    save(dialog)
    assert dialog.isVisible() and "Search terms, Token" in dialog.error.text()
    form.widget("terms").setText("-acme")
    form.widget("secret").setText("ghp_s3cret")
    save(dialog)
    assert dialog.isVisible() and dialog.error.text() == "Search terms cannot start with a dash."
    form.widget("terms").setText("acme, globex")
    form.widget("scope").setCurrentIndex(1)
    dialog.name.setText("GitHub: acme")
    dialog.folder.setCurrentText("Code")
    save(dialog)
    qtbot.waitUntil(lambda: closed(dialog))
    row = sources.list_sources(workspace)[0]
    assert (row.kind, row.name, row.folder) == ("github", "GitHub: acme", "Code")
    assert dict(row.config) == {"terms": "acme, globex", "scope": "discussions", "per_page": 30}
    assert row.account and row.account.startswith("github/")
    assert memory_keyring.secrets == {("cmdesk", row.account): "ghp_s3cret"}
    stored = workspace.db.execute_sql("SELECT * FROM source").fetchall()
    assert "ghp_s3cret" not in repr(stored)
    qtbot.waitUntil(lambda: pane.sources_view.selected_ids() == [row.id])

    # Editing keeps the stored secret unless a new one is typed.
    pane.sources_view.select_ids([row.id])
    dialog = pane.sources_view.edit_selected()
    assert dialog.form.widget("secret").text() == ""
    assert "keychain" in dialog.form.widget("secret").placeholderText()
    dialog.interval.setValue(60)
    save(dialog)
    qtbot.waitUntil(lambda: closed(dialog))
    assert sources.get_source(workspace, row.id).interval_minutes == 60
    assert memory_keyring.secrets == {("cmdesk", row.account): "ghp_s3cret"}


def test_without_a_keychain_the_secret_field_says_why_it_is_off(
    qtbot, qt_loop, workspace, monkeypatch
):  # type: ignore[no-untyped-def]
    monkeypatch.setitem(CONNECTORS, "github", TokenConnector)
    ctx = make_test_context(workspace, keychain=Keychain(backend=FailKeyring()))
    dialog = SourceDialog(ctx, [], None)
    qtbot.addWidget(dialog)
    dialog.kind.setCurrentIndex(dialog.kind.findData("github"))
    secret = dialog.form.widget("secret")
    assert not secret.isEnabled()
    from PySide6.QtWidgets import QLabel

    notes = [label.text() for label in dialog.form.findChildren(QLabel)
             if label.objectName() == "secretUnavailable"]  # fmt: skip
    assert len(notes) == 1 and notes[0].startswith("No system keychain is available")


def test_saving_a_feed_without_listening(qtbot, qt_loop, workspace):  # type: ignore[no-untyped-def]
    pane = make_pane(qtbot, workspace)
    dialog = pane.sources_view.add_source()
    assert not dialog.test_button.isEnabled()  # nothing to fetch with
    dialog.form.widget("url").setText("not a url")
    save(dialog)
    qtbot.waitUntil(lambda: "is not a web address" in dialog.error.text())
    assert dialog.isVisible()
    dialog.form.widget("url").setText("https://blog.example.org/feed.xml")
    dialog.all_items.setChecked(True)
    save(dialog)
    qtbot.waitUntil(lambda: closed(dialog))
    row = sources.list_sources(workspace)[0]
    assert (row.url, row.name, row.all_items_are_mentions) == (
        "https://blog.example.org/feed.xml", "blog.example.org", True,
    )  # fmt: skip
    qtbot.waitUntil(lambda: pane.sources_view.model.rowCount() == 1)
    dialog = pane.sources_view.add_source()
    dialog.form.widget("url").setText("https://blog.example.org/feed.xml")
    save(dialog)
    qtbot.waitUntil(lambda: "already there" in dialog.error.text())


def test_test_previews_items_with_match_flags(qtbot, qt_loop, workspace, listening_server):  # type: ignore[no-untyped-def]
    server, listening = listening_server
    workspace.write(queries.add_query, workspace, "Acme", '"acme widget"').result()
    pane = make_pane(qtbot, workspace, listening)
    dialog = pane.sources_view.add_source()
    dialog.form.widget("url").setText(server.url("/feed.xml"))
    dialog.test_button.click()
    qtbot.waitUntil(lambda: dialog.preview.items.topLevelItemCount() == 1, timeout=15_000)
    item = dialog.preview.items.topLevelItem(0)
    assert item.text(0) == "Acme widget review"
    assert item.text(3) == "Yes: Acme"
    assert "1 of them would become mentions" in dialog.preview.message.text()

    dialog.form.widget("url").setText(server.url("/missing.xml"))
    dialog.test_button.click()
    qtbot.waitUntil(lambda: "404" in dialog.preview.error, timeout=15_000)
    assert dialog.preview.error == "127.0.0.1 has no feed at this address (404 Not Found)."
    assert dialog.preview.message.text() == dialog.preview.error


def test_a_web_page_offers_its_feeds_to_pick(qtbot, qt_loop, workspace, listening_server):  # type: ignore[no-untyped-def]
    server, listening = listening_server
    pane = make_pane(qtbot, workspace, listening)
    dialog = pane.sources_view.add_source()
    dialog.form.widget("url").setText(server.url("/blog"))
    save(dialog)  # Save on a page looks for its feeds first: nothing is saved yet
    qtbot.waitUntil(lambda: dialog.preview.candidates.count() == 2, timeout=15_000)
    assert dialog.isVisible() and sources.list_sources(workspace) == []
    titles = [dialog.preview.candidates.item(i).text() for i in range(2)]
    assert titles == ["All posts  (RSS)", "Comments  (Atom)"]
    dialog.preview.candidates.setCurrentRow(0)
    dialog.preview.use_feed.click()
    qtbot.waitUntil(lambda: dialog.preview.items.topLevelItemCount() == 1, timeout=15_000)
    assert dialog.form.url() == server.url("/feed.xml")
    assert dialog.preview.items.topLevelItem(0).text(3) == "No"  # no query yet
    save(dialog)
    qtbot.waitUntil(lambda: closed(dialog), timeout=15_000)
    row = Source.get()
    assert (row.url, row.name, row.site_url) == (server.url("/feed.xml"), "All posts",
                                                 server.url("/blog"))  # fmt: skip


def test_a_kind_without_connector_keeps_its_settings(qtbot, qt_loop, workspace, monkeypatch):  # type: ignore[no-untyped-def]
    monkeypatch.delitem(CONNECTORS, "bluesky", raising=False)
    url = "https://public.api.bsky.example.org/xrpc/app.bsky.feed.searchPosts"
    added = workspace.write(
        lambda: sources.add_source(
            workspace, url, kind="bluesky", name="Bluesky: acme", config={"terms": ["acme"]}
        )
    ).result()
    pane = make_pane(qtbot, workspace)
    qtbot.waitUntil(lambda: pane.sources_view.model.rowCount() == 1)
    pane.sources_view.select_ids([added.id])
    dialog = pane.sources_view.edit_selected()
    assert "no connector" in dialog.kind.currentText() and not dialog.test_button.isEnabled()
    dialog.name.setText("Bluesky: Acme")
    save(dialog)
    qtbot.waitUntil(lambda: closed(dialog))
    row = sources.get_source(workspace, added.id)
    assert (row.name, row.url, dict(row.config)) == ("Bluesky: Acme", url, {"terms": ["acme"]})
