"""GitHub issue, pull-request and discussion search against recorded-shape JSON on 127.0.0.1."""

from __future__ import annotations

import json
import logging
import time
from urllib.parse import parse_qs

import pytest
from listening.server import Reply

from cmdesk.listening.connectors.base import ConnectorError, SourceSpec
from cmdesk.listening.connectors.github import GitHubConnector
from cmdesk.listening.connectors.search_api import MAX_PAGES, OVERLAP_SECONDS

PATH = "/search/issues"
TOKEN = "github_pat_11AAAAAAA0secretsecretsecret"


def spec(server, **kw) -> SourceSpec:
    values = dict(id=1, kind="github", name="GH", url=server.url(""),
                  config={"query": "acme-widget org:acme"})  # fmt: skip
    values.update(kw)
    return SourceSpec(**values)


def asks_for(qualifier: str):
    return lambda request: qualifier in parse_qs(request.query)["q"][0]


def test_issues_and_pull_requests_are_two_searches_mapped_alike(server, load, fetch) -> None:
    server.route(PATH, Reply.json(load("github/search_issues.json")), when=asks_for("is:issue"))
    server.route(PATH, Reply.json(load("github/search_pulls.json")),
                 when=asks_for("is:pull-request"))  # fmt: skip
    result = fetch(GitHubConnector(), spec(server, last_success_at=1_795_160_000))
    crash, docs, fix = result.items
    assert crash.external_id == "github:I_kwDOAcmeWid6xYz412"
    assert crash.url == "https://github.com/acme/widget/issues/412"
    assert crash.title == "Widget crashes on start"
    assert crash.text.startswith("Steps:\n1. `acme-widget start`") and crash.html is None
    assert (crash.author_name, crash.author_handle) == ("octo-user", "octo-user")
    assert crash.author_url == "https://github.com/octo-user"
    assert (crash.replies, crash.likes) == (3, 5)
    assert crash.published_at == 1_795_167_067
    assert crash.raw and crash.raw["repository"] == "acme/widget" and not crash.raw["pull_request"]
    assert docs.text == ""
    assert fix.url == "https://github.com/acme/widget/pull/413" and fix.raw["pull_request"]
    assert result.notes == [
        "GitHub search timed out on its side: some results may be missing.",
        "1 item could not be read and was skipped.",
    ]
    issues, pulls = server.requests_to(PATH)
    since = time.strftime("%Y-%m-%dT%H:%M:%S+00:00", time.gmtime(1_795_160_000 - OVERLAP_SECONDS))
    assert parse_qs(issues.query) == {
        "q": [f"acme-widget org:acme created:>{since} is:issue"], "sort": ["created"],
        "order": ["desc"], "per_page": ["100"], "page": ["1"], "advanced_search": ["true"],
    }  # fmt: skip
    assert parse_qs(pulls.query)["q"][0].endswith("is:pull-request")
    assert issues.header("Authorization") is None
    assert issues.header("Accept") == "application/vnd.github+json"


def test_a_token_is_sent_and_paging_is_bounded(server, load, fetch, caplog) -> None:
    caplog.set_level(logging.DEBUG)
    page = load("github/search_issues.json")
    page["items"] = [dict(page["items"][0], node_id=f"I_{n}") for n in range(100)]
    page["total_count"] = 5000
    server.route(PATH, Reply.json(page))
    result = fetch(GitHubConnector(), spec(server, config={"query": "acme", "type": "issues"}),
                   TOKEN)  # fmt: skip
    requests = server.requests_to(PATH)
    assert len(requests) == MAX_PAGES and len(result.items) == 100
    assert all(r.header("Authorization") == f"Bearer {TOKEN}" for r in requests)
    assert "the oldest were left out" in result.notes[0]
    assert TOKEN not in caplog.text


def test_an_empty_quota_stops_until_the_reset(server, load, fetch) -> None:
    page = load("github/search_issues.json")
    page["items"] = [dict(page["items"][0], node_id=f"I_{n}") for n in range(100)]
    reset = str(int(time.time()) + 45)
    server.route(PATH, Reply.json(page, headers={"X-RateLimit-Remaining": "0",
                                                 "X-RateLimit-Reset": reset}))  # fmt: skip
    result = fetch(GitHubConnector(), spec(server))
    assert len(server.requests_to(PATH)) == 1  # not even the pull-request search
    assert result.retry_after is not None and 30 <= result.retry_after <= 45


def test_403_is_rate_limited_when_github_says_so_and_auth_otherwise(server, fetch) -> None:
    reset = str(int(time.time()) + 600)
    server.route(PATH, Reply.json({"message": "API rate limit exceeded"}, status=403,
                                  headers={"X-RateLimit-Remaining": "0",
                                           "X-RateLimit-Reset": reset}))  # fmt: skip
    with pytest.raises(ConnectorError) as caught:
        fetch(GitHubConnector(), spec(server))
    assert caught.value.kind == "rate_limited" and 550 <= (caught.value.retry_after or 0) <= 600
    assert "A token raises the limit." in str(caught.value)

    server.route(PATH, Reply.json({"message": "secondary rate limit"}, status=403,
                                  headers={"Retry-After": "60"}))  # fmt: skip
    with pytest.raises(ConnectorError) as caught:
        fetch(GitHubConnector(), spec(server))
    assert (caught.value.kind, caught.value.retry_after) == ("rate_limited", 60)

    server.route(PATH, Reply.json({"message": "Bad credentials"}, status=401))
    with pytest.raises(ConnectorError) as caught:
        fetch(GitHubConnector(), spec(server), TOKEN)
    assert caught.value.kind == "auth" and "the token was refused" in str(caught.value)
    assert TOKEN not in str(caught.value)


@pytest.mark.parametrize(
    ("reply", "kind", "words"),
    [
        (
            Reply.json(
                {
                    "message": "Validation Failed",
                    "errors": [
                        {
                            "message": "The listed users cannot be searched",
                            "resource": "Search",
                            "field": "q",
                            "code": "invalid",
                        }
                    ],
                },
                status=422,
            ),
            "invalid",
            "(422) (The listed users cannot be searched)",
        ),  # fmt: skip
        (Reply(502, b"<html>unicorn</html>"), "transient", "server error (502)"),
        (Reply(429, b"", {"Retry-After": "90"}), "rate_limited", "slow down (429"),
        (Reply(200, b"{'nope'"), "invalid", "not the JSON"),
    ],
)
def test_failures_become_plain_errors(server, fetch, reply, kind, words) -> None:
    server.route(PATH, reply)
    with pytest.raises(ConnectorError) as caught:
        fetch(GitHubConnector(), spec(server))
    assert caught.value.kind == kind and words in str(caught.value)


def test_discussions_go_through_graphql_with_a_token(server, load, fetch) -> None:
    config = {"query": "acme widget", "type": "discussions"}
    with pytest.raises(ConnectorError) as caught:
        fetch(GitHubConnector(), spec(server, config=config))
    assert caught.value.kind == "auth" and "needs a token" in str(caught.value)
    assert server.requests == []

    server.route("/graphql", Reply.json(load("github/graphql_discussions.json")), method="POST")
    result = fetch(GitHubConnector(), spec(server, config=config), TOKEN)
    (item,) = result.items
    assert item.external_id == "github:D_kwDOAcmeWid4AAQ"
    assert item.url == "https://github.com/acme/widget/discussions/77"
    assert (item.title, item.text) == ("Is the acme widget still maintained?",
                                       "Asking before we buy 200 of them.")  # fmt: skip
    assert (item.author_handle, item.replies, item.likes, item.score) == ("buyer", 4, 2, 9)
    assert result.notes == ["1 item could not be read and was skipped."]
    (request,) = server.requests_to("/graphql")
    assert request.header("Authorization") == f"Bearer {TOKEN}"
    body = json.loads(request.body)
    assert body["variables"] == {"q": "acme widget", "after": None}
    assert "search(type: DISCUSSION" in body["query"]


def test_graphql_errors_arrive_with_200(server, fetch) -> None:
    answer = {"errors": [{"type": "RATE_LIMITED", "message": "API rate limit exceeded"}]}
    server.route("/graphql", Reply.json(answer), method="POST")
    config = {"query": "acme", "type": "discussions"}
    with pytest.raises(ConnectorError) as caught:
        fetch(GitHubConnector(), spec(server, config=config), TOKEN)
    assert caught.value.kind == "rate_limited"


def test_check() -> None:
    check = GitHubConnector.check
    assert check({"query": "acme", "type": "pull requests"}) is None
    assert check({"query": "acme"}) is None
    assert "Look in one of" in (check({"query": "acme", "type": "wikis"}) or "")
    assert check({"type": "issues"}) == "Give the words to search GitHub for."
    assert [f.key for f in GitHubConnector.fields] == ["query", "type", "secret", "url"]
