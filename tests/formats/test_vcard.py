from __future__ import annotations

import io
from pathlib import Path

import pytest

from cmdesk.core.services.contacts import ContactProfile, DetailInput, HandleInput, check_input
from cmdesk.formats import vcard

FIXTURES = Path(__file__).parents[1] / "fixtures" / "contacts"
PNG_START = b"\x89PNG\r\n\x1a\n"


def test_vcard_3() -> None:
    result = vcard.parse_vcards((FIXTURES / "contacts-v3.vcf").read_bytes())
    assert result.problems == []
    grace, katherine = (r.data for r in result.records)
    assert [r.line for r in result.records] == [1, 15]
    assert grace.organisation == "Navy Compilers" and grace.title == "Press officer"
    assert grace.emails == ("grace@compilers.example",)
    assert grace.photo is not None and grace.photo.startswith(PNG_START)
    assert {h.network for h in grace.handles} == {"github", "x"}
    assert grace.lists == ("Press", "Influencers")
    assert grace.notes == "Wrote about our compiler, twice."
    stored = check_input(grace)
    assert {h.handle for h in stored.handles} == {"ghopper", "gracehopper"}
    assert katherine.location == "Hampton, VA, USA"


def test_vcard_4() -> None:
    result = vcard.parse_vcards((FIXTURES / "contacts-v4.vcf").read_bytes())
    jane = result.records[0].data
    assert jane.timezone == "Europe/Paris"
    assert [d.value for d in jane.details if d.kind == "phone"] == ["+33-6-12-34-56-78"]
    assert [d.value for d in jane.details if d.kind == "website"] == ["https://jane.example"]
    assert check_input(jane).handles[0].handle == "jane@fosstodon.example"
    assert jane.photo is not None and jane.photo.startswith(PNG_START)


def test_broken_cards_are_reported_and_good_ones_kept() -> None:
    result = vcard.parse_vcards((FIXTURES / "broken.vcf").read_bytes())
    assert [r.data.display_name for r in result.records] == ["Good One", "not-an-address",
                                                             "Good Two"]  # fmt: skip
    assert [(p.line, p.reason[:40]) for p in result.problems] == [
        (8, "card starting at line 6: Failed to parse"),
        (18, "card has no END:VCARD (the file may be c"),
    ]
    with pytest.raises(vcard.VCardError):
        vcard.parse_vcards(b"just text\n")


def test_round_trip_keeps_cmdesk_fields() -> None:
    profile = ContactProfile(
        7, "Jane Doe", "Jane", "Doe", "Acme", "CTO", "Paris", "Europe/Paris", "advocate", "Sam",
        "Line one\nline two, with comma", 30, None, None, 0, 0, True,
        details=(DetailInput("email", "j@x.example"), DetailInput("phone", "+33 1", "cell")),
        handles=(HandleInput("github", "janed", "https://github.com/janed", 10),),
        lists=((1, "Press"),),
    )  # fmt: skip
    out = io.StringIO()
    vcard.write_vcards([(profile, PNG_START)], out)
    assert "VERSION:3.0" in out.getvalue()
    back = vcard.parse_vcards(out.getvalue().encode()).records[0].data
    assert (back.display_name, back.organisation, back.title, back.stage, back.owner) == (
        "Jane Doe", "Acme", "CTO", "advocate", "Sam")  # fmt: skip
    assert back.notes == "Line one\nline two, with comma" and back.cadence_days == 30
    assert back.handles == (HandleInput("github", "janed", "https://github.com/janed"),)
    assert back.lists == ("Press",) and back.photo == PNG_START


def test_profile_url_with_handle_in_query() -> None:
    card = (
        b"BEGIN:VCARD\r\nVERSION:3.0\r\nFN:Paul Graham\r\n"
        b"URL:https://news.ycombinator.com/user?id=pg\r\nEND:VCARD\r\n"
    )
    data = vcard.parse_vcards(card).records[0].data
    handle = check_input(data).handles[0]
    assert (handle.network, handle.handle) == ("hackernews", "pg")
    assert handle.url == "https://news.ycombinator.com/user?id=pg"
