"""Ingest: canonical URLs, matching limits, sentiment, dedupe, authors linked to contacts."""

from __future__ import annotations

from dataclasses import dataclass

import pytest

from cmdesk.core.models import Contact, ContactHandle
from cmdesk.core.services import ingest, sources
from cmdesk.core.services.ingest import QuerySpec, SourceContext, canonical_url

NOW = 1_795_168_800


@dataclass(frozen=True)
class Item:
    external_id: str
    url: str | None = None
    title: str = ""
    text: str = ""
    html: str | None = None
    author_name: str | None = None
    author_handle: str | None = None
    author_url: str | None = None
    author_reach: int | None = None
    published_at: int | None = None
    lang: str | None = None
    likes: int | None = None
    replies: int | None = None
    shares: int | None = None
    score: int | None = None
    views: int | None = None
    thread_url: str | None = None
    raw: dict | None = None


@pytest.mark.parametrize(
    ("url", "expected"),
    [
        ("HTTPS://Example.COM/a?utm_source=x&id=3&fbclid=y#top", "https://example.com/a?id=3"),
        ("http://example.com:80/p?gclid=1&UTM_Medium=2", "http://example.com/p"),
        ("https://example.com:8443", "https://example.com:8443/"),
        ("http://example.com/a?b=1&b=2&mc_eid=z", "http://example.com/a?b=1&b=2"),
        ("javascript:alert(1)", None),
        ("file:///etc/passwd", None),
        ("", None),
        ("http://[::1]:8080/x", "http://[::1]:8080/x"),
    ],
)
def test_canonical_url(url: str, expected: str | None) -> None:
    assert canonical_url(url) == expected


def test_matching_respects_source_and_language_limits() -> None:
    specs = [
        QuerySpec(1, "acme"),
        QuerySpec(2, "acme", language="fr"),
        QuerySpec(3, "acme", source_ids=frozenset({99})),
        QuerySpec(4, "initech"),
    ]
    items = [
        Item("a", title="Acme est génial", lang="fr-FR"),
        Item("b", title="Acme is great", lang="en"),
        Item("c", title="nothing here"),
    ]
    prepared = ingest.prepare_items(items, SourceContext(7, "rss"), specs, NOW)
    assert [(p.external_id, p.query_ids) for p in prepared] == [("a", (1, 2)), ("b", (1,))]
    assert prepared[1].sentiment_label == "positive" and prepared[1].sentiment > 0.3


def test_all_mentions_source_skips_matching_and_scores_sentiment() -> None:
    items = [Item("x", title="This is awful and broken"), Item("y", title="neutral words")]
    prepared = ingest.prepare_items(items, SourceContext(1, "hackernews", True), [], NOW)
    assert [p.query_ids for p in prepared] == [(), ()]
    assert prepared[0].sentiment_label == "negative" and prepared[0].network == "hackernews"


def test_store_dedupes_by_id_and_url_and_links_authors(workspace) -> None:
    ws = workspace
    s1 = ws.write(sources.add_source, ws, "http://one.example/feed").result().id
    s2 = ws.write(sources.add_source, ws, "http://two.example/feed").result().id
    contact = ws.write(
        lambda: Contact.create(display_name="Ann", created_at=NOW, updated_at=NOW)
    ).result()
    ws.write(
        lambda: ContactHandle.create(contact=contact, network="hackernews", handle="ann")
    ).result()
    hn = SourceContext(s1, "hackernews", True)
    first = [
        Item("1", url="https://news.example/a?utm_source=x", title="A", author_handle="Ann"),
        Item("2", url="https://news.example/b", title="B", author_handle="bob"),
        Item("2", url="https://news.example/b", title="B again in the same batch"),
    ]
    prepared = ingest.prepare_items(first, hn, [], NOW)
    report = ws.write(ingest.store_mentions, ws, s1, prepared, NOW).result()
    assert len(report.new_ids) == 2 and report.already_stored == 1
    again = ingest.prepare_items(
        [Item("1", title="A"), Item("9", url="https://NEWS.example/a#x", title="same url")],
        SourceContext(s2, "rss", True),
        [],
        NOW,
    )
    assert ws.write(ingest.store_mentions, ws, s2, again, NOW).result().new_ids != []
    rows = ws.db.execute_sql(
        "SELECT m.external_id, m.source_id, a.handle, a.contact_id FROM mention m"
        " LEFT JOIN author a ON a.id = m.author_id ORDER BY m.id"
    ).fetchall()
    # "1" from source 2 is new (ids are per source); "9" has the URL of "1": stored once.
    assert rows == [("1", s1, "Ann", contact.id), ("2", s1, "bob", None), ("1", s2, None, None)]


def test_future_and_missing_dates_become_fetch_time(workspace) -> None:
    prepared = ingest.prepare_items(
        [Item("f", title="x", published_at=NOW + 10**6), Item("m", title="y")],
        SourceContext(1, "rss", True),
        [],
        NOW,
    )
    assert [p.fields["published_at"] for p in prepared] == [NOW, NOW]


def test_windowed_vader_scores_like_stock_vader() -> None:
    """The faster analyzer gives exactly the stock scores (negations, idioms, boosters, "but")."""
    import random

    from vaderSentiment.vaderSentiment import (
        BOOSTER_DICT,
        NEGATE,
        SPECIAL_CASES,
        SentimentIntensityAnalyzer,
    )

    stock, fast = SentimentIntensityAnalyzer(), ingest._vader()
    rng = random.Random(3)
    special = [word for case in SPECIAL_CASES for word in case.split()]
    words = [
        *list(stock.lexicon)[::40], *BOOSTER_DICT, *NEGATE, *special,
        "but", "BUT", "never", "so", "this", "without", "doubt", "kind", "of", "least", "at",
        "very", "no", "nor", "or", "GREAT", "Acme", ":)", "😀", "launch", "support", "team",
    ]  # fmt: skip
    for _ in range(3000):
        text = " ".join(rng.choice(words) for _ in range(rng.choice([1, 2, 3, 4, 7, 30, 90])))
        text += rng.choice(["", "!", "!!!", "?"])
        assert fast.polarity_scores(text) == stock.polarity_scores(text), text


def test_new_authors_link_to_contacts_as_contact_save_would(workspace) -> None:
    """RSS authors (network = the site's host) and "@" handles link on arrival."""
    from cmdesk.core.services import contacts

    ws = workspace
    feed = ws.write(sources.add_source, ws, "http://blog.example.org/feed").result().id
    masto = ws.write(sources.add_source, ws, "http://masto.example/feed").result().id

    def contact_with(network: str, handle: str, url: str | None = None) -> int:
        def make() -> int:
            contact = Contact.create(display_name=handle, created_at=NOW, updated_at=NOW)
            ContactHandle.create(contact=contact, network=network, handle=handle, url=url)
            return contact.id

        return ws.write(make).result()

    jane = contact_with("rss", "jane", "https://blog.example.org/about")
    ann = contact_with("mastodon", "ann")
    rss_items = ingest.prepare_items(
        [Item("r1", url="https://blog.example.org/p/1", title="post", author_handle="jane")],
        SourceContext(feed, "rss", True),
        [],
        NOW,
    )
    masto_items = ingest.prepare_items(
        [Item("m1", title="toot", author_handle="@ann")],
        SourceContext(masto, "mastodon", True),
        [],
        NOW,
    )
    ws.write(ingest.store_mentions, ws, feed, rss_items, NOW).result()
    ws.write(ingest.store_mentions, ws, masto, masto_items, NOW).result()
    linked = dict(ws.db.execute_sql("SELECT handle, contact_id FROM author").fetchall())
    assert linked == {"jane": jane, "@ann": ann}
    # the same authors, linked at contact save instead, get the same contacts
    ws.db.execute_sql("UPDATE author SET contact_id = NULL")
    ws.write(contacts.link_authors_to_contacts, ws).result()
    assert dict(ws.db.execute_sql("SELECT handle, contact_id FROM author").fetchall()) == linked


def test_mentions_linking_to_a_page_are_counted_and_filtered_on_it(workspace) -> None:
    """A story, comment or article linking to a published post counts as a mention it earned."""
    from cmdesk.core.services import item_mentions, mentions
    from cmdesk.core.services.inbox_filters import MentionFilter

    ws = workspace
    s1 = ws.write(sources.add_source, ws, "http://one.example/feed").result().id
    post = "https://blog.acme.test/posts/launch"
    items = [
        Item("1", url="https://news.test/item?id=1", title="Acme launch on HN",
             html=f'<p>Read <a href="{post}?utm_source=hn">the post</a></p>'),
        Item("2", url="https://news.test/item?id=2", title="A comment",
             text=f"Terrible launch, see {post}."),
        Item("3", url=f"{post}#comments", title="The post itself, from the blog's feed"),
        Item("4", url="https://news.test/item?id=4", title="Unrelated", text="https://else.test/"),
    ]  # fmt: skip
    prepared = ingest.prepare_items(items, SourceContext(s1, "rss", True), [], NOW)
    ws.write(ingest.store_mentions, ws, s1, prepared, NOW).result()

    stats = item_mentions.mention_stats(ws, f"{post}?utm_campaign=x")
    assert stats is not None and stats.total == 3
    assert stats.negative == 1
    assert item_mentions.mention_counts(ws, [post, "https://else.test/"]) == {
        post: 3,
        "https://else.test/": 1,
    }
    filt = MentionFilter(**item_mentions.inbox_filters(post))
    ids = [mention_id for _, mention_id in mentions.page_ids(ws, filt)]
    shown = sorted(row.title for row in mentions.rows_for_ids(ws, ids).values())
    assert shown == ["A comment", "Acme launch on HN", "The post itself, from the blog's feed"]

    ws.db.execute_sql("DELETE FROM mention WHERE external_id = '1'")
    assert item_mentions.mention_stats(ws, post).total == 2
    left = ws.db.execute_sql("SELECT COUNT(*) FROM mention_link WHERE url = ?", (post,))
    assert left.fetchone()[0] == 1  # the deleted mention's link went with it
    ws.db.execute_sql("UPDATE mention SET state = 'spam' WHERE external_id = '2'")
    assert item_mentions.mention_counts(ws, [post], count_spam=False) == {post: 1}
    assert item_mentions.mention_counts(ws, [post], before=NOW) == {post: 0}  # published at NOW
    assert item_mentions.mention_counts(ws, [post], before=NOW + 1) == {post: 2}
