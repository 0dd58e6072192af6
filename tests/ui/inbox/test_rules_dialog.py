"""The rules editor over real services: save, save again, then apply to stored mentions."""

from __future__ import annotations

from cmdesk.core.services import inbox_rules
from cmdesk.ui.inbox.rules_dialog import RulesDialog


def tagged(ws, name: str) -> int:
    return ws.db.execute_sql(
        "SELECT COUNT(*) FROM mention_tag mt JOIN tag t ON t.id = mt.tag_id WHERE t.name = ?",
        [name],
    ).fetchone()[0]


def test_save_makes_the_rule_current_then_apply_tags_stored_mentions(qtbot, pane, filled):
    ws, _, _ = filled
    dialog = RulesDialog(pane.ctx.tasks, pane.choices, pane)
    qtbot.addWidget(dialog)
    dialog.editor.name.setText("Refunds")
    dialog.editor.words.setText("refund")
    dialog.editor.tags.setText("refunds")
    dialog.save()
    qtbot.waitUntil(lambda: dialog.rule_id is not None)
    (rule,) = inbox_rules.list_rules(ws)
    assert dialog.rule_id == rule.id and dialog.list.currentItem().text() == "Refunds"
    dialog.editor.name.setText("Refund requests")
    dialog.save()  # saving again updates the same rule, never adds a copy
    qtbot.waitUntil(lambda: inbox_rules.list_rules(ws)[0].name == "Refund requests")
    assert len(inbox_rules.list_rules(ws)) == 1
    qtbot.waitUntil(lambda: "would have matched 36 " in dialog.matched.text())
    dialog._on_apply()
    qtbot.waitUntil(lambda: tagged(ws, "refunds") == 36)  # every 7th of 250 mentions
    qtbot.waitUntil(lambda: dialog.matched.text() == "Applied to 36 stored mentions.")


def test_apply_without_a_saved_rule_says_so(qtbot, pane):
    dialog = RulesDialog(pane.ctx.tasks, pane.choices, pane)
    qtbot.addWidget(dialog)
    dialog._on_new()
    dialog._on_apply()
    assert "Save the rule" in dialog.matched.text()
