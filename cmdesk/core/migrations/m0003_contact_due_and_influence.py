"""Schema version 3: stored keep-in-touch due time and influence score on contacts.

Both were computed on every read; with 100,000 contacts the Due filter took 132 ms. The
contacts services keep them up to date on every write that changes their inputs.
"""

from __future__ import annotations

import peewee as pw

VERSION = 3

STATEMENTS = (
    'ALTER TABLE "contact" ADD COLUMN "due_at" INTEGER',
    'ALTER TABLE "contact" ADD COLUMN "influence" REAL',
    'CREATE INDEX "contact_due_at" ON "contact" ("due_at") WHERE "due_at" IS NOT NULL',
    'CREATE INDEX "contact_influence" ON "contact" ("influence")',
)


def apply(db: pw.Database) -> None:
    for statement in STATEMENTS:
        db.execute_sql(statement)
