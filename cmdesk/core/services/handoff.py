"""Copy as hand-off: a mention as plain text or an e-mail body another team can act on.

Imports no Qt. The text carries what the receiving team needs and nothing internal they should
not forward by accident: the mention, its link, the author, the routing note, and (optionally)
the team's notes. Plain text only — no HTML — so it pastes cleanly into any mail or ticket tool.
"""

from __future__ import annotations

import textwrap
from dataclasses import dataclass
from datetime import UTC, datetime
from urllib.parse import quote

from cmdesk.core.db import Workspace
from cmdesk.core.services.mention_detail import MentionDetail, mention_detail

QUOTE_CHARS = 1500


@dataclass(frozen=True)
class HandOff:
    subject: str
    body: str
    to: str | None  # the department's address, when it has one

    def mailto(self) -> str:
        """A ``mailto:`` URL that opens the user's mail program with the hand-off filled in."""
        return (
            f"mailto:{quote(self.to or '')}?subject={quote(self.subject)}&body={quote(self.body)}"
        )


def _when(seconds: int) -> str:
    return datetime.fromtimestamp(seconds, UTC).strftime("%Y-%m-%d %H:%M UTC")


def hand_off_text(
    detail: MentionDetail,
    *,
    department: str | None = None,
    sender: str | None = None,
    include_notes: bool = False,
) -> str:
    """The plain-text body: who said what, where, and what the sender asks of the team."""
    row = detail.row
    team = department or row.department
    author = row.author or "someone"
    if detail.author is not None and detail.author.handle and detail.author.handle != author:
        author = f"{author} (@{detail.author.handle} on {detail.author.network})"
    if row.contact_name and row.contact_name not in author:
        author += f" — in our contacts as {row.contact_name}"
    lines = [f"Hello{' ' + team if team else ''} team,", ""]
    lines.append(f"{author} wrote on {row.source_name} on {_when(row.published_at)}:")
    lines.append("")
    body = detail.text.strip() or row.title
    if len(body) > QUOTE_CHARS:
        body = body[:QUOTE_CHARS].rsplit(" ", 1)[0] + " […]"
    if row.title and row.title not in body:
        lines.append(f"> {row.title}")
        lines.append(">")
    for paragraph in body.splitlines() or [""]:
        wrapped = textwrap.wrap(paragraph, 76) or [""]
        lines.extend(f"> {line}".rstrip() for line in wrapped)
    lines.append("")
    if detail.url:
        lines.append(f"Link: {detail.url}")
    if detail.thread_url and detail.thread_url != detail.url:
        lines.append(f"Discussion: {detail.thread_url}")
    if row.sentiment_label:
        lines.append(f"Sentiment: {row.sentiment_label}")
    if row.reach:
        lines.append(f"Author's reach: {row.reach:,}")
    if detail.routing_note:
        lines += ["", "Why you are getting this:", detail.routing_note.strip()]
    if include_notes and detail.notes:
        lines += ["", "Notes from the community team:"]
        lines += [
            f"- {note.body} ({note.author}, {_when(note.created_at)})" for note in detail.notes
        ]
    lines += ["", "Thanks,", sender or "The community team"]
    return "\n".join(lines) + "\n"


def hand_off(
    ws: Workspace, mention_id: int, *, sender: str | None = None, include_notes: bool = False
) -> HandOff:
    """The hand-off for a stored mention, addressed to its department when routed."""
    detail = mention_detail(ws, mention_id)
    if detail is None:
        raise ValueError(f"no mention {mention_id}")
    to = None
    if detail.row.department:
        row = ws.db.execute_sql(
            "SELECT email FROM department WHERE name = ?", [detail.row.department]
        ).fetchone()
        to = row[0] if row else None
    title = detail.row.title or detail.text[:60]
    subject = f"[{detail.row.source_name}] {title}".strip()
    body = hand_off_text(detail, sender=sender, include_notes=include_notes)
    return HandOff(subject=subject, body=body, to=to)
