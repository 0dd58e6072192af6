from __future__ import annotations

import pytest
from inbox_data import NOW, add_mention, add_source

from cmdesk.core.services import triage


def column(ws, mention_id, name):
    return ws.db.execute_sql(f"SELECT {name} FROM mention WHERE id = ?", [mention_id]).fetchone()[0]


@pytest.fixture
def three(workspace):
    source = add_source(workspace)
    return workspace, [add_mention(workspace, source, f"m{n}", "text") for n in range(3)]


def test_bulk_state_and_undo_restore_each_previous_value(three):
    ws, ids = three
    triage.set_state(ws, [ids[0]], "open")
    result = triage.set_state(ws, ids, "done")
    assert result.count == 3 and result.changes.mentions
    assert [column(ws, i, "state") for i in ids] == ["done"] * 3
    assert column(ws, ids[0], "updated_at") == NOW
    triage.undo(ws, result.undo)
    assert [column(ws, i, "state") for i in ids] == ["open", "new", "new"]
    with pytest.raises(ValueError):
        triage.set_state(ws, ids, "deleted")


def test_star_toggles_and_priority(three):
    ws, ids = three
    triage.toggle_star(ws, ids[:1])
    triage.toggle_star(ws, ids)  # not all starred: star them all
    assert [column(ws, i, "starred") for i in ids] == [1, 1, 1]
    triage.toggle_star(ws, ids)
    assert [column(ws, i, "starred") for i in ids] == [0, 0, 0]
    undo = triage.set_priority(ws, ids, 4).undo
    assert column(ws, ids[1], "priority") == 4
    triage.undo(ws, undo)
    assert column(ws, ids[1], "priority") == 0


def test_assign_route_and_responded(three):
    ws, ids = three
    sam = ws.db.execute_sql("INSERT INTO teammate(name, is_me) VALUES ('Sam', 1)").lastrowid
    legal = ws.db.execute_sql(
        "INSERT INTO department(name, position) VALUES ('Legal', 0)"
    ).lastrowid
    triage.assign(ws, ids[:2], sam)
    assert column(ws, ids[0], "assignee_id") == sam and column(ws, ids[0], "state") == "open"
    undo = triage.route_to_department(ws, [ids[2]], legal, "Trademark question").undo
    assert (
        column(ws, ids[2], "department_id"),
        column(ws, ids[2], "routing_note"),
        column(ws, ids[2], "state"),
    ) == (legal, "Trademark question", "waiting")
    triage.undo(ws, undo)
    assert column(ws, ids[2], "department_id") is None and column(ws, ids[2], "state") == "new"
    triage.mark_responded(ws, ids[:1], "Sam")
    assert (column(ws, ids[0], "responded_at"), column(ws, ids[0], "responded_by")) == (NOW, "Sam")


def test_tags_and_notes_undo(three):
    ws, ids = three
    triage.add_tags(ws, [ids[0]], ["bug"])
    result = triage.add_tags(ws, ids, ["bug", " feature "])
    names = ws.db.execute_sql("SELECT name FROM tag ORDER BY name").fetchall()
    assert names == [("bug",), ("feature",)]
    assert ws.db.execute_sql("SELECT COUNT(*) FROM mention_tag").fetchone()[0] == 6
    triage.undo(ws, result.undo)  # only what this action added goes away
    assert ws.db.execute_sql("SELECT mention_id FROM mention_tag").fetchall() == [(ids[0],)]
    removed = triage.remove_tags(ws, [ids[0]], triage.tag_ids_for(ws, ["bug"]))
    assert ws.db.execute_sql("SELECT COUNT(*) FROM mention_tag").fetchone()[0] == 0
    triage.undo(ws, removed.undo)
    assert ws.db.execute_sql("SELECT COUNT(*) FROM mention_tag").fetchone()[0] == 1
    note = triage.add_note(ws, ids[1], "  Called them back  ", "Sam")
    assert ws.db.execute_sql("SELECT body, author, created_at FROM mention_note").fetchall() == [
        ("Called them back", "Sam", NOW)
    ]
    triage.undo(ws, note.undo)
    assert ws.db.execute_sql("SELECT COUNT(*) FROM mention_note").fetchone()[0] == 0
    with pytest.raises(ValueError):
        triage.add_note(ws, ids[1], "   ", "Sam")


def test_thousand_mentions_in_one_bulk_action(workspace):
    source = add_source(workspace)
    ids = [add_mention(workspace, source, f"m{n}", "x") for n in range(1200)]
    result = workspace.write(triage.set_state, workspace, ids, "done").result()
    assert result.count == 1200
    assert (
        workspace.db.execute_sql("SELECT COUNT(*) FROM mention WHERE state = 'done'").fetchone()[0]
        == 1200
    )


def test_undo_assign_puts_the_state_back_too(three):
    ws, ids = three
    sam = ws.db.execute_sql("INSERT INTO teammate(name, is_me) VALUES ('Sam', 1)").lastrowid
    triage.set_state(ws, [ids[2]], "waiting")
    result = triage.assign(ws, ids, sam)
    assert [column(ws, i, "state") for i in ids] == ["open", "open", "waiting"]
    triage.undo(ws, result.undo)
    assert [column(ws, i, "state") for i in ids] == ["new", "new", "waiting"]
    assert [column(ws, i, "assignee_id") for i in ids] == [None, None, None]


def test_routing_by_name_finds_the_department_regardless_of_case(three):
    ws, ids = three
    support = triage.department_id_for(ws, "Support")
    assert triage.department_id_for(ws, "  support ") == support
    triage.route_by_name(ws, ids[:1], "SUPPORT", "Refund")
    assert column(ws, ids[0], "department_id") == support
    assert ws.db.execute_sql("SELECT COUNT(*) FROM department").fetchone()[0] == 1
    assert triage.department_id_for(ws, "Customer  success") != support  # a new one
