"""Hacker News search (Algolia) against recorded-shape JSON on 127.0.0.1."""

from __future__ import annotations

from urllib.parse import parse_qs

import pytest
from listening.server import Reply

from cmdesk.listening.connectors.base import ConnectorError, SourceSpec
from cmdesk.listening.connectors.hackernews import HackerNewsConnector
from cmdesk.listening.connectors.search_api import MAX_PAGES, OVERLAP_SECONDS

PATH = "/api/v1/search_by_date"


def spec(server, **kw) -> SourceSpec:
    values = dict(id=1, kind="hackernews", name="HN", url=server.url("/api/v1"),
                  config={"query": '"acme widget"'})  # fmt: skip
    values.update(kw)
    return SourceSpec(**values)


def page_is(number: int):
    return lambda request: parse_qs(request.query).get("page") == [str(number)]


def test_stories_and_comments_are_mapped_and_both_pages_read(server, load, fetch) -> None:
    server.route(PATH, Reply.json(load("hackernews/search_by_date_page0.json")), when=page_is(0))
    server.route(PATH, Reply.json(load("hackernews/search_by_date_page1.json")), when=page_is(1))
    result = fetch(HackerNewsConnector(), spec(server))
    ids = [item.external_id for item in result.items]
    assert ids == ["hn:42000107", "hn:42000050", "hn:42000020", "hn:41999321"]
    comment, story, ask, _ = result.items
    assert comment.url == "https://news.ycombinator.com/item?id=42000107"
    assert comment.title == ""
    assert comment.text.startswith("We replaced our old setup with the Acme widget & never")
    assert "<p>" not in comment.text and "ten minutes" in comment.text
    assert comment.html and comment.html.startswith("<p>We replaced")  # unsanitised
    assert (comment.author_name, comment.author_handle) == ("widgetfan", "widgetfan")
    assert comment.author_url == "https://news.ycombinator.com/user?id=widgetfan"
    assert comment.published_at == 1_795_167_600
    assert comment.thread_url == "https://news.ycombinator.com/item?id=42000001"
    assert comment.raw and comment.raw["story_title"] == "Show HN: A home for every widget"
    assert (story.title, story.score, story.replies, story.text) == (
        "Acme Widget 2.0 released", 87, 12, "",
    )  # fmt: skip
    assert story.raw and story.raw["link"] == "https://acme.example/blog/widget-2"
    assert story.thread_url == story.url
    assert ask.text == "Has anyone tried the acme widget with a <small> flat?"
    assert result.notes == ["2 items could not be read and were skipped."]
    first, second = server.requests_to(PATH)
    query = parse_qs(first.query)
    assert query == {
        "query": ['"acme widget"'], "tags": ["(story,comment)"], "hitsPerPage": ["100"],
        "page": ["0"],
    }  # fmt: skip
    assert parse_qs(second.query)["page"] == ["1"]
    assert first.header("Authorization") is None


def test_only_hits_newer_than_the_last_success_are_asked_for(server, load, fetch) -> None:
    server.route(PATH, Reply.json(load("hackernews/search_by_date_page1.json")))
    fetch(HackerNewsConnector(), spec(server, last_success_at=1_795_160_000))
    query = parse_qs(server.requests_to(PATH)[0].query)
    assert query["numericFilters"] == [f"created_at_i>{1_795_160_000 - OVERLAP_SECONDS}"]


def test_paging_stops_after_a_few_pages_and_says_so(server, load, fetch) -> None:
    server.route(PATH, Reply.json(load("hackernews/search_by_date_many_pages.json")))
    result = fetch(HackerNewsConnector(), spec(server))
    assert len(server.requests_to(PATH)) == MAX_PAGES
    assert len(result.items) == 1  # the same hit on each page is kept once
    assert "the oldest of them were left out" in result.notes[0]


def test_an_empty_answer_is_no_items(server, fetch) -> None:
    server.route(PATH, Reply.json({"hits": [], "nbHits": 0, "nbPages": 0, "page": 0}))
    result = fetch(HackerNewsConnector(), spec(server))
    assert (result.items, result.notes) == ([], [])
    assert len(server.requests_to(PATH)) == 1


@pytest.mark.parametrize(
    ("reply", "kind", "retry_after", "words"),
    [
        (Reply(429, b"slow down", {"Retry-After": "120"}), "rate_limited", 120, "slow down (429"),
        (Reply(503, b"", {"Retry-After": "30"}), "rate_limited", 30, "temporarily unavailable"),
        (Reply(500, b"oops"), "transient", None, "server error (500)"),
        (Reply(403, b"no"), "auth", None, "refused the request (403)"),
        (Reply(404, b"no"), "not_found", None, "404 Not Found"),
        (Reply(200, b"<html>maintenance</html>"), "invalid", None, "not the JSON"),
        (Reply.json({"message": "no hits here"}), "invalid", None, "without a list of hits"),
    ],
)
def test_failures_become_plain_errors(server, fetch, reply, kind, retry_after, words) -> None:
    server.route(PATH, reply)
    with pytest.raises(ConnectorError) as caught:
        fetch(HackerNewsConnector(), spec(server))
    assert caught.value.kind == kind and caught.value.retry_after == retry_after
    assert words in str(caught.value) and str(caught.value).startswith("Hacker News search")


def test_a_source_without_words_says_so(server, fetch) -> None:
    with pytest.raises(ConnectorError, match="no search words"):
        fetch(HackerNewsConnector(), spec(server, config={}))
    assert server.requests == []


def test_check_and_fields() -> None:
    check = HackerNewsConnector.check
    assert check({"query": "acme"}) is None
    assert check({"query": "acme", "url": "https://hn.algolia.com/api/v1"}) is None
    assert check({"query": "  "}) == "Give the words to search Hacker News for."
    assert "web address" in (check({"query": "acme", "url": "ftp://x"}) or "")
    keys = [field.key for field in HackerNewsConnector.fields]
    assert keys == ["query", "url"] and not HackerNewsConnector.needs_secret
    assert HackerNewsConnector.fields[1].default == "https://hn.algolia.com/api/v1"
