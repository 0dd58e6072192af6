from __future__ import annotations

import io
from pathlib import Path

import pytest

from cmdesk.core.services.contacts import ContactProfile, DetailInput, HandleInput
from cmdesk.formats import contacts_csv as c

FIXTURES = Path(__file__).parents[1] / "fixtures" / "contacts"


def test_google_contacts_preset_is_detected_and_read() -> None:
    table = c.read_table((FIXTURES / "google.csv").read_bytes())
    assert c.detect_preset(table.headers) == "google"
    result = c.parse_csv((FIXTURES / "google.csv").read_bytes())
    assert result.problems == []
    ada, grace, elodie = (r.data for r in result.records)
    assert [r.line for r in result.records] == [2, 4, 5]  # Ada's notes span two lines
    assert ada.display_name == "Ada Lovelace" and ada.organisation == "Analytical Engines Ltd"
    assert ada.emails == ("ada@engines.example", "ada.home@mail.example")
    assert ada.lists == ("Advocates",)  # "* myContacts" is Google's, not a list
    assert ada.notes == "Met at PyCon; loves the\nnew release"
    assert grace.title == "Press officer" and grace.lists == ("Press",)
    assert elodie.display_name == "Élodie Martin" and elodie.location == "Lyon"


def test_linkedin_preset_skips_the_notes_above_the_header() -> None:
    result = c.parse_csv((FIXTURES / "linkedin.csv").read_bytes(), preset="linkedin")
    assert result.problems == []
    assert [r.line for r in result.records] == [5, 6, 7]
    linus = result.records[0].data
    assert linus.handles == (
        HandleInput("linkedin", "https://www.linkedin.com/in/linus-t",
                    "https://www.linkedin.com/in/linus-t"),
    )  # fmt: skip
    assert linus.organisation == "Kernel Co" and linus.title == "Maintainer"


def test_every_bad_row_is_reported_with_its_line_and_why() -> None:
    result = c.parse_csv((FIXTURES / "broken.csv").read_bytes())
    assert [r.data.display_name for r in result.records] == ["Alice Example", "Eve Zoë Good",
                                                             "Gina Last"]  # fmt: skip
    reasons = {p.line: p.reason for p in result.problems}
    assert "not an e-mail address" in reasons[3]
    assert reasons[4] == "has 6 fields where the header has 5"
    assert "'often' is not a whole number" in reasons[6]
    assert "not UTF-8" in reasons[8]
    assert result.records[0].data.handles[0].network == "mastodon"


def test_semicolon_files_and_guessed_columns() -> None:
    data = b"Nom;E-mail;Company\nJean Dupont;jean@x.example;Acme\n"
    table = c.read_table(data)
    mapping = c.guess_mapping(table.headers)
    assert mapping == {"Nom": "", "E-mail": "email", "Company": "organisation"}
    mapping["Nom"] = "display_name"
    record = c.parse_table(table, mapping).records[0].data
    assert (record.display_name, record.emails, record.organisation) == (
        "Jean Dupont", ("jean@x.example",), "Acme")  # fmt: skip
    assert table.samples(0) == ["Jean Dupont"]


def test_unreadable_files_are_refused_in_one_sentence() -> None:
    with pytest.raises(c.CsvError, match="empty"):
        c.read_table(b"  \n")
    with pytest.raises(c.CsvError, match="is mapped"):
        c.parse_csv(b"foo,bar\n1,2\n")


def test_export_reads_back_with_the_cmdesk_preset_and_defuses_formulas() -> None:
    profile = ContactProfile(
        1, "=HYPERLINK(\"x\")", "Ada", "Lovelace", "Engines", "CTO", "London", "Europe/London",
        "advocate", "Sam", "notes", 30, None, None, 0, 0, False,
        details=(DetailInput("email", "ada@e.example"), DetailInput("phone", "+44 20 7946")),
        handles=(HandleInput("github", "ada", None, 1500), HandleInput("github", "ada2")),
        lists=((1, "Press"), (2, "Advocates")),
    )  # fmt: skip
    out = io.StringIO()
    assert c.write_csv([profile], out) == 1
    back = c.parse_csv(out.getvalue().encode()).records[0].data
    assert back.display_name == '\'=HYPERLINK("x")'
    assert back.emails == ("ada@e.example",)
    assert [d.value for d in back.details if d.kind == "phone"] == ["+44 20 7946"]
    assert [(h.handle, h.reach) for h in back.handles] == [("ada", 1500), ("ada2", 1500)]
    assert back.lists == ("Press", "Advocates") and back.cadence_days == 30
    assert back.stage == "advocate" and back.owner == "Sam"
