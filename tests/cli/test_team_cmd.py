"""``cmdesk team`` and ``cmdesk departments``: list, add, rename, remove, one-line errors."""

from __future__ import annotations

from pathlib import Path

import pytest
from inbox_data import add_mention, add_source

from cmdesk.cli.main import main
from cmdesk.core.db import open_workspace
from cmdesk.core.services import team, triage


def run(capsys: pytest.CaptureFixture[str], *argv: str) -> tuple[int, str, str]:
    code = main(["-q", *argv])
    out, err = capsys.readouterr()
    return code, out, err


def test_team_add_list_rename_remove(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    db = str(tmp_path / "ws.cmdesk")
    code, out, _ = run(capsys, "--db", db, "team", "list")
    assert code == 0 and out.startswith("no teammates yet: cmdesk team add")
    code, out, _ = run(capsys, "--db", db, "team", "add", "Sam Rivera", "--email", "sam@acme.io",
                       "--me")  # fmt: skip
    assert code == 0 and out == "added teammate #1 'Sam Rivera' (me)\n"
    run(capsys, "--db", db, "team", "add", "Priya")
    code, out, _ = run(capsys, "--db", db, "team", "rename", "priya", "Priya Natarajan")
    assert code == 0 and out == "renamed teammate #2 to 'Priya Natarajan'\n"
    code, out, _ = run(capsys, "--db", db, "team", "list")
    assert out.splitlines() == [
        "id\tname\temail\tme\tassigned",
        "2\tPriya Natarajan\t\t\t0",
        "1\tSam Rivera\tsam@acme.io\tme\t0",
    ]
    ws = open_workspace(Path(db))
    mention = add_mention(ws, add_source(ws), "Login broken")
    triage.assign(ws, [mention], 1)
    ws.close()
    code, out, _ = run(capsys, "--db", db, "team", "remove", "sam rivera", "--reassign-to", "2")
    assert code == 0
    assert out == "removed teammate 'Sam Rivera': 1 mention assigned to 'Priya Natarajan'\n"
    code, out, _ = run(capsys, "--db", db, "team", "remove", "Priya Natarajan")
    assert out == "removed teammate 'Priya Natarajan': 1 mention unassigned\n"


def test_departments_add_list_remove(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    db = str(tmp_path / "ws.cmdesk")
    code, out, _ = run(capsys, "--db", db, "departments", "list")
    assert code == 0 and "no departments yet" in out
    code, out, _ = run(capsys, "--db", db, "departments", "add", "Support", "--email",
                       "support@acme.io")  # fmt: skip
    assert code == 0 and out == "added department #1 'Support'\n"
    run(capsys, "--db", db, "departments", "add", "Legal")
    code, out, _ = run(capsys, "--db", db, "departments", "list")
    assert out.splitlines() == [
        "id\tname\temail\trouted", "1\tSupport\tsupport@acme.io\t0", "2\tLegal\t\t0",
    ]  # fmt: skip
    code, out, _ = run(capsys, "--db", db, "departments", "remove", "LEGAL")
    assert code == 0 and out == "removed department 'Legal': 0 mentions unrouted\n"
    ws = open_workspace(Path(db))
    assert [d.name for d in team.list_departments(ws)] == ["Support"]
    ws.close()


@pytest.mark.parametrize(
    ("argv", "message"),
    [
        (("team", "add", "  "), "A teammate needs a name."),
        (("team", "add", "Jonas", "--email", "nope"), "“nope” is not an e-mail address."),
        (("team", "remove", "Nobody"), "There is no teammate 'Nobody'."),
        (("team", "remove", "Sam", "--reassign-to", "Sam"), "Choose someone else"),
        (("departments", "add", "support"), "There is already a department called “Support”."),
        (("departments", "remove", "Sales"), "There is no department 'Sales'."),
    ],
)
def test_errors_are_one_line_and_non_zero(
    tmp_path: Path, capsys: pytest.CaptureFixture[str], argv: tuple[str, ...], message: str
) -> None:
    db = str(tmp_path / "ws.cmdesk")
    run(capsys, "--db", db, "team", "add", "Sam")
    run(capsys, "--db", db, "departments", "add", "Support")
    code, out, err = run(capsys, "--db", db, *argv)
    assert code == 1 and out == ""
    assert err.startswith("cmdesk: error: ") and message in err and err.count("\n") == 1
