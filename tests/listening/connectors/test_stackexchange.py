"""Stack Exchange /search/advanced against recorded-shape (gzipped) JSON on 127.0.0.1."""

from __future__ import annotations

import json
import logging
from urllib.parse import parse_qs

import pytest
from listening.server import Reply

from cmdesk.listening.connectors.base import ConnectorError, SourceSpec
from cmdesk.listening.connectors.search_api import MAX_PAGES, OVERLAP_SECONDS
from cmdesk.listening.connectors.stackexchange import StackExchangeConnector

PATH = "/2.3/search/advanced"
KEY = "se-app-key-U4DMV*8nvpm3EOpvf69Rxw(("


def spec(server, **kw) -> SourceSpec:
    values = dict(id=1, kind="stackexchange", name="SO", url=server.url("/2.3"),
                  config={"query": "acme widget", "site": "stackoverflow"})  # fmt: skip
    values.update(kw)
    return SourceSpec(**values)


def gzipped(payload, status: int = 200) -> Reply:
    return Reply(status, json.dumps(payload).encode(), {"Content-Type": "application/json"},
                 gzip=True)  # fmt: skip


def test_questions_are_mapped_and_quota_reported(server, load, fetch) -> None:
    page = load("stackexchange/search_advanced.json")
    page["has_more"] = False
    server.route(PATH, gzipped(page))
    result = fetch(StackExchangeConnector(), spec(server))
    first, deleted_user = result.items
    assert first.external_id == "stackexchange:stackoverflow:q79900001"
    assert (
        first.url
        == "https://stackoverflow.com/questions/79900001/acme-widget-sdk-raises-timeouterror"
    )
    assert first.title == 'Acme widget SDK raises TimeoutError "after 30s"'
    assert first.text.startswith("Calling acme.widget.connect() fails:")
    assert first.html and first.html.startswith("<p>Calling <code>")
    assert (first.author_name, first.author_handle) == ("José Widget", "stackoverflow:987654")
    assert first.author_url == "https://stackoverflow.com/users/987654/jos%c3%a9-widget"
    assert (first.author_reach, first.score, first.replies, first.views) == (2451, 2, 1, 31)
    assert first.published_at == 1_795_165_800
    assert first.raw and first.raw["tags"] == ["python", "acme-widget"]
    assert (deleted_user.author_name, deleted_user.author_handle) == ("user1", None)
    assert result.notes == [
        "Stack Exchange quota low: 12 of 300 requests left today.",
        "1 item could not be read and was skipped.",
    ]
    (request,) = server.requests_to(PATH)
    assert parse_qs(request.query) == {
        "site": ["stackoverflow"], "q": ["acme widget"], "sort": ["creation"], "order": ["desc"],
        "pagesize": ["100"], "filter": ["withbody"], "page": ["1"],
    }  # fmt: skip
    assert "key" not in request.query


def test_fromdate_key_and_the_paging_bound(server, load, fetch, caplog) -> None:
    caplog.set_level(logging.DEBUG)
    page = load("stackexchange/search_advanced.json")
    page["quota_remaining"] = 9000
    server.route(PATH, gzipped(page))
    result = fetch(StackExchangeConnector(), spec(server, last_success_at=1_795_100_000), KEY)
    requests = server.requests_to(PATH)
    assert len(requests) == MAX_PAGES and len(result.items) == 2
    query = parse_qs(requests[-1].query)
    assert query["fromdate"] == [str(1_795_100_000 - OVERLAP_SECONDS)]
    assert query["key"] == [KEY] and query["page"] == [str(MAX_PAGES)]
    assert "the oldest were left out" in result.notes[0]
    assert KEY not in caplog.text


def test_a_backoff_stops_paging_and_is_the_retry_after(server, load, fetch) -> None:
    page = load("stackexchange/search_advanced.json")
    page.update(backoff=10, quota_remaining=250)
    server.route(PATH, gzipped(page))
    result = fetch(StackExchangeConnector(), spec(server))
    assert len(server.requests_to(PATH)) == 1 and result.retry_after == 10
    assert "pause of 10 seconds" in result.notes[0]


def test_an_empty_quota_waits_for_midnight_utc(server, load, fetch) -> None:
    page = load("stackexchange/search_advanced.json")
    page["quota_remaining"] = 0
    server.route(PATH, gzipped(page))
    result = fetch(StackExchangeConnector(), spec(server))
    assert len(server.requests_to(PATH)) == 1 and len(result.items) == 2
    assert result.retry_after is not None and 0 < result.retry_after <= 86_400
    assert "quota used up for today" in result.notes[0]


def test_a_throttle_violation_is_rate_limited_for_the_named_wait(server, load, fetch) -> None:
    server.route(PATH, gzipped(load("stackexchange/throttle_violation.json"), status=400))
    with pytest.raises(ConnectorError) as caught:
        fetch(StackExchangeConnector(), spec(server))
    assert caught.value.kind == "rate_limited" and caught.value.retry_after == 82758
    assert "throttling this computer" in str(caught.value) and "23 hours" in str(caught.value)


def test_a_bad_key_is_an_auth_error_without_the_key(server, fetch, caplog) -> None:
    caplog.set_level(logging.DEBUG)
    error = {"error_id": 400, "error_name": "bad_parameter",
             "error_message": f"key {KEY} is not valid for passed access_token"}  # fmt: skip
    server.route(PATH, gzipped(error, status=400))
    with pytest.raises(ConnectorError) as caught:
        fetch(StackExchangeConnector(), spec(server), KEY)
    assert caught.value.kind == "auth" and "check the key" in str(caught.value)
    assert KEY not in str(caught.value) and KEY not in caplog.text


@pytest.mark.parametrize(
    ("reply", "kind", "words"),
    [
        (
            Reply.json(
                {
                    "error_id": 400,
                    "error_name": "bad_parameter",
                    "error_message": "site is required",
                },
                status=400,
            ),
            "invalid",
            "(400) (site is required)",
        ),  # fmt: skip
        (Reply(500, b""), "transient", "server error (500)"),
        (Reply(429, b"", {"Retry-After": "60"}), "rate_limited", "slow down (429"),
        (Reply(200, b"\x00not json"), "invalid", "not the JSON"),
        (Reply.json({"quota_max": 300}), "invalid", "without a list of questions"),
    ],
)
def test_failures_become_plain_errors(server, fetch, reply, kind, words) -> None:
    server.route(PATH, reply)
    with pytest.raises(ConnectorError) as caught:
        fetch(StackExchangeConnector(), spec(server))
    assert caught.value.kind == kind and words in str(caught.value)


def test_check() -> None:
    check = StackExchangeConnector.check
    assert check({"query": "acme", "site": "superuser"}) is None
    assert check({"query": "acme"}) is None  # the default site
    assert "API name" in (check({"query": "acme", "site": "https://superuser.com"}) or "")
    assert check({"site": "superuser"}) == "Give the words to search Stack Exchange for."
    assert not StackExchangeConnector.needs_secret
