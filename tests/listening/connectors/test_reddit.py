"""Reddit's public search JSON against a recorded-shape Listing on 127.0.0.1."""

from __future__ import annotations

import time
from urllib.parse import parse_qs

import pytest
from listening.server import Reply

from cmdesk import __version__
from cmdesk.listening.connectors.base import ConnectorError, SourceSpec
from cmdesk.listening.connectors.reddit import MAX_PAGES, RedditConnector


def spec(server, **kw) -> SourceSpec:
    values = dict(id=1, kind="reddit", name="Reddit", url=server.url(""),
                  config={"query": '"acme widget"'})  # fmt: skip
    values.update(kw)
    return SourceSpec(**values)


def test_posts_are_mapped_with_a_descriptive_user_agent(server, load, fetch) -> None:
    listing = load("reddit/search.json")
    listing["data"]["after"] = None
    server.route("/search.json", Reply.json(listing))
    result = fetch(RedditConnector(), spec(server))
    post, link, old = result.items
    assert post.external_id == "reddit:t3_1gzc001"
    assert (
        post.url
        == "https://www.reddit.com/r/widgets/comments/1gzc001/acme_widget_&_the_new_firmware/"
    )
    assert post.title == "Acme widget & the new firmware"
    assert post.text == "Anyone else seeing lag after the update?"
    assert post.html and "<strong>lag</strong>" in post.html
    assert (post.author_name, post.author_handle) == ("widget_owner", "widget_owner")
    assert post.author_url == "https://www.reddit.com/user/widget_owner"
    assert (post.published_at, post.score, post.replies) == (1_795_167_000, 10, 2)
    assert post.raw and post.raw["subreddit"] == "r/widgets"
    assert (link.author_name, link.text) == (None, "")
    assert link.raw and link.raw["link"] == "https://acme.example/review"
    assert old.external_id == "reddit:t3_1gzc003"  # first fetch: no lower bound
    assert result.notes == ["1 item could not be read and was skipped."]
    (request,) = server.requests_to("/search.json")
    assert parse_qs(request.query) == {
        "q": ['"acme widget"'], "sort": ["new"], "t": ["week"], "limit": ["100"],
        "raw_json": ["1"],
    }  # fmt: skip
    assert request.header("User-Agent") == (
        f"desktop:cmdesk:{__version__} (+https://github.com/cmdesk/cmdesk)"
    )
    assert request.header("Authorization") is None


def test_one_subreddit_and_the_users_name_in_the_user_agent(server, load, fetch) -> None:
    server.route("/r/widgets/search.json", Reply.json(load("reddit/search.json")))
    config = {"query": "acme", "subreddit": "r/widgets", "reddit_user": "u/acme_team"}
    fetch(RedditConnector(), spec(server, config=config))
    request = server.requests_to("/r/widgets/search.json")[0]
    assert parse_qs(request.query)["restrict_sr"] == ["1"]
    assert request.header("User-Agent") == f"desktop:cmdesk:{__version__} (by /u/acme_team)"


def test_only_posts_newer_than_the_last_success_and_no_further_page(server, load, fetch) -> None:
    since = int(time.time()) - 3600
    listing = load("reddit/search.json")
    for child in listing["data"]["children"]:
        child["data"]["created_utc"] = (
            since + 600 if child["data"]["name"] != "t3_1gzc003" else since - 7200
        )
    server.route("/search.json", Reply.json(listing))
    result = fetch(RedditConnector(), spec(server, last_success_at=since))
    assert [i.external_id for i in result.items] == ["reddit:t3_1gzc001", "reddit:t3_1gzc002"]
    (request,) = server.requests_to("/search.json")  # an old post: no need for page 2
    assert parse_qs(request.query)["t"] == ["day"]


def test_paging_follows_after_a_bounded_number_of_times(server, load, fetch) -> None:
    listing = load("reddit/search.json")
    template = listing["data"]["children"][0]
    children = []
    for n in range(100):
        child = {"kind": "t3", "data": dict(template["data"], name=f"t3_p{n}",
                                            created_utc=time.time() - 60)}  # fmt: skip
        children.append(child)
    listing["data"]["children"] = children
    server.route("/search.json", Reply.json(listing))
    result = fetch(RedditConnector(), spec(server, last_success_at=int(time.time()) - 600))
    requests = server.requests_to("/search.json")
    assert len(requests) == MAX_PAGES
    assert parse_qs(requests[1].query)["after"] == ["t3_1gzc003"]
    assert "the oldest were left out" in result.notes[0]


def test_the_rate_limit_headers_stop_paging(server, load, fetch) -> None:
    listing = load("reddit/search.json")
    headers = {"x-ratelimit-remaining": "0.0", "x-ratelimit-used": "10", "x-ratelimit-reset": "42"}
    server.route("/search.json", Reply.json(listing, headers=headers))
    result = fetch(RedditConnector(), spec(server))
    assert len(server.requests_to("/search.json")) == 1 and result.retry_after == 42


@pytest.mark.parametrize(
    ("reply", "kind", "retry_after", "words"),
    [
        (
            Reply(429, b"Too Many Requests", {"x-ratelimit-reset": "300"}),
            "rate_limited",
            300,
            "in about 5 minutes",
        ),  # fmt: skip
        (
            Reply(403, b"<html>blocked</html>", {"Content-Type": "text/html"}),
            "auth",
            None,
            "Reddit blocks some networks",
        ),  # fmt: skip
        (Reply(500, b""), "transient", None, "server error"),
        (
            Reply(200, b"<!doctype html><p>whoa there, pardner!</p>"),
            "invalid",
            None,
            "not the JSON",
        ),
        (Reply.json({"kind": "Listing"}), "invalid", None, "without a list of posts"),
    ],
)
def test_failures_become_plain_errors(server, fetch, reply, kind, retry_after, words) -> None:
    server.route("/search.json", reply)
    with pytest.raises(ConnectorError) as caught:
        fetch(RedditConnector(), spec(server))
    assert (caught.value.kind, caught.value.retry_after) == (kind, retry_after)
    assert words in str(caught.value)


def test_check() -> None:
    check = RedditConnector.check
    assert check({"query": "acme", "subreddit": "r/widgets", "reddit_user": "u/acme_team"}) is None
    assert "subreddit name" in (check({"query": "acme", "subreddit": "two words"}) or "")
    assert "username" in (check({"query": "acme", "reddit_user": "x"}) or "")
    assert check({}) == "Give the words to search Reddit for."
