"""``cmdesk sources import|export``: OPML through the command line, exit codes, one-line errors."""

from __future__ import annotations

from pathlib import Path

import pytest

from cmdesk.cli.main import main
from cmdesk.formats import opml

FIXTURES = Path(__file__).parent.parent / "fixtures" / "opml"


def run(capsys: pytest.CaptureFixture[str], db: Path, *args: str) -> tuple[int, str, str]:
    code = main(["--db", str(db), "-q", *args])
    out, err = capsys.readouterr()
    return code, out, err


def test_import_prints_the_summary_and_lists_what_was_skipped(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    db = tmp_path / "w.cmdesk"
    code, out, err = run(capsys, db, "sources", "import", str(FIXTURES / "duplicates.opml"))
    assert code == 0
    assert out == "Imported 2 sources; 1 duplicate skipped; 3 problems\n"
    lines = err.splitlines()
    assert len(lines) == 4 and lines[0].startswith("duplicate: line 12: “Widget weekly”")
    assert (
        lines[1] == "not imported: line 14: “A feed with no address” has no feed address (xmlUrl)"
    )
    code, out, _ = run(capsys, db, "sources", "list")
    assert "News/Widget weekly" in out and "News/Gadget daily" in out

    code, out, err = run(capsys, db, "sources", "import", str(FIXTURES / "duplicates.opml"))
    assert code == 0 and out == "Imported 0 sources; 3 duplicates skipped; 3 problems\n"
    assert err.count("is already a source") == 2


def test_nested_folders_through_import_and_list(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    db = tmp_path / "w.cmdesk"
    code, out, err = run(capsys, db, "sources", "import", str(FIXTURES / "nested.opml"))
    assert (code, out, err) == (0, "Imported 4 sources; 0 duplicates skipped; 0 problems\n", "")
    _, out, _ = run(capsys, db, "sources", "list")
    assert "Listening / Brand / Press/Acme in the press" in out


@pytest.mark.parametrize(
    ("name", "message"),
    [
        ("not-xml.opml", "not-xml.opml: The file is not valid XML (line 1: syntax error)"),
        ("billion-laughs.opml", "billion-laughs.opml: The file declares XML entities"),
        ("external-entity.opml", "external-entity.opml: The file declares XML entities"),
        ("empty.opml", "empty.opml: The file is empty."),
        ("missing.opml", "missing.opml: There is no such file."),
    ],
)
def test_an_unreadable_file_is_one_line_and_exit_1(
    tmp_path: Path, capsys: pytest.CaptureFixture[str], name: str, message: str
) -> None:
    code, out, err = run(capsys, tmp_path / "w.cmdesk", "sources", "import", str(FIXTURES / name))
    assert code == 1 and out == ""
    assert err.count("\n") == 1 and err.startswith(f"cmdesk: error: {FIXTURES / message}")
    assert "Traceback" not in err


def test_a_file_with_nothing_readable_exits_1_after_listing_the_problems(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    path = tmp_path / "links.opml"
    path.write_text(
        '<opml version="2.0"><body><outline text="No address"/>'
        '<outline text="JS" xmlUrl="javascript:void(0)"/></body></opml>'
    )
    code, out, err = run(capsys, tmp_path / "w.cmdesk", "sources", "import", str(path))
    assert code == 1 and out == ""
    lines = err.splitlines()
    assert lines[:2] == [
        "not imported: line 1: “No address” has no feed address (xmlUrl)",
        "not imported: line 1: “JS” (javascript:void(0)) is not a web address (http/https), "
        "so it cannot be fetched",
    ]
    assert lines[2] == f"cmdesk: error: {path}: no feed in it could be read (2 problems above)."


def test_export_to_a_file_to_stdout_and_of_one_folder(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    db = tmp_path / "w.cmdesk"
    run(capsys, db, "sources", "import", str(FIXTURES / "feedly.opml"))
    run(capsys, db, "sources", "add", "--kind", "hackernews", "--name", "HN acme",
        "https://hn.algolia.com/api/v1")  # fmt: skip
    out_file = tmp_path / "out.opml"
    code, out, err = run(capsys, db, "sources", "export", str(out_file))
    assert code == 0 and err == ""
    assert out == (
        f"Exported 6 sources to {out_file}; 1 search source left out (OPML only lists feeds)\n"
    )
    assert len(opml.read_opml_file(out_file).entries) == 6

    code, out, err = run(capsys, db, "sources", "export", "-", "--folder", "Competitors")
    assert code == 0 and err == "Exported 2 sources\n"
    assert out.startswith('<?xml version="1.0" encoding="UTF-8"?>\n<opml version="2.0">')
    entries = opml.parse_opml(out.encode("utf-8")).entries
    assert [(e.title, e.folder) for e in entries] == [
        ("Acme Changelog", "Competitors"), ("Widgets Inc. News", "Competitors")
    ]  # fmt: skip


def test_export_errors_are_one_line(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    db = tmp_path / "w.cmdesk"
    run(capsys, db, "sources", "import", str(FIXTURES / "feedly.opml"))
    code, out, err = run(capsys, db, "sources", "export", "-", "--folder", "Nowhere")
    assert (code, out) == (1, "")
    assert err == "cmdesk: error: There is no source in the folder Nowhere.\n"
    code, out, err = run(capsys, db, "sources", "export", str(tmp_path / "no" / "dir.opml"))
    assert code == 1 and err.count("\n") == 1 and "Traceback" not in err
    assert not (tmp_path / "no").exists()
