"""feed_parsing's memoised base-URI resolution gives exactly feedparser's own results."""

from __future__ import annotations

import feedparser.mixin
import pytest

from cmdesk.listening.connectors.feed_parsing import parse_feed

ATOM = b"""<?xml version="1.0"?>
<feed xmlns="http://www.w3.org/2005/Atom" xml:base="http://a.example/blog/"><title>t</title>
<entry xml:base="sub/"><id>rel-id</id><link href="p1"/><title>x</title>
  <content type="html" xml:base="javascript:alert(1)">&lt;a href="q"&gt;a&lt;/a&gt;</content>
</entry>
<entry><id>tag:x,2020:1</id><link href="/abs"/><title>y</title></entry>
<entry xml:base="../up/"><link href="z?utm_source=a"/><title>z</title></entry>
</feed>"""
RSS = b"""<rss version="2.0"><channel><title>r</title><link>http://r.example/</link>
<item><guid>post-1</guid><link>/p/1</link><title>one</title></item>
<item><guid isPermaLink="false">post-2</guid><link>p/2</link><title>two</title></item>
</channel></rss>"""


@pytest.mark.parametrize(
    ("body", "url"),
    [(ATOM, "http://h.example/feeds/atom.xml"), (RSS, "https://r.example/feed/x.xml")],
)
def test_memoised_base_uri_changes_nothing(body: bytes, url: str, monkeypatch) -> None:
    cached = feedparser.mixin.make_safe_absolute_uri
    assert hasattr(cached, "cache_info"), "the memo is installed for feedparser 6.0.14"
    with_cache = parse_feed(body, url, "", 0)
    monkeypatch.setattr(feedparser.mixin, "make_safe_absolute_uri", cached.__wrapped__)
    assert parse_feed(body, url, "", 0) == with_cache
    assert with_cache.items  # the feeds parsed at all
