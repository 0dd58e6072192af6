"""The demo workspace's set-up: settings, team, departments, tags, replies, rules, goals, sources.

Imports no Qt. Everything a community manager configures before the first mention arrives. Source
health is made to look lived-in: most sources fetched a few minutes ago, one answers 503 now and
then, one was turned off because its feed is gone, one has a revoked app password. Times are
relative to ``now``; rows are written with peewee (a few dozen rows, speed does not matter).
"""

from __future__ import annotations

import random
import re
from dataclasses import dataclass, field
from typing import Any

from cmdesk.core.db import Workspace
from cmdesk.core.demo import vocabulary as v
from cmdesk.core.models import (
    CannedResponse,
    Department,
    Query,
    QuerySource,
    ReportGoal,
    ReportTemplate,
    Rule,
    SavedView,
    Source,
    Tag,
    Teammate,
)
from cmdesk.core.services import workspace as workspace_service

MINUTE = 60
HOUR = 3600
DAY = 86400


@dataclass(frozen=True)
class SourceInfo:
    """What the mention generator needs to know about a source to make believable rows."""

    id: int
    kind: str
    name: str
    host: str  # the site mentions link to
    place: str = ""  # subreddit, Stack Exchange site or GitHub repository


@dataclass(frozen=True)
class QueryInfo:
    id: int
    name: str
    kind: str
    terms: tuple[str, ...]  # the plain words and phrases the expression looks for


@dataclass
class Setup:
    """Ids of the configured rows, by the names the generators use."""

    teammates: list[tuple[int, str]] = field(default_factory=list)  # (id, name); me first
    departments: dict[str, int] = field(default_factory=dict)
    tags: dict[str, int] = field(default_factory=dict)
    sources: list[SourceInfo] = field(default_factory=list)
    queries: list[QueryInfo] = field(default_factory=list)

    def query(self, name: str) -> QueryInfo:
        return next(q for q in self.queries if q.name == name)


def plain_terms(expression: str) -> tuple[str, ...]:
    """The lower-case words and phrases an expression looks for (excluding ``NOT`` terms)."""
    terms: list[str] = []
    skip_next = False
    for quoted, bare in re.findall(r'"([^"]+)"|(\S+)', expression):
        word = (quoted or bare).strip("()").lower()
        if bare in ("OR", "AND"):
            continue
        if bare == "NOT":
            skip_next = True
            continue
        if skip_next:
            skip_next = False
            continue
        if word:
            terms.append(word)
    return tuple(terms)


def matching_queries(text: str, queries: list[QueryInfo]) -> frozenset[int]:
    """Ids of the queries one of whose words or phrases occurs in ``text`` as whole words."""
    low = text.lower()
    return frozenset(
        q.id
        for q in queries
        if any(re.search(rf"(?<!\w){re.escape(term)}(?!\w)", low) for term in q.terms)
    )


def configure(ws: Workspace, rng: random.Random, mentions: int) -> Setup:
    """Write the set-up rows; ``mentions`` scales the report goals to the generated volume."""
    now = ws.clock.now()
    setup = Setup()
    me = next(name for name, _, is_me in v.TEAMMATES if is_me)
    workspace_service.set_setting(ws, "brand_name", v.BRAND)
    workspace_service.set_setting(ws, "my_name", me)
    # The demo's sources are fictional hosts: the app must not try to fetch them on its own.
    workspace_service.set_setting(ws, "auto_fetch", False)
    for name, email, is_me in v.TEAMMATES:
        row = Teammate.create(name=name, email=email, is_me=is_me)
        setup.teammates.append((row.id, name))
    for position, (name, email) in enumerate(v.DEPARTMENTS):
        setup.departments[name] = Department.create(name=name, email=email, position=position).id
    for name, color in v.TAGS:
        setup.tags[name] = Tag.create(name=name, color=color).id
    _canned_responses()
    setup.queries = _queries(now)
    setup.sources = _sources(now, rng, setup)
    _rules(now, setup)
    _goals_and_template(now, setup, mentions)
    _saved_views(setup)
    return setup


def _canned_responses() -> None:
    replies = {
        "Thanks for the kind words": (
            "Thank you so much, {name}! It means a lot to the team. If you ever feel like "
            "writing up how you use Acme, we would love to share it."
        ),
        "Looking into it": (
            "Hi {name}, thanks for flagging this. We are looking into it now and will get back "
            "to you here as soon as we know more."
        ),
        "Please open an issue": (
            "Thanks {name}! Could you open an issue at git.example.org/acme with your version "
            "and a minimal example? That gets it straight to the engineers."
        ),
        "Pricing question": (
            "Hi {name}, happy to help. I have passed your question to our sales team; they will "
            "write to you today. You can also reach them at sales@acme.example.com."
        ),
        "Outage acknowledgement": (
            "Hi {name}, we are sorry: Acme Relay is having delivery delays right now. Events "
            "are queued, not lost. Updates on status.acme.example.com."
        ),
        "Docs pointer": (
            "Hi {name}, good question! This is covered in the docs under Guides → Configuration; "
            "let us know if anything there is unclear and we will improve it."
        ),
    }
    for name, body in replies.items():
        CannedResponse.create(name=name, body=body)


def _queries(now: int) -> list[QueryInfo]:
    rows = [(v.BRAND_QUERY, "brand", "#e63946")]
    rows += [
        (product, "product", color)
        for product, color in zip(v.PRODUCTS, ("#457b9d", "#2a9d8f"), strict=True)
    ]
    rows += [(c, "competitor", "#6c757d") for c in v.COMPETITORS]
    rows.append((v.TOPIC, "topic", "#f4a261"))
    result = []
    for position, ((name, expression), kind, color) in enumerate(rows):
        language = None
        row = Query.create(
            name=name,
            kind=kind,
            expression=expression,
            language=language,
            position=position,
            color=color,
            created_at=now - 400 * DAY,
        )
        result.append(QueryInfo(row.id, name, kind, plain_terms(expression)))
    return result


def _source_specs() -> list[dict[str, Any]]:
    """Every source kind, with realistic names and example hosts; health is set afterwards."""
    specs: list[dict[str, Any]] = []
    for name, host in v.BLOGS:
        folder = "Press" if name in ("The Dev Dispatch", "Byte Review") else "Blogs"
        specs.append(
            {
                "kind": "rss",
                "name": name,
                "url": f"https://{host}/feed.xml",
                "site_url": f"https://{host}/",
                "folder": folder,
                "host": host,
                "interval": 60,
            }
        )
    specs.append(
        {
            "kind": "rss",
            "name": "Acme community forum",
            "url": "https://community.acme.example.com/latest.rss",
            "site_url": "https://community.acme.example.com/",
            "folder": "Our channels",
            "host": "community.acme.example.com",
            "all": True,
            "interval": 15,
        }
    )
    specs.append(
        {
            "kind": "hackernews",
            "name": "Hacker News: Acme and rivals",
            "url": "https://hn.algolia.example.org/api/v1/search_by_date",
            "site_url": "https://news.example.org/",
            "host": "news.example.org",
            "config": {"terms": ["acme", "globex", "initech", "webhooks"]},
        }
    )
    for sub in v.SUBREDDITS:
        specs.append(
            {
                "kind": "reddit",
                "name": f"r/{sub}",
                "url": "https://reddit.example.org",
                "site_url": f"https://reddit.example.org/r/{sub}/",
                "host": "reddit.example.org",
                "place": sub,
                "config": {"subreddit": sub},
                "all": sub == "acme",
            }
        )
    for instance, config in zip(
        v.MASTODON_INSTANCES,
        ({"tag": "acme"}, {"terms": ["acme", "acmerelay"]}, {"tag": "webhooks"}),
        strict=True,
    ):
        label = f"#{config['tag']}" if "tag" in config else "search"
        specs.append(
            {
                "kind": "mastodon",
                "name": f"{instance} {label}",
                "url": f"https://{instance}",
                "host": instance,
                "config": {"instance": instance, **config},
            }
        )
    for name, account in (("Bluesky: acme", "bluesky:acme-community"), ("Bluesky: globex", None)):
        specs.append(
            {
                "kind": "bluesky",
                "name": name,
                "url": "https://public.api.bsky.example.org/xrpc/app.bsky.feed.searchPosts",
                "host": "bsky.example.org",
                "account": account,
                "config": {"terms": [name.split(": ")[1]]},
            }
        )
    for tag in ("acme-widgets", "acme-relay", "webhooks"):
        specs.append(
            {
                "kind": "stackexchange",
                "name": f"Stack Overflow [{tag}]",
                "url": "https://api.stackexchange.example.org/2.3",
                "host": "stackoverflow.example.org",
                "place": tag,
                "config": {"site": "stackoverflow", "tag": tag},
            }
        )
    for repo in v.GITHUB_REPOS:
        specs.append(
            {
                "kind": "github",
                "name": f"GitHub: {repo} issues",
                "url": "https://api.github.example.org",
                "host": "github.example.org",
                "place": repo,
                "config": {"repo": repo},
                "account": "github:acme-bot",
                "all": True,
            }
        )
    return specs


# name -> (last_error, consecutive_failures, enabled, disabled_reason)
SOURCE_TROUBLE = {
    "Frontend Notes": (
        "The site answered 503 (service unavailable) on the last 4 tries; next try in 2 hours.",
        4,
        True,
        None,
    ),
    "Byte Review": (
        "The feed is gone (410 Gone), so it was turned off.",
        12,
        False,
        "410 Gone",
    ),
    "r/selfhosted": (
        "Reddit asked us to slow down (429 Too Many Requests); retrying later.",
        1,
        True,
        None,
    ),
    "Bluesky: globex": (
        "Bluesky refused the search: it needs a signed-in account. Add an app password in Sources.",
        7,
        True,
        None,
    ),
}


def _sources(now: int, rng: random.Random, setup: Setup) -> list[SourceInfo]:
    result = []
    for spec in _source_specs():
        interval = spec.get("interval", 15)
        error, failures, enabled, reason = SOURCE_TROUBLE.get(spec["name"], (None, 0, True, None))
        last_fetch = now - rng.randint(1, interval) * MINUTE
        last_success = last_fetch if not failures else last_fetch - failures * interval * MINUTE * 2
        row = Source.create(
            kind=spec["kind"],
            name=spec["name"],
            url=spec["url"],
            site_url=spec.get("site_url"),
            folder=spec.get("folder"),
            config=spec.get("config"),
            account=spec.get("account"),
            all_items_are_mentions=spec.get("all", False),
            enabled=enabled,
            disabled_reason=reason,
            interval_minutes=interval,
            etag=f'W/"{rng.getrandbits(48):x}"' if spec["kind"] == "rss" else None,
            last_fetch_at=last_fetch,
            last_success_at=last_success,
            last_error=error,
            consecutive_failures=failures,
            next_fetch_at=None if not enabled else last_fetch + interval * MINUTE * 2**failures,
            created_at=now - 380 * DAY,
        )
        result.append(
            SourceInfo(row.id, spec["kind"], spec["name"], spec["host"], spec.get("place", ""))
        )
    # Competitor queries only run on the broad sources; the rest apply everywhere.
    broad = [s.id for s in result if s.kind in ("hackernews", "reddit", "bluesky")]
    for query in setup.queries:
        if query.kind == "competitor":
            for source_id in broad:
                QuerySource.create(query=query.id, source=source_id)
    return result


def _rules(now: int, setup: Setup) -> None:
    brand = setup.query(v.BRAND_QUERY[0]).id
    relay = setup.query(v.PRODUCTS[1][0]).id
    rules = [
        (
            "Complaints to Support",
            [
                {"kind": "sentiment", "labels": ["negative"]},
                {"kind": "query", "query_ids": [brand]},
            ],
            [
                {
                    "kind": "route",
                    "department_id": setup.departments["Support"],
                    "note": "Negative mention of Acme: check whether it is a customer.",
                },
                {"kind": "needs_response"},
            ],
        ),
        (
            "Pricing questions to Sales",
            [{"kind": "words", "words": ["pricing", "price", "invoice", "discount"]}],
            [
                {"kind": "route", "department_id": setup.departments["Sales"]},
                {"kind": "tag", "tags": ["pricing"]},
            ],
        ),
        (
            "Relay outage watch",
            [
                {"kind": "query", "query_ids": [relay]},
                {"kind": "words", "words": ["down", "outage", "503", "not delivered"]},
            ],
            [
                {"kind": "tag", "tags": ["outage"]},
                {"kind": "priority", "priority": 4},
                {"kind": "alert", "title": "Possible Acme Relay outage"},
            ],
        ),
        (
            "Big accounts first",
            [{"kind": "reach", "min": 10_000}, {"kind": "query", "query_ids": [brand]}],
            [{"kind": "priority", "priority": 3}],
        ),
    ]
    for position, (name, conditions, actions) in enumerate(rules):
        Rule.create(
            name=name,
            position=position,
            conditions=conditions,
            actions=actions,
            created_at=now - (200 - 30 * position) * DAY,
        )


def _goals_and_template(now: int, setup: Setup, mentions: int) -> None:
    brand = setup.query(v.BRAND_QUERY[0]).id
    monthly = max(10, round(mentions / 12 * 1.1, -1))
    goals = [
        ("mention_volume", "month", monthly, None),
        ("positive_share", "month", 0.55, brand),
        ("median_first_response_minutes", "week", 120, None),
        ("new_advocates", "quarter", 6, None),
        ("items_published", "month", 12, None),
    ]
    for metric, period, target, query in goals:
        ReportGoal.create(metric=metric, period=period, target=target, query=query)
    ReportTemplate.create(
        name="Monthly community report",
        config={
            "period": "month",
            "sections": [
                "summary",
                "volume",
                "sentiment",
                "top_sources",
                "top_authors",
                "response_times",
                "goals",
                "content",
                "advocates",
                "suggestions",
            ],
            "query_ids": [q.id for q in setup.queries if q.kind in ("brand", "product")],
            "source_ids": [],
            "compare_with_previous": True,
        },
        created_at=now - 180 * DAY,
    )


def _saved_views(setup: Setup) -> None:
    """Saved inbox views, in the JSON shape of ``services.inbox_filters.MentionFilter``."""
    views = [
        (
            "Waiting on Support",
            {
                "department_ids": [setup.departments["Support"]],
                "states": ["new", "open", "waiting"],
            },
        ),
        (
            "Negative, unanswered",
            {
                "sentiments": ["negative"],
                "needs_response": True,
                "exclude_states": ["done", "archived", "spam"],
            },
        ),
        ("From influencers", {"from_influencer": True}),
    ]
    for position, (name, filters) in enumerate(views):
        SavedView.create(name=name, position=position, filters=filters)
