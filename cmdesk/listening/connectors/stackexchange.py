"""The Stack Exchange connector (kind "stackexchange"): new questions matching words on one site.

Imports no Qt. ``GET <base>/search/advanced?site=…&q=…&sort=creation&order=desc&fromdate=SINCE
&pagesize=100&page=N&filter=withbody[&key=…]`` (questions only). No account is needed; a free app
key from stackapps.com raises the daily quota from 300 to 10,000 requests per IP. The key is kept
in the keychain like the other connectors' secrets (it is not really secret, but it is the
user's).

Every answer carries ``quota_remaining`` and sometimes ``backoff`` (seconds before calling this
method again): a backoff or an empty quota stops paging and becomes ``retry_after`` with a note;
ignoring them gets the IP throttled (``throttle_violation``, error 502), which becomes a
"rate_limited" error with the wait the API names.

Limits: answers are not searched (``/search/excerpts`` would); one source per site.
"""

from __future__ import annotations

import re
import time
from collections.abc import Mapping
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
    MAX_WAIT,
    as_int,
    base_url,
    check_web_address,
    config_text,
    decode_json,
    epoch_of_unix,
    error_message,
    in_words,
    map_items,
    raise_for_api_status,
    scrub,
    since_of,
    skipped_note,
    text_or_none,
    unique,
    web_url,
)
from cmdesk.listening.sanitize import html_to_text, plain_line

DEFAULT_BASE = "https://api.stackexchange.com/2.3"
DEFAULT_SITE = "stackoverflow"
NETWORK = "Stack Exchange"
PAGE_SIZE = 100
LOW_QUOTA = 20
_SITE = re.compile(r"^[a-z0-9][a-z0-9.-]*$")
_WAIT = re.compile(r"(\d+)\s*seconds?")


class StackExchangeConnector:
    """Questions on one Stack Exchange site whose title or body match the words."""

    kind: ClassVar[str] = "stackexchange"
    label: ClassVar[str] = "Stack Exchange search"
    needs_secret: ClassVar[bool] = False
    fields: ClassVar[tuple[ConfigField, ...]] = (
        ConfigField(
            "query",
            "Search words",
            required=True,
            placeholder="acme widget",
            help="Words to find in new questions' titles and bodies.",
        ),
        ConfigField(
            "site",
            "Site",
            required=True,
            default=DEFAULT_SITE,
            placeholder=DEFAULT_SITE,
            help="The site's API name: stackoverflow, superuser, serverfault, askubuntu…",
        ),
        ConfigField(
            "secret",
            "App key",
            "secret",
            help="Optional: a free key from stackapps.com raises the daily quota to 10,000.",
        ),
        ConfigField(
            "url",
            "API address",
            "url",
            default=DEFAULT_BASE,
            help="The Stack Exchange API; change it only for a mirror.",
        ),
    )

    @classmethod
    def check(cls, values: Mapping[str, str]) -> str | None:
        if not (values.get("query") or "").strip():
            return "Give the words to search Stack Exchange for."
        site = (values.get("site") or DEFAULT_SITE).strip()
        if not _SITE.match(site):
            return (
                "The site is its API name in lower case, such as stackoverflow or superuser "
                "(not its web address)."
            )
        return check_web_address(values.get("url", ""), "API address")

    async def fetch(self, source: SourceSpec, http: Http, secret: str | None) -> FetchResult:
        query = config_text(source, "query")
        if not query:
            raise ConnectorError(
                "This Stack Exchange source has no search words; add some.", "invalid"
            )
        site = config_text(source, "site", DEFAULT_SITE)
        params: dict[str, str | int] = {
            "site": site,
            "q": query,
            "sort": "creation",
            "order": "desc",
            "pagesize": PAGE_SIZE,
            "filter": "withbody",
        }
        since = since_of(source)
        if since is not None:
            params["fromdate"] = since
        if secret:
            params["key"] = secret
        url = f"{base_url(source, DEFAULT_BASE)}/search/advanced"
        items: list[FetchedItem] = []
        skipped = 0
        notes: list[str] = []
        retry_after: int | None = None
        for page in range(1, MAX_PAGES + 1):
            response = await http.get(url, params={**params, "page": page})
            payload = _payload(response, secret)
            found, bad = map_items(payload["items"], lambda q: question_to_item(q, site), NETWORK)
            items += found
            skipped += bad
            retry_after, said = _quota(payload)
            notes += said
            if retry_after is not None or not payload.get("has_more"):
                break
        else:
            notes.append(
                f"More than {MAX_PAGES * PAGE_SIZE} new questions: the oldest were left out; "
                "narrow the search words."
            )
        return FetchResult(
            items=unique(items), retry_after=retry_after, notes=notes + skipped_note(skipped)
        )


def _payload(response: HttpResponse, secret: str | None) -> Mapping[str, Any]:
    """The answer's wrapper object, or the error it describes (errors come as JSON too)."""
    if 200 <= response.status < 300:
        payload = decode_json(response, NETWORK)
        if not isinstance(payload, Mapping) or not isinstance(payload.get("items"), list):
            raise ConnectorError(
                f"{NETWORK} sent an answer without a list of questions.", "invalid"
            )
        return payload
    try:
        error = decode_json(response, NETWORK)
    except ConnectorError:
        error = {}
    message = scrub(error_message(error, "error_message"), secret)
    name = error.get("error_name") if isinstance(error, Mapping) else None
    if name == "throttle_violation" or (
        isinstance(error, Mapping) and error.get("error_id") == 502
    ):
        match = _WAIT.search(message)
        wait = min(int(match.group(1)), MAX_WAIT) if match else None
        raise ConnectorError(
            f"{NETWORK} is throttling this computer for making too many requests; cmdesk tries "
            f"again {in_words(wait)}.",
            "rate_limited",
            wait,
        )
    if name in ("key_required", "access_token_required") or (
        name == "bad_parameter" and "key" in message.lower()
    ):
        raise ConnectorError(
            f"{NETWORK} refused the app key ({message or name}): check the key in this source's "
            "settings, or remove it to search without one.",
            "auth",
        )
    raise_for_api_status(
        response,
        NETWORK,
        auth_hint="check or remove the app key in this source's settings.",
        not_found_hint="check the site name and API address in this source's settings.",
        detail=message,
    )
    raise ConnectorError(f"{NETWORK} answered with status {response.status}.", "invalid")


def _quota(payload: Mapping[str, Any]) -> tuple[int | None, list[str]]:
    """(seconds to wait before the next call, notes) from ``backoff`` and ``quota_remaining``."""
    backoff = as_int(payload.get("backoff"))
    remaining = as_int(payload.get("quota_remaining"))
    quota = as_int(payload.get("quota_max"))
    if remaining is not None and remaining <= 0:
        wait = 86_400 - int(time.time()) % 86_400  # the quota resets at midnight UTC
        return max(wait, backoff or 0), [
            f"{NETWORK} quota used up for today ({quota or '?'} requests); searching again "
            "after midnight UTC. A free app key raises it."
        ]
    notes = []
    if remaining is not None and remaining < LOW_QUOTA:
        notes.append(f"{NETWORK} quota low: {remaining} of {quota or '?'} requests left today.")
    if backoff:
        notes.append(f"{NETWORK} asked for a pause of {backoff} seconds before the next search.")
        return min(backoff, MAX_WAIT), notes
    return None, notes


def question_to_item(question: Mapping[str, Any], site: str) -> FetchedItem | None:
    """One Stack Exchange question (``filter=withbody``) as a FetchedItem."""
    question_id = as_int(question["question_id"])
    if question_id is None:
        return None
    owner = question.get("owner") or {}
    body = text_or_none(question.get("body"))
    user_id = as_int(owner.get("user_id"))
    return FetchedItem(
        external_id=f"stackexchange:{site}:q{question_id}",
        url=web_url(question.get("link")),
        title=plain_line(str(question.get("title") or "")),
        text=html_to_text(body) if body else "",
        html=body,
        author_name=plain_line(str(owner.get("display_name") or "")) or None,
        author_handle=f"{site}:{user_id}" if user_id is not None else None,
        author_url=web_url(owner.get("link")),
        author_reach=as_int(owner.get("reputation")),
        published_at=epoch_of_unix(question.get("creation_date")),
        score=as_int(question.get("score")),
        replies=as_int(question.get("answer_count")),
        views=as_int(question.get("view_count")),
        raw={
            "site": site,
            "tags": [t for t in question.get("tags") or [] if isinstance(t, str)],
            "is_answered": bool(question.get("is_answered")),
        },
    )
