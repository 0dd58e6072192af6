"""The GitHub connector (kind "github"): new issues, pull requests or discussions matching words.

Imports no Qt. Issues and pull requests: ``GET <base>/search/issues?q=<words> is:issue
created:>SINCE&sort=created&order=desc&per_page=100&advanced_search=true`` (GitHub answers 422
when neither ``is:issue`` nor ``is:pull-request`` is in the query, so "both" is two searches).
Discussions exist only in GraphQL (``POST <base>/graphql``, ``search(type: DISCUSSION)``) and need
a token. A token (fine-grained, no scopes for public repositories) is optional otherwise: it
raises the search limit from 10 to 30 requests a minute.

Rate limits: ``x-ratelimit-remaining: 0`` stops paging until ``x-ratelimit-reset`` (Unix time);
GitHub says "slow down" with 403 *or* 429 (secondary limits, with Retry-After), so a 403 with an
empty quota or a Retry-After is "rate_limited", and only other 403s are "auth".

Limits: author followers (reach) are not looked up (one more call per author); at most 1,000
results per query; discussions are not sorted by date, so a busy discussion search may leave
some out (with a note).
"""

from __future__ import annotations

from collections.abc import Mapping
from datetime import UTC, datetime
from typing import Any, ClassVar

from cmdesk.listening.connectors.base import (
    ConfigField,
    ConnectorError,
    FetchedItem,
    FetchResult,
    Http,
    HttpResponse,
    SourceSpec,
)
from cmdesk.listening.connectors.search_api import (
    MAX_PAGES,
    as_int,
    base_url,
    check_web_address,
    config_text,
    decode_json,
    epoch_of_iso,
    error_message,
    in_words,
    map_items,
    raise_for_api_status,
    retry_after_of,
    scrub,
    since_of,
    skipped_note,
    text_or_none,
    unique,
    wait_from_reset,
    web_url,
)
from cmdesk.listening.sanitize import plain_line

DEFAULT_BASE = "https://api.github.com"
NETWORK = "GitHub search"
PAGE_SIZE = 100
DISCUSSION_PAGE = 50
TYPES = ("issues and pull requests", "issues", "pull requests", "discussions")
QUALIFIERS = {
    "issues and pull requests": ("is:issue", "is:pull-request"),
    "issues": ("is:issue",),
    "pull requests": ("is:pull-request",),
}
RESET = "x-ratelimit-reset"
DISCUSSIONS_QUERY = """
query($q: String!, $after: String) {
  search(type: DISCUSSION, query: $q, first: 50, after: $after) {
    pageInfo { hasNextPage endCursor }
    nodes {
      ... on Discussion {
        id url title bodyText createdAt upvoteCount
        author { login url }
        comments { totalCount }
        reactions { totalCount }
        repository { nameWithOwner }
      }
    }
  }
}
"""


class GitHubConnector:
    """Issues, pull requests or discussions created since the last fetch that match the words."""

    kind: ClassVar[str] = "github"
    label: ClassVar[str] = "GitHub search"
    needs_secret: ClassVar[bool] = False  # issues and pull requests work without a token
    fields: ClassVar[tuple[ConfigField, ...]] = (
        ConfigField(
            "query",
            "Search words",
            required=True,
            placeholder="acme-widget org:acme",
            help="GitHub search words and qualifiers (repo:, org:, label:…); "
            "is: and created: are added for you.",
        ),
        ConfigField("type", "Look in", "choice", default=TYPES[0], choices=TYPES),
        ConfigField(
            "secret",
            "Token",
            "secret",
            help="Optional (needed for discussions): a fine-grained token with no extra "
            "permissions, from GitHub → Settings → Developer settings.",
        ),
        ConfigField(
            "url",
            "API address",
            "url",
            default=DEFAULT_BASE,
            help="https://api.github.com, or https://HOST/api/v3 for GitHub Enterprise Server.",
        ),
    )

    @classmethod
    def check(cls, values: Mapping[str, str]) -> str | None:
        if not (values.get("query") or "").strip():
            return "Give the words to search GitHub for."
        kind = (values.get("type") or TYPES[0]).strip()
        if kind not in TYPES:
            return f"Look in one of: {', '.join(TYPES)}."
        return check_web_address(values.get("url", ""), "API address")

    async def fetch(self, source: SourceSpec, http: Http, secret: str | None) -> FetchResult:
        query = config_text(source, "query")
        if not query:
            raise ConnectorError("This GitHub source has no search words; add some.", "invalid")
        kind = config_text(source, "type", TYPES[0])
        if kind not in TYPES:
            raise ConnectorError(
                f"This GitHub source looks in {kind!r}, which is unknown.", "invalid"
            )
        since = since_of(source)
        if since is not None:
            stamp = datetime.fromtimestamp(since, UTC).strftime("%Y-%m-%dT%H:%M:%S+00:00")
            query = f"{query} created:>{stamp}"
        headers = {"Accept": "application/vnd.github+json", "X-GitHub-Api-Version": "2022-11-28"}
        if secret:
            headers["Authorization"] = f"Bearer {secret}"
        base = base_url(source, DEFAULT_BASE)
        if kind == "discussions":
            if not secret:
                raise ConnectorError(
                    "Searching GitHub Discussions needs a token: add one in this source's "
                    "settings (no extra permissions are needed for public repositories).",
                    "auth",
                )
            return await _discussions(http, _graphql_url(base), query, headers, secret)
        return await _issues(http, f"{base}/search/issues", query, kind, headers, secret)


async def _issues(
    http: Http, url: str, query: str, kind: str, headers: dict[str, str], secret: str | None
) -> FetchResult:
    items: list[FetchedItem] = []
    skipped = 0
    notes: list[str] = []
    retry_after: int | None = None
    for qualifier in QUALIFIERS[kind]:
        for page in range(1, MAX_PAGES + 1):
            params: dict[str, str | int] = {
                "q": f"{query} {qualifier}",
                "sort": "created",
                "order": "desc",
                "per_page": PAGE_SIZE,
                "page": page,
                "advanced_search": "true",
            }
            response = await http.get(url, params=params, headers=headers)
            payload = _checked(response, secret)
            if not isinstance(payload, Mapping) or not isinstance(payload.get("items"), list):
                raise ConnectorError(
                    f"{NETWORK} sent an answer without a list of results.", "invalid"
                )
            found, bad = map_items(payload["items"], issue_to_item, NETWORK)
            items += found
            skipped += bad
            if payload.get("incomplete_results") and not any("timed out" in n for n in notes):
                notes.append(f"{NETWORK} timed out on its side: some results may be missing.")
            retry_after = _exhausted(response)
            total = as_int(payload.get("total_count")) or 0
            if retry_after is not None or len(payload["items"]) < PAGE_SIZE:
                break
            if page * PAGE_SIZE >= total:
                break
        else:
            notes.append(
                f"More than {MAX_PAGES * PAGE_SIZE} new results: the oldest were left out; "
                "narrow the search words."
            )
        if retry_after is not None:
            break
    return FetchResult(
        items=unique(items), retry_after=retry_after, notes=notes + skipped_note(skipped)
    )


async def _discussions(
    http: Http, url: str, query: str, headers: dict[str, str], secret: str
) -> FetchResult:
    items: list[FetchedItem] = []
    skipped = 0
    notes: list[str] = []
    retry_after: int | None = None
    after: str | None = None
    for _page in range(MAX_PAGES):
        payload = {"query": DISCUSSIONS_QUERY, "variables": {"q": query, "after": after}}
        response = await http.post_json(url, payload, headers=headers)
        answer = _checked(response, secret)
        search = _graphql_search(answer, secret)
        found, bad = map_items(search.get("nodes"), discussion_to_item, NETWORK)
        items += found
        skipped += bad
        retry_after = _exhausted(response)
        info = search.get("pageInfo") or {}
        after = info.get("endCursor") if isinstance(info, Mapping) else None
        if retry_after is not None or not info.get("hasNextPage") or not after:
            break
    else:
        notes.append(
            f"More than {MAX_PAGES * DISCUSSION_PAGE} new discussions: some were left out; "
            "narrow the search words."
        )
    return FetchResult(
        items=unique(items), retry_after=retry_after, notes=notes + skipped_note(skipped)
    )


def _graphql_url(base: str) -> str:
    """GraphQL lives beside REST: api.github.com/graphql, or HOST/api/graphql on Enterprise."""
    if base.endswith("/api/v3"):
        return base[: -len("/v3")] + "/graphql"
    return f"{base}/graphql"


def _graphql_search(answer: Any, secret: str) -> Mapping[str, Any]:
    """``data.search`` of a GraphQL answer; GraphQL errors (HTTP 200) become ConnectorErrors."""
    if not isinstance(answer, Mapping):
        raise ConnectorError(f"{NETWORK} sent an answer that is not a GraphQL result.", "invalid")
    errors = answer.get("errors")
    if isinstance(errors, list) and errors:
        first = errors[0] if isinstance(errors[0], Mapping) else {}
        message = scrub(error_message(first, "message"), secret)
        if first.get("type") == "RATE_LIMITED":
            raise ConnectorError(
                f"{NETWORK} asked us to slow down ({message}); cmdesk tries again later.",
                "rate_limited",
            )
        raise ConnectorError(f"{NETWORK} did not accept the search ({message}).", "invalid")
    data = answer.get("data")
    search = data.get("search") if isinstance(data, Mapping) else None
    if not isinstance(search, Mapping):
        raise ConnectorError(f"{NETWORK} sent an answer without search results.", "invalid")
    return search


def _checked(response: HttpResponse, secret: str | None) -> Any:
    """The decoded answer of a 2xx; otherwise the matching ConnectorError."""
    if 200 <= response.status < 300:
        return decode_json(response, NETWORK)
    limited = response.headers.get("x-ratelimit-remaining", "").strip() == "0"
    if response.status == 403 and (limited or "retry-after" in response.headers):
        wait = retry_after_of(response, RESET)
        raise ConnectorError(
            f"{NETWORK} asked us to slow down (403, rate limit); cmdesk tries again "
            f"{in_words(wait)}." + ("" if secret else " A token raises the limit."),
            "rate_limited",
            wait,
        )
    detail = ""
    if response.status in (400, 422):
        try:
            error = decode_json(response, NETWORK)
        except ConnectorError:
            error = {}
        detail = error_message(error, "message")
        reasons = error.get("errors") if isinstance(error, Mapping) else None
        if isinstance(reasons, list) and reasons and isinstance(reasons[0], Mapping):
            detail = error_message(reasons[0], "message") or detail
    hint = (
        "the token was refused: it may have expired; make a new fine-grained token and paste it "
        "in this source's settings."
        if secret
        else "GitHub refused a search without a token; add one in this source's settings."
    )
    raise_for_api_status(
        response, NETWORK, auth_hint=hint, reset_header=RESET, detail=scrub(detail, secret)
    )
    raise ConnectorError(f"{NETWORK} answered with status {response.status}.", "invalid")


def _exhausted(response: HttpResponse) -> int | None:
    """Seconds until the search quota resets, when this answer used its last request."""
    if response.headers.get("x-ratelimit-remaining", "").strip() != "0":
        return None
    return wait_from_reset(response.headers.get(RESET)) or 60


def issue_to_item(issue: Mapping[str, Any]) -> FetchedItem | None:
    """One ``/search/issues`` result (an issue or a pull request) as a FetchedItem."""
    node_id = text_or_none(issue["node_id"])
    if not node_id:
        return None
    user = issue.get("user") or {}
    login = text_or_none(user.get("login"))
    reactions = issue.get("reactions") or {}
    repository = str(issue.get("repository_url") or "").split("/repos/", 1)[-1] or None
    return FetchedItem(
        external_id=f"github:{node_id}",
        url=web_url(issue.get("html_url")),
        title=plain_line(str(issue.get("title") or "")),
        text=str(issue.get("body") or "").replace("\x00", "").strip(),  # Markdown, as written
        author_name=login,
        author_handle=login,
        author_url=web_url(user.get("html_url")),
        published_at=epoch_of_iso(issue.get("created_at")),
        likes=as_int(reactions.get("total_count")) if isinstance(reactions, Mapping) else None,
        replies=as_int(issue.get("comments")),
        raw={
            "repository": repository,
            "number": as_int(issue.get("number")),
            "pull_request": "pull_request" in issue,
            "state": text_or_none(issue.get("state")),
        },
    )


def discussion_to_item(node: Mapping[str, Any]) -> FetchedItem | None:
    """One GraphQL Discussion node as a FetchedItem (empty nodes are other types: skipped)."""
    node_id = text_or_none(node["id"])
    if not node_id:
        return None
    author = node.get("author") or {}
    login = text_or_none(author.get("login"))
    comments = node.get("comments") or {}
    reactions = node.get("reactions") or {}
    repository = node.get("repository") or {}
    return FetchedItem(
        external_id=f"github:{node_id}",
        url=web_url(node.get("url")),
        title=plain_line(str(node.get("title") or "")),
        text=str(node.get("bodyText") or "").replace("\x00", "").strip(),
        author_name=login,
        author_handle=login,
        author_url=web_url(author.get("url")),
        published_at=epoch_of_iso(node.get("createdAt")),
        likes=as_int(reactions.get("totalCount")),
        replies=as_int(comments.get("totalCount")),
        score=as_int(node.get("upvoteCount")),
        raw={"repository": text_or_none(repository.get("nameWithOwner")), "discussion": True},
    )
