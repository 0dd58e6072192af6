"""The RSS fast path gives exactly the items feedparser gives, and hands it everything else.

Every feed here is parsed twice through ``parse_feed``: as shipped (fast path first) and with the
fast path turned off (feedparser only); the two ``ParsedFeed`` values must be equal. Each case
also says which path it expects, so a rule that silently sends everything to feedparser fails.
"""

from __future__ import annotations

import random
import sys
from pathlib import Path

import pytest

from cmdesk.listening.connectors import feed_parsing
from cmdesk.listening.connectors.feed_fast import is_plain_url, read_plain_feed
from cmdesk.listening.connectors.feed_parsing import ParsedFeed, parse_feed

URL = "https://blog.example/feed/index.xml"
RSS_TYPE = "application/rss+xml; charset=utf-8"
NOW = 1_800_000_000
NS = (
    'xmlns:content="http://purl.org/rss/1.0/modules/content/" '
    'xmlns:dc="http://purl.org/dc/elements/1.1/" '
    'xmlns:wfw="http://wellformedweb.org/CommentAPI/" '
    'xmlns:slash="http://purl.org/rss/1.0/modules/slash/" '
    'xmlns:atom="http://www.w3.org/2005/Atom" '
    'xmlns:discourse="http://www.discourse.org/" '
    'xmlns:media="http://search.yahoo.com/mrss/" '
    'xmlns:itunes="http://www.itunes.com/dtds/podcast-1.0.dtd"'
)


CHANNEL = "<title>Blog</title><link>https://blog.example/</link>"


def rss(items: str, channel: str = CHANNEL) -> bytes:
    return (
        f'<?xml version="1.0" encoding="UTF-8"?>\n<rss version="2.0" {NS}><channel>'
        f"{channel}{items}</channel></rss>"
    ).encode()


def both_ways(body: bytes, content_type: str = RSS_TYPE) -> tuple[ParsedFeed, ParsedFeed]:
    fast = parse_feed(body, URL, content_type, NOW)
    original = feed_parsing.read_plain_feed
    feed_parsing.read_plain_feed = lambda *args: None  # type: ignore[assignment]
    try:
        slow = parse_feed(body, URL, content_type, NOW)
    finally:
        feed_parsing.read_plain_feed = original
    return fast, slow


def body_of(body: bytes) -> bytes:
    """What parse_feed hands the fast path: no DOCTYPE, no NUL bytes."""
    return feed_parsing._ENTITY_DECL.sub(b"", feed_parsing._DOCTYPE.sub(b"", body, count=1))


HANDLED = {
    "plain": "<item><title>One</title><link>https://blog.example/1</link>"
    "<guid>https://blog.example/?p=1</guid><pubDate>Tue, 17 Nov 2026 10:00:00 GMT</pubDate>"
    "<description>&lt;p&gt;Hello &lt;b&gt;Acme&lt;/b&gt;&lt;/p&gt;</description></item>",
    "relative permalink guid, no link": "<item><guid>post-7</guid><title>x</title></item>",
    "guid not a permalink": '<item><guid isPermaLink="false">tag:blog,7</guid>'
    "<link>/relative/7</link></item>",
    "guid before link": "<item><guid>/g/1</guid><link>/l/1</link></item>",
    "empty link": "<item><link></link><guid>/g/2</guid><title>t</title></item>",
    "entities in link": "<item><link>https://x.example/a?b=1&amp;amp;c=2&amp;d;e</link></item>",
    "content then description": "<item><title>c</title><content:encoded><![CDATA[<p>full "
    "<i>text</i></p>]]></content:encoded><description>short</description></item>",
    "description then content": "<item><description>short</description>"
    "<content:encoded>&lt;p&gt;long&lt;/p&gt;</content:encoded></item>",
    "content only": "<item><content:encoded>&lt;p&gt;only&lt;/p&gt;</content:encoded></item>",
    "empty content": "<item><content:encoded></content:encoded><description>d</description></item>",
    "dc:creator": "<item><title>a</title><dc:creator><![CDATA[Jane Doe]]></dc:creator></item>",
    "author e-mail": "<item><title>a</title><author>jane@blog.example (Jane Doe)</author></item>",
    "categories": "<item><title>c</title><category>News</category><category>News</category>"
    "<category></category><category> Acme </category></item>",
    "comments": "<item><title>c</title><comments>/p/1#comments</comments><wfw:commentRss>/p/1/feed"
    "</wfw:commentRss><slash:comments>4</slash:comments></item>",
    "mojibake": "<item><title>CafÃ© crÃ¨me</title><description>naÃ¯ve</description></item>",
    "windows-1252 controls": "<item><title>&#x93;quoted&#x94; &#x85;</title></item>",
    "real accents": "<item><title>Café — résumé ✓</title></item>",
    "dates": "<item><title>1</title><pubDate>2026-11-17T10:00:00+02:00</pubDate></item>"
    "<item><title>2</title><pubDate>not a date</pubDate></item><item><title>3</title><pubDate>"
    "Sun, 01 Jan 3000 00:00:00 GMT</pubDate></item><item><title>4</title><pubDate>"
    "Mon, 5 Oct 2026 7:03 PDT</pubDate></item>",
    "enclosure and source": '<item><title>e</title><enclosure url="https://x/a.mp3" '
    'length="1" type="audio/mpeg"/><source url="https://other/">Other</source></item>',
    "discourse": "<item><title>Topic</title><discourse:topicPinned>No</discourse:topicPinned>"
    "<discourse:topicClosed>No</discourse:topicClosed></item>",
    "upper-case names": "<ITEM><Title>Shout</Title><PUBDATE>Tue, 17 Nov 2026 10:00:00 GMT"
    "</PUBDATE><Link>https://x/s</Link></ITEM>",
    "whitespace and comments": "<item>\n  <title>\n a<!-- hidden -->b \n</title>\n"
    "  <description>  x  </description>\n</item>",
    "no guid, no link": "<item><title>Only a title</title><description>and text</description>"
    "</item><item></item>",
    "google alerts style": "<item><title>&lt;b&gt;Acme&lt;/b&gt; news</title><link>"
    "https://www.google.com/url?rct=j&amp;url=https://news.example/a&amp;ct=ga</link></item>",
    "javascript link": "<item><link>javascript:alert(1)</link><title>j</title></item>",
}
HANDLED_CHANNELS = {
    "atom self link and image": '<title>B</title><atom:link href="https://blog.example/feed" '
    'rel="self" type="application/rss+xml"/><image><url>https://x/i.png</url><title>Img</title>'
    "<link>https://x/</link></image><language>fr-FR</language><link>/home</link>",
    "inert channel elements": "<description>d</description><generator>WordPress</generator>"
    "<lastBuildDate>Tue, 17 Nov 2026 10:00:00 GMT</lastBuildDate><ttl>60</ttl>"
    "<category>c</category><copyright>c</copyright><docs>https://x</docs>",
    "no title": "<link>https://blog.example/</link>",
}
FALLBACK = {
    "xhtml in description": "<item><description><p>markup</p></description></item>",
    "two titles": "<item><title>a</title><title>b</title></item>",
    "author and dc:creator": "<item><author>a</author><dc:creator>b</dc:creator></item>",
    "category with domain": '<item><category domain="x">a</category></item>',
    "media": '<item><media:title>m</media:title><media:content url="https://x/v"/></item>',
    "itunes": "<item><itunes:author>i</itunes:author></item>",
    "atom link in item": '<item><atom:link href="https://x/y" rel="alternate"/></item>',
    "dc:date": "<item><dc:date>2026-11-17</dc:date></item>",
    "xml:lang": '<item xml:lang="de"><title>t</title></item>',
    "typed description": '<item><description type="text">a &amp; b</description></item>',
    "summary element": "<item><summary>s</summary></item>",
    "undefined entity": "<item><title>a&nbsp;b</title></item>",
}


@pytest.mark.parametrize("items", HANDLED.values(), ids=HANDLED.keys())
def test_handled_items_equal_feedparser(items: str) -> None:
    body = rss(items)
    assert read_plain_feed(body_of(body), URL, RSS_TYPE) is not None
    fast, slow = both_ways(body)
    assert fast == slow
    assert fast.items  # something to compare


@pytest.mark.parametrize("channel", HANDLED_CHANNELS.values(), ids=HANDLED_CHANNELS.keys())
def test_handled_channels_equal_feedparser(channel: str) -> None:
    body = rss("<item><title>i</title><link>/i</link></item>", channel)
    assert read_plain_feed(body_of(body), URL, RSS_TYPE) is not None
    fast, slow = both_ways(body)
    assert fast == slow
    assert fast.format == "rss20"


@pytest.mark.parametrize("items", FALLBACK.values(), ids=FALLBACK.keys())
def test_anything_else_goes_to_feedparser(items: str) -> None:
    body = rss(items)
    assert read_plain_feed(body_of(body), URL, RSS_TYPE) is None
    fast, slow = both_ways(body)
    assert fast == slow


@pytest.mark.parametrize(
    ("declared", "content_type", "text", "handled"),
    [
        ("UTF-8", RSS_TYPE, "Café", True),
        ("", "application/rss+xml", "Café", True),  # application/*+xml defaults to UTF-8
        ("UTF-8", "", "Café", True),
        ("", "", "Café", False),  # no Content-Type, no declaration: feedparser reads Latin-1
        ("UTF-8", "text/xml", "Café", False),  # text/* without charset: US-ASCII
        ("UTF-8", "text/xml", "Cafe", True),  # ... which plain ASCII is
        ("ISO-8859-1", RSS_TYPE, "Café", False),
        ("UTF-8", "application/xml; charset=iso-8859-1", "Café", False),
        ("UTF-8", "text/html; charset=utf-8", "Café", True),
    ],
)
def test_encodings(declared: str, content_type: str, text: str, handled: bool) -> None:
    prolog = f'<?xml version="1.0" encoding="{declared}"?>' if declared else ""
    encoding = "iso-8859-1" if declared == "ISO-8859-1" else "utf-8"
    body = (
        f'{prolog}<rss version="2.0"><channel><title>{text}</title><item><title>{text}</title>'
        "<link>/a</link></item></channel></rss>"
    ).encode(encoding)
    assert (read_plain_feed(body, URL, content_type) is not None) is handled
    fast, slow = both_ways(body, content_type)
    assert fast == slow


def test_other_formats_and_versions_go_to_feedparser() -> None:
    atom03 = b'<feed xmlns="http://purl.org/atom/ns#" version="0.3"><title>a</title></feed>'
    rdf = (
        b'<rdf:RDF xmlns:rdf="http://www.w3.org/1999/02/22-rdf-syntax-ns#" '
        b'xmlns="http://purl.org/rss/1.0/"><channel><title>r</title></channel></rdf:RDF>'
    )
    no_version = b"<rss><channel><title>t</title></channel></rss>"
    for body in (atom03, rdf, no_version):
        assert read_plain_feed(body, URL, RSS_TYPE) is None
        fast, slow = both_ways(body)
        assert fast == slow
    old = b'<rss version="0.91"><channel><title>t</title><item><title>i</title></item></channel>'
    old += b"</rss>"
    assert read_plain_feed(old, URL, RSS_TYPE) is not None
    assert both_ways(old)[0].format == "rss091u"


FRAGMENTS = [
    "<title>T {n}</title>",
    "<title></title>",
    "<link>/posts/{n}?a=1&amp;b=2</link>",
    "<link>https://other.example/{n}</link>",
    "<guid>/g/{n}</guid>",
    '<guid isPermaLink="false">id-{n}</guid>',
    '<guid isPermaLink="true">https://blog.example/p/{n}</guid>',
    "<description>&lt;p&gt;Acme {n} &amp;amp; co&lt;/p&gt;</description>",
    "<description><![CDATA[<p>cdata {n}</p>]]></description>",
    "<content:encoded>&lt;div&gt;full {n}&lt;/div&gt;</content:encoded>",
    "<pubDate>Tue, 17 Nov 2026 {h:02d}:00:00 +0100</pubDate>",
    "<pubDate>2026-11-{d:02d}T10:00:00Z</pubDate>",
    "<author>w{n}@blog.example</author>",
    "<dc:creator>Writer {n}</dc:creator>",
    "<category>Tag {h}</category>",
    "<category>Tag {d}</category>",
    "<comments>/c/{n}</comments>",
    '<enclosure url="/e/{n}.mp3" type="audio/mpeg" length="1"/>',
    "<slash:comments>{h}</slash:comments>",
    "<wfw:commentRss>/c/{n}/feed</wfw:commentRss>",
    "<title>CafÃ© {n}</title>",
    "<media:title>m</media:title>",  # sends its feed to feedparser
]


def test_benchmark_feeds_take_the_fast_path() -> None:
    sys.path.insert(0, str(Path(__file__).parents[3] / "bench"))
    try:
        from feedserver import build_feed
    finally:
        sys.path.pop(0)
    body = build_feed(3, 50, random.Random(7))
    assert read_plain_feed(body, URL, RSS_TYPE) is not None
    fast, slow = both_ways(body)
    assert fast == slow
    assert len(fast.items) == 50


def test_plain_urls_are_what_urljoin_gives() -> None:
    """The URL shortcut only says yes where urljoin and feedparser's _urljoin change nothing."""
    from urllib.parse import urljoin, urlsplit

    from feedparser.urls import _urljoin

    rng = random.Random(5)
    alphabet = "abcXYZ09.-_~:/?#[]@!$&'()*+,;=% \t\néé\\"
    bases = ["https://blog.example/feed/", "http://h.example/a/b?q#f", "", "file:///x", "ftp://x/"]
    plain = 0
    for _ in range(20_000):
        scheme = rng.choice(["http://", "https://", "HTTP://", "http:///", "//", "", "mailto:"])
        host = rng.choice(["", "a.example", "x-y.z", "a", "..", "h.example:80", "h:", "[::1]"])
        tail = "".join(rng.choice(alphabet) for _ in range(rng.randrange(0, 14)))
        url = scheme + host + rng.choice(["", "/", "?", "#"]) + tail
        if not is_plain_url(url):
            continue
        plain += 1
        assert urlsplit(url).hostname, url
        for base in bases:
            assert urljoin(base, url) == url, (base, url)
            assert _urljoin(base, url) == url, (base, url)
    assert plain > 500  # the generator does reach plain URLs
    for url in ("https://x.example/a?b=1&c=2#top", "http://x.example:8080/p/1"):
        assert is_plain_url(url)
    for url in ("https://x.example/a?", "https://x.example/a#", "HTTPS://x.example/", "/rel"):
        assert not is_plain_url(url)


@pytest.mark.parametrize(
    "body",
    [
        b'<rss version="2.0"><channel><item><title>a &#x110000; b</title></item></channel></rss>',
        b'<rss version="2.0"><channel><image><url>https://x/i.png</url></width></image>'
        b"<item><title>t</title></item></channel></rss>",
        b'<rss version="2.0"><channel><item><title>t</title><textInput><name>q</name>'
        b"<link>https://x/s</link></textInput></item></channel></rss>",
    ],
    ids=["character out of range", "stray end tag in image", "textInput in an item"],
)
def test_feeds_that_crash_feedparser_are_a_plain_feed_error(body: bytes) -> None:
    with pytest.raises(feed_parsing.FeedError, match="broken in a way cmdesk cannot read"):
        parse_feed(body, URL, RSS_TYPE, NOW)


ATOM_NS = (
    'xmlns="http://www.w3.org/2005/Atom" xmlns:media="http://search.yahoo.com/mrss/" '
    'xmlns:idx="urn:atom-extension:indexing" xmlns:thr="http://purl.org/syndication/thread/1.0"'
)
ATOM_HEAD = '<title>Alerts</title><link href="https://www.google.com/alerts" rel="alternate"/>'


def atom(entries: str, head: str = ATOM_HEAD, root_attributes: str = "") -> bytes:
    return (
        f'<?xml version="1.0" encoding="utf-8"?><feed {ATOM_NS}{root_attributes}>{head}'
        f"{entries}</feed>"
    ).encode()


ATOM_HANDLED = {
    "google alert": "<entry><id>tag:google.com,2013:googlealerts/feed:1</id><title type="
    '"html">New &lt;b&gt;Acme&lt;/b&gt; widget</title><link href="https://www.google.com/url?'
    'rct=j&amp;sa=t&amp;url=https://news.example/acme&amp;ct=ga"/><published>2026-11-17T10:00'
    ':00Z</published><updated>2026-11-17T10:00:00Z</updated><content type="html">The '
    "&lt;b&gt;Acme&lt;/b&gt; widget is out</content><author><name/></author></entry>",
    "blog entry": '<entry><title>Post</title><link rel="alternate" type="text/html" '
    'href="/2026/11/post"/><link rel="replies" href="/2026/11/post#comments"/><id>'
    "https://blog.example/?p=9</id><updated>2026-11-17T10:00:00+01:00</updated><summary "
    'type="text">Short &amp; plain</summary><content type="html">&lt;p&gt;Long&lt;/p&gt;'
    '</content><category term="News" scheme="https://blog.example/cat"/><category term="News"'
    ' scheme="https://blog.example/cat"/><category term="News"/><category scheme="s"/>'
    "<author><name>Jane</name><email>jane@blog.example</email><uri>/jane</uri></author></entry>",
    "links: last alternate wins, self is not one": '<entry><title>l</title><link href="/a"/>'
    '<link rel="alternate" type="text/html" href="/b"/><link rel="self" href="/c"/>'
    '<link rel="enclosure" type="audio/mpeg" href="/d.mp3" length="9"/></entry>',
    "id as link": "<entry><id>https://blog.example/p/1</id><title>i</title></entry>",
    "tag id, no link": "<entry><id>tag:blog.example,2026:1</id><title>t</title></entry>",
    "relative id": "<entry><id>p/2</id><title>r</title></entry>",
    "empty href": '<entry><title>e</title><link href=""/><id>x</id></entry>',
    "non-html alternate": '<entry><title>n</title><link type="application/pdf" href="/f.pdf"/>'
    "<id>https://blog.example/n</id></entry>",
    "text content and summary only": "<entry><title>t</title><content>a &lt; b</content></entry>"
    "<entry><title>s</title><summary>only &lt;b&gt;summary&lt;/b&gt;</summary></entry>",
    "author shapes": "<entry><title>1</title><author><name>Only Name</name></author></entry>"
    "<entry><title>2</title><author><email>e@x.example</email></author></entry>"
    "<entry><title>3</title><author>Bare Text</author></entry>"
    "<entry><title>4</title><author><uri>https://x.example/</uri></author></entry>"
    "<entry><title>5</title><author> Cafe <name>Zoë</name> </author></entry>"
    "<entry><title>6</title><author><name>CafÃ©</name></author></entry>",
    "inert extras": "<entry><title>x</title><rights>CC</rights><media:thumbnail url="
    '"https://x/t.jpg" width="30"/><idx:index>1</idx:index><contributor><name>C</name>'
    '</contributor><thr:in-reply-to ref="x"/></entry>',
    "mojibake and cp1252": "<entry><title>CafÃ© &#x93;q&#x94;</title><summary>naÃ¯ve"
    "</summary></entry>",
    "dates": "<entry><title>d</title><published>2026-13-45</published><updated>Tue, 17 Nov "
    "2026 10:00:00 GMT</updated></entry>",
}
ATOM_HEADS = {
    "id as feed link": "<title>T</title><id>https://blog.example/</id>",
    "self link only": '<title>T</title><link rel="self" href="https://blog.example/feed"/>',
    "inert feed elements": '<title type="html">T &amp;amp; co</title><subtitle>s</subtitle>'
    '<updated>2026-11-17T10:00:00Z</updated><generator uri="https://x">G</generator><icon>/i'
    '</icon><logo>/l</logo><rights>r</rights><category term="c"/><author><name>A</name>'
    '</author><link href="/home" type="text/html"/>',
}
ATOM_FALLBACK = {
    "xhtml content": '<entry><title>x</title><content type="xhtml"><div xmlns='
    '"http://www.w3.org/1999/xhtml"><p>x</p></div></content></entry>',
    "content with src": '<entry><title>x</title><content src="https://x/a"/></entry>',
    "xml:base": '<entry xml:base="https://other.example/"><title>b</title></entry>',
    "xml:lang on an entry": '<entry xml:lang="de"><title>b</title></entry>',
    "two titles": "<entry><title>a</title><title>b</title></entry>",
    "two authors": "<entry><title>a</title><author><name>a</name></author><author><name>b"
    "</name></author></entry>",
    "source element": "<entry><title>a</title><source><title>s</title></source></entry>",
    "media group": "<entry><title>a</title><media:group><media:title>m</media:title>"
    "</media:group></entry>",
    "category text": "<entry><title>a</title><category>text</category></entry>",
    "link with text": "<entry><title>a</title><link>https://x/a</link></entry>",
}


@pytest.mark.parametrize("entries", ATOM_HANDLED.values(), ids=ATOM_HANDLED.keys())
def test_handled_atom_entries_equal_feedparser(entries: str) -> None:
    body = atom(entries)
    assert read_plain_feed(body_of(body), URL, "application/atom+xml") is not None
    fast, slow = both_ways(body, "application/atom+xml")
    assert fast == slow
    assert fast.items and fast.format == "atom10"


@pytest.mark.parametrize("head", ATOM_HEADS.values(), ids=ATOM_HEADS.keys())
def test_handled_atom_feeds_equal_feedparser(head: str) -> None:
    for root_attributes in ("", ' xml:lang="en_GB"'):
        body = atom("<entry><title>e</title><id>/e</id></entry>", head, root_attributes)
        assert read_plain_feed(body_of(body), URL, "application/atom+xml") is not None
        fast, slow = both_ways(body, "application/atom+xml")
        assert fast == slow


@pytest.mark.parametrize("entries", ATOM_FALLBACK.values(), ids=ATOM_FALLBACK.keys())
def test_other_atom_goes_to_feedparser(entries: str) -> None:
    body = atom(entries)
    assert read_plain_feed(body_of(body), URL, "application/atom+xml") is None
    fast, slow = both_ways(body, "application/atom+xml")
    assert fast == slow


ATOM_FRAGMENTS = [
    "<title>T {n}</title>",
    '<title type="html">&lt;b&gt;T&lt;/b&gt; {n}</title>',
    "<title></title>",
    '<link href="/posts/{n}"/>',
    '<link rel="alternate" type="text/html" href="https://other.example/{n}?a=1&amp;b=2"/>',
    '<link rel="related" href="/r/{n}"/>',
    "<id>tag:blog.example,2026:{n}</id>",
    "<id>https://blog.example/id/{n}</id>",
    "<published>2026-11-{d:02d}T{h:02d}:00:00Z</published>",
    "<updated>2026-11-{d:02d}T{h:02d}:30:00+02:00</updated>",
    '<content type="html">&lt;p&gt;Acme {n}&lt;/p&gt;</content>',
    "<content>plain &amp; simple {n}</content>",
    '<summary type="html">&lt;i&gt;s {n}&lt;/i&gt;</summary>',
    "<summary>s {n}</summary>",
    "<author><name>W {h}</name></author>",
    "<author><name>W</name><email>w{h}@blog.example</email></author>",
    '<category term="t{h}"/>',
    '<category term="t{d}" scheme="s"/>',
    '<media:thumbnail url="https://x/{n}.jpg"/>',
    "<title>CafÃ© {n}</title>",
    '<content type="xhtml"><div xmlns="http://www.w3.org/1999/xhtml">x</div></content>',
]


def random_feed(rng: random.Random, feed: int, fragments: list[str], tag: str) -> str:
    """Entries built from random fragments, in random order, some fields twice."""
    entries = []
    for n in range(rng.randrange(0, 6)):
        picked = rng.sample(fragments, rng.randrange(0, 8))
        values = {"n": feed * 10 + n, "h": rng.randrange(24), "d": rng.randrange(1, 29)}
        entries.append(f"<{tag}>" + "".join(f.format(**values) for f in picked) + f"</{tag}>")
    return "".join(entries)


@pytest.mark.parametrize(
    ("make", "fragments", "tag", "content_type"),
    [
        (rss, FRAGMENTS, "item", RSS_TYPE),
        (atom, ATOM_FRAGMENTS, "entry", "application/atom+xml"),
    ],
    ids=["rss", "atom"],
)
def test_generated_feeds_equal_feedparser(make, fragments, tag, content_type) -> None:  # noqa: ANN001
    rng = random.Random(20261204)
    fast_count = 0
    for feed in range(150):
        body = make(random_feed(rng, feed, fragments, tag))
        fast_count += read_plain_feed(body_of(body), URL, content_type) is not None
        fast, slow = both_ways(body, content_type)
        assert fast == slow, body
    assert 30 < fast_count < 150  # both paths were exercised


@pytest.mark.parametrize(
    "body",
    [
        # feedparser takes its version from the first RSS 1.0 / 0.90 namespace it meets, and
        # then reads "looks like HTML" text as HTML
        b'<feed xmlns:rss="http://purl.org/rss/1.0/" xmlns="http://www.w3.org/2005/Atom">'
        b'<title>T</title><entry><id>tag:t,1</id><title>t</title><content type="text">'
        b"x &lt;b&gt;y&lt;/b&gt;</content></entry></feed>",
        b'<rss version="2.0" xmlns:r="http://purl.org/rss/1.0/"><channel><title>T</title>'
        b"<item><title>t</title><link>https://x.example/1</link></item></channel></rss>",
        # one prefix for two namespaces: feedparser keeps the later binding for the earlier one
        b'<feed xmlns="http://www.w3.org/2005/Atom" xmlns:x="http://a.example/ns"><title>T'
        b'</title><entry><id>1</id><x:foo xmlns:x="http://b.example/ns">b</x:foo></entry>'
        b"<entry><id>2</id><title>Real</title><x:link>https://hijack.example/</x:link></entry>"
        b"</feed>",
        b'<rss version="2.0" xmlns:x="http://a.example/ns"><channel><title>R</title><item>'
        b'<title>one</title><x:foo xmlns:x="http://b.example/ns">b</x:foo></item><item>'
        b"<title>two</title><x:title>hijack</x:title></item></channel></rss>",
    ],
    ids=[
        "rss 1.0 namespace in atom",
        "rss 1.0 namespace in rss",
        "atom rebinding",
        "rss rebinding",
    ],
)
def test_namespace_tricks_go_to_feedparser(body: bytes) -> None:
    assert read_plain_feed(body, URL, "application/xml") is None
    fast, slow = both_ways(body, "application/xml")
    assert fast == slow


def test_elements_named_like_feedparser_keys_do_not_break_parsing() -> None:
    """feedparser stores an unknown <summary_detail> or <tags> as a string: no crash, no loss."""
    body = atom(
        "<entry><id>tag:x,1</id><title>t</title><summary>kept</summary>"
        "<summary_detail>x</summary_detail></entry>"
    )
    fast, slow = both_ways(body, "application/atom+xml")
    assert fast == slow and fast.items[0].text == "kept"
