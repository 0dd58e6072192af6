"""Duplicates, merging, and importing parsed records in one transaction."""

from __future__ import annotations

from pathlib import Path

import pytest
from test_contacts import add_author, create

from cmdesk.core.db import Workspace
from cmdesk.core.progress import Cancelled, Progress
from cmdesk.core.services import contacts as svc
from cmdesk.core.services import contacts_activity as act
from cmdesk.core.services import contacts_import as imp
from cmdesk.core.services import contacts_merge as merge
from cmdesk.core.services.contacts import ContactInput, DetailInput, HandleInput
from cmdesk.formats import contacts_csv

FIXTURES = Path(__file__).parents[2] / "fixtures" / "contacts"


def test_duplicate_suggestions_find_shared_email_and_similar_names(workspace: Workspace) -> None:
    ws = workspace
    a = create(ws, display_name="Jane Doe", details=(DetailInput("email", "jane@x.example"),))
    b = create(ws, display_name="J. Doe", details=(DetailInput("email", "jane@x.example"),))
    c = create(ws, display_name="Doe, Jane")
    d = create(ws, display_name="Jon Smith")
    e = create(ws, display_name="John Smith")
    create(ws, display_name="Totally Different")
    pairs = merge.duplicate_suggestions(ws, min_score=85)
    found = {(p.first_id, p.second_id): p for p in pairs}
    assert found[(a, b)].score == 100 and "jane@x.example" in found[(a, b)].reason
    assert found[(a, c)].score == 100 and found[(a, c)].reason == "similar names"
    assert 85 <= found[(d, e)].score < 100
    assert len(found) == 3
    similar = merge.similar_contacts(ws, a)
    assert similar[0][0] == c and similar[0][2] == 100


def test_merge_keeps_every_field_handle_and_interaction(workspace: Workspace) -> None:
    ws = workspace
    keep = create(
        ws, display_name="Jane Doe", title="CTO", stage="engaged", notes="Met at FOSDEM",
        details=(DetailInput("email", "jane@x.example"),),
        handles=(HandleInput("github", "janed"),), lists=("Press",),
    )  # fmt: skip
    other = create(
        ws, display_name="Jane D.", title="Founder", location="Lyon", stage="advocate",
        details=(DetailInput("email", "jane@x.example"), DetailInput("phone", "+33 6")),
        handles=(HandleInput("mastodon", "jane@fosstodon.example"),), lists=("Influencers",),
    )  # fmt: skip
    author = add_author(ws, "mastodon", "jane@fosstodon.example")
    ws.write(svc.link_authors_to_contacts, ws).result()
    ws.write(act.log_interaction, ws, other, "call", summary="Roadmap call").result()
    ws.write(act.log_contribution, ws, other, "post", "Blog post").result()
    ws.write(merge.merge_contacts, ws, keep, other).result()
    assert svc.contact_profile(ws, other) is None
    p = svc.contact_profile(ws, keep)
    assert p is not None
    assert p.title == "CTO" and p.location == "Lyon" and p.stage == "advocate"
    assert "Met at FOSDEM" in p.notes and "Title: Founder" in p.notes and "Jane D." in p.notes
    assert sorted(d.value for d in p.details) == ["+33 6", "jane@x.example"]
    assert {h.network for h in p.handles} == {"github", "mastodon"}
    assert sorted(name for _, name in p.lists) == ["Influencers", "Press"]
    assert p.author_ids == (author,)
    assert [e.kind for e in act.timeline(ws, keep)] == ["interaction", "contribution"]
    assert p.last_interaction_at == ws.clock.now()


def test_import_recognises_duplicates_by_email_and_handle(workspace: Workspace) -> None:
    ws = workspace
    existing = create(ws, display_name="Ada L.", details=(DetailInput("email", "ada@e.example"),))
    author = add_author(ws, "linkedin", "margaret-h")
    parsed = imp.ParseResult(
        records=[
            imp.ParsedRecord(2, ContactInput("Ada Lovelace", title="Countess",
                                             details=(DetailInput("email", "ADA@e.example"),))),
            imp.ParsedRecord(3, ContactInput("Margaret", handles=(
                HandleInput("linkedin", "https://www.linkedin.com/in/margaret-h"),))),
            imp.ParsedRecord(4, ContactInput("Margaret Hamilton", organisation="Apollo",
                                             handles=(HandleInput("linkedin", "margaret-h"),))),
            imp.ParsedRecord(5, ContactInput("")),
        ],
        problems=[imp.Problem(1, "header problem")],
    )  # fmt: skip
    result = ws.write(imp.import_contacts, ws, parsed, extra_lists=["Imported"]).result()
    assert (result.created, result.merged) == (1, 2)
    assert [p.line for p in result.problems] == [1, 5]
    ada = svc.contact_profile(ws, existing)
    assert ada is not None and ada.title == "Countess" and ada.display_name == "Ada L."
    margaret = ws.db.execute_sql("SELECT contact_id FROM author WHERE id = ?", [author]).fetchone()
    profile = svc.contact_profile(ws, margaret[0])
    assert profile is not None and profile.organisation == "Apollo"
    assert [name for _, name in profile.lists] == ["Imported"]
    assert result.linked_authors == 1 and result.changes.mentions


def test_import_of_a_broken_file_keeps_the_good_rows(workspace: Workspace) -> None:
    ws = workspace
    parsed = contacts_csv.parse_csv((FIXTURES / "broken.csv").read_bytes())
    result = ws.write(imp.import_contacts, ws, parsed).result()
    assert result.created == 3
    assert [p.line for p in result.problems] == [3, 4, 6, 8]


def test_a_cancelled_import_leaves_the_workspace_as_before(workspace: Workspace) -> None:
    ws = workspace
    create(ws, display_name="Before")
    records = [imp.ParsedRecord(i + 2, ContactInput(f"Person {i}")) for i in range(600)]
    progress = Progress()
    calls = []

    def stop_midway(done: int, total: int, text: str) -> None:
        calls.append(done)
        if done >= 300:
            progress.cancel()

    progress._on_update = stop_midway
    with pytest.raises(Cancelled):
        ws.write(imp.import_contacts, ws, imp.ParseResult(records), progress).result()
    assert max(calls) >= 300
    names = [r[0] for r in ws.db.execute_sql("SELECT display_name FROM contact")]
    assert names == ["Before"]


def test_iter_profiles_reads_in_chunks(workspace: Workspace) -> None:
    ws = workspace
    ids = [create(ws, display_name=f"P{i}", lists=("L",)) for i in range(7)]
    out = list(imp.iter_profiles(ws, chunk=3))
    assert [p.id for p, _ in out] == ids
    assert all(p.lists[0][1] == "L" for p, _ in out)


def test_merge_notes_a_dropped_photo_and_keeps_a_custom_stage(workspace: Workspace) -> None:
    ws = workspace
    keep = create(ws, display_name="Jane Doe", photo=b"kept-photo", stage="engaged")
    other = create(ws, display_name="Jane D.", photo=b"other-photo", stage="Board member")
    ws.write(merge.merge_contacts, ws, keep, other).result()
    p = svc.contact_profile(ws, keep)
    assert p is not None and svc.contact_photo(ws, keep) == b"kept-photo"
    assert "Photo: theirs (1 KB) not kept" in (p.notes or "")
    assert p.stage == "board member"  # a custom stage is a person's choice: it wins
    a = create(ws, display_name="Ann", stage="Speaker")
    b = create(ws, display_name="Ann B.", stage="Sponsor")
    ws.write(merge.merge_contacts, ws, a, b).result()
    p = svc.contact_profile(ws, a)
    assert p is not None and p.stage == "speaker" and "Stage: sponsor" in (p.notes or "")


def test_merge_pairs_sharing_a_contact_end_in_one_record(workspace: Workspace) -> None:
    ws = workspace
    a, b, c, d = (create(ws, display_name=n, details=(DetailInput("email", f"{n}@x.example"),))
                  for n in ("a", "b", "c", "d"))  # fmt: skip
    count, changes = ws.write(merge.merge_pairs, ws, [(a, b), (b, c), (a, c), (d, b)]).result()
    assert changes.contacts and count == 3
    assert [svc.contact_profile(ws, i) is None for i in (a, b, c, d)] == [True, True, True, False]
    p = svc.contact_profile(ws, d)
    assert p is not None
    assert sorted(x.value for x in p.details) == [f"{n}@x.example" for n in "abcd"]
