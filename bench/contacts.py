"""Contacts speed figures on a big workspace: list, search, filter, timeline, import.

Usage::

    .venv/bin/python -m cmdesk demo --db /tmp/big.cmdesk --mentions 1000000 --contacts 100000
    .venv/bin/python bench/contacts.py /tmp/big.cmdesk

Prints the best of three runs for each read (targets: list, search and filter < 100 ms;
a person's timeline < 150 ms) and the time to import a generated 10,000-row Google Contacts CSV
into a copy of the workspace (target < 10 s). Heavier work that runs off the UI thread (the
one-time backfill of the stored due times and influence scores on a workspace from before schema
3, the daily full pass, Top voices, duplicate suggestions) is shown for information.
"""

from __future__ import annotations

import argparse
import random
import sqlite3
import tempfile
import time
from collections.abc import Callable
from pathlib import Path
from typing import Any

from cmdesk.core.db import Workspace, open_workspace
from cmdesk.core.services import contacts_activity as act
from cmdesk.core.services import contacts_import as imp
from cmdesk.core.services import contacts_influence as infl
from cmdesk.core.services import contacts_merge as merge
from cmdesk.core.services import contacts_query as q
from cmdesk.core.services import contacts_scores as scores
from cmdesk.core.services import keep_in_touch as kit
from cmdesk.formats import contacts_csv

GIVEN = ["Ada", "Grace", "Linus", "Margaret", "Alan", "Katherine", "Dennis", "Barbara", "Ken"]
FAMILY = ["Lovelace", "Hopper", "Torvalds", "Hamilton", "Turing", "Johnson", "Ritchie", "Liskov"]


def timed(label: str, fn: Callable[[], Any], target_ms: float | None = None, runs: int = 3) -> Any:
    best, result = float("inf"), None
    for _ in range(runs):
        start = time.perf_counter()
        result = fn()
        best = min(best, time.perf_counter() - start)
    size = f"({len(result)} rows)" if hasattr(result, "__len__") else ""
    verdict = "" if target_ms is None else ("ok" if best * 1000 < target_ms else "SLOW")
    target = f"< {target_ms:.0f} ms" if target_ms else ""
    print(f"{label:48s} {best * 1000:9.1f} ms  {target:9s} {verdict:4s} {size}")
    return result


def google_csv(rows: int, seed: int = 7) -> bytes:
    rng = random.Random(seed)
    header = (
        "First Name,Last Name,Organization Name,Organization Title,Notes,Labels,"
        "E-mail 1 - Label,E-mail 1 - Value,Phone 1 - Label,Phone 1 - Value,Website 1 - Value\n"
    )
    lines = [header]
    for i in range(rows):
        given, family = rng.choice(GIVEN), rng.choice(FAMILY)
        lines.append(
            f"{given},{family},Company {i % 500},Engineer,Imported row {i},"
            f"* myContacts ::: Customers,Work,{given.lower()}.{family.lower()}.{i}@bench.example,"
            f"Mobile,+1 555 {i:06d},https://{family.lower()}{i}.example\n"
        )
    return "".join(lines).encode()


def stored_scores(ws: Workspace) -> None:
    print("-- stored due times and influence (schema 3), on the writer")
    if scores.scores_need_refresh(ws):
        timed("backfill: every contact (first use)",
              lambda: ws.write(scores.refresh_all_scores, ws).result(), None, 1)  # fmt: skip
    timed("daily full pass (little changed)",
          lambda: ws.write(scores.refresh_all_scores, ws).result(), None, 1)  # fmt: skip
    linked = "SELECT DISTINCT contact_id FROM author WHERE contact_id IS NOT NULL LIMIT 200"
    ids = [r[0] for r in ws.db.execute_sql(linked)]
    timed("after ingest: refresh 200 linked contacts",
          lambda: ws.write(scores.refresh_contact_scores, ws, ids).result(), None)  # fmt: skip


def reads(ws: Workspace) -> None:
    print("-- the list (ids in order; a page of rows is built for what is on screen)")
    ids = timed("list: all contacts by name", lambda: q.snapshot_ids(ws, q.ContactFilter()), 100)
    timed("list: one page of 60 rows", lambda: q.rows_for_ids(ws, list(ids[:60])), 100)
    timed("search 'mar' (names, orgs, e-mails, handles)",
          lambda: q.snapshot_ids(ws, q.ContactFilter(search="mar")), 100)  # fmt: skip
    timed("search 'zzqq' (no hit)", lambda: q.snapshot_ids(ws, q.ContactFilter(search="zzqq")), 100)
    first_list = ws.db.execute_sql("SELECT MIN(id) FROM contact_list").fetchone()[0]
    timed("filter: one list", lambda: q.snapshot_ids(ws, q.ContactFilter(list_id=first_list)), 100)
    timed("filter: stage advocate",
          lambda: q.snapshot_ids(ws, q.ContactFilter(stage="advocate")), 100)  # fmt: skip
    owner = ws.db.execute_sql("SELECT owner FROM contact WHERE owner IS NOT NULL").fetchone()
    if owner:
        timed("filter: owner",
              lambda: q.snapshot_ids(ws, q.ContactFilter(owner=owner[0])), 100)  # fmt: skip
    timed("filter: due", lambda: q.snapshot_ids(ws, q.ContactFilter(due_only=True)), 100)
    timed("sort: last interaction",
          lambda: q.snapshot_ids(ws, q.ContactFilter(sort="last_interaction")), 100)  # fmt: skip
    timed("due count (sidebar badge)", lambda: kit.due_count(ws), 100)
    print("-- a person (the most prolific linked contact)")
    top = ws.db.execute_sql(
        "SELECT a.contact_id FROM author a JOIN mention m ON m.author_id = a.id "
        "WHERE a.contact_id IS NOT NULL GROUP BY a.contact_id ORDER BY COUNT(*) DESC LIMIT 1"
    ).fetchone()[0]
    timed("timeline: newest 100 entries", lambda: act.timeline(ws, top), 150)
    timed("profile figures (reach, share, months)", lambda: infl.contact_influence(ws, top), None)
    timed("sort: influence (stored scores)",
          lambda: q.snapshot_ids(ws, q.ContactFilter(sort="influence")), 100)  # fmt: skip
    timed("due list (Due view, 500 rows)", lambda: kit.due_contacts(ws), 100)
    print("-- off the UI thread")
    timed("influence scores of every contact", lambda: infl.influence_scores(ws), None, 1)
    timed("Top voices: most mentions", lambda: infl.top_voices(ws, "mentions"), None, 1)
    timed("duplicate suggestions", lambda: merge.duplicate_suggestions(ws), None, 1)


def import_bench(path: Path, rows: int) -> None:
    print(f"-- import a {rows:,}-row Google Contacts CSV into a copy of the workspace")
    data = google_csv(rows)
    with tempfile.TemporaryDirectory() as tmp:
        copy = Path(tmp) / "copy.cmdesk"
        source = sqlite3.connect(path)
        target = sqlite3.connect(copy)
        source.backup(target)
        source.close()
        target.close()
        ws = open_workspace(copy)
        try:
            start = time.perf_counter()
            parsed = contacts_csv.parse_csv(data)
            parsed_at = time.perf_counter()
            result = ws.write(imp.import_contacts, ws, parsed).result()
            done = time.perf_counter()
        finally:
            ws.close()
    total = done - start
    print(f"parse {parsed_at - start:.2f} s, write {done - parsed_at:.2f} s, total {total:.2f} s "
          f"(target < 10 s: {'ok' if total < 10 else 'SLOW'}) — {result.summary()}")  # fmt: skip


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("db", type=Path, help="a workspace built by 'cmdesk demo'")
    parser.add_argument("--rows", type=int, default=10_000, help="CSV rows to import")
    args = parser.parse_args()
    ws = open_workspace(args.db)
    counts = {t: ws.db.execute_sql(f"SELECT COUNT(*) FROM {t}").fetchone()[0]
              for t in ("contact", "mention", "author")}  # fmt: skip
    print(f"workspace {args.db}: {counts}")
    try:
        stored_scores(ws)
        reads(ws)
    finally:
        ws.close()
    import_bench(args.db, args.rows)


if __name__ == "__main__":
    main()
