"""The Queries sub-view: positioned syntax errors, the live count as you type, save and delete."""

from __future__ import annotations

from inbox_data import add_mention
from PySide6.QtWidgets import QMessageBox
from test_sources_pane import add, make_pane

from cmdesk.core.services import queries


def queries_pane(qtbot, workspace):  # type: ignore[no-untyped-def]
    pane = make_pane(qtbot, workspace)
    pane.show_subview("queries")
    qtbot.waitUntil(lambda: pane.queries_view.loaded)
    return pane, pane.queries_view, pane.queries_view.editor


def seed_mentions(workspace) -> int:  # type: ignore[no-untyped-def]
    source = add(workspace, "Blog")
    for title in ("Acme launches relay", "Acme pricing", "Acme jobs page"):
        add_mention(workspace, source, title)
    add_mention(workspace, source, "Globex outage", "globex is down")
    add_mention(workspace, source, "Weather", "sunny")
    return source


def test_a_syntax_error_points_at_its_position(qtbot, qt_loop, workspace):  # type: ignore[no-untyped-def]
    _pane, _view, editor = queries_pane(qtbot, workspace)
    editor.expression.setPlainText('acme OR "cloud')
    assert editor.syntax_error is not None and editor.syntax_error.position == 8
    lines = editor.error.text().splitlines()
    assert lines[0] == 'acme OR "cloud' and lines[1] == " " * 8 + "^"
    assert "(character 9)" in lines[2]
    assert editor.error.isVisibleTo(editor)
    assert len(editor.expression.extraSelections()) == 1  # the character is underlined
    assert editor.count_label.text() == "—"
    editor.expression.setPlainText('acme OR "cloud"')
    assert editor.syntax_error is None and not editor.error.isVisibleTo(editor)
    assert editor.expression.extraSelections() == []


def test_the_live_count_follows_the_typing(qtbot, qt_loop, workspace):  # type: ignore[no-untyped-def]
    seed_mentions(workspace)
    _pane, _view, editor = queries_pane(qtbot, workspace)
    counts: list[int] = []
    editor.count_shown.connect(counts.append)
    qtbot.keyClicks(editor.expression, "acme")
    qtbot.waitUntil(lambda: editor.count == 3)
    assert editor.count_label.text() == "3 stored mentions match"
    qtbot.keyClicks(editor.expression, " -jobs")
    qtbot.waitUntil(lambda: editor.count == 2)
    qtbot.keyClicks(editor.expression, " OR globex")
    qtbot.waitUntil(lambda: editor.count == 3)
    assert counts[-1] == 3 and len(counts) <= 4  # debounced: not one count per keystroke
    editor.language.setText("fr")
    qtbot.waitUntil(lambda: editor.count == 0)


def test_save_edit_and_delete_a_query(qtbot, qt_loop, workspace):  # type: ignore[no-untyped-def]
    source = seed_mentions(workspace)
    _pane, view, editor = queries_pane(qtbot, workspace)
    editor.name.setText("Acme")
    editor.expression.setPlainText("acme (")
    editor.save_button.click()
    qtbot.waitUntil(lambda: editor.form_error.isVisibleTo(editor))
    assert editor.form_error.text().startswith("at position")
    editor.expression.setPlainText("acme")
    editor.kind.setCurrentIndex(editor.kind.findData("product"))
    editor.color.setCurrentIndex(editor.color.findData("#16a34a"))
    editor.sources.item(0).setCheckState(editor.sources.item(0).checkState().Checked)
    editor.save_button.click()
    qtbot.waitUntil(lambda: view.table.rowCount() == 1)
    row = queries.list_queries(workspace)[0]
    assert (row.name, row.kind, row.color, row.source_ids) == ("Acme", "product", "#16a34a",
                                                               (source,))  # fmt: skip
    assert editor.editing is not None and editor.editing.id == row.id
    assert view.table.item(0, 0).text() == "Acme"

    view.new_query()
    editor.name.setText("Acme")
    editor.expression.setPlainText("acme pricing")
    editor.save_button.click()
    qtbot.waitUntil(lambda: "already a query named" in editor.form_error.text())

    view.select_query(row.id)
    box = view.ask_delete()
    assert box is not None and "“Acme”" in box.text()
    box.button(QMessageBox.StandardButton.Cancel).click()
    assert queries.list_queries(workspace)
    box = view.ask_delete()
    next(b for b in box.buttons() if b.text() == "Delete").click()
    qtbot.waitUntil(lambda: view.table.rowCount() == 0)
    assert queries.list_queries(workspace) == []
    assert editor.editing is None and editor.name.text() == ""
