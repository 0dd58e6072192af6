"""The inbox's single-key shortcuts, listed once: the pane binds them, Help shows them."""

from __future__ import annotations

INBOX_SHORTCUTS: list[tuple[str, str]] = [
    ("J / K", "Next / previous mention"),
    ("Home / End", "First / last mention of the list"),
    ("E", "Mark done"),
    ("S", "Star or unstar"),
    ("A", "Assign to a teammate"),
    ("T", "Tag"),
    ("R", "Mark responded"),
    ("O", "Open the original in the browser"),
    ("/", "Search"),
    ("U", "Undo the last action"),
    ("Esc", "Clear the search"),
]
