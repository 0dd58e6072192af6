"""Schema version 8: ``contact_name_due``, for the Due filter sorted by name.

With the name, the id and the due time in one index, SQLite walks the names in order and tests
each due time in the index itself: no table read and no sort. Measured at 100,000 contacts
(45,000 due): 107 ms reading the due contacts and sorting them by name, 34 ms with the index.
"""

from __future__ import annotations

import peewee as pw

VERSION = 8

STATEMENTS = ('CREATE INDEX "contact_name_due" ON "contact" ("display_name", "id", "due_at")',)


def apply(db: pw.Database) -> None:
    for statement in STATEMENTS:
        db.execute_sql(statement)
