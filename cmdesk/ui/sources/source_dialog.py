"""The add/edit-source dialog: pick a kind, fill the connector's fields, Test, then Save.

The connector's part of the form is generated from its ``fields`` (:mod:`.connector_form`), for
whatever kinds :data:`~cmdesk.listening.connectors.CONNECTORS` holds. **Test** awaits
``engine.preview_source`` on the qasync loop through the task runner (latest wins) and shows what
would be ingested (:mod:`.preview`). For a feed, a web page's address is first looked at with
feed discovery: its feeds are offered to pick from, on Test and on Save alike, so a page is never
saved as a feed by mistake.

Saving validates with the connector's ``check`` (when it has one) and required fields, writes
through the sources service on the writer (its :class:`SourceError` is shown under the form, which
stays open), then stores a typed secret in the keychain under the source's account name — never
in the database. The dialog is opened with ``open()``; it closes itself once everything is saved.
"""

from __future__ import annotations

import secrets
from collections.abc import Callable
from typing import Any

from PySide6.QtCore import Qt
from PySide6.QtWidgets import (
    QCheckBox,
    QComboBox,
    QDialog,
    QDialogButtonBox,
    QFormLayout,
    QHBoxLayout,
    QLabel,
    QLineEdit,
    QPushButton,
    QSpinBox,
    QSplitter,
    QVBoxLayout,
    QWidget,
)

from cmdesk.core.services import sources
from cmdesk.core.services.sources import SourceRow
from cmdesk.listening.connectors import CONNECTORS
from cmdesk.listening.connectors.base import SourceSpec
from cmdesk.ui.pane import PaneContext
from cmdesk.ui.sources.connector_form import ConnectorForm, form_label
from cmdesk.ui.sources.health import kind_label
from cmdesk.ui.sources.preview import (
    DiscoveryResult,
    PreviewPanel,
    PreviewResult,
    SecretOverride,
    run_discovery,
    run_preview,
)

FEED_KIND = "rss"
TEST_TASK = "sources.test"


def account_name(kind: str, name: str) -> str:
    """A keychain account for a new source: readable in the keychain app, and unique."""
    slug = "-".join(name.lower().split())[:40] or kind
    return f"{kind}/{slug}-{secrets.token_hex(3)}"


class SourceDialog(QDialog):
    """New source (``row`` None) or edit one; ``saved_id`` is set once it is saved."""

    def __init__(
        self,
        ctx: PaneContext,
        folders: list[str],
        row: SourceRow | None = None,
        parent: QWidget | None = None,
    ) -> None:
        super().__init__(parent)
        self.ctx = ctx
        self.row = row
        self.saved_id: int | None = None
        self.checked_url = row.url if row is not None and row.kind == FEED_KIND else ""
        self.site_url = row.site_url if row is not None else None
        self.feed_title = ""
        self.save_anyway = False
        status = ctx.keychain.status()
        self.keychain_message = None if status.available else status.message
        self.setWindowTitle(f"Edit “{row.name}”" if row else "Add a source")
        self.resize(760, 640)

        self.kind = QComboBox()
        for kind, connector in CONNECTORS.items():
            self.kind.addItem(str(getattr(connector, "label", kind)), kind)
        if row is not None and row.kind not in CONNECTORS:
            # Kept editable (name, folder, interval); its own settings stay as they are.
            self.kind.addItem(f"{kind_label(row.kind)} (no connector in this version)", row.kind)
        self.kind.setCurrentIndex(max(0, self.kind.findData(row.kind if row else FEED_KIND)))
        self.kind.setEnabled(row is None)  # a source's kind is what it is
        self.kind.currentIndexChanged.connect(self._on_kind_changed)
        self.fields_box = QVBoxLayout()
        self.fields_box.setContentsMargins(0, 0, 0, 0)
        self.form: ConnectorForm | None = None

        self.name = QLineEdit(row.name if row else "")
        self.name.setPlaceholderText("Found from the source when left empty")
        self.folder = QComboBox()
        self.folder.setEditable(True)
        self.folder.addItem("")
        self.folder.addItems(folders)
        self.folder.setCurrentText(row.folder or "" if row else "")
        self.folder.lineEdit().setPlaceholderText("No folder")
        self.interval = QSpinBox()
        self.interval.setRange(1, 7 * 24 * 60)
        self.interval.setSuffix(" minutes")
        self.interval.setValue(row.interval_minutes if row else sources.DEFAULT_INTERVAL_MINUTES)
        self.all_items = QCheckBox("Every item is a mention (no query needed)")
        self.all_items.setToolTip("For sources that are about you already, such as your own forum")
        self.all_items.setChecked(bool(row and row.all_items_are_mentions))
        self.all_items.toggled.connect(self._on_edited)

        self.error = QLabel()
        self.error.setObjectName("error")
        self.error.setWordWrap(True)
        self.error.setTextFormat(Qt.TextFormat.PlainText)
        self.error.setStyleSheet("color: #d1242f;")
        self.error.hide()
        self.preview = PreviewPanel()
        self.preview.feed_chosen.connect(self._on_feed_chosen)
        self.test_button = QPushButton("Test")
        self.test_button.setToolTip("Fetch the source now and show what would be brought in")
        self.test_button.clicked.connect(self.test)
        self.test_button.setEnabled(ctx.listening is not None)
        self.buttons = QDialogButtonBox(
            QDialogButtonBox.StandardButton.Save | QDialogButtonBox.StandardButton.Cancel
        )
        self.buttons.accepted.connect(self.accept)
        self.buttons.rejected.connect(self.reject)
        self._build_layout()
        self._on_kind_changed()

    def _build_layout(self) -> None:
        top = QWidget()
        form = QFormLayout()
        form.addRow(form_label("Kind"), self.kind)
        fields = QWidget()
        fields.setLayout(self.fields_box)
        general = QFormLayout()
        general.addRow(form_label("Name"), self.name)
        general.addRow(form_label("Folder"), self.folder)
        general.addRow(form_label("Check every"), self.interval)
        general.addRow(form_label(""), self.all_items)
        column = QVBoxLayout(top)
        column.setContentsMargins(0, 0, 0, 0)
        column.addLayout(form)
        column.addWidget(fields)
        column.addSpacing(10)
        column.addLayout(general)
        column.addWidget(self.error)
        column.addStretch(1)
        splitter = QSplitter(Qt.Orientation.Vertical)
        splitter.addWidget(top)
        splitter.addWidget(self.preview)
        splitter.setChildrenCollapsible(False)
        splitter.setSizes([330, 260])
        bottom = QHBoxLayout()
        bottom.addWidget(self.test_button)
        bottom.addStretch(1)
        bottom.addWidget(self.buttons)
        layout = QVBoxLayout(self)
        layout.addWidget(splitter, 1)
        layout.addLayout(bottom)

    # -- the kind's fields ---------------------------------------------------------------------

    @property
    def kind_key(self) -> str:
        return str(self.kind.currentData())

    @property
    def connector(self) -> Any:
        return CONNECTORS.get(self.kind_key)

    def _on_kind_changed(self) -> None:
        if self.form is not None:
            self.fields_box.removeWidget(self.form)
            self.form.deleteLater()
        row = self.row
        self.form = ConnectorForm(
            self.connector,
            url=row.url if row else "",
            config=row.config if row else None,
            has_secret=bool(row and row.account),
            keychain_message=self.keychain_message,
        )
        self.form.edited.connect(self._on_edited)
        self.fields_box.addWidget(self.form)
        known = self.kind_key in CONNECTORS
        self.test_button.setEnabled(known and self.ctx.listening is not None)
        if not known:
            self.preview.show_busy(
                "This version of cmdesk has no connector for this kind of source: its name, "
                "folder and interval can be changed, and its settings are kept as they are."
            )
        self._on_edited()

    def _on_edited(self) -> None:
        self.save_anyway = False
        self.buttons.button(QDialogButtonBox.StandardButton.Save).setText("Save")
        self.error.hide()

    # -- checking ------------------------------------------------------------------------------

    def problems(self) -> str:
        """What is wrong with the form, in a sentence ("" when nothing)."""
        assert self.form is not None
        missing = self.form.missing()
        if missing:
            return f"Please fill in: {', '.join(missing)}."
        check = getattr(self.connector, "check", None)
        if callable(check):
            try:
                problem = check(self.form.values())
            except Exception as exc:  # noqa: BLE001 - a connector's check must not crash the form
                problem = str(exc) or type(exc).__name__
            if problem:
                return str(problem)
        return ""

    def show_error(self, text: str) -> None:
        self.error.setText(text)
        self.error.setVisible(bool(text))

    def spec(self) -> SourceSpec:
        assert self.form is not None
        return SourceSpec(
            id=self.row.id if self.row else 0,
            kind=self.kind_key,
            name=self.name.text().strip() or "Preview",
            url=self.form.url(),
            config=self.form.config(),
            account=(self.row.account if self.row else None) or "preview",
        )

    # -- Test ----------------------------------------------------------------------------------

    def test(self) -> None:
        problem = self.problems()
        if problem:
            self.show_error(problem)
            return
        self.show_error("")
        if self._needs_discovery():
            self._discover(then=self._preview)
        else:
            self._preview()

    def _needs_discovery(self) -> bool:
        return (
            self.kind_key == FEED_KIND
            and self.form is not None
            and self.form.url() != self.checked_url
            and self.ctx.listening is not None
        )

    def _discover(self, then: Callable[[], None]) -> None:
        assert self.form is not None and self.ctx.listening is not None
        url, listening = self.form.url(), self.ctx.listening
        self.preview.show_busy(f"Looking for feeds at {url}…")

        async def discover() -> DiscoveryResult:
            return await run_discovery(url, await listening.client())

        def found(result: DiscoveryResult | None) -> None:
            if result is None:
                return  # cancelled
            if result.error:
                self.preview.show_error(result.error)
                self.show_error(result.error)
                self._offer_save_anyway()
                return
            if not result.candidates:
                text = "No feed was found at this address: it is neither a feed nor a page "
                text += "that links to one."
                self.preview.show_error(text)
                self.show_error(text)
                return
            if len(result.candidates) == 1:
                self._use_feed(result.candidates[0].url, result.candidates[0].title, url)
                then()
                return
            self.site_url = url
            self.preview.show_candidates(result.candidates)

        self.ctx.tasks.run(
            TEST_TASK, lambda _p: discover(), label="Looking for feeds",
            latest_wins=True, on_done=found, on_error=self.preview.show_error,
        )  # fmt: skip

    def _use_feed(self, feed_url: str, title: str, page_url: str) -> None:
        assert self.form is not None
        if feed_url != page_url:
            self.site_url = page_url
        self.form.blockSignals(True)
        self.form.set_value("url", feed_url)
        self.form.blockSignals(False)
        self.checked_url = feed_url
        self.feed_title = title
        if title and not self.name.text().strip():
            self.name.setPlaceholderText(title)

    def _on_feed_chosen(self, url: str, title: str) -> None:
        self._use_feed(url, title, self.site_url or url)
        self._preview()

    def _preview(self) -> None:
        listening = self.ctx.listening
        if listening is None or self.form is None:
            return
        spec, ws = self.spec(), self.ctx.workspace
        keychain = SecretOverride(self.form.secret(), self.ctx.keychain)
        all_items = self.all_items.isChecked()
        self.preview.show_busy(f"Fetching {spec.url or spec.name}…")

        async def preview() -> PreviewResult:
            return await run_preview(ws, spec, await listening.client(), keychain, all_items)

        def shown(result: PreviewResult | None) -> None:
            if result is None:
                return
            if result.error:
                self.preview.show_error(result.error)
            else:
                self.preview.show_items(result)

        self.ctx.tasks.run(
            TEST_TASK, lambda _p: preview(),
            label="Testing the source", latest_wins=True, on_done=shown,
            on_error=self.preview.show_error,
        )  # fmt: skip

    # -- Save ----------------------------------------------------------------------------------

    def accept(self) -> None:
        """Check, find the feed if needed, write, store the secret, then close."""
        problem = self.problems()
        if problem:
            self.show_error(problem)
            return
        if self._needs_discovery() and not self.save_anyway:
            self._discover(then=self._write)
            return
        self._write()

    def _offer_save_anyway(self) -> None:
        self.save_anyway = True
        self.buttons.button(QDialogButtonBox.StandardButton.Save).setText("Save anyway")

    def _write(self) -> None:
        assert self.form is not None
        ws, form = self.ctx.workspace, self.form
        name = self.name.text().strip() or self.feed_title or None
        folder = self.folder.currentText().strip() or None
        secret = form.secret() if self.keychain_message is None else ""
        url = form.url() if "url" in form.widgets else (self.row.url if self.row else "")
        account = self.row.account if self.row else None
        if secret and not account:
            account = account_name(self.kind_key, name or url or self.kind_key)
        values: dict[str, Any] = dict(
            url=url, name=name, folder=folder, config=form.config(), account=account,
            all_items_are_mentions=self.all_items.isChecked(),
            interval_minutes=self.interval.value(), site_url=self.site_url,
        )  # fmt: skip
        if self.row is None:
            kind = self.kind_key
            self.ctx.tasks.write(
                "sources.add", lambda: sources.add_source(ws, kind=kind, **values),
                label="Adding a source", on_done=lambda added: self._saved(added.id, secret),
                on_error=self._on_write_failed,
            )  # fmt: skip
            return
        source_id = self.row.id
        if not values["name"]:
            values["name"] = self.row.name
        self.ctx.tasks.write(
            "sources.update", lambda: sources.update_source(ws, source_id, **values),
            label="Saving the source", on_done=lambda _c: self._saved(source_id, secret),
            on_error=self._on_write_failed,
        )  # fmt: skip

    def _on_write_failed(self, message: str) -> None:
        # The runner's line is "SourceError: sentence"; the sentence is what the user needs.
        self.show_error(message.split(": ", 1)[1] if message.startswith("SourceError") else message)

    def _saved(self, source_id: int, secret: str) -> None:
        self.saved_id = source_id
        if not secret:
            self._finish()
            return
        account = sources.get_source(self.ctx.workspace, source_id).account
        keychain = self.ctx.keychain
        if not account:
            self._finish()
            return
        self.ctx.tasks.run_in_thread(
            "sources.secret", lambda _p: keychain.set_secret(account, secret),
            label="Storing the secret", on_done=lambda _r: self._finish(),
            on_error=self._on_secret_failed,
        )  # fmt: skip

    def _on_secret_failed(self, message: str) -> None:
        self.row = sources.get_source(self.ctx.workspace, self.saved_id or 0)
        self.show_error(f"The source was saved, but its secret was not: {message}")

    def _finish(self) -> None:
        self.ctx.tasks.cancel(TEST_TASK)
        super().accept()

    def reject(self) -> None:
        self.ctx.tasks.cancel(TEST_TASK)
        super().reject()
