"""Numbered schema steps, applied in order, one transaction each.

To change the schema: add ``mNNNN_what.py`` with ``VERSION = NNNN`` and ``apply(db)``, list it in
``STEPS`` below (explicit, so packagers and readers see every step), and add a test that opens the
previous version's fixture. Versions must increase; gaps are allowed.
"""

from cmdesk.core.migrations import (
    m0001_initial,
    m0002_inbox_indexes,
    m0003_contact_due_and_influence,
    m0004_report_exported_at,
    m0005_mention_links,
    m0006_contact_sort_indexes,
    m0007_contact_search,
    m0008_contact_name_due,
)

STEPS = [
    m0001_initial,
    m0002_inbox_indexes,
    m0003_contact_due_and_influence,
    m0004_report_exported_at,
    m0005_mention_links,
    m0006_contact_sort_indexes,
    m0007_contact_search,
    m0008_contact_name_due,
]

__all__ = ["STEPS"]
