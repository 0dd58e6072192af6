"""The demo's content calendar: campaigns and items six months either side of now.

Imports no Qt. Statuses follow dates (past items are published or cancelled, near-future ones
scheduled or in review, far-future ones ideas and drafts), a few ideas have no date at all, the
weekly newsletter is one item with an RRULE (plus one moved occurrence), events carry a venue and
travel dates, and published items have the URL that mentions later link to. Contacts take part
as speakers, guest authors and featured customers; past events log an interaction for each.
"""

from __future__ import annotations

import json
import random
import re
import sqlite3
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta

from cmdesk.core.db import Workspace
from cmdesk.core.demo import vocabulary as v
from cmdesk.core.demo.people import People
from cmdesk.core.models import ITEM_TYPES

DAY = 86400
HALF_YEAR = 182 * DAY

TITLES = {
    "blog_post": (
        "What's new in {product} {version}",
        "How {customer} ships faster with {product}",
        "A practical guide to {topic}",
        "Designing {feature}: behind the scenes",
        "{product} on {platform}: a step-by-step tutorial",
        "Ten tips for {feature} in {product}",
        "Guest post: {topic} at scale",
    ),
    "social_post": (
        "Thread: {feature} tips",
        "Teaser: {product} {version}",
        "Community spotlight of the month",
        "Poll: how do you handle {topic}?",
        "Reminder: meetup in {city} next week",
    ),
    "newsletter": ("Release special: {product} {version}", "Community highlights of the quarter"),
    "video": ("Getting started with {product}", "Live stream: building {topic} with {product}"),
    "press_release": ("{brand} announces {product} {version}", "{brand} opens an office in {city}"),
    "case_study": ("Case study: {customer} and {product}",),
    "event": (
        "{city} JS meetup",
        "DevConf {city}",
        "Webhooks Summit {city}",
        "{brand} community day {city}",
    ),
    "task": (
        "Prepare slides for the {city} meetup",
        "Update the {product} docs screenshots",
        "Order swag for {city}",
        "Review the guest post draft",
        "Monthly report for management",
    ),
}
CHANNELS = {
    "blog_post": ["blog"],
    "newsletter": ["newsletter"],
    "video": ["youtube"],
    "press_release": ["press", "blog"],
    "case_study": ["blog", "linkedin"],
    "event": ["in person"],
    "task": [],
}
URL_PATHS = {
    "blog_post": "blog",
    "newsletter": "newsletter",
    "press_release": "press",
    "case_study": "customers",
}
VENUES = ("Messe, hall 4", "Tech Hub, 3rd floor", "Congress Centre, room B", "Co-working Loft")
CAMPAIGNS = (
    # name, start and end in days from now, colour, goals
    ("Customer stories", -150, -60, "#2a9d8f", "Four published case studies, one per segment."),
    ("Developer survey", -100, -70, "#8d99ae", "1,000 answers; results post in the newsletter."),
    ("Relay 2.0 launch", -30, 20, "#e76f51", "Launch post, video, press release; 300 sign-ups."),
    ("Winter release", 30, 75, "#457b9d", "Release notes, two tutorials, a live stream."),
    ("Spring webinar series", 90, 150, "#9b5de5", "Six webinars, 150 attendees each."),
)


@dataclass(frozen=True)
class PublishedItem:
    id: int
    title: str
    url: str
    published_at: int


def slugify(text: str) -> str:
    return re.sub(r"[^a-z0-9]+", "-", text.lower()).strip("-")


def write_calendar(
    ws: Workspace, rng: random.Random, count: int, people: People, owners: list[str]
) -> list[PublishedItem]:
    """``count`` calendar items and their campaigns; the published ones, oldest first."""
    now = ws.clock.now()
    con = ws.db.connection()
    today = datetime.fromtimestamp(now, UTC).date()
    campaigns = []
    for campaign_id, (name, start, end, color, goals) in enumerate(CAMPAIGNS, start=1):
        starts, ends = today + timedelta(days=start), today + timedelta(days=end)
        con.execute(
            "INSERT INTO campaign(id, name, starts_on, ends_on, goals, color) VALUES (?,?,?,?,?,?)",
            (campaign_id, name, starts.isoformat(), ends.isoformat(), goals, color),
        )
        campaigns.append((campaign_id, now + start * DAY, now + end * DAY))
    builder = _ItemBuilder(rng, now, owners, campaigns, people)
    if count >= 10:
        builder.weekly_newsletter()
    for index in range(count - len(builder.rows)):
        kind = ITEM_TYPES[index] if index < len(ITEM_TYPES) else _random_type(rng)
        builder.item(kind, unscheduled=index % 25 == 24)
    builder.write(con)
    return sorted(builder.published, key=lambda item: item.published_at)


def _random_type(rng: random.Random) -> str:
    weights = (26, 24, 3, 8, 4, 6, 9, 12)
    return rng.choices(ITEM_TYPES, weights)[0]


class _ItemBuilder:
    """Collects item rows (explicit ids, so links can refer to them) and writes them at once."""

    COLUMNS = (
        "id, title, item_type, channels, status, owner, starts_at, duration_minutes, all_day, "
        "timezone, campaign_id, tags, brief, published_url, location, travel_starts_on, "
        "travel_ends_on, rrule, exdates, recurrence_parent_id, recurrence_id, reminder_minutes, "
        "created_at, updated_at"
    )

    def __init__(
        self,
        rng: random.Random,
        now: int,
        owners: list[str],
        campaigns: list[tuple[int, int, int]],
        people: People,
    ) -> None:
        self.rng, self.now, self.owners, self.campaigns = rng, now, owners, campaigns
        self.people = people
        self.rows: list[tuple] = []
        self.links: list[tuple[int, int, str]] = []
        self.interactions: list[tuple] = []
        self.published: list[PublishedItem] = []
        self.slugs: set[str] = set()
        self.by_role: dict[str, list[int]] = {}
        for contact_id, _, role in people.contacts:
            self.by_role.setdefault(role, []).append(contact_id)

    def weekly_newsletter(self) -> None:
        now = self.now
        start = now - 26 * 7 * DAY
        start_day = datetime.fromtimestamp(start, UTC).date()
        start_day += timedelta(days=(3 - start_day.weekday()) % 7)  # the next Thursday
        first = int(
            datetime(start_day.year, start_day.month, start_day.day, 9, tzinfo=UTC).timestamp()
        )
        skipped = first + 10 * 7 * DAY
        item_id = len(self.rows) + 1
        self.rows.append(
            (
                item_id,
                f"{v.BRAND} Weekly",
                "newsletter",
                json.dumps(["newsletter"]),
                "scheduled",
                self.owners[0],
                first,
                30,
                0,
                "Europe/Paris",
                None,
                json.dumps(["newsletter"]),
                "Five links, one community spotlight, one upcoming event.",
                None,
                None,
                None,
                None,
                "FREQ=WEEKLY;BYDAY=TH",
                json.dumps([skipped]),
                None,
                None,
                60,
                first - 14 * DAY,
                now - 3 * DAY,
            )
        )
        moved = first + ((now - first) // (7 * DAY) + 2) * 7 * DAY
        self.rows.append(
            (
                item_id + 1,
                f"{v.BRAND} Weekly — release special",
                "newsletter",
                json.dumps(["newsletter"]),
                "draft",
                self.owners[0],
                moved + DAY,
                30,
                0,
                "Europe/Paris",
                None,
                json.dumps(["newsletter", "release"]),
                "Moved to Friday so it can announce the release.",
                None,
                None,
                None,
                None,
                None,
                None,
                item_id,
                moved,
                60,
                now - 5 * DAY,
                now - DAY,
            )
        )

    def item(self, kind: str, unscheduled: bool) -> None:
        rng, now = self.rng, self.now
        item_id = len(self.rows) + 1
        city = rng.choice(v.PLACES)[0].split(",")[0]
        title = rng.choice(TITLES[kind]).format(
            brand=v.BRAND,
            product=rng.choice(v.PRODUCTS)[0],
            version=rng.choice(v.VERSIONS),
            customer=rng.choice(v.ORGANISATIONS[:15])[0],
            topic=rng.choice(v.TOPIC_PHRASES),
            feature=rng.choice(v.FEATURES),
            platform=rng.choice(v.PLATFORMS),
            city=city,
        )
        starts_at = None if unscheduled else now + rng.randint(-HALF_YEAR, HALF_YEAR)
        status, duration, all_day = "idea", 60, False
        location = travel_from = travel_to = None
        if starts_at is not None:
            starts_at -= starts_at % 1800
            status = self._status(kind, starts_at)
            if kind == "event":
                duration, all_day, location, travel_from, travel_to, starts_at = self._event(
                    title, city, starts_at
                )
        url = self._url(kind, title) if status == "published" else None
        campaign = self._campaign(starts_at)
        created = min(starts_at or now, now) - rng.randint(5, 60) * DAY
        self.rows.append(
            (
                item_id,
                title,
                kind,
                json.dumps(self._channels(kind)),
                status,
                rng.choice(self.owners),
                starts_at,
                duration,
                int(all_day),
                "UTC" if all_day else rng.choice(v.PLACES)[1],
                campaign,
                json.dumps(self._tags(kind, campaign)),
                f"Brief: {title}.",
                url,
                location,
                travel_from,
                travel_to,
                None,
                None,
                None,
                None,
                rng.choice((None, 60, 1440)) if kind in ("event", "task") else None,
                created,
                min(now, created + rng.randint(1, 30) * DAY),
            )
        )
        if url is not None and starts_at is not None and kind != "social_post":
            self.published.append(PublishedItem(item_id, title, url, starts_at))
        self._contacts(item_id, kind, status, starts_at)

    def _status(self, kind: str, starts_at: int) -> str:
        rng = self.rng
        if starts_at < self.now:
            return "cancelled" if rng.random() < 0.08 else "published"
        days = (starts_at - self.now) / DAY
        if kind in ("event", "task"):
            return "scheduled" if days < 60 else "draft"
        if days < 7:
            return rng.choices(("scheduled", "in_review", "draft"), (6, 3, 1))[0]
        if days < 30:
            return rng.choices(("scheduled", "in_review", "draft", "idea"), (25, 25, 40, 10))[0]
        return rng.choices(("scheduled", "draft", "idea"), (10, 45, 45))[0]

    def _event(self, title: str, city: str, starts_at: int) -> tuple:
        """Meetups are evenings; conferences are all-day with travel the day before and after."""
        if "meetup" in title:
            evening = starts_at - starts_at % DAY + 17 * 3600 + 1800
            return 150, False, f"{self.rng.choice(VENUES)}, {city}", None, None, evening
        midnight = starts_at - starts_at % DAY
        first_day = datetime.fromtimestamp(midnight, UTC).date()
        days = self.rng.choice((1, 2, 2, 3))
        travel_from = (first_day - timedelta(days=1)).isoformat()
        travel_to = (first_day + timedelta(days=days)).isoformat()
        return (
            days * 1440,
            True,
            f"{self.rng.choice(VENUES)}, {city}",
            travel_from,
            travel_to,
            midnight,
        )

    def _url(self, kind: str, title: str) -> str | None:
        if kind in ("event", "task"):
            return None
        slug = slugify(title)
        while slug in self.slugs:
            slug = f"{slug}-{self.rng.randint(2, 99)}"
        self.slugs.add(slug)
        if kind == "video":
            return f"https://video.example.org/watch?v={self.rng.getrandbits(44):011x}"
        if kind == "social_post":
            return f"https://fosstodon.example.org/@{v.BRAND_HANDLE}/{self.rng.getrandbits(56)}"
        return f"{v.BRAND_SITE}/{URL_PATHS[kind]}/{slug}"

    def _channels(self, kind: str) -> list[str]:
        if kind == "social_post":
            return sorted(self.rng.sample(["mastodon", "bluesky", "linkedin"], 2))
        return list(CHANNELS[kind])

    def _campaign(self, starts_at: int | None) -> int | None:
        if starts_at is None:
            return None
        for campaign_id, start, end in self.campaigns:
            if start <= starts_at <= end and self.rng.random() < 0.6:
                return campaign_id
        return None

    def _tags(self, kind: str, campaign: int | None) -> list[str]:
        tags = {"blog_post": ["tutorial"], "video": ["video"], "event": ["community"]}.get(kind, [])
        return [*tags, "launch"] if campaign == 3 else tags

    def _contacts(self, item_id: int, kind: str, status: str, starts_at: int | None) -> None:
        rng = self.rng
        pools = {
            "event": (
                ("speaker", ("independent", "community", "customer")),
                ("organiser", ("community",)),
            ),
            "blog_post": (("guest author", ("independent",)),),
            "case_study": (("customer", ("customer",)),),
            "video": (("guest", ("independent", "partner")),),
        }.get(kind, ())
        chance = {"event": 1.0, "case_study": 1.0, "video": 0.3, "blog_post": 0.15}.get(kind, 0)
        taken: set[int] = set()
        for role, roles in pools:
            candidates = [c for r in roles for c in self.by_role.get(r, ())]
            if not candidates or rng.random() >= chance:
                continue
            for contact_id in rng.sample(candidates, min(len(candidates), rng.randint(1, 2))):
                if contact_id in taken:
                    continue
                taken.add(contact_id)
                self.links.append((item_id, contact_id, role))
                if kind == "event" and status == "published" and starts_at is not None:
                    self.interactions.append(
                        (contact_id, "event", starts_at, f"Met at {self.rows[-1][1]}", item_id)
                    )

    def write(self, con: sqlite3.Connection) -> None:
        marks = ",".join("?" * len(self.COLUMNS.split(",")))
        con.executemany(f"INSERT INTO calendar_item({self.COLUMNS}) VALUES ({marks})", self.rows)
        con.executemany(
            "INSERT INTO calendar_item_contact(item_id, contact_id, role) VALUES (?,?,?)",
            self.links,
        )
        con.executemany(
            "INSERT INTO interaction(contact_id, kind, occurred_at, summary, calendar_item_id) "
            "VALUES (?,?,?,?,?)",
            self.interactions,
        )
