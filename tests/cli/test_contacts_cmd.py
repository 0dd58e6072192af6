from __future__ import annotations

from pathlib import Path

import pytest

from cmdesk.cli.main import main

FIXTURES = Path(__file__).parents[1] / "fixtures" / "contacts"


def run(capsys: pytest.CaptureFixture[str], *argv: str) -> tuple[int, str, str]:
    code = main(["-q", *argv])
    out, err = capsys.readouterr()
    return code, out, err


def test_import_list_and_export_round_trip(tmp_path: Path, capsys) -> None:  # type: ignore[no-untyped-def]
    db = str(tmp_path / "ws.cmdesk")
    code, out, _ = run(capsys, "--db", db, "contacts", "import", str(FIXTURES / "google.csv"))
    assert code == 0 and "3 added" in out
    code, out, err = run(capsys, "--db", db, "contacts", "import",
                         str(FIXTURES / "linkedin.csv"), "--preset", "linkedin")  # fmt: skip
    assert code == 0 and "2 added, 1 merged" in out  # Ada's e-mail is already known
    code, out, _ = run(capsys, "--db", db, "contacts", "import", str(FIXTURES / "contacts-v4.vcf"))
    assert code == 0 and "1 added" in out
    code, out, _ = run(capsys, "--db", db, "contacts", "list", "--search", "engines")
    lines = out.strip().splitlines()
    assert lines[0].startswith("id\tname") and len(lines) == 2 and "Ada Lovelace" in lines[1]
    code, out, _ = run(capsys, "--db", db, "contacts", "list", "--list", "Press")
    assert "Grace Hopper" in out
    target = tmp_path / "all.vcf"
    code, _, err = run(capsys, "--db", db, "contacts", "export", "--format", "vcard", str(target))
    assert code == 0 and "6 contacts written" in err
    assert target.read_text().count("BEGIN:VCARD") == 6
    csv_target = tmp_path / "all.csv"
    run(capsys, "--db", db, "contacts", "export", "--format", "csv", str(csv_target))
    other = str(tmp_path / "other.cmdesk")
    code, out, _ = run(capsys, "--db", other, "contacts", "import", str(csv_target))
    assert code == 0 and "6 added" in out


def test_broken_file_reports_each_line_and_imports_the_rest(tmp_path: Path, capsys) -> None:  # type: ignore[no-untyped-def]
    db = str(tmp_path / "ws.cmdesk")
    code, out, err = run(capsys, "--db", db, "contacts", "import", str(FIXTURES / "broken.vcf"))
    assert code == 3
    assert "2 added" in out and "3 not imported" in out
    assert "broken.vcf: line 8: card starting at line 6" in err
    assert "line 10: 'not-an-address' is not an e-mail address" in err
    assert "line 18: card has no END:VCARD" in err


def test_user_errors_are_one_line(tmp_path: Path, capsys) -> None:  # type: ignore[no-untyped-def]
    db = str(tmp_path / "ws.cmdesk")
    code, _, err = run(capsys, "--db", db, "contacts", "import", str(tmp_path / "missing.csv"))
    assert code == 1 and err.count("\n") == 1 and "no such file" in err
    empty = tmp_path / "empty.csv"
    empty.write_text("")
    code, _, err = run(capsys, "--db", db, "contacts", "import", str(empty))
    assert code == 1 and "empty" in err
    code, _, err = run(capsys, "--db", db, "contacts", "list", "--list", "Nope")
    assert code == 1 and "no list called 'Nope'" in err
