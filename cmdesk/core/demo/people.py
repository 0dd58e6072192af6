"""The demo's people: who writes mentions (authors) and who is in the CRM (contacts), consistently.

Imports no Qt. One pool of fictional people is drawn first; each has handles on one to three
networks, and each handle becomes an :class:`~cmdesk.core.models.Author`. Pool order is
prolificness: the mention generator picks low indices more often. Contacts are drawn mostly from
the prolific end of the pool, and a contact's handles are exactly its person's author handles, so
``author.contact`` always points at a contact holding a handle with the same network and handle.
Contacts' interactions and contributions are spread over the past year; ``last_interaction_at``
is set from the interactions at the end of the build (``finish_contacts``).

Limits: names are drawn with replacement, so two people may share a name (never a handle).
"""

from __future__ import annotations

import random
import sqlite3
import unicodedata
from dataclasses import dataclass, field

from cmdesk.core.db import Workspace
from cmdesk.core.demo import vocabulary as v

DAY = 86400
SOCIAL_NETWORKS = ("mastodon", "bluesky", "reddit", "hackernews", "github", "stackexchange")
NETWORK_WEIGHTS = (0.32, 0.26, 0.3, 0.2, 0.25, 0.15)
MEDIAN_REACH = {
    "mastodon": 300,
    "bluesky": 420,
    "reddit": 2500,
    "hackernews": 900,
    "github": 45,
    "stackexchange": 1600,
    "rss": 4000,
}
LISTS = (
    # name, color, cadence in days
    ("Influencers", "#e76f51", 30),
    ("Advocates", "#2a9d8f", 45),
    ("Customers", "#264653", 90),
    ("Press", "#8d99ae", 60),
    ("Partners", "#e9c46a", 60),
    ("Competitors", "#6c757d", None),
    ("User-group leads", "#9b5de5", 30),
)
ROLE_LIST = {
    "customer": "Customers",
    "press": "Press",
    "partner": "Partners",
    "competitor": "Competitors",
    "community": "User-group leads",
}
INTERACTION_SUMMARIES = {
    "call": (
        "Intro call",
        "Call about the {product} roadmap",
        "Check-in call",
        "Call: feedback on {product}",
    ),
    "meeting": (
        "Coffee in {city}",
        "Meeting at their office",
        "Quarterly review of {product} usage",
    ),
    "email": (
        "Sent the {product} beta invite",
        "Follow-up e-mail after their post",
        "Asked for feedback on the new docs",
        "Shared the release notes of {product}",
    ),
    "event": ("Met at a meetup in {city}", "Chatted after their conference talk"),
    "dm": ("Thanked them for the mention", "DM about a bug they hit", "Replied to their question"),
    "gift": ("Sent a swag pack", "Sent a conference ticket", "Sent a thank-you card and stickers"),
    "recognition": ("Featured in the newsletter", "Community spotlight on the blog"),
    "note": ("Prefers e-mail to DMs", "Moving to a new job next month", "Interested in speaking"),
}
CONTRIBUTIONS = {
    "talk": "Talk about {product} at a meetup in {city}",
    "post": "Blog post: migrating to {product}",
    "answer": "Answered questions about {product} on Stack Overflow",
    "referral": "Referred a team to our sales people",
    "other": "Translated part of the {product} docs",
}
CONTACT_NOTES = {
    "customer": "Runs {product} in production; good source of feedback.",
    "press": "Covers developer tools; likes data and customer stories.",
    "partner": "Co-marketing partner; joint webinar in discussion.",
    "competitor": "Works on the other side; friendly, meets us at conferences.",
    "community": "Organises a local user group; always looking for speakers.",
    "independent": "Writes and posts a lot about {product}; honest, sometimes critical.",
}


@dataclass
class Person:
    given: str
    family: str
    clout: float  # multiplies every reach of this person
    handles: dict[str, tuple[str, str]] = field(default_factory=dict)  # network -> handle, url


@dataclass
class People:
    """Authors by network (most prolific first) and the contacts, for the other generators."""

    authors: dict[str, list[tuple[int, str, str, str, int]]]  # (id, name, handle, url, reach)
    person_authors: list[list[tuple[int, str, str, str, int]]]  # the same, per person of the pool
    contacts: list[tuple[int, str, str]] = field(default_factory=list)  # (id, name, role)
    list_ids: dict[str, int] = field(default_factory=dict)


def ascii_slug(text: str, sep: str = "") -> str:
    folded = unicodedata.normalize("NFKD", text).encode("ascii", "ignore").decode()
    return sep.join(folded.lower().split())


def _handle_base(rng: random.Random, given: str, family: str) -> str:
    g, f = ascii_slug(given), ascii_slug(family)
    style = rng.randrange(6)
    return (
        f"{g}{f}",
        f"{g[0]}{f}",
        f"{g}_{f[0]}",
        f"{g}{rng.randint(2, 99)}",
        f"{g}.{f}",
        f"{f}{g[0]}",
    )[style]


def _handle(network: str, base: str, rng: random.Random) -> tuple[str, str]:
    if network == "mastodon":
        instance = rng.choice(v.MASTODON_INSTANCES)
        handle = f"{base.replace('.', '_')}@{instance}"
        return handle, f"https://{instance}/@{handle.split('@')[0]}"
    if network == "bluesky":
        handle = f"{base.replace('_', '-')}.bsky.example.org"
        return handle, f"https://bsky.example.org/profile/{handle}"
    if network == "reddit":
        return base, f"https://reddit.example.org/user/{base}"
    if network == "hackernews":
        return base, f"https://news.example.org/user?id={base}"
    if network == "github":
        handle = base.replace(".", "-").replace("_", "-")
        return handle, f"https://github.example.org/{handle}"
    return base, f"https://stackoverflow.example.org/users/{rng.randint(10_000, 9_999_999)}/{base}"


def draw_people(rng: random.Random, count: int) -> list[Person]:
    """``count`` people with unique handles per network; the first few cover every network."""
    taken: dict[str, set[str]] = {n: set() for n in SOCIAL_NETWORKS}
    people = []
    for i in range(count):
        person = Person(
            rng.choice(v.GIVEN_NAMES), rng.choice(v.FAMILY_NAMES), rng.lognormvariate(0, 1.1)
        )
        if i < len(SOCIAL_NETWORKS):
            networks = {SOCIAL_NETWORKS[i]}
        else:
            networks = set(
                rng.choices(SOCIAL_NETWORKS, NETWORK_WEIGHTS, k=rng.choice((1, 1, 2, 3)))
            )
        base = _handle_base(rng, person.given, person.family)
        for network in sorted(networks):
            handle, url = _handle(network, base, rng)
            while handle in taken[network]:
                handle, url = _handle(network, f"{base}{rng.randint(2, 9999)}", rng)
            taken[network].add(handle)
            person.handles[network] = (handle, url)
        people.append(person)
    return people


def write_authors(ws: Workspace, rng: random.Random, people: list[Person], now: int) -> People:
    """One author row per handle, plus the writers of each blog; ids in pool order."""
    rows = []
    by_network: dict[str, list[tuple[int, str, str, str, int]]] = {n: [] for n in SOCIAL_NETWORKS}
    per_person = []
    next_id = 1
    for person in people:
        name = f"{person.given} {person.family}"
        mine = []
        for network, (handle, url) in person.handles.items():
            reach = max(1, int(MEDIAN_REACH[network] * person.clout * rng.lognormvariate(0, 0.4)))
            rows.append((next_id, network, handle, name, url, reach, None, now))
            by_network[network].append((next_id, name, handle, url, reach))
            mine.append((next_id, network, handle, url, reach))
            next_id += 1
        per_person.append(mine)
    writers = 3 + len(people) // 150
    for _, host in v.BLOGS + (("Acme community forum", "community.acme.example.com"),):
        pool = by_network.setdefault(host, [])
        for _ in range(writers):
            name = f"{rng.choice(v.GIVEN_NAMES)} {rng.choice(v.FAMILY_NAMES)}"
            handle = f"{ascii_slug(name, '-')}-{next_id}"
            url = f"https://{host}/authors/{handle}"
            reach = int(MEDIAN_REACH["rss"] * rng.lognormvariate(0, 0.8))
            rows.append((next_id, host, handle, name, url, reach, None, now))
            pool.append((next_id, name, handle, url, reach))
            next_id += 1
    ws.db.connection().executemany(
        "INSERT INTO author(id, network, handle, name, url, reach, contact_id, first_seen_at) "
        "VALUES (?, ?, ?, ?, ?, ?, ?, ?)",
        rows,
    )
    return People(authors=by_network, person_authors=per_person)


def _role(rng: random.Random, person: Person | None) -> str:
    if person is not None:
        if person.clout > 3.0:
            return "independent"
        return rng.choices(("customer", "independent", "community", "partner"), (5, 3, 1, 1))[0]
    return rng.choices(("customer", "press", "partner", "competitor"), (4, 3, 2, 1))[0]


def _stage(rng: random.Random, role: str) -> str:
    weights = {
        "press": (6, 4, 0),
        "competitor": (7, 3, 0),
        "customer": (4, 4.5, 1.5),
        "independent": (2, 5, 3),
        "community": (0, 4, 6),
        "partner": (3, 5, 2),
    }[role]
    return rng.choices(("aware", "engaged", "advocate"), weights)[0]


def write_contacts(
    ws: Workspace,
    rng: random.Random,
    pool: list[Person],
    people: People,
    count: int,
    owners: list[str],
) -> None:
    """``count`` contacts (two thirds of them active authors), their lists, details and history."""
    now = ws.clock.now()
    con = ws.db.connection()
    orgs: dict[str, list[tuple[int, str, str]]] = {}
    for org_id, (name, host, kind) in enumerate(v.ORGANISATIONS, start=1):
        con.execute(
            "INSERT INTO organisation(id, name, website) VALUES (?, ?, ?)",
            (org_id, name, f"https://{host}/"),
        )
        orgs.setdefault(kind, []).append((org_id, name, host))
    for position, (name, color, cadence) in enumerate(LISTS, start=1):
        con.execute(
            "INSERT INTO contact_list(id, name, color, cadence_days, position) VALUES (?,?,?,?,?)",
            (position, name, color, cadence, position),
        )
        people.list_ids[name] = position
    from_pool = round(count * 0.65) if pool else 0
    window = min(len(pool), max(from_pool * 3, from_pool))
    chosen = rng.sample(range(window), min(from_pool, window))
    rows: _ContactRows = _ContactRows()
    for contact_id in range(1, count + 1):
        index = chosen[contact_id - 1] if contact_id <= len(chosen) else None
        person = pool[index] if index is not None else None
        role = _role(rng, person)
        _contact(rng, rows, contact_id, person, role, orgs, owners, now)
        if index is not None:
            for author_id, network, handle, url, reach in people.person_authors[index]:
                rows.handles.append((contact_id, network, handle, url, reach))
                rows.author_links.append((contact_id, author_id))
        reach = (
            max((a[4] for a in people.person_authors[index]), default=0) if index is not None else 0
        )
        _memberships(rows, people.list_ids, contact_id, role, rows.stages[-1], reach)
        people.contacts.append((contact_id, rows.names[-1], role))
        _history(rng, rows, contact_id, rows.stages[-1], rows.created[-1], now)
    rows.write(con)


class _ContactRows:
    """Rows of every contact table, collected and then written with one executemany each."""

    def __init__(self) -> None:
        self.contacts: list[tuple] = []
        self.details: list[tuple] = []
        self.handles: list[tuple] = []
        self.members: list[tuple] = []
        self.interactions: list[tuple] = []
        self.contributions: list[tuple] = []
        self.author_links: list[tuple[int, int]] = []
        self.names: list[str] = []
        self.stages: list[str] = []
        self.created: list[int] = []

    def write(self, con: sqlite3.Connection) -> None:
        con.executemany(
            "INSERT INTO contact(id, display_name, given_name, family_name, organisation_id, "
            "title, location, timezone, stage, owner, notes, cadence_days, snoozed_until, "
            "created_at, updated_at) VALUES (?,?,?,?,?,?,?,?,?,?,?,?,?,?,?)",
            self.contacts,
        )
        con.executemany(
            "INSERT INTO contact_detail(contact_id, kind, value, label) VALUES (?,?,?,?)",
            self.details,
        )
        con.executemany(
            "INSERT INTO contact_handle(contact_id, network, handle, url, reach) "
            "VALUES (?,?,?,?,?)",
            self.handles,
        )
        con.executemany("UPDATE author SET contact_id = ? WHERE id = ?", self.author_links)
        con.executemany(
            "INSERT INTO contact_list_member(contact_id, contact_list_id) VALUES (?,?)",
            self.members,
        )
        con.executemany(
            "INSERT INTO interaction(contact_id, kind, occurred_at, summary, notes) "
            "VALUES (?,?,?,?,?)",
            self.interactions,
        )
        con.executemany(
            "INSERT INTO contribution(contact_id, kind, occurred_at, description, url, "
            "recognised_at, recognition) VALUES (?,?,?,?,?,?,?)",
            self.contributions,
        )


def _contact(
    rng: random.Random,
    rows: _ContactRows,
    contact_id: int,
    person: Person | None,
    role: str,
    orgs: dict[str, list[tuple[int, str, str]]],
    owners: list[str],
    now: int,
) -> None:
    given = person.given if person else rng.choice(v.GIVEN_NAMES)
    family = person.family if person else rng.choice(v.FAMILY_NAMES)
    org = rng.choice(orgs[role]) if role in orgs else None
    place, timezone = rng.choice(v.PLACES)
    stage = _stage(rng, role)
    created = now - rng.randint(20, 720) * DAY
    product = rng.choice(v.PRODUCTS)[0]
    cadence = rng.choice((14, 21, 30)) if rng.random() < 0.15 else None
    snoozed = now + rng.randint(5, 40) * DAY if rng.random() < 0.05 else None
    title = rng.choice(v.JOB_TITLES[role])
    rows.contacts.append(
        (
            contact_id,
            f"{given} {family}",
            given,
            family,
            org[0] if org else None,
            title,
            place,
            timezone,
            stage,
            rng.choice(owners),
            CONTACT_NOTES[role].format(product=product),
            cadence,
            snoozed,
            created,
            created,
        )
    )
    rows.names.append(f"{given} {family}")
    rows.stages.append(stage)
    rows.created.append(created)
    local = f"{ascii_slug(given)}.{ascii_slug(family, '-')}"
    host = org[2] if org else "mail.example.net"
    rows.details.append(
        (contact_id, "email", f"{local}{contact_id}@{host}", "work" if org else "home")
    )
    if rng.random() < 0.3:
        rows.details.append((contact_id, "phone", f"+1 555 01{rng.randint(0, 99):02d}", "work"))
    if role == "independent":
        rows.details.append((contact_id, "website", f"https://{local}.example.net/", None))
    if role in ("customer", "press", "partner") and rng.random() < 0.6:
        handle = f"{local.replace('.', '-')}-{contact_id}"
        rows.handles.append(
            (contact_id, "linkedin", handle, f"https://linkedin.example.org/in/{handle}", None)
        )


def _memberships(
    rows: _ContactRows, list_ids: dict[str, int], contact_id: int, role: str, stage: str, reach: int
) -> None:
    names = set()
    if role in ROLE_LIST:
        names.add(ROLE_LIST[role])
    if stage == "advocate":
        names.add("Advocates")
    if role == "independent" and reach >= 2_000:
        names.add("Influencers")
    for name in sorted(names):
        rows.members.append((contact_id, list_ids[name]))


def _history(
    rng: random.Random, rows: _ContactRows, contact_id: int, stage: str, created: int, now: int
) -> None:
    """Interactions and contributions; some contacts fell silent months ago (they are overdue)."""
    low, high = {"aware": (0, 3), "engaged": (2, 8), "advocate": (6, 15)}[stage]
    start = max(created, now - 365 * DAY)
    end = now - rng.randint(60, 200) * DAY if rng.random() < 0.3 else now - 3600
    end = max(end, start + DAY)
    city = rng.choice(v.PLACES)[0].split(",")[0]
    for _ in range(rng.randint(low, high)):
        kind = rng.choices(
            ("call", "meeting", "email", "event", "dm", "gift", "note"), (3, 2, 5, 1, 4, 1, 1)
        )[0]
        summary = rng.choice(INTERACTION_SUMMARIES[kind]).format(
            product=rng.choice(v.PRODUCTS)[0], city=city
        )
        rows.interactions.append(
            (contact_id, kind, min(rng.randint(start, end), now), summary, None)
        )
    if stage != "advocate" and not (stage == "engaged" and rng.random() < 0.2):
        return
    for _ in range(rng.randint(1, 5) if stage == "advocate" else 1):
        kind = rng.choice(("talk", "post", "post", "answer", "referral", "other"))
        occurred = rng.randint(start, now - DAY)
        product = rng.choice(v.PRODUCTS)[0]
        url = (
            f"https://blog.example.net/{contact_id}/{occurred}"
            if kind in ("talk", "post")
            else None
        )
        recognised_at = recognition = None
        if rng.random() < 0.6:
            recognised_at = min(now, occurred + rng.randint(1, 20) * DAY)
            recognition = rng.choice(
                INTERACTION_SUMMARIES["recognition"] + INTERACTION_SUMMARIES["gift"]
            )
            rows.interactions.append((contact_id, "recognition", recognised_at, recognition, None))
        description = CONTRIBUTIONS[kind].format(product=product, city=city)
        rows.contributions.append(
            (contact_id, kind, occurred, description, url, recognised_at, recognition)
        )


def finish_contacts(ws: Workspace) -> None:
    """The derived column: each contact's last interaction, from the interactions written."""
    ws.db.execute_sql(
        "UPDATE contact SET last_interaction_at = "
        "(SELECT MAX(occurred_at) FROM interaction i WHERE i.contact_id = contact.id)"
    )
