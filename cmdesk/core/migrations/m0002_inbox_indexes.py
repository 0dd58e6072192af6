"""Schema version 2: indexes so the inbox's Starred, Needs-response and date views don't scan.

They let those views walk mentions newest-first.

Partial indexes hold only the rows of the view, in id order; a query uses one only when its WHERE
clause repeats the index's condition with literal values (not bound parameters).
"""

from __future__ import annotations

import peewee as pw

VERSION = 2

STATEMENTS = (
    'CREATE INDEX "mention_starred_id" ON "mention" ("id") WHERE "starred" = 1',
    'CREATE INDEX "mention_awaiting_response_id" ON "mention" ("id") '
    'WHERE "needs_response" = 1 AND "responded_at" IS NULL',
    'DROP INDEX "mention_published_at"',
    'CREATE INDEX "mention_published_at_id" ON "mention" ("published_at", "id")',
)


def apply(db: pw.Database) -> None:
    for statement in STATEMENTS:
        db.execute_sql(statement)
