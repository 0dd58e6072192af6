"""Schema version 4: when a report was last exported as a PDF (``report.exported_at``).

A report record is also created by typing suggestions for a period, so its existence does not
mean the report was produced; the weekly reminder now asks for ``exported_at``. Records written
before this version are left without it: whether they were exported was never recorded.
"""

from __future__ import annotations

import peewee as pw

VERSION = 4

STATEMENTS = (
    'ALTER TABLE "report" ADD COLUMN "exported_at" INTEGER',
    'CREATE INDEX "report_period_exported" ON "report" ("period_from", "period_to", "exported_at")',
)


def apply(db: pw.Database) -> None:
    for statement in STATEMENTS:
        db.execute_sql(statement)
