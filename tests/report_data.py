"""A small workspace whose every report figure is counted by hand (see the comments).

The report period is "last week" as seen from the test clock (Friday 2026-11-20): Monday 9 to
Sunday 15 November 2026, UTC; the previous period is 2 to 8 November.
"""

from __future__ import annotations

from datetime import UTC, datetime

from cmdesk.core.db import Workspace
from cmdesk.core.models import (
    Alert,
    Author,
    CalendarItem,
    Contact,
    Contribution,
    Department,
    Mention,
    MentionQuery,
    MentionTag,
    Query,
    ReportGoal,
    Source,
    Tag,
    Teammate,
)
from cmdesk.core.services import workspace as workspace_service

LAUNCH_URL = "https://acme.example/launch"


def at(day: int, hour: int = 12, minute: int = 0) -> int:
    return int(datetime(2026, 11, day, hour, minute, tzinfo=UTC).timestamp())


def build(ws: Workspace) -> None:
    now = at(20)
    workspace_service.set_setting(ws, "brand_name", "Acme")
    reddit = Source.create(kind="reddit", name="r/acme", created_at=now)
    blog = Source.create(kind="rss", name="Blog", created_at=now)
    acme = Query.create(name="Acme", kind="brand", expression="acme", created_at=now)
    globex = Query.create(name="Globex", kind="competitor", expression="globex", created_at=now)
    ana = Teammate.create(name="Ana")
    support = Department.create(name="Support")
    alice_contact = Contact.create(display_name="Alice Martin", created_at=now, updated_at=now)
    carl = Contact.create(display_name="Carl Old", created_at=now, updated_at=now)
    alice = Author.create(network="reddit", handle="alice", reach=500, contact=alice_contact,
                          first_seen_at=now)  # fmt: skip
    bob = Author.create(network="blog", handle="bob", reach=50, first_seen_at=now)
    praise = Tag.create(name="praise")

    def mention(n, source, author, when, label, queries, *, needs=False, reply_minutes=None,
                assignee=None, department=None, starred=False, state="open", url=None):  # type: ignore[no-untyped-def]  # fmt: skip
        row = Mention.create(
            source=source, external_id=f"m{n}", title=f"Mention {n}", text=f"Text of mention {n}",
            author=author, author_name=author.handle if author else None, published_at=when,
            fetched_at=when, sentiment_label=label, needs_response=needs,
            responded_at=None if reply_minutes is None else when + 60 * reply_minutes,
            assignee=assignee, department=department, starred=starred, state=state,
            canonical_url=url, url=url,
        )  # fmt: skip
        for query in queries:
            MentionQuery.create(mention=row, query=query)
        return row

    # Current period: five mentions counted (m6 is spam and left out).
    m1 = mention(1, reddit, alice, at(9, 10), "positive", [acme], needs=True, reply_minutes=30,
                 assignee=ana, department=support, starred=True)  # fmt: skip
    mention(2, reddit, alice, at(10, 12), "negative", [acme], needs=True, reply_minutes=90,
            assignee=ana)  # fmt: skip
    mention(3, blog, bob, at(11, 8), "neutral", [acme, globex], needs=True, department=support)
    mention(4, blog, bob, at(12, 9), "positive", [globex], url=LAUNCH_URL)
    mention(5, reddit, None, at(15, 23), "positive", [acme], needs=True, reply_minutes=10,
            starred=True)  # fmt: skip
    mention(6, reddit, None, at(13, 9), "negative", [acme], state="spam")
    # After the period: links to the launch post but is not counted (published after the end).
    mention(7, blog, bob, at(17, 9), "positive", [], url=LAUNCH_URL)
    MentionTag.create(mention=m1, tag=praise)
    # Previous period: two mentions.
    mention(8, reddit, alice, at(3, 9), "positive", [acme], needs=True, reply_minutes=60)
    mention(9, blog, None, at(5, 9), "negative", [globex])

    Alert.create(kind="negative_spike", title="Acme: 40 negative mentions in the last hour",
                 query=acme, created_at=at(12, 15))  # fmt: skip
    Alert.create(kind="spike", title="Acme: spike", query=acme, created_at=at(4, 15))

    def item(title, day, status, url=None):  # type: ignore[no-untyped-def]
        CalendarItem.create(title=title, starts_at=at(day, 9), status=status, published_url=url,
                            created_at=now, updated_at=now)  # fmt: skip

    item("Launch post", 10, "published", LAUNCH_URL)
    item("Webinar", 14, "scheduled")
    item("Cancelled meetup", 12, "cancelled")
    item("Old post", 4, "published")

    Contribution.create(contact=alice_contact, kind="talk", occurred_at=at(11))
    Contribution.create(
        contact=carl, kind="post", occurred_at=int(datetime(2026, 10, 1, tzinfo=UTC).timestamp())
    )
    Contribution.create(contact=carl, kind="post", occurred_at=at(12))

    ReportGoal.create(metric="mention_volume", period="week", target=4)
    ReportGoal.create(metric="positive_share", period="month", target=0.7)
    ReportGoal.create(metric="median_first_response_minutes", period="week", target=20)
    ReportGoal.create(metric="items_published", period="month", target=4.35)
