"""The contact search index finds exactly what the LIKE scans found, and stays in sync."""

from __future__ import annotations

import random
from pathlib import Path

from cmdesk.core import contact_search
from cmdesk.core.db import Workspace, open_workspace
from cmdesk.core.services import contacts as svc
from cmdesk.core.services import contacts_import as imp
from cmdesk.core.services import contacts_merge as merge
from cmdesk.core.services import contacts_organisations as orgs
from cmdesk.core.services import contacts_query as q
from cmdesk.core.services.contacts import ContactInput, DetailInput, HandleInput
from cmdesk.formats import contacts_csv, vcard

FIXTURES = Path(__file__).parents[1] / "fixtures" / "contacts"

PEOPLE = [
    ContactInput("Émile Zola", organisation="Éditions Charpentier",
                 details=(DetailInput("email", "emile@zola.example"),
                          DetailInput("website", "1 rue de Bruxelles\nParis")),
                 handles=(HandleInput("mastodon", "emile@piaille.example"),)),
    ContactInput("ÉLODIE Marchand", organisation="MARQUE & Co",
                 details=(DetailInput("email", "Elodie.MARCHAND@Marque.example"),
                          DetailInput("phone", "+33 6 12 34 56 78"))),
    ContactInput("Jürgen Straße", organisation="Straße GmbH",
                 handles=(HandleInput("github", "jstrasse"), HandleInput("x", "jürgen_s"))),
    ContactInput("\u212aelvin Sign", organisation="Kelvin Labs",
                 details=(DetailInput("website", "https://kelvin.example/100%_real"),)),
    ContactInput('Ada "The Countess" Lovelace', organisation="Analytical Engines",
                 details=(DetailInput("email", "ada@engines.example"),),
                 handles=(HandleInput("linkedin", "ada-lovelace"),)),
    ContactInput("İsmail Şahin", organisation="İstanbul Yazılım",
                 details=(DetailInput("email", "ismail@istanbul.example"),)),
    ContactInput("Grace Hopper", organisation="Navy",
                 details=(DetailInput("email", "grace@navy.example"),
                          DetailInput("email", "amazing.grace@cobol.example"))),
    ContactInput("Mary Margaret", handles=(HandleInput("bluesky", "marymar.bsky.example"),)),
    ContactInput("Ωmega Ψ", organisation="ΑΒΓ Δ", details=(DetailInput("phone", "12345"),)),
]  # fmt: skip

FIXED_TERMS = [
    "mar", "MAR", "Mar", "émi", "ÉMI", "Émi", "élo", "ÉLO", "elo", "ELODIE", "straße", "STRASSE",
    "kelvin", "KELVIN", "\u212aelvin", "100%", "%_r", "0%_", "\\x", '"the', 'the countess"',
    "ada-", "-lo", "ümg", "ismail", "İsm", "isma", "şah", "Şah", "ωme", "Ωme", "αβγ", "ΑΒΓ",
    "bruxelles\nparis", "s\npa", "+33 6", " 34 ", "@na", ".example", "xyz", "e z", "zola.ex",
    "amazing", "navy grace", "jürgen_s", "rgen_", "a\x00b", "  mar  ",
]  # fmt: skip


def create(ws: Workspace, data: ContactInput) -> int:
    return ws.write(lambda: svc.create_contact(ws, data)[0]).result()


def like_ids(ws: Workspace, text: str) -> list[int]:
    """The contacts the LIKE scans (the search before the index) find, in list order."""
    like = "%" + text.replace("\\", "\\\\").replace("%", "\\%").replace("_", "\\_") + "%"
    sql = (
        "SELECT c.id FROM contact c WHERE c.id IN ("
        "SELECT id FROM contact WHERE display_name LIKE ? ESCAPE '\\' "
        "UNION SELECT c2.id FROM contact c2 JOIN organisation o ON o.id = c2.organisation_id "
        "WHERE o.name LIKE ? ESCAPE '\\' "
        "UNION SELECT contact_id FROM contact_detail WHERE value LIKE ? ESCAPE '\\' "
        "UNION SELECT contact_id FROM contact_handle WHERE handle LIKE ? ESCAPE '\\') "
        "ORDER BY c.display_name, c.id"
    )
    return [r[0] for r in ws.db.execute_sql(sql, [like] * 4)]


def search_ids(ws: Workspace, text: str) -> list[int]:
    return list(q.snapshot_ids(ws, q.ContactFilter(search=text)))


def fields(ws: Workspace) -> list[str]:
    sql = (
        "SELECT display_name FROM contact UNION ALL SELECT name FROM organisation "
        "UNION ALL SELECT value FROM contact_detail UNION ALL SELECT handle FROM contact_handle"
    )
    return [r[0] for r in ws.db.execute_sql(sql)]


def sample_terms(ws: Workspace, rng: random.Random, count: int = 150) -> list[str]:
    """Fixed tricky terms plus random substrings of stored values, in random case."""
    terms = list(FIXED_TERMS)
    values = [v for v in fields(ws) if len(v) >= 3]
    for _ in range(count):
        value = rng.choice(values)
        size = rng.randint(3, min(8, len(value)))
        start = rng.randint(0, len(value) - size)
        term = value[start : start + size]
        terms.append(rng.choice([term, term.upper(), term.lower(), term.swapcase()]))
    return terms


def assert_in_sync(ws: Workspace) -> None:
    """The index holds what a rebuild from the tables would put in it."""
    rows = "SELECT rowid, text FROM contact_search ORDER BY rowid"
    kept = ws.db.execute_sql(rows).fetchall()
    with ws.db.atomic() as transaction:
        contact_search.rebuild(ws.db)
        rebuilt = ws.db.execute_sql(rows).fetchall()
        transaction.rollback()
    assert kept == rebuilt
    owners = {rowid >> 32 for rowid, _ in kept}
    assert owners == {r[0] for r in ws.db.execute_sql("SELECT id FROM contact")}


def assert_same_as_like(ws: Workspace, seed: int = 1) -> None:
    assert_in_sync(ws)
    for term in sample_terms(ws, random.Random(seed)):
        assert search_ids(ws, term) == like_ids(ws, term.strip()), repr(term)


def test_index_finds_what_like_found(workspace: Workspace) -> None:
    ids = [create(workspace, person) for person in PEOPLE]
    assert_same_as_like(workspace)
    assert set(search_ids(workspace, "mar")) == {ids[1], ids[7]}
    assert search_ids(workspace, "ÉMIL") == [ids[0]]
    assert search_ids(workspace, "émil") == []  # as LIKE: case folded for ASCII letters only
    assert search_ids(workspace, "kelvin") == [ids[3]]  # the organisation; not the Kelvin sign
    assert search_ids(workspace, "s\npa") == [ids[0]]  # a line break inside one value
    assert search_ids(workspace, "zola\nÉdi") == []  # fields are rows of their own


def test_short_and_odd_terms_keep_the_like_scans() -> None:
    assert contact_search.search_condition("ma") is None
    assert contact_search.search_condition("a\x00bc") is None
    condition = contact_search.search_condition('Ma"R')
    assert condition is not None and condition[1] == ['"ma""r"']


def test_index_follows_edits_renames_deletes_and_merges(workspace: Workspace) -> None:
    ws = workspace
    ids = [create(ws, person) for person in PEOPLE]
    org = ws.db.execute_sql("SELECT id FROM organisation WHERE name = 'Navy'").fetchone()[0]
    ws.write(orgs.update_organisation, ws, org, "US Navy Reserve", None, None).result()
    assert search_ids(ws, "reserve") == [ids[6]]
    profile = svc.contact_profile(ws, ids[2])
    assert profile is not None
    edited = ContactInput(
        "Jürgen Strasse",
        organisation="Analytical Engines",
        details=(DetailInput("email", "js@new.example"),),
        handles=(HandleInput("github", "jstrasse2"),),
    )
    ws.write(svc.update_contact, ws, ids[2], edited).result()
    assert search_ids(ws, "straße") == []
    assert set(search_ids(ws, "analytical")) == {ids[2], ids[4]}
    ws.write(svc.add_handle, ws, ids[5], HandleInput("github", "sahin-dev")).result()
    assert search_ids(ws, "sahin-d") == [ids[5]]
    ws.db.execute_sql("UPDATE contact_detail SET value = 'grace@cobol.example' "
                      "WHERE value = 'grace@navy.example'")  # fmt: skip
    ws.db.execute_sql("UPDATE contact_handle SET handle = 'mm' WHERE contact_id = ?", [ids[7]])
    assert_same_as_like(ws, seed=2)
    ws.write(svc.delete_contacts, ws, [ids[0]]).result()
    assert search_ids(ws, "zola") == []
    ws.write(merge.merge_contacts, ws, ids[4], ids[6]).result()
    assert search_ids(ws, "cobol") == [ids[4]]
    ws.db.execute_sql("DELETE FROM organisation WHERE name = 'Kelvin Labs'")
    assert search_ids(ws, "labs") == []
    bare = create(ws, ContactInput("Renumbered Person"))
    ws.db.execute_sql("UPDATE contact SET id = 1000 WHERE id = ?", [bare])
    assert search_ids(ws, "renumber") == [1000]
    assert_same_as_like(ws, seed=3)


def test_index_follows_csv_and_vcard_imports(workspace: Workspace) -> None:
    ws = workspace
    for person in PEOPLE[:4]:
        create(ws, person)
    for name in ("google.csv", "linkedin.csv", "broken.csv"):
        parsed = contacts_csv.parse_csv((FIXTURES / name).read_bytes())
        ws.write(imp.import_contacts, ws, parsed).result()
    for name in ("contacts-v3.vcf", "contacts-v4.vcf", "broken.vcf"):
        parsed = vcard.parse_vcards((FIXTURES / name).read_bytes())
        ws.write(imp.import_contacts, ws, parsed).result()
    assert ws.db.execute_sql("SELECT COUNT(*) FROM contact").fetchone()[0] > 10
    assert_same_as_like(ws, seed=4)
    triggers = {r[0] for r in ws.db.execute_sql("SELECT name FROM sqlite_master")}
    assert set(contact_search.TRIGGER_NAMES) <= triggers  # dropped for the import, back after


def test_triggers_are_recreated_on_open(tmp_path: Path) -> None:
    path = tmp_path / "w.cmdesk"
    ws = open_workspace(path)
    contact_search.drop_triggers(ws.db)
    ws.close()
    ws = open_workspace(path)
    cid = create(ws, ContactInput("Reopened Person"))
    assert search_ids(ws, "reopen") == [cid]
    assert_in_sync(ws)
    ws.close()
