"""Links found in a mention: hrefs and bare URLs, canonical, capped, without the mention itself."""

from __future__ import annotations

from cmdesk.core.analysis.links import MAX_LINKS, outgoing_links


def test_hrefs_and_bare_urls_in_canonical_form_first_seen_first() -> None:
    html = (
        '<p>Read <a href="https://Blog.Acme.test/posts/launch?utm_source=hn#top">this</a>'
        " and <a href='http://acme.test/docs?a=1&amp;b=2'>docs</a>"
        " or <a href=https://acme.test/x>x</a></p>"
    )
    text = "See also (https://acme.test/pricing). And https://blog.acme.test/posts/launch again."
    assert outgoing_links(html, text) == [
        "https://blog.acme.test/posts/launch",
        "http://acme.test/docs?a=1&b=2",
        "https://acme.test/x",
        "https://acme.test/pricing",
    ]


def test_the_mention_own_address_and_non_web_links_are_left_out() -> None:
    html = (
        '<a href="https://news.ycombinator.test/item?id=1">me</a>'
        '<a href="javascript:alert(1)">js</a><a href="mailto:a@b.test">mail</a>'
        '<a href="/relative">rel</a><a href="file:///etc/passwd">f</a>'
    )
    assert outgoing_links(html, "", "https://news.ycombinator.test/item?id=1") == []


def test_a_link_farm_is_capped_and_nothing_breaks_on_odd_input() -> None:
    text = " ".join(f"https://spam.test/{n}" for n in range(500))
    assert len(outgoing_links(None, text)) == MAX_LINKS
    assert outgoing_links(None, None) == []
    assert outgoing_links("<a href=", "http://") == []
    assert outgoing_links(None, "https://[::1:bad/ and https://ok.test/a_(b)") == [
        "https://ok.test/a_(b)"
    ]
