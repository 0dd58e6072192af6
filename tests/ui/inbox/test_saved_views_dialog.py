"""The saved-views dialog over real services: reorder, rename, update filters, delete."""

from __future__ import annotations

from PySide6.QtWidgets import QInputDialog, QMessageBox

from cmdesk.core.services import saved_views
from cmdesk.core.services.inbox_filters import MentionFilter
from cmdesk.ui.inbox.dialogs import SavedViewsDialog


def names(ws) -> list[str]:
    return [view.name for view in saved_views.list_saved_views(ws)]


def test_saved_views_dialog_edits_the_views(qtbot, pane, filled, monkeypatch):
    ws = filled[0]
    saved_views.save_view(ws, "Negative", MentionFilter(sentiments=("negative",)))
    saved_views.save_view(ws, "French", MentionFilter(langs=("fr",)))
    current = MentionFilter(also=MentionFilter(since_days=7))
    dialog = SavedViewsDialog(pane.ctx.tasks, current, pane)
    qtbot.addWidget(dialog)
    assert [dialog.list.item(i).text() for i in range(dialog.list.count())] == names(ws)
    dialog.list.setCurrentRow(1)
    with qtbot.waitSignal(dialog.views_changed):
        dialog._move(-1)
    assert names(ws) == ["French", "Negative"]
    assert dialog.list.currentItem().text() == "French"  # the moved view stays selected
    monkeypatch.setattr(QInputDialog, "getText", lambda *a, **k: ("En français", True))
    with qtbot.waitSignal(dialog.views_changed):
        dialog._rename()
    assert names(ws) == ["En français", "Negative"]
    with qtbot.waitSignal(dialog.views_changed):
        dialog._update_filters()
    assert saved_views.list_saved_views(ws)[0].filter == current
    monkeypatch.setattr(QMessageBox, "question", lambda *a, **k: QMessageBox.StandardButton.Yes)
    dialog.list.setCurrentRow(1)
    with qtbot.waitSignal(dialog.views_changed):
        dialog._delete()
    assert names(ws) == ["En français"] and dialog.list.count() == 1
