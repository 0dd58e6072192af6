"""Schema version 5: ``mention_link``, the pages each mention links to.

A published post earns the mentions that link to it: a Hacker News story or a blog article about
it has its own address and carries the post's address inside. The links are found at ingest
(:mod:`cmdesk.core.analysis.links`); this step makes the table and finds them in the mentions
already stored, so a calendar item counts what it earned before the upgrade too.
"""

from __future__ import annotations

import peewee as pw

from cmdesk.core.analysis.links import outgoing_links, store_links

VERSION = 5

STATEMENTS = (
    'CREATE TABLE "mention_link" ("url" TEXT NOT NULL, "mention_id" INTEGER NOT NULL'
    ' REFERENCES "mention" ("id") ON DELETE CASCADE, PRIMARY KEY ("url", "mention_id"))'
    " WITHOUT ROWID",
    'CREATE INDEX "mention_link_mention_id" ON "mention_link" ("mention_id")',
)


def apply(db: pw.Database) -> None:
    for statement in STATEMENTS:
        db.execute_sql(statement)
    last = 0
    while True:
        rows = db.execute_sql(
            "SELECT id, html, text, canonical_url FROM mention WHERE id > ?"
            " AND (html LIKE '%href%' OR text LIKE '%http%') ORDER BY id LIMIT 2000",
            (last,),
        ).fetchall()
        if not rows:
            return
        store_links(db, ((mid, outgoing_links(html, text, own)) for mid, html, text, own in rows))
        last = rows[-1][0]
