"""Bluesky searchPosts through a signed-in session, against recorded-shape JSON on 127.0.0.1."""

from __future__ import annotations

import json
import logging
import time
from datetime import UTC, datetime
from urllib.parse import parse_qs

import pytest
from listening.server import Reply

from cmdesk.listening.connectors.base import ConnectorError, SourceSpec
from cmdesk.listening.connectors.bluesky import BlueskyConnector
from cmdesk.listening.connectors.search_api import MAX_PAGES, OVERLAP_SECONDS

SESSION = "/xrpc/com.atproto.server.createSession"
SEARCH = "/xrpc/app.bsky.feed.searchPosts"
PASSWORD = "abcd-efgh-ijkl-mnop"
ACCESS = "eyJhbGciOiJFUzI1NksifQ.ACCESS.fake"


@pytest.fixture(autouse=True)
def no_sessions():
    BlueskyConnector.sessions.clear()
    yield
    BlueskyConnector.sessions.clear()


def spec(server, **kw) -> SourceSpec:
    values = dict(id=1, kind="bluesky", name="Bluesky", url=server.url(""),
                  config={"query": '"acme widget"', "handle": "@acme-team.bsky.social"},
                  account="bluesky/acme")  # fmt: skip
    values.update(kw)
    return SourceSpec(**values)


def signed_in(server, load) -> None:
    server.route(SESSION, Reply.json(load("bluesky/create_session.json")), method="POST")


def test_signs_in_once_searches_and_maps_posts(server, load, fetch, caplog) -> None:
    caplog.set_level(logging.DEBUG)
    signed_in(server, load)
    page = load("bluesky/search_posts.json")
    server.route(SEARCH, Reply.json(page))
    result = fetch(BlueskyConnector(), spec(server), PASSWORD)
    fan, odd = result.items
    assert (
        fan.external_id == "bsky:at://did:plc:fan00000000000000000000/app.bsky.feed.post/3lbx2fan01"
    )
    assert fan.url == "https://bsky.app/profile/widgetfan.bsky.social/post/3lbx2fan01"
    assert fan.text == (
        "The acme widget manual is here: acme.example/man…\nhttps://acme.example/manual/widget"
    )
    assert fan.html is None and fan.title == ""
    assert (fan.author_name, fan.author_handle) == ("Widget Fan", "widgetfan.bsky.social")
    assert fan.author_url == "https://bsky.app/profile/widgetfan.bsky.social"
    assert (fan.likes, fan.replies, fan.shares, fan.lang) == (12, 2, 4, "en")
    assert fan.published_at == int(datetime(2026, 11, 20, 9, 40, tzinfo=UTC).timestamp())
    # A wrong client clock: indexedAt is used; an invalid handle falls back to the DID.
    assert odd.published_at == int(datetime(2026, 11, 20, 9, 30, tzinfo=UTC).timestamp())
    assert odd.author_handle == "did:plc:clock0000000000000000000" and odd.lang == "fr"
    assert odd.url == "https://bsky.app/profile/did:plc:clock0000000000000000000/post/3lbx2clk02"
    assert (
        odd.thread_url == "https://bsky.app/profile/did:plc:root00000000000000000000/post/3lbroot"
    )
    assert result.notes == ["1 item could not be read and was skipped."]
    (login,) = server.requests_to(SESSION)
    assert json.loads(login.body) == {"identifier": "acme-team.bsky.social", "password": PASSWORD}
    (search,) = server.requests_to(SEARCH)
    assert search.header("Authorization") == f"Bearer {ACCESS}"
    assert parse_qs(search.query) == {"q": ['"acme widget"'], "sort": ["latest"], "limit": ["100"]}

    fetch(BlueskyConnector(), spec(server, last_success_at=1_795_160_000), PASSWORD)
    assert len(server.requests_to(SESSION)) == 1  # the session is reused
    since = datetime.fromtimestamp(1_795_160_000 - OVERLAP_SECONDS, UTC)
    assert parse_qs(server.requests_to(SEARCH)[1].query)["since"] == [
        since.strftime("%Y-%m-%dT%H:%M:%SZ")
    ]
    assert PASSWORD not in caplog.text and ACCESS not in caplog.text


def test_an_expired_token_makes_one_new_session(server, load, fetch) -> None:
    signed_in(server, load)
    server.route(SEARCH, Reply.json({"posts": []}))
    fetch(BlueskyConnector(), spec(server), PASSWORD)  # a session is kept in memory
    expired = Reply.json({"error": "ExpiredToken", "message": "Token has expired"}, status=400)
    server.route(SEARCH, Reply.of_sequence(expired, Reply.json({"posts": []})))
    result = fetch(BlueskyConnector(), spec(server), PASSWORD)
    assert result.items == []
    assert len(server.requests_to(SESSION)) == 2 and len(server.requests_to(SEARCH)) == 3

    server.route(SEARCH, expired)  # even a fresh session refused: stop, do not loop
    with pytest.raises(ConnectorError) as caught:
        fetch(BlueskyConnector(), spec(server), PASSWORD)
    assert caught.value.kind == "auth" and "refused a fresh session" in str(caught.value)
    assert len(server.requests_to(SESSION)) == 3


def test_a_refused_sign_in_names_what_to_fix_never_the_password(server, fetch, caplog) -> None:
    caplog.set_level(logging.DEBUG)
    server.route(SESSION, Reply.json({"error": "AuthenticationRequired",
                                      "message": "Invalid identifier or password"},
                                     status=401), method="POST")  # fmt: skip
    with pytest.raises(ConnectorError) as caught:
        fetch(BlueskyConnector(), spec(server), PASSWORD)
    assert caught.value.kind == "auth" and "App passwords" in str(caught.value)
    assert PASSWORD not in str(caught.value) and PASSWORD not in caplog.text
    assert server.requests_to(SEARCH) == []


def test_a_rate_limited_sign_in_waits_for_the_reset_and_does_not_retry(server, fetch) -> None:
    reset = str(int(time.time()) + 900)
    limited = Reply.json({"error": "RateLimitExceeded"}, status=429,
                         headers={"ratelimit-reset": reset})  # fmt: skip
    server.route(SESSION, limited, method="POST")
    with pytest.raises(ConnectorError) as caught:
        fetch(BlueskyConnector(), spec(server), PASSWORD)
    assert caught.value.kind == "rate_limited"
    assert 850 <= (caught.value.retry_after or 0) <= 900
    assert len(server.requests_to(SESSION)) == 1


def test_without_an_app_password_nothing_is_asked(server, fetch) -> None:
    with pytest.raises(ConnectorError) as caught:
        fetch(BlueskyConnector(), spec(server), None)
    assert caught.value.kind == "auth" and "app password" in str(caught.value)
    assert server.requests == []


def test_paging_follows_the_cursor_a_few_times(server, load, fetch) -> None:
    signed_in(server, load)
    template = load("bluesky/search_posts.json")["posts"][0]
    for n in range(MAX_PAGES + 1):
        posts = [
            dict(template, uri=f"at://did:plc:x/app.bsky.feed.post/p{n}-{i}") for i in range(100)
        ]
        cursor = str(n)
        when = (lambda c: lambda r: parse_qs(r.query).get("cursor") == [c])(str(n - 1))
        server.route(SEARCH, Reply.json({"cursor": cursor, "posts": posts}),
                     when=None if n == 0 else when)  # fmt: skip
    result = fetch(BlueskyConnector(), spec(server), PASSWORD)
    assert len(server.requests_to(SEARCH)) == MAX_PAGES
    assert len(result.items) == 100 * MAX_PAGES
    assert "the oldest were left out" in result.notes[0]


@pytest.mark.parametrize(
    ("reply", "kind", "words"),
    [
        (Reply.json({"error": "Forbidden"}, status=403), "auth", "refused the request (403)"),
        (
            Reply(429, b"", {"ratelimit-reset": str(int(time.time()) + 60)}),
            "rate_limited",
            "slow down",
        ),  # fmt: skip
        (Reply(502, b""), "transient", "server error (502)"),
        (Reply(200, b"not json"), "invalid", "not the JSON"),
        (
            Reply.json({"error": "InvalidRequest", "message": "q is too long"}, status=400),
            "invalid",
            "(q is too long)",
        ),  # fmt: skip
    ],
)
def test_failures_become_plain_errors(server, load, fetch, reply, kind, words) -> None:
    signed_in(server, load)
    server.route(SEARCH, reply)
    with pytest.raises(ConnectorError) as caught:
        fetch(BlueskyConnector(), spec(server), PASSWORD)
    assert caught.value.kind == kind and words in str(caught.value)


def test_check() -> None:
    check = BlueskyConnector.check
    ok = {"query": "acme", "handle": "@acme-team.bsky.social", "url": "https://bsky.social"}
    assert check(ok) is None
    assert check({**ok, "handle": "did:plc:abc123"}) is None
    assert "refuses searches without an account" in (
        check({**ok, "url": "https://public.api.bsky.app"}) or ""
    )
    assert "looks like" in (check({**ok, "handle": "not a handle"}) or "")
    assert "handle of the Bluesky account" in (check({"query": "acme"}) or "")
    assert BlueskyConnector.needs_secret
