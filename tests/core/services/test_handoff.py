from __future__ import annotations

from urllib.parse import unquote

from inbox_data import NOW, add_author, add_contact, add_mention, add_source

from cmdesk.core.services import canned_responses, handoff, triage


def test_hand_off_has_the_mention_link_author_and_note(workspace):
    ws = workspace
    source = add_source(ws, "r/selfhosted", "reddit")
    contact = add_contact(ws, "Ada Lovelace")
    author = add_author(ws, "ada_l", name="Ada", reach=12_000, contact_id=contact, network="reddit")
    mention = add_mention(
        ws,
        source,
        "Billing is broken",
        "I was charged twice for " + "x " * 10,
        author_id=author,
        url="https://reddit.example/r/1",
        sentiment_label="negative",
        published_at=NOW - 3600,
    )
    dept = ws.db.execute_sql(
        "INSERT INTO department(name, email, position) VALUES ('Support', 'help@acme.test', 0)"
    ).lastrowid
    triage.route_to_department(ws, [mention], dept, "Refund the second charge please")
    triage.add_note(ws, mention, "Internal: they are a reseller", "Sam")
    result = handoff.hand_off(ws, mention, sender="Sam")
    assert result.to == "help@acme.test"
    assert result.subject == "[r/selfhosted] Billing is broken"
    body = result.body
    assert body.startswith("Hello Support team,\n")
    assert (
        "Ada (@ada_l on reddit) — in our contacts as Ada Lovelace wrote on r/selfhosted on "
        "2026-11-20 09:00 UTC:" in body
    )
    assert "> Billing is broken" in body and "> I was charged twice" in body
    assert "Link: https://reddit.example/r/1" in body
    assert "Author's reach: 12,000" in body
    assert "Why you are getting this:\nRefund the second charge please" in body
    assert "reseller" not in body  # internal notes stay internal unless asked for
    assert body.rstrip().endswith("Thanks,\nSam")
    assert "reseller" in handoff.hand_off(ws, mention, include_notes=True).body
    mailto = result.mailto()
    assert mailto.startswith("mailto:help%40acme.test?subject=")
    assert "Refund the second charge" in unquote(mailto)


def test_canned_response_fills_in_the_name():
    body = "Hi {first_name}, thanks! ({name}, {handle})"
    assert canned_responses.fill_in(body, "Ada Lovelace", "ada") == (
        "Hi Ada, thanks! (Ada Lovelace, @ada)"
    )
    assert canned_responses.fill_in("Hi {name},", None, None) == "Hi there,"
    assert canned_responses.fill_in("Hi {name},", "", "bob") == "Hi @bob,"
