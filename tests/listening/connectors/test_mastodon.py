"""Mastodon hashtag timelines and full-text search against recorded-shape JSON on 127.0.0.1."""

from __future__ import annotations

import copy
import logging
import time
from datetime import UTC, datetime
from urllib.parse import parse_qs

import pytest
from listening.server import Reply

from cmdesk.listening.connectors.base import ConnectorError, SourceSpec
from cmdesk.listening.connectors.mastodon import MastodonConnector
from cmdesk.listening.connectors.search_api import MAX_PAGES

TAG = "/api/v1/timelines/tag/acme"
SEARCH = "/api/v2/search"
TOKEN = "mstdn-t0ken-very-secret"


def spec(server, **kw) -> SourceSpec:
    values = dict(id=1, kind="mastodon", name="#acme", url=server.url(""),
                  config={"tag": "#acme"})  # fmt: skip
    values.update(kw)
    return SourceSpec(**values)


def full_page(load, first_id: int) -> list[dict]:
    template = load("mastodon/tag_timeline.json")["statuses"][0]
    page = []
    for n in range(40):
        status = copy.deepcopy(template)
        status["id"] = str(first_id + 40 - n)
        status["uri"] = f"https://mastodon.example/users/widgetfan/statuses/{status['id']}"
        page.append(status)
    return page


def test_a_hashtag_timeline_is_mapped_and_its_newest_id_kept(server, load, fetch) -> None:
    server.route(TAG, Reply.json(load("mastodon/tag_timeline.json")["statuses"]))
    result = fetch(MastodonConnector(), spec(server))
    assert [i.external_id for i in result.items] == [
        "mastodon:https://mastodon.example/users/widgetfan/statuses/1135000000000003009",
        "mastodon:https://fosstodon.example/users/pat/statuses/1135000000000002009",
        "mastodon:https://social.example/users/lee/statuses/1135000000000001009",
    ]
    fan, pat, lee = result.items
    assert fan.url == "https://mastodon.example/@widgetfan/1135000000000003009"
    assert fan.text == "Loving the new #acme widget & its app"
    assert fan.html and fan.html.startswith("<p>Loving the new <a href=")  # unsanitised
    assert (fan.author_name, fan.author_handle) == ("Widget Fan :verified:", "widgetfan@127.0.0.1")
    assert fan.author_url == "https://mastodon.example/@widgetfan"
    assert (fan.author_reach, fan.likes, fan.shares, fan.replies) == (1500, 12, 4, 2)
    assert fan.published_at == int(datetime(2026, 11, 20, 9, 45, tzinfo=UTC).timestamp())
    assert fan.lang == "en" and fan.title == ""
    assert (pat.author_name, pat.author_handle) == (
        "pat@fosstodon.example",
        "pat@fosstodon.example",
    )
    assert pat.text == "complaint\nAcme support was slow today.\nSecond paragraph."
    assert lee.lang == "de"
    assert result.state == {"_since_id": "113500000000000300"}
    assert result.notes == ["1 item could not be read and was skipped."]
    (request,) = server.requests_to(TAG)
    assert parse_qs(request.query) == {"limit": ["40"]}  # first fetch: the newest page only
    assert request.header("Authorization") is None


def test_later_fetches_continue_after_the_cursor_a_few_pages_at_most(server, load, fetch) -> None:
    def after(min_id: str):
        return lambda request: parse_qs(request.query).get("min_id") == [min_id]

    server.route(TAG, Reply.json(full_page(load, 1000)), when=after("1000"))
    server.route(TAG, Reply.json(full_page(load, 1040)), when=after("1040"))
    server.route(TAG, Reply.json(full_page(load, 1080)), when=after("1080"))
    server.route(TAG, Reply.json(full_page(load, 1120)), when=after("1120"))
    result = fetch(MastodonConnector(), spec(server, config={"tag": "acme", "_since_id": "1000"}))
    assert len(server.requests_to(TAG)) == MAX_PAGES
    assert len(result.items) == 40 * MAX_PAGES
    assert result.state == {"_since_id": str(1000 + 40 * MAX_PAGES)}  # next time: from there


def test_nothing_new_keeps_the_cursor(server, fetch) -> None:
    server.route(TAG, Reply.json([]))
    result = fetch(MastodonConnector(), spec(server, config={"tag": "acme", "_since_id": "77"}))
    assert (result.items, result.state) == ([], None)
    assert parse_qs(server.requests_to(TAG)[0].query)["min_id"] == ["77"]


def test_an_exhausted_rate_limit_stops_paging_until_the_reset(server, load, fetch) -> None:
    reset = datetime.fromtimestamp(time.time() + 240, UTC).strftime("%Y-%m-%dT%H:%M:%S.000Z")
    headers = {"X-RateLimit-Remaining": "0", "X-RateLimit-Reset": reset}
    server.route(TAG, Reply.json(full_page(load, 2000), headers=headers))
    result = fetch(MastodonConnector(), spec(server, config={"tag": "acme", "_since_id": "2000"}))
    assert len(server.requests_to(TAG)) == 1 and len(result.items) == 40
    assert result.retry_after is not None and 200 <= result.retry_after <= 240


def test_429_waits_until_the_reset_header(server, fetch) -> None:
    reset = datetime.fromtimestamp(time.time() + 300, UTC).isoformat()
    server.route(TAG, Reply(429, b'{"error":"Too many requests"}', {"X-RateLimit-Reset": reset}))
    with pytest.raises(ConnectorError) as caught:
        fetch(MastodonConnector(), spec(server))
    assert caught.value.kind == "rate_limited"
    assert caught.value.retry_after is not None and 250 <= caught.value.retry_after <= 300


def test_search_words_need_a_token_and_send_it(server, load, fetch, caplog) -> None:
    caplog.set_level(logging.DEBUG)
    config = {"query": "acme widget"}
    with pytest.raises(ConnectorError) as caught:
        fetch(MastodonConnector(), spec(server, config=config))
    assert caught.value.kind == "auth" and "needs an access token" in str(caught.value)
    assert server.requests == []

    server.route(SEARCH, Reply.json(load("mastodon/search_statuses.json")["search"]))
    result = fetch(MastodonConnector(), spec(server, config=config), TOKEN)
    (item,) = result.items
    assert item.text == "acme widget broke again" and item.author_handle == "sam@mstdn.example"
    assert result.state == {"_since_id": "113500000000000400"}
    (request,) = server.requests_to(SEARCH)
    assert request.header("Authorization") == f"Bearer {TOKEN}"
    assert parse_qs(request.query) == {
        "q": ["acme widget"], "type": ["statuses"], "resolve": ["false"], "limit": ["40"],
    }  # fmt: skip
    assert TOKEN not in caplog.text


def test_a_refused_token_is_named_but_never_shown(server, fetch, caplog) -> None:
    caplog.set_level(logging.DEBUG)
    server.route(TAG, Reply(401, f'{{"error":"The access token {TOKEN} is invalid"}}'.encode()))
    with pytest.raises(ConnectorError) as caught:
        fetch(MastodonConnector(), spec(server), TOKEN)
    assert caught.value.kind == "auth" and "access token was refused" in str(caught.value)
    assert TOKEN not in str(caught.value) and TOKEN not in caplog.text
    assert server.requests_to(TAG)[0].header("Authorization") == f"Bearer {TOKEN}"

    with pytest.raises(ConnectorError) as caught:
        fetch(MastodonConnector(), spec(server))
    assert "does not show hashtag timelines to visitors" in str(caught.value)


@pytest.mark.parametrize(
    ("reply", "kind", "words"),
    [
        (Reply.json({"error": "Record not found"}, status=404), "not_found", "is #acme a hashtag"),
        (Reply(500, b"<html>oops</html>"), "transient", "server error (500)"),
        (Reply(200, b"[{"), "invalid", "not the JSON"),
        (Reply.json({"statuses": "nope"}), "invalid", "without a list of posts"),
    ],
)
def test_failures_become_plain_errors(server, fetch, reply, kind, words) -> None:
    server.route(TAG, reply)
    with pytest.raises(ConnectorError) as caught:
        fetch(MastodonConnector(), spec(server))
    assert caught.value.kind == kind and words in str(caught.value)


def test_check() -> None:
    check = MastodonConnector.check
    assert check({"url": "https://mastodon.social", "tag": "#acme"}) is None
    assert check({"url": "https://mastodon.social", "query": "acme widget"}) is None
    assert "not both" in (check({"url": "https://m.example", "tag": "a", "query": "b"}) or "")
    assert "hashtag to follow" in (check({"url": "https://m.example"}) or "")
    assert "no spaces" in (check({"url": "https://m.example", "tag": "acme widget"}) or "")
    assert "address of the Mastodon instance" in (check({"tag": "acme"}) or "")
    assert "web address" in (check({"url": "mastodon.social", "tag": "acme"}) or "")
    assert [f.key for f in MastodonConnector.fields] == ["url", "tag", "query", "secret"]
