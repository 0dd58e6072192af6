"""What the inbox pane does to mentions: triage writes, undo, replies, hand-offs, alerts, dialogs.

A mixin of :class:`~cmdesk.ui.inbox.pane.InboxPane`, split out to keep each file small. Every
write is a service function run on the writer through the task runner; the pane keeps the last
action's undo record for ``u``.
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

from PySide6.QtCore import QUrl
from PySide6.QtGui import QCursor, QDesktopServices, QGuiApplication
from PySide6.QtWidgets import QDialog, QMenu

from cmdesk.core.services import canned_responses, handoff, mention_detail, mentions, triage
from cmdesk.core.services.workspace import get_setting
from cmdesk.ui.inbox.dialogs import AlertsDialog, CannedResponsesDialog, RoutingDialog, TagDialog
from cmdesk.ui.team_dialog import TeamDialog

if TYPE_CHECKING:
    from cmdesk.ui.inbox.pane import InboxPane as _Base
else:
    _Base = object


class InboxActions(_Base):
    """Triage and the reading pane's actions, for the inbox pane."""

    # -- triage -------------------------------------------------------------------------------

    def _triage(self, fn: Any, *args: Any, ids: list[int] | None = None) -> None:
        ids = self.selected_ids() if ids is None else ids
        if not ids:
            return
        label = getattr(fn, "__name__", "triage").replace("_", " ")
        self.triage_in_flight += 1
        self.ctx.tasks.write(
            "inbox-triage",
            fn,
            self.ws,
            ids,
            *args,
            label=f"{label.capitalize()} ({len(ids):,})",
            on_done=self._on_triaged,
            on_error=self._on_triage_failed,
        )

    def _on_triaged(self, result: triage.TriageResult) -> None:
        self.triage_in_flight -= 1
        if result.undo is not None:
            self.last_undo = result.undo
            self.status.setText(f"{result.undo.label}: {result.count:,} — press U to undo")
        if self.undo_when_saved and not self.triage_in_flight:
            self.undo_when_saved = False
            self.undo()

    def _on_triage_failed(self, message: str) -> None:
        self.triage_in_flight -= 1
        self.undo_when_saved = False
        self.status.setText(message)

    def set_state(self, state: str) -> None:
        self._triage(triage.set_state, state)

    def toggle_star(self) -> None:
        self._triage(triage.toggle_star)

    def mark_responded(self) -> None:
        self._triage(triage.mark_responded, self.my_name())

    def unmark_responded(self) -> None:
        self._triage(triage.unmark_responded)

    def selected_tags(self) -> list[tuple[int, str]]:
        """The tags on the selected mentions (id, name), for "Remove tag"."""
        ids = set(self.selected_ids())
        details = mentions.rows_for_ids(self.ws, list(ids)) if ids else {}
        names = {name for row in details.values() for name in row.tags}
        return [(tag_id, name) for tag_id, name in self.choices.tags if name in names]

    def remove_tag(self, tag_id: int) -> None:
        self._triage(triage.remove_tags, [tag_id])

    def undo(self) -> None:
        if self.triage_in_flight:  # U pressed before the last action was saved: undo it after
            self.undo_when_saved = True
            self.status.setText("Undoing once the last action is saved…")
            return
        record, self.last_undo = self.last_undo, None
        if record is None:
            self.status.setText("Nothing to undo.")
            return
        self.ctx.tasks.write(
            "inbox-undo",
            triage.undo,
            self.ws,
            record,
            label=f"Undo {record.label}",
            on_done=lambda _r: self.status.setText(f"Undone: {record.label}"),
        )

    def my_name(self) -> str:
        for _, name, is_me in self.choices.teammates:
            if is_me:
                return name
        return str(get_setting(self.ws, "my_name") or "Me")

    def assign_selected(self) -> None:
        menu = QMenu(self)
        for teammate_id, name, is_me in self.choices.teammates:
            action = menu.addAction(f"{name} (me)" if is_me else name)
            action.triggered.connect(
                lambda _=False, tid=teammate_id: self._triage(triage.assign, tid)
            )
        if not self.choices.teammates:
            menu.addAction("No teammates yet").setEnabled(False)
        menu.addSeparator()
        menu.addAction("Unassign").triggered.connect(lambda: self._triage(triage.assign, None))
        menu.addAction("Edit team…").triggered.connect(self.edit_team)
        self.assign_menu = menu  # kept for tests
        menu.popup(QCursor.pos())

    def edit_team(self) -> None:
        """The team and departments dialog (File menu too): who can be assigned, where to route."""
        dialog = TeamDialog(self.ctx.tasks, self)
        self.team_dialog = dialog  # kept alive while open, and for tests
        dialog.open()

    def tag_selected(self) -> None:
        dialog = TagDialog([name for _, name in self.choices.tags], self)
        self.tag_dialog = dialog
        dialog.accepted.connect(lambda: self._triage(triage.add_tags, dialog.tags()))
        dialog.open()

    def route_selected(self) -> None:
        ids = self.selected_ids()
        if not ids:
            return
        current = self.reading.detail.row.department if self.reading.detail else None
        dialog = RoutingDialog(list(self.choices.departments), current, self)
        self.routing_dialog = dialog

        def on_accepted() -> None:
            department, note, copy = dialog.values()
            done = self._on_triaged
            if copy and department:

                def done(result: triage.TriageResult) -> None:
                    self._on_triaged(result)
                    self.copy_hand_off(ids[0])

            self.ctx.tasks.write(
                "inbox-route",
                triage.route_by_name,
                self.ws,
                ids,
                department,
                note,
                label="Route",
                on_done=done,
            )

        dialog.accepted.connect(on_accepted)
        dialog.open()

    def add_note(self, mention_id: int, text: str) -> None:
        self.ctx.tasks.write(
            "inbox-note",
            triage.add_note,
            self.ws,
            mention_id,
            text,
            self.my_name(),
            label="Add note",
            on_done=self._on_triaged,
            on_error=lambda message: self.status.setText(message),
        )

    # -- reading pane actions -----------------------------------------------------------------

    def _url_of(self, mention_id: int) -> str | None:
        detail = self.reading.detail
        if detail is not None and detail.row.id == mention_id:
            return detail.url or detail.row.url
        row = mention_detail.mention_detail(self.ws, mention_id)
        return row.url if row else None

    def open_original(self, mention_id: int) -> None:
        url = self._url_of(mention_id)
        if url and url.lower().startswith(("http://", "https://")):
            QDesktopServices.openUrl(QUrl(url))

    def copy_link(self, mention_id: int) -> None:
        url = self._url_of(mention_id)
        if url:
            QGuiApplication.clipboard().setText(url)
            self.status.setText("Link copied.")

    def copy_hand_off(self, mention_id: int) -> None:
        result = handoff.hand_off(self.ws, mention_id, sender=self.my_name())
        QGuiApplication.clipboard().setText(f"Subject: {result.subject}\n\n{result.body}")
        self.status.setText("Hand-off copied: paste it into a mail or a ticket.")

    def mail_hand_off(self, mention_id: int) -> None:
        """Open the user's mail program with the hand-off, addressed to the department if known."""
        result = handoff.hand_off(self.ws, mention_id, sender=self.my_name())
        if QDesktopServices.openUrl(QUrl(result.mailto(), QUrl.ParsingMode.StrictMode)):
            self.status.setText("Hand-off opened in your mail program.")
        else:
            self.status.setText("No mail program answered: use Copy as hand-off instead.")

    def reply_with(self, mention_id: int, response_id: int) -> None:
        response = next(
            (r for r in canned_responses.list_responses(self.ws) if r.id == response_id), None
        )
        detail = mention_detail.mention_detail(self.ws, mention_id)
        if response is None or detail is None:
            return
        author = detail.author
        name = (author.contact_name or author.name) if author else detail.row.author
        text = canned_responses.fill_in(response.body, name, author.handle if author else None)
        QGuiApplication.clipboard().setText(text)
        self.status.setText(f"“{response.name}” copied — paste it in the conversation.")
        self.open_original(mention_id)

    def load_images(self, mention_id: int) -> None:
        from cmdesk.listening.http import HttpClient
        from cmdesk.ui.inbox.images import fetch_images

        urls = self.reading.browser.image_urls()

        def shown(images: dict[str, bytes]) -> None:
            detail = self.reading.detail
            if detail is not None and detail.row.id == mention_id:
                count = self.reading.browser.provide_images(images)
                self.status.setText(f"{count} of {len(urls)} images loaded.")

        listening = self.ctx.listening

        async def fetch(_progress: object) -> dict[str, bytes]:
            if listening is not None:
                return await fetch_images(urls, await listening.client())
            async with HttpClient() as http:  # no listening engine (some tests, tools)
                return await fetch_images(urls, http)

        self.ctx.tasks.run(
            "inbox-images",
            fetch,
            label="Loading images",
            latest_wins=True,
            on_done=shown,
        )

    def add_author_to_contacts(self, author_id: int) -> None:
        self.ctx.tasks.write(
            "inbox-add-contact",
            mention_detail.add_author_to_contacts,
            self.ws,
            author_id,
            label="Add to contacts",
            on_done=lambda _r: self.status.setText("Added to contacts."),
        )

    # -- dialogs and alerts -------------------------------------------------------------------

    def show_rules(self) -> QDialog:
        from cmdesk.ui.inbox.rules_dialog import RulesDialog

        dialog = RulesDialog(self.ctx.tasks, self.choices, self)
        dialog.open()
        return dialog

    def show_canned_responses(self) -> QDialog:
        dialog = CannedResponsesDialog(self.ctx.tasks, self)
        dialog.finished.connect(
            lambda _r: self.reading.set_canned_responses(canned_responses.list_responses(self.ws))
        )
        dialog.open()
        return dialog

    def show_alerts(self) -> QDialog:
        dialog = AlertsDialog(mention_detail.alerts(self.ws), self)
        dialog.alert_opened.connect(self._on_alert_opened)
        dialog.open()
        return dialog

    def _on_alert_opened(self, alert: mention_detail.AlertRow) -> None:
        if alert.query_id is not None and f"query:{alert.query_id}" in self.views:
            self.ctx.navigate("inbox")
            self.show_subview(f"query:{alert.query_id}")
        elif alert.mention_id is not None:
            self.select_mention(alert.mention_id)

    def _check_alerts(self, notify: bool) -> None:
        unseen = mention_detail.alerts(self.ws, unacknowledged_only=True, limit=50)
        if not unseen:
            self.alert_banner.hide()
            return
        newest = unseen[0]
        more = f" (+{len(unseen) - 1} more)" if len(unseen) > 1 else ""
        self.alert_banner.show_message(f"⚠ {newest.title}{more}", "warning")
        if notify:
            for alert in reversed(unseen):
                if alert.id > self.seen_alert_id:
                    self.ctx.notify("cmdesk alert", alert.title)
        self.seen_alert_id = max(self.seen_alert_id, newest.id)

    def _on_alerts_dismissed(self) -> None:
        self.ctx.tasks.write(
            "inbox-ack-alerts", mention_detail.acknowledge_alerts, self.ws, label="Alerts seen"
        )
