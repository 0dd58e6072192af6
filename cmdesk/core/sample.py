"""The bundled sample workspace: a curated week in the life of Acme's community manager.

Imports no Qt. The content lives in ``resources/sample/workspace.json`` (shipped as
``cmdesk.resources``), written by hand: a release going well, a delivery incident brewing, press,
competitors, questions, bug reports, a CRM of twenty people and this month's calendar. Times in
the file are relative ("hours_ago", "days_ago", "starts_in_days"), so the sample looks current
on the day it is built. Everything else is derived here so that it stays consistent: the queries
a mention matches come from its words, authors are linked to the contacts holding their handle,
sentiment comes from VADER (a hundred short texts; a ``sentiment`` in the file overrides it for
languages VADER does not read), spike alerts from the mentions' real counts.

Limits: the sample is built once, on first use; it does not move forward in time afterwards.
Works offline.
"""

from __future__ import annotations

import html
import json
import re
from datetime import UTC, date, datetime, time, timedelta
from importlib.resources import files
from pathlib import Path
from typing import Any
from zoneinfo import ZoneInfo

from cmdesk.core.analysis.links import store_links
from cmdesk.core.changes import Changes
from cmdesk.core.clock import Clock
from cmdesk.core.db import Workspace, open_workspace
from cmdesk.core.demo import is_empty
from cmdesk.core.demo.configuration import QueryInfo, SourceInfo, matching_queries, plain_terms
from cmdesk.core.demo.generator import write_spike_alert
from cmdesk.core.demo.mentions import address
from cmdesk.core.models import (
    ALL_MODELS,
    Alert,
    Author,
    CalendarItem,
    CalendarItemContact,
    Campaign,
    CannedResponse,
    Contact,
    ContactDetail,
    ContactHandle,
    ContactList,
    ContactListMember,
    Contribution,
    Department,
    Interaction,
    Mention,
    MentionNote,
    MentionQuery,
    MentionTag,
    Organisation,
    Query,
    ReportGoal,
    ReportTemplate,
    Rule,
    SavedView,
    Source,
    Tag,
    Teammate,
)
from cmdesk.core.services import workspace as workspace_service

HOUR = 3600
DAY = 86400


def sample_data() -> dict[str, Any]:
    """The curated content, as stored in the package."""
    text = (files("cmdesk.resources") / "sample" / "workspace.json").read_text(encoding="utf-8")
    return json.loads(text)


def ensure_sample_workspace(path: Path | str, clock: Clock | None = None) -> Workspace:
    """Open the sample workspace at ``path``, building it first if it is new or empty."""
    ws = open_workspace(path, clock=clock)
    try:
        if is_empty(ws):
            ws.write(load_sample, ws).result()
    except BaseException:
        ws.close()
        raise
    return ws


def load_sample(ws: Workspace) -> Changes:
    """Write the sample into the empty workspace ``ws`` (one transaction)."""
    # Models are bound to the workspace opened last; make sure they write into this one.
    with ws.db.bind_ctx(ALL_MODELS), ws.db.atomic():
        _SampleLoader(ws, sample_data()).load()
    return Changes.everything()


class _SampleLoader:
    """Resolves the file's names and keys to ids while writing, section by section."""

    def __init__(self, ws: Workspace, data: dict[str, Any]) -> None:
        self.ws, self.data = ws, data
        self.now = ws.clock.now()
        self.today = datetime.fromtimestamp(self.now, UTC).date()
        self.ids: dict[str, dict[str, int]] = {}

    def id(self, section: str, key: str) -> int:
        try:
            return self.ids[section][key]
        except KeyError:
            raise ValueError(f"sample: unknown {section} {key!r}") from None

    def load(self) -> None:
        self._setup()
        self._listening()
        self._rules_views_and_reports()
        self._contacts()
        self._calendar()
        self._history()
        self._mentions()
        self._alerts()

    def _setup(self) -> None:
        data = self.data
        for key, value in data["settings"].items():
            workspace_service.set_setting(self.ws, key, value)
        self.ids["teammate"] = {
            t["name"]: Teammate.create(
                name=t["name"], email=t.get("email"), is_me=t.get("is_me", False)
            ).id
            for t in data["teammates"]
        }
        self.ids["department"] = {
            d["name"]: Department.create(name=d["name"], email=d.get("email"), position=i).id
            for i, d in enumerate(data["departments"])
        }
        self.ids["tag"] = {
            t["name"]: Tag.create(name=t["name"], color=t.get("color")).id for t in data["tags"]
        }
        for reply in data["canned_responses"]:
            CannedResponse.create(name=reply["name"], body=reply["body"])

    def _listening(self) -> None:
        self.queries: list[QueryInfo] = []
        self.ids["query"] = {}
        for position, q in enumerate(self.data["queries"]):
            row = Query.create(
                name=q["name"], kind=q["kind"], expression=q["expression"], color=q.get("color"),
                position=position, created_at=self.now - 300 * DAY,
            )  # fmt: skip
            self.ids["query"][q["name"]] = row.id
            self.queries.append(
                QueryInfo(row.id, q["name"], q["kind"], plain_terms(q["expression"]))
            )
        self.sources: dict[str, SourceInfo] = {}
        for s in self.data["sources"]:
            interval = s.get("interval_minutes", 15)
            failures = s.get("consecutive_failures", 0)
            enabled = s.get("enabled", True)
            fetched = self.now - s.get("minutes_since_fetch", 5) * 60
            row = Source.create(
                kind=s["kind"], name=s["name"], url=s["url"], site_url=s.get("site_url"),
                folder=s.get("folder"), config=s.get("config"), account=s.get("account"),
                all_items_are_mentions=s.get("all_items_are_mentions", False), enabled=enabled,
                disabled_reason=s.get("disabled_reason"), interval_minutes=interval,
                last_fetch_at=fetched, last_success_at=fetched - failures * interval * 60 * 2,
                last_error=s.get("last_error"), consecutive_failures=failures,
                next_fetch_at=fetched + interval * 60 * 2**failures if enabled else None,
                created_at=self.now - 200 * DAY,
            )  # fmt: skip
            host = (s.get("site_url") or s["url"]).split("/")[2]
            self.sources[s["key"]] = SourceInfo(
                row.id, s["kind"], s["name"], host, s.get("place", "")
            )

    def _rules_views_and_reports(self) -> None:
        for position, rule in enumerate(self.data["rules"]):
            Rule.create(
                name=rule["name"], position=position,
                conditions=[self._resolve(c) for c in rule["conditions"]],
                actions=[self._resolve(a) for a in rule["actions"]], created_at=self.now - 60 * DAY,
            )  # fmt: skip
        for position, view in enumerate(self.data["saved_views"]):
            SavedView.create(
                name=view["name"], position=position, filters=self._resolve(view["filters"])
            )
        for goal in self.data["goals"]:
            query = self.id("query", goal["query"]) if "query" in goal else None
            ReportGoal.create(
                metric=goal["metric"], period=goal["period"], target=goal["target"], query=query
            )
        template = self.data["report_template"]
        ReportTemplate.create(
            name=template["name"],
            config=self._resolve(template["config"]),
            created_at=self.now - 90 * DAY,
        )

    def _resolve(self, value: dict[str, Any]) -> dict[str, Any]:
        """Names in the file (queries, departments, tags) become the ids the app stores."""
        out = dict(value)
        if "queries" in out:
            out["query_ids"] = [self.id("query", name) for name in out.pop("queries")]
        if "department" in out:
            out["department_id"] = self.id("department", out.pop("department"))
        if "tags" in out and out.get("kind") != "tag":
            out["tag_ids"] = [self.id("tag", name) for name in out.pop("tags")]
        return out

    def _contacts(self) -> None:
        data = self.data
        self.ids["organisation"] = {
            o["name"]: Organisation.create(name=o["name"], website=o.get("website")).id
            for o in data["organisations"]
        }
        self.ids["list"] = {
            lst["name"]: ContactList.create(
                name=lst["name"], color=lst.get("color"), cadence_days=lst.get("cadence_days"),
                position=position,
            ).id
            for position, lst in enumerate(data["contact_lists"])
        }  # fmt: skip
        self.authors = {a["key"]: self._author(a) for a in data["authors"]}
        self.ids["contact"] = {}
        for c in data["contacts"]:
            created = self.now - int(c.get("created_days_ago", 100) * DAY)
            org = c.get("organisation")
            row = Contact.create(
                display_name=c["display_name"], given_name=c.get("given_name"),
                family_name=c.get("family_name"),
                organisation=self.id("organisation", org) if org else None,
                title=c.get("title"), location=c.get("location"), timezone=c.get("timezone"),
                stage=c.get("stage", "aware"), owner=c.get("owner"), notes=c.get("notes"),
                cadence_days=c.get("cadence_days"), created_at=created,
                updated_at=max(created, self.now - DAY),
            )  # fmt: skip
            self.ids["contact"][c["key"]] = row.id
            for kind, values in (("email", c.get("emails", [])), ("phone", c.get("phones", [])),
                                 ("website", c.get("websites", []))):  # fmt: skip
                for value in values:
                    label = None if kind == "website" else ("work" if org else "home")
                    ContactDetail.create(contact=row.id, kind=kind, value=value, label=label)
            for key in c.get("handles", []):
                author = self.authors[key]
                ContactHandle.create(
                    contact=row.id, network=author["network"], handle=author["handle"],
                    url=author["url"], reach=author["reach"],
                )  # fmt: skip
                Author.update(contact=row.id).where(Author.id == author["id"]).execute()
            for name in c.get("lists", []):
                ContactListMember.create(contact=row.id, contact_list=self.id("list", name))

    def _author(self, a: dict[str, Any]) -> dict[str, Any]:
        url = a.get("url") or _profile_url(a["network"], a["handle"])
        row = Author.create(
            network=a["network"], handle=a["handle"], name=a.get("name"), url=url,
            reach=a.get("reach"), first_seen_at=self.now - 30 * DAY,
        )  # fmt: skip
        return {**a, "id": row.id, "url": url, "reach": a.get("reach")}

    def _calendar(self) -> None:
        self.ids["campaign"] = {}
        for c in self.data["campaigns"]:
            row = Campaign.create(
                name=c["name"], starts_on=self.today + timedelta(days=c["starts_in_days"]),
                ends_on=self.today + timedelta(days=c["ends_in_days"]), goals=c.get("goals"),
                color=c.get("color"),
            )  # fmt: skip
            self.ids["campaign"][c["name"]] = row.id
        self.ids["item"] = {}
        self.item_urls: dict[str, str] = {}
        for item in self.data["calendar"]:
            starts_at = self._starts_at(item)
            day = self.today + timedelta(days=item.get("starts_in_days") or 0)
            travel = item.get("travel")
            campaign = item.get("campaign")
            created = min(starts_at or self.now, self.now) - 20 * DAY
            row = CalendarItem.create(
                title=item["title"], item_type=item["type"], channels=item.get("channels", []),
                status=item["status"], owner=item.get("owner"), starts_at=starts_at,
                duration_minutes=item.get("duration_minutes", 60),
                all_day=item.get("all_day", False),
                timezone=item.get("timezone", "UTC"),
                campaign=self.id("campaign", campaign) if campaign else None,
                tags=item.get("tags", []), brief=item.get("brief"),
                published_url=item.get("published_url"), location=item.get("location"),
                travel_starts_on=day + timedelta(days=travel[0]) if travel else None,
                travel_ends_on=day + timedelta(days=travel[1]) if travel else None,
                rrule=item.get("rrule"), reminder_minutes=item.get("reminder_minutes"),
                created_at=created, updated_at=max(created, self.now - 2 * DAY),
            )  # fmt: skip
            self.ids["item"][item["key"]] = row.id
            if item.get("published_url"):
                self.item_urls[item["key"]] = item["published_url"]
            for link in item.get("contacts", []):
                CalendarItemContact.create(
                    item=row.id,
                    contact=self.id("contact", link["contact"]),
                    role=link.get("role", ""),
                )

    def _starts_at(self, item: dict[str, Any]) -> int | None:
        """Days from today at a wall-clock time in the item's time zone, as UTC seconds."""
        days = item.get("starts_in_days")
        if days is None:
            return None
        day: date = self.today + timedelta(days=days)
        weekday = re.search(r"BYDAY=(MO|TU|WE|TH|FR|SA|SU)(?:;|$)", item.get("rrule") or "")
        if weekday:  # a weekly series starts on its own weekday
            target = ("MO", "TU", "WE", "TH", "FR", "SA", "SU").index(weekday.group(1))
            day += timedelta(days=(target - day.weekday()) % 7)
        hours, minutes = (
            (0, 0) if item.get("all_day") else map(int, item.get("at", "10:00").split(":"))
        )
        local = datetime.combine(
            day, time(hours, minutes), tzinfo=ZoneInfo(item.get("timezone", "UTC"))
        )
        return int(local.timestamp())

    def _history(self) -> None:
        """Interactions and contributions (after the calendar: some refer to its items)."""
        for c in self.data["contacts"]:
            contact_id = self.id("contact", c["key"])
            for i in c.get("interactions", []):
                item = i.get("item")
                Interaction.create(
                    contact=contact_id, kind=i["kind"], occurred_at=self._ago(days=i["days_ago"]),
                    summary=i["summary"], notes=i.get("notes"),
                    calendar_item=self.id("item", item) if item else None,
                )  # fmt: skip
            for k in c.get("contributions", []):
                recognised = k.get("recognised_days_ago")
                recognised_at = self._ago(days=recognised) if recognised is not None else None
                Contribution.create(
                    contact=contact_id, kind=k["kind"], occurred_at=self._ago(days=k["days_ago"]),
                    description=k["description"], url=k.get("url"), recognised_at=recognised_at,
                    recognition=k.get("recognition"),
                )  # fmt: skip
                if recognised_at is not None:
                    Interaction.create(
                        contact=contact_id, kind="recognition", occurred_at=recognised_at,
                        summary=k.get("recognition") or "Thanked for a contribution",
                    )  # fmt: skip
        self.ws.db.execute_sql(
            "UPDATE contact SET last_interaction_at = "
            "(SELECT MAX(occurred_at) FROM interaction i WHERE i.contact_id = contact.id)"
        )

    def _ago(self, *, days: float = 0, hours: float = 0) -> int:
        return self.now - round(days * DAY + hours * HOUR)

    def _mentions(self) -> None:
        """Mentions oldest first (ids grow with time), with their links, tags and notes."""
        from vaderSentiment.vaderSentiment import SentimentIntensityAnalyzer

        analyzer = SentimentIntensityAnalyzer()
        ordered = sorted(self.data["mentions"], key=lambda m: -m["hours_ago"])
        self.ids["mention"] = {}
        first_seen: dict[int, int] = {}
        for mid, m in enumerate(ordered, start=1):
            published = self._ago(hours=m["hours_ago"])
            author = self.authors[m["author"]]
            source = self.sources[m["source"]]
            external_id, url, canonical, thread = address(
                source, mid, author["url"], author["handle"]
            )
            page = self.item_urls[m["item"]] if m.get("item") else None
            body = f"<p>{html.escape(m['text'])}</p>"
            if page and source.kind in ("hackernews", "reddit"):
                canonical = url = page  # a story submitted with our page's address
            elif page:  # a post or article that links to our page
                body += f'<p><a href="{html.escape(page)}">{html.escape(page)}</a></p>'
            score = m.get("sentiment")
            if score is None:
                score = analyzer.polarity_scores(f"{m['title']}\n{m['text']}")["compound"]
            label = "positive" if score >= 0.05 else "negative" if score <= -0.05 else "neutral"
            Mention.insert(
                id=mid, source=source.id, external_id=external_id, url=url, canonical_url=canonical,
                title=m["title"], text=m["text"],
                html=body if source.kind == "rss" or page else None,
                author=author["id"], author_name=author.get("name"), author_handle=author["handle"],
                published_at=published, fetched_at=min(self.now, published + 240),
                lang=m.get("lang", "en"), sentiment=round(score, 4), sentiment_label=label,
                likes=m.get("likes"), replies=m.get("replies"), shares=m.get("shares"),
                score=m.get("score"), views=m.get("views"), reach=author.get("reach"),
                thread_url=thread, **self._triage(m, published),
            ).execute()  # fmt: skip
            self.ids["mention"][m.get("key", str(mid))] = mid
            if page and canonical != page:
                store_links(self.ws.db, [(mid, [page])])
            first_seen.setdefault(author["id"], published)
            for query_id in sorted(matching_queries(f"{m['title']} {m['text']}", self.queries)):
                MentionQuery.create(mention=mid, query=query_id)
            for name in m.get("tags", []):
                MentionTag.create(mention=mid, tag=self.id("tag", name))
            for who, body, after_minutes in m.get("notes", []):
                MentionNote.create(
                    mention=mid, author=who, body=body,
                    created_at=min(self.now, published + after_minutes * 60),
                )  # fmt: skip
        for author_id, seen in first_seen.items():
            Author.update(first_seen_at=seen).where(Author.id == author_id).execute()
        self.ws.db.execute_sql(
            "UPDATE source SET items_seen = "
            "(SELECT COUNT(*) FROM mention m WHERE m.source_id = source.id)"
        )

    def _triage(self, m: dict[str, Any], published: int) -> dict[str, Any]:
        state = m.get("state", "new")
        responded_at = None
        if "resp" in m:
            responded_at = min(self.now - 60, published + int(m["resp"] * 60))
        assignee, department = m.get("assignee"), m.get("dept")
        return {
            "state": state,
            "starred": m.get("star", False),
            "priority": m.get("prio", 0),
            "assignee": self.id("teammate", assignee) if assignee else None,
            "department": self.id("department", department) if department else None,
            "routing_note": m.get("note"),
            "needs_response": m.get("needs", False),
            "responded_at": responded_at,
            "responded_by": m.get("by") if responded_at else None,
            "updated_at": responded_at
            or (None if state == "new" else min(self.now, published + 900)),
        }

    def _alerts(self) -> None:
        for alert in self.data["alerts"]:
            created = self._ago(hours=alert["hours_ago"])
            acknowledged = min(self.now, created + 1800) if alert.get("acknowledged") else None
            if alert["kind"] in ("spike", "negative_spike"):
                name = alert["query"]
                write_spike_alert(
                    self.ws, self.id("query", name), name, alert["kind"], created, 1, acknowledged
                )
                continue
            rule = Rule.get(Rule.name == alert["rule"])
            mention_id = self.id("mention", alert["mention"])
            Alert.create(
                kind="rule", title=f"Rule “{rule.name}” matched", rule=rule.id, mention=mention_id,
                detail={"rule": rule.name, "mention_ids": [mention_id], "count": 1},
                created_at=created, acknowledged_at=acknowledged,
            )  # fmt: skip


def _profile_url(network: str, handle: str) -> str:
    """An author's profile address on each network (example hosts)."""
    if network == "mastodon":
        user, _, instance = handle.partition("@")
        return f"https://{instance}/@{user}"
    return {
        "bluesky": f"https://bsky.example.org/profile/{handle}",
        "reddit": f"https://reddit.example.org/user/{handle}",
        "hackernews": f"https://news.example.org/user?id={handle}",
        "github": f"https://github.example.org/{handle}",
        "stackexchange": f"https://stackoverflow.example.org/users/{handle}",
    }.get(network, f"https://{network}/authors/{handle}")
