"""Schema version 7: ``contact_search``, a trigram index for the contact list's search.

Searching names, organisations, details and handles with ``LIKE '%term%'`` scanned every contact
and detail (113 ms for ``mar`` in 100,000 contacts). This step makes the index (see
:mod:`cmdesk.core.contact_search`), fills it from the contacts already stored (about 6 s for
100,000 contacts on a slow machine) and creates its triggers.
"""

from __future__ import annotations

import peewee as pw

from cmdesk.core import contact_search

VERSION = 7

STATEMENTS = (
    "CREATE VIRTUAL TABLE contact_search USING fts5(text, tokenize='trigram case_sensitive 1')",
)


def apply(db: pw.Database) -> None:
    for statement in STATEMENTS:
        db.execute_sql(statement)
    contact_search.rebuild(db)
    contact_search.create_triggers(db)
