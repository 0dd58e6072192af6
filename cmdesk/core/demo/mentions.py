"""Bulk generation of demo mentions: a year of believable inbox rows, fast enough for a million.

Imports no Qt. Rows are plain tuples in the column order of :data:`MENTION_COLUMNS`, made in
chronological order so that ids grow with time like real arrivals. Everything that can be worked
out once is: templates know their slots and the queries their fixed words match; every slot
value knows the queries it adds; sources know which kinds of mention they carry. Per row only a
few random draws, two ``format_map`` calls and a tuple remain.

Sentiment comes from the template's tone (no model runs here). Triage follows age: last year's
mentions are done or archived, this week's are new or open; questions, bugs and complaints need a
response and most answered ones record who answered and when.

Limits: text variety comes from ~90 templates and their slot values, not from a language model.
"""

from __future__ import annotations

import bisect
import html
import math
import random
import re
import string
from collections.abc import Iterator
from dataclasses import dataclass, field

from cmdesk.core.demo import phrases
from cmdesk.core.demo import vocabulary as v
from cmdesk.core.demo.calendar import PublishedItem
from cmdesk.core.demo.configuration import QueryInfo, Setup, SourceInfo, matching_queries

HOUR = 3600
DAY = 86400
MENTION_COLUMNS = (
    "id", "source_id", "external_id", "url", "canonical_url", "title", "text", "html",
    "author_id", "author_name", "author_handle", "published_at", "fetched_at", "lang",
    "sentiment", "sentiment_label", "likes", "replies", "shares", "score", "views", "reach",
    "thread_url", "state", "starred", "priority", "assignee_id", "department_id",
    "routing_note", "needs_response", "responded_at", "responded_by", "updated_at",
)  # fmt: skip
# kind -> (needs a response: probability, department, tag, usual priority)
KIND_TRIAGE = {
    "praise": (0.0, None, "praise", 0),
    "question": (1.0, "Support", "question", 2),
    "bug": (1.0, "Product", "bug", 2),
    "complaint": (1.0, "Support", "follow-up", 3),
    "feature_request": (0.5, "Product", "feature-request", 1),
    "comparison": (0.0, None, "competitor", 0),
    "pricing": (1.0, "Sales", "pricing", 2),
    "news": (0.3, "PR", "press", 1),
    "competitor_news": (0.0, None, "competitor", 0),
    "topic": (0.0, None, None, 0),
    "share": (0.0, None, None, 0),
    "legal": (1.0, "Legal", "legal", 3),
    "outage": (1.0, "Support", "outage", 4),
}
KIND_WEIGHTS = {
    "praise": 16, "question": 15, "bug": 8, "complaint": 7, "feature_request": 6,
    "comparison": 9, "pricing": 4, "news": 3, "competitor_news": 7, "topic": 8, "share": 12,
    "legal": 1, "outage": 1,
}  # fmt: skip
# kind -> where it is heard: source kinds (``forum``/``blog`` split RSS) and their weights
KIND_PLACES = {
    "praise": {"mastodon": 3, "bluesky": 3, "reddit": 2, "hackernews": 1, "forum": 1},
    "question": {
        "stackexchange": 4, "reddit": 2, "mastodon": 1, "bluesky": 1, "forum": 2, "github": 1,
    },
    "bug": {"github": 5, "reddit": 1, "mastodon": 1, "stackexchange": 1, "forum": 1},
    "complaint": {"mastodon": 2, "bluesky": 2, "reddit": 2, "hackernews": 1, "forum": 1},
    "feature_request": {"github": 3, "forum": 2, "reddit": 1, "mastodon": 1},
    "comparison": {"hackernews": 2, "reddit": 3, "blog": 1, "bluesky": 1},
    "pricing": {"mastodon": 1, "bluesky": 1, "reddit": 1, "forum": 1},
    "news": {"blog": 4, "hackernews": 2},
    "competitor_news": {"hackernews": 2, "blog": 2, "reddit": 1, "bluesky": 2},
    "topic": {"hackernews": 2, "blog": 2, "reddit": 2, "mastodon": 1, "stackexchange": 1},
    "share": {"hackernews": 2, "reddit": 1, "mastodon": 2, "bluesky": 2},
    "legal": {"mastodon": 1, "reddit": 1, "bluesky": 1},
    "outage": {"mastodon": 3, "bluesky": 3, "reddit": 2, "hackernews": 1},
}  # fmt: skip
LANG_WEIGHTS = (("en", 0.86), ("fr", 0.05), ("de", 0.05), ("es", 0.04))
PER_PRODUCT = frozenset({"feature", "Feature", "feature_bare", "version", "competitor"})
PRODUCT_SLOTS = frozenset({"product", "widgets", "relay"})
NUMBERS = ("3", "5", "12", "20", "40", "85", "150", "300", "1200")
HOURS = ("2", "3", "4", "5", "6")


@dataclass(frozen=True)
class Crisis:
    """A burst of negative mentions about one product, centred ``hours_ago`` before now."""

    theme: str  # a key of phrases.CRISIS
    product: str
    hours_ago: float
    spread_hours: float
    share: float  # of all mentions
    minimum: int


CRISES = (
    Crisis("outage", "Acme Relay", 118 * 24 + 3, 3.0, 0.010, 12),
    Crisis("pricing", "Acme Relay", 41 * 24 + 6, 3.0, 0.008, 10),
    Crisis("release", "Acme Widgets", 3.0, 3.0, 0.005, 14),
)


@dataclass
class Template:
    kind: str
    polarity: int
    title: str
    text: str
    slots: tuple[str, ...]
    queries: frozenset[int]
    lang: str


@dataclass
class Links:
    """Rows linking the generated mentions to queries, tags and notes; first arrivals of authors."""

    queries: list[tuple[int, int]] = field(default_factory=list)
    tags: list[tuple[int, int]] = field(default_factory=list)
    notes: list[tuple[int, str, str, int]] = field(default_factory=list)
    pages: list[tuple[str, int]] = field(default_factory=list)  # (url, mention): mention_link

    def clear(self) -> None:
        self.queries.clear()
        self.tags.clear()
        self.notes.clear()
        self.pages.clear()


def compile_templates(
    raw: tuple[phrases.Template, ...], lang: str, queries: list[QueryInfo]
) -> list[Template]:
    """Templates with their slot names and the queries their fixed words match."""
    result = []
    for kind, polarity, title, text in raw:
        if lang != "en":  # "the date picker" reads badly inside French: use the bare name
            title, text = (x.replace("{feature}", "{feature_bare}") for x in (title, text))
        names = [name for _, name, _, _ in string.Formatter().parse(title + " " + text) if name]
        # The product first: features and versions are drawn from the chosen product's own.
        slots = tuple(sorted(dict.fromkeys(names), key=lambda name: name not in PRODUCT_SLOTS))
        literal = re.sub(r"\{\w+\}", " ", title + " " + text)
        fixed = matching_queries(literal, queries)
        if not fixed and not {"brand", "competitor", "topic", *PRODUCT_SLOTS} & set(slots):
            raise ValueError(f"template {title!r} would match no query")
        result.append(Template(kind, polarity, title, text, slots, fixed, lang))
    return result


def slot_values(queries: list[QueryInfo]) -> dict[str, list[tuple[str, frozenset[int]]]]:
    """Every slot's values with the queries each value matches (weights by repetition)."""

    def with_queries(values: tuple[str, ...] | list[str]) -> list[tuple[str, frozenset[int]]]:
        return [(value, matching_queries(value, queries)) for value in values]

    products = [v.PRODUCTS[0][0]] * 3 + [v.PRODUCTS[1][0]] * 2
    values = {
        "brand": with_queries([v.BRAND]),
        "product": with_queries(products),
        "widgets": with_queries([v.PRODUCTS[0][0]]),
        "relay": with_queries([v.PRODUCTS[1][0]]),
        "competitor": with_queries([name for name, _ in v.COMPETITORS]),
        "feature": with_queries(v.FEATURES),
        "Feature": with_queries([_capital(f) for f in v.FEATURES]),
        "feature_bare": with_queries([_bare(f) for f in v.FEATURES]),
        "platform": with_queries(v.PLATFORMS),
        "version": with_queries(v.VERSIONS),
        "topic": with_queries(v.TOPIC_PHRASES),
        "number": with_queries(NUMBERS),
        "hours": with_queries(HOURS),
    }
    for product, features in v.PRODUCT_FEATURES.items():
        values[f"feature:{product}"] = with_queries(features)
        values[f"Feature:{product}"] = with_queries([_capital(f) for f in features])
        values[f"feature_bare:{product}"] = with_queries([_bare(f) for f in features])
        values[f"version:{product}"] = with_queries(v.PRODUCT_VERSIONS[product])
        values[f"competitor:{product}"] = with_queries(v.PRODUCT_COMPETITORS[product])
    return values


def _capital(text: str) -> str:
    return text[:1].upper() + text[1:]


def _bare(feature: str) -> str:
    return feature.removeprefix("the ")


class MentionMaker:
    """Makes mention rows one chronological chunk at a time; see the module docstring."""

    def __init__(
        self,
        rng: random.Random,
        now: int,
        setup: Setup,
        authors: dict[str, list[tuple[int, str, str, str, int]]],
        published: list[PublishedItem],
    ) -> None:
        self.rng, self.now, self.setup, self.authors = rng, now, setup, authors
        self.published = published
        self.published_at = [item.published_at for item in published]
        self.item_queries = [matching_queries(item.title, setup.queries) for item in published]
        self.item_products = [
            next((name for name, _ in v.PRODUCTS if name in item.title), "") for item in published
        ]
        self.values = slot_values(setup.queries)
        self.templates = {
            lang: compile_templates(raw, lang, setup.queries) for lang, raw in phrases.LANGUAGES
        }
        self.pools = {lang: self._template_pool(ts) for lang, ts in self.templates.items()}
        self.crisis_templates = {
            theme: compile_templates(raw, "en", setup.queries)
            for theme, raw in phrases.CRISIS.items()
        }
        self.places = self._places(setup.sources)
        self.teammates = setup.teammates
        self.tag_ids = setup.tags
        self.first_seen: dict[int, int] = {}
        self.items_seen: dict[int, int] = {}
        self.last_fetched = 0
        self.fallback = next(t for t in self.templates["en"] if t.kind == "praise")
        self.product_queries = {
            name: matching_queries(name, setup.queries) for name, _ in v.PRODUCTS
        }

    def _template_pool(self, templates: list[Template]) -> list[int]:
        pool = []
        for index, template in enumerate(templates):
            weight = KIND_WEIGHTS[template.kind]
            same_kind = sum(1 for t in templates if t.kind == template.kind)
            pool += [index] * max(1, round(weight * 12 / same_kind))
        return pool

    @staticmethod
    def _places(sources: list[SourceInfo]) -> dict[str, list[SourceInfo]]:
        """Per mention kind, the sources that carry it (repeated by weight)."""
        by_place: dict[str, list[SourceInfo]] = {}
        for source in sources:
            place = source.kind
            if source.kind == "rss":
                place = "forum" if source.host.startswith("community.") else "blog"
            by_place.setdefault(place, []).append(source)
        result = {}
        for kind, weights in KIND_PLACES.items():
            pool: list[SourceInfo] = []
            for place, weight in weights.items():
                for source in by_place.get(place, ()):
                    if _source_fits(source, kind):
                        pool += [source] * weight
            result[kind] = pool or [s for s in sources if s.kind != "rss"] or sources
        return result

    def rows(self, first_id: int, times: list[int], links: Links) -> Iterator[tuple]:
        """A row per arrival time (``time * 8 + crisis number``, sorted); ids from ``first_id``."""
        for offset, code in enumerate(times):
            yield self._row(first_id + offset, code >> 3, code & 7, links)

    def _pick_template(self, crisis: int) -> tuple[Template, dict[str, str]]:
        r = self.rng.random
        if crisis:
            spec = CRISES[crisis - 1]
            templates = self.crisis_templates[spec.theme]
            return templates[int(r() * len(templates))], {"product": spec.product}
        lang = "en"
        roll = r()
        for code, weight in LANG_WEIGHTS:
            if roll < weight:
                lang = code
                break
            roll -= weight
        pool, templates = self.pools[lang], self.templates[lang]
        return templates[pool[int(r() * len(pool))]], {}

    def _row(self, mid: int, t: int, crisis: int, links: Links) -> tuple:
        r = self.rng.random
        template, values = self._pick_template(crisis)
        item_index = self._shared_item(t) if template.kind == "share" else None
        if template.kind == "share":
            if item_index is None:
                template = self.fallback
            elif self.item_products[item_index]:
                values["product"] = self.item_products[item_index]
        queries = template.queries
        product = values.get("product")
        for slot in template.slots:
            if slot in values:
                queries = queries | self.product_queries[values[slot]]
            elif slot == "item_title":
                values[slot] = self.published[item_index].title  # type: ignore[index]
                queries = queries | self.item_queries[item_index]  # type: ignore[index]
            elif slot == "item_url":
                values[slot] = self.published[item_index].url  # type: ignore[index]
            else:
                per_product = product is not None and slot in PER_PRODUCT
                choices = self.values[f"{slot}:{product}" if per_product else slot]
                value, matched = choices[int(r() * len(choices))]
                values[slot] = value
                if slot in PRODUCT_SLOTS:
                    product = value
                if matched:
                    queries = queries | matched
        title = template.title.format_map(values)
        text = template.text.format_map(values)
        title, text = title[:1].upper() + title[1:], text[:1].upper() + text[1:]
        kind = template.kind
        places = self.places[kind]
        source = places[int(r() * len(places))]
        pool = self.authors[source.host if source.kind == "rss" else source.kind]
        author_id, name, handle, author_url, reach = pool[
            int(len(pool) * r() ** (1.0 if crisis else 2.2))
        ]
        external_id, url, canonical, thread = address(source, mid, author_url, handle)
        if item_index is not None and source.kind in ("hackernews", "reddit"):
            canonical = self.published[item_index].url
            url = f"{canonical}?utm_source={source.kind}"
        elif "item_url" in values:  # its text carries the address: it links to the item
            links.pages.append((values["item_url"], mid))
        score = self._sentiment(template.polarity)
        label = "positive" if score >= 0.05 else "negative" if score <= -0.05 else "neutral"
        likes, replies, shares, points, views = self._engagement(source.kind, reach)
        fetched = max(self.last_fetched, t + 60 + int(r() * 900))
        fetched = self.last_fetched = min(fetched, self.now)
        triage = self._triage(kind, t, reach, crisis, mid, links)
        self.first_seen.setdefault(author_id, t)
        self.items_seen[source.id] = self.items_seen.get(source.id, 0) + 1
        for query_id in queries:
            links.queries.append((mid, query_id))
        self._tag(mid, kind, triage[0], reach, links)
        markup = f"<p>{html.escape(text)}</p>" if source.kind == "rss" else None
        return (
            mid, source.id, external_id, url, canonical, title, text, markup, author_id, name,
            handle, t, fetched, template.lang, score, label, likes, replies, shares, points,
            views, reach, thread, *triage,
        )  # fmt: skip

    def _shared_item(self, t: int) -> int | None:
        """One of the last few items published before ``t``: people share what is recent."""
        count = bisect.bisect_right(self.published_at, t)
        if count == 0:
            return None
        return count - 1 - int(self.rng.random() * min(count, 4))

    def _sentiment(self, polarity: int) -> float:
        r = self.rng.random
        if polarity > 0:
            return round(0.3 + 0.65 * r(), 4)
        if polarity < 0:
            return round(-0.3 - 0.65 * r(), 4)
        roll = r()
        if roll < 0.7:
            return round((r() - 0.5) * 0.09, 4)
        return round(0.05 + 0.4 * r(), 4) if roll < 0.9 else round(-0.05 - 0.35 * r(), 4)

    def _engagement(self, kind: str, reach: int) -> tuple[int | None, ...]:
        """(likes, replies, shares, score, views) as each network reports them."""
        r, e = self.rng.random, self.rng.expovariate
        boost = 1 + min(reach, 40_000) / 2000
        if kind == "hackernews":
            points = 1 + int(e(0.125) * boost)
            return None, int(points * 0.6 * r()), None, points, None
        if kind == "reddit":
            return None, int(e(0.2)), None, int(e(1 / 15) * boost), None
        if kind in ("mastodon", "bluesky"):
            return int(e(0.25) * boost), int(e(0.8)), int(e(0.66) * boost), None, None
        if kind == "stackexchange":
            votes = int(e(0.5)) - (1 if r() < 0.1 else 0)
            return None, int(e(0.8)), None, votes, 20 + int(e(0.004))
        if kind == "github":
            return int(e(0.5)), int(e(1 / 3)), None, None, None
        return None, None, None, None, None

    def _triage(self, kind: str, t: int, reach: int, crisis: int, mid: int, links: Links) -> tuple:
        """The triage columns of a mention of this kind and age, in MENTION_COLUMNS order.

        That is: state, starred, priority, assignee, department, routing note, needs response,
        responded at, responded by, updated at.
        """
        rng, r, now = self.rng, self.rng.random, self.now
        need_chance, department, _, priority = KIND_TRIAGE[kind]
        if not crisis and r() < 0.025:
            return "spam", 0, 0, None, None, None, 0, None, None, min(now, t + 900)
        needs = need_chance >= 1.0 or (need_chance > 0 and r() < need_chance)
        state = self._state(needs, now - t)
        responded_at = responded_by = assignee = None
        teammates = self.teammates
        if needs and r() < 0.45:
            assignee = teammates[0] if r() < 0.4 else teammates[1 + int(r() * (len(teammates) - 1))]
        answered = state == "waiting" or (state in ("done", "archived") and r() < 0.9)
        if (needs and answered) or (kind == "praise" and state == "done" and r() < 0.3):
            delay = int(60 * math.exp(rng.gauss(4.3, 1.2)))  # median ~75 minutes, tail of days
            if t + delay < now:
                responded_at = t + delay
                who = assignee or (teammates[0] if r() < 0.4 else rng.choice(teammates))
                responded_by = who[1]
            elif state != "archived":
                state = "open"
        department_id = note = None
        if needs and department and r() < 0.6:
            department_id = self.setup.departments[department]
            if r() < 0.5:
                notes = phrases.ROUTING_NOTES[department]
                note = notes[int(r() * len(notes))]
        if not needs:
            priority = 1 if r() < 0.05 else 0
        elif kind == "complaint" and reach < 10_000:
            priority = 2
        if crisis:
            priority = max(priority, 3)
        starred = 1 if r() < 0.004 or (kind == "praise" and reach > 20_000 and r() < 0.2) else 0
        if needs and r() < 0.03:
            body = phrases.NOTES[int(r() * len(phrases.NOTES))]
            author = (assignee or teammates[0])[1]
            links.notes.append((mid, author, body, min(now, t + 1800 + int(r() * DAY))))
        updated = responded_at or (None if state == "new" else min(now, t + int(r() * 2 * DAY)))
        return (
            state, starred, priority, assignee[0] if assignee else None, department_id, note,
            int(needs), responded_at, responded_by, updated,
        )  # fmt: skip

    def _state(self, needs: bool, age: int) -> str:
        roll = self.rng.random()
        if age > 14 * DAY:
            if roll < 0.02:
                return "open" if needs else "new"
            return (
                ("done" if roll < 0.6 else "archived")
                if needs
                else ("archived" if roll < 0.7 else "done")
            )
        if age > 3 * DAY:
            cut = (
                (0.5, "done"),
                (0.65, "waiting"),
                (0.85, "open"),
                (0.95, "new"),
                (1.0, "archived"),
            )
            if not needs:
                cut = ((0.4, "archived"), (0.6, "done"), (0.9, "new"), (1.0, "open"))
        else:
            cut = ((0.55, "new"), (0.8, "open"), (0.9, "waiting"), (1.0, "done"))
            if not needs:
                cut = ((0.75, "new"), (0.85, "done"), (0.95, "archived"), (1.0, "open"))
        return next(state for limit, state in cut if roll < limit)

    def _tag(self, mid: int, kind: str, state: str, reach: int, links: Links) -> None:
        r = self.rng.random
        tag = KIND_TRIAGE[kind][2]
        if tag is not None and r() < (0.4 if state == "new" else 0.75):
            links.tags.append((mid, self.tag_ids[tag]))
        if kind == "praise" and reach > 5_000 and r() < 0.2:
            links.tags.append((mid, self.tag_ids["testimonial"]))
        elif kind == "question" and r() < 0.15:
            links.tags.append((mid, self.tag_ids["docs"]))


def address(source: SourceInfo, mid: int, author_url: str, handle: str) -> tuple:
    """(external_id, url, canonical_url, thread_url) in each network's own shape."""
    kind = source.kind
    if kind == "hackernews":
        url = f"https://news.example.org/item?id={41_000_000 + mid}"
        return str(41_000_000 + mid), url, url, url
    if kind == "reddit":
        code = f"{mid + 0x1F000000:x}"
        url = f"https://reddit.example.org/r/{source.place}/comments/{code}/"
        return f"t3_{code}", url, url, url
    if kind == "mastodon":
        url = f"{author_url}/{112_000_000_000 + mid}"
        return str(112_000_000_000 + mid), url, url, None
    if kind == "bluesky":
        rkey = f"3l{mid:011x}"
        url = f"{author_url}/post/{rkey}"
        return f"at://{handle}/app.bsky.feed.post/{rkey}", url, url, None
    if kind == "stackexchange":
        url = f"https://stackoverflow.example.org/questions/{78_000_000 + mid}"
        return str(78_000_000 + mid), url, url, url
    if kind == "github":
        url = f"https://github.example.org/{source.place}/issues/{mid}"
        return f"{source.place}#{mid}", url, url, url
    path = "t" if source.host.startswith("community.") else "p"
    canonical = f"https://{source.host}/{path}/{mid}"
    return canonical, f"{canonical}?utm_source=rss&utm_medium=feed", canonical, None


def _source_fits(source: SourceInfo, kind: str) -> bool:
    """Narrow sources (a competitor search, a topic tag) carry only mentions of their subject."""
    name = source.name.lower()
    if "globex" in name:
        return kind in ("comparison", "competitor_news")
    if "webhooks" in name:
        return kind in ("topic", "question", "comparison", "praise")
    return True


def _week_weights() -> list[float]:
    """Acceptance per hour of the week (Monday 00:00 UTC first): quiet nights and weekends."""
    hours = [0.25] * 6 + [0.5, 0.7, 0.85] + [1.0] * 10 + [0.8, 0.7, 0.6, 0.45, 0.35]
    days = [1.0, 1.0, 1.0, 0.95, 0.85, 0.45, 0.4]
    return [day * hour for day in days for hour in hours]


def arrival_times(rng: random.Random, count: int, now: int) -> list[int]:
    """``count`` publication times over the past year as ``time * 8 + crisis number``, sorted.

    Volume grows through the year (the brand is growing), follows the working week, and has the
    bursts of :data:`CRISES`. The crisis number rides in the low bits so one sort of plain ints
    (cheap even for a million) orders everything.
    """
    codes: list[int] = []
    for number, crisis in enumerate(CRISES, start=1):
        size = min(max(crisis.minimum, round(count * crisis.share)), count // 10)
        centre, spread = now - crisis.hours_ago * HOUR, crisis.spread_hours * HOUR
        for _ in range(size):
            t = min(int(rng.triangular(centre - spread, centre + spread)), now - 60)
            codes.append(t * 8 + number)
    weights = _week_weights()
    start, span = now - 365 * DAY, 365 * DAY
    r = rng.random
    while len(codes) < count:
        t = start + int(r() ** 0.62 * span)
        if r() < weights[((t // DAY + 3) % 7) * 24 + (t // HOUR) % 24]:
            codes.append(t * 8)
    codes.sort()
    return codes
