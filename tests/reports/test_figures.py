"""Every figure of the report against the hand-counted fixture in ``fixture.py``."""

from __future__ import annotations

from dataclasses import replace
from datetime import date

import pytest
import report_data as fixture

from cmdesk.core.db import Workspace
from cmdesk.reports import figures_scan
from cmdesk.reports.figures import ReportScope, compute_figures
from cmdesk.reports.figures_scan import QuerySets, percentiles
from cmdesk.reports.model import ReportFigures
from cmdesk.reports.periods import ReportPeriod, period_for


@pytest.fixture
def figures(workspace: Workspace) -> ReportFigures:
    fixture.build(workspace)
    period = period_for("last_week", workspace.clock.now_dt().date())
    assert (period.first, period.last) == (date(2026, 11, 9), date(2026, 11, 15))
    return compute_figures(workspace, period)


def test_totals_leave_spam_out_and_compare_with_the_week_before(figures: ReportFigures) -> None:
    t = figures.totals
    assert (t.mentions, t.positive, t.neutral, t.negative) == (5, 3, 1, 1)  # m1..m5
    assert (t.needs_response, t.responded, t.awaiting, t.starred) == (4, 3, 1, 2)
    assert t.share("positive") == pytest.approx(0.6)
    p = figures.previous_totals
    assert (p.mentions, p.positive, p.negative, p.responded) == (2, 1, 1, 1)


def test_volume_by_day_source_kind_and_query(figures: ReportFigures) -> None:
    assert figures.bucket_unit == "day" and len(figures.buckets) == 7
    assert figures.volume_by_kind["reddit"] == (1, 1, 0, 0, 0, 0, 1)  # m1 Mon, m2 Tue, m5 Sun
    assert figures.volume_by_kind["rss"] == (0, 0, 1, 1, 0, 0, 0)  # m3 Wed, m4 Thu
    assert figures.sentiment_series["positive"] == (1, 0, 0, 1, 0, 0, 1)
    by_name = {q.name: q for q in figures.queries}
    assert (by_name["Acme"].mentions, by_name["Acme"].previous) == (4, 1)  # m1 m2 m3 m5 / m8
    assert (by_name["Globex"].mentions, by_name["Globex"].previous) == (2, 1)  # m3 m4 / m9
    assert by_name["Acme"].positive_share == pytest.approx(2 / 4)


def test_share_of_voice_counts_the_brand_against_each_competitor(figures: ReportFigures) -> None:
    brand, globex = figures.share_of_voice
    assert (brand.mentions, globex.mentions) == (4, 2)
    assert brand.share == pytest.approx(4 / 6) and globex.share == pytest.approx(2 / 6)
    assert brand.previous_share == pytest.approx(1 / 2)


def test_responsiveness_overall_by_assignee_and_department(figures: ReportFigures) -> None:
    r = figures.responsiveness
    # Replies after 10, 30 and 90 minutes: median 30, P90 the 3rd of 3 (nearest rank).
    assert (r.overall.median_minutes, r.overall.p90_minutes) == (30, 90)
    assert r.previous_median_minutes == 60
    ana = next(g for g in r.by_assignee if g.name == "Ana")
    assert (ana.needs_response, ana.responded, ana.awaiting, ana.median_minutes) == (2, 2, 0, 60)
    nobody = next(g for g in r.by_assignee if g.name == "Unassigned")
    assert (nobody.needs_response, nobody.awaiting, nobody.median_minutes) == (2, 1, 10)
    support = next(g for g in r.by_department if g.name == "Support")
    assert (support.needs_response, support.responded, support.median_minutes) == (2, 1, 30)
    unrouted = next(g for g in r.by_department if g.name == "Not routed")
    assert unrouted.median_minutes == 50  # (10 + 90) / 2


def test_sources_authors_and_contacts(figures: ReportFigures) -> None:
    assert [(s.name, s.mentions, s.previous) for s in figures.top_sources] == [
        ("r/acme", 3, 1),
        ("Blog", 2, 1),
    ]
    alice, bob = figures.top_authors
    assert (alice.name, alice.contact_name, alice.mentions, alice.positive) == (
        "alice", "Alice Martin", 2, 1,
    )  # fmt: skip
    assert (bob.name, bob.contact_name, bob.mentions) == ("bob", None, 2)
    assert [a.name for a in figures.top_influencers] == ["alice", "bob"]  # reach 500, 50


def test_content_advocates_quotes_and_alerts(figures: ReportFigures) -> None:
    c = figures.content
    assert (c.planned, c.published, c.previous_published) == (2, 1, 1)
    launch = next(i for i in c.items if i.title == "Launch post")
    assert launch.mentions == 1  # m4; m7 links too but after the period
    assert figures.new_advocates == ("Alice Martin",)  # Carl contributed before
    assert [(q.author, q.tags) for q in figures.quotes] == [("alice", ("praise",)), ("Someone", ())]
    assert [a.is_crisis for a in figures.alerts] == [True]
    assert figures.previous_alerts == 1


def test_goals_met_and_missed_with_scaled_counts(figures: ReportFigures) -> None:
    goals = {g.metric: g for g in figures.goals}
    assert (goals["mention_volume"].actual, goals["mention_volume"].met) == (5, True)
    assert goals["positive_share"].met is False  # 0.6 < 0.7, not scaled
    response = goals["median_first_response_minutes"]
    assert (response.actual, response.lower_is_better, response.met) == (30, True, False)
    published = goals["items_published"]
    assert (published.target, published.actual, published.met) == (1, 1, True)  # 4.35 * 7/30.4


def test_scope_limits_every_figure_to_the_chosen_queries(workspace: Workspace) -> None:
    fixture.build(workspace)
    globex = workspace.db.execute_sql("SELECT id FROM query WHERE name = 'Globex'").fetchone()[0]
    period = ReportPeriod(date(2026, 11, 9), date(2026, 11, 15))
    f = compute_figures(workspace, period, scope=ReportScope(query_ids=(globex,)))
    assert f.totals.mentions == 2 and f.previous_totals.mentions == 1
    assert f.scope_label == "Queries: Globex"


def test_an_empty_period_has_no_division_by_zero(workspace: Workspace) -> None:
    fixture.build(workspace)
    f = compute_figures(workspace, ReportPeriod(date(2025, 1, 1), date(2025, 3, 31)))
    assert f.is_empty and f.totals.mentions == 0
    assert f.totals.share("positive") is None
    assert f.responsiveness.overall.median_minutes is None
    assert f.brand_share is None
    assert f.bucket_unit == "week"


def test_percentiles_of_a_histogram() -> None:
    assert percentiles({}) == (None, None)
    assert percentiles({5: 1}) == (5, 5)
    assert percentiles({1: 1, 2: 1, 3: 1, 4: 1}) == (2.5, 4)
    assert percentiles({0: 9, 100: 1}) == (0, 0)  # P90 of ten is the 9th


def test_a_query_goal_follows_its_query_or_says_no_data(workspace: Workspace) -> None:
    from cmdesk.core.models import Query, ReportGoal

    fixture.build(workspace)
    globex = Query.get(Query.name == "Globex")
    ReportGoal.create(metric="mention_volume", period="week", target=3, query=globex)
    # Written before per-query goals were limited to volume and positive share: never the
    # overall median under the query's name.
    ReportGoal.create(metric="median_first_response_minutes", period="week", target=5, query=globex)
    f = compute_figures(workspace, ReportPeriod(date(2026, 11, 9), date(2026, 11, 15), "last_week"))
    by_key = {(g.metric, g.query_name): g for g in f.goals}
    assert (by_key["mention_volume", "Globex"].actual, by_key["mention_volume", "Globex"].met) == (
        2,
        False,
    )
    assert by_key["median_first_response_minutes", "Globex"].actual is None
    assert by_key["median_first_response_minutes", None].actual == 30


def test_share_of_voice_positive_is_of_rated_mentions_for_every_row(workspace: Workspace) -> None:
    from cmdesk.core.models import Mention, MentionQuery, Query, Source

    fixture.build(workspace)
    acme, globex = Query.get(Query.name == "Acme"), Query.get(Query.name == "Globex")
    for n, query in enumerate((acme, globex)):  # one unrated mention each
        row = Mention.create(source=Source.get(), external_id=f"u{n}", title="u", text="u",
                             published_at=fixture.at(13), fetched_at=fixture.at(13))  # fmt: skip
        MentionQuery.create(mention=row, query=query)
    f = compute_figures(workspace, ReportPeriod(date(2026, 11, 9), date(2026, 11, 15)))
    brand, competitor = f.share_of_voice
    assert brand.mentions == 5 and brand.positive_share == pytest.approx(2 / 4)  # m1 m5 of 4 rated
    assert competitor.mentions == 3 and competitor.positive_share == pytest.approx(1 / 2)


def test_this_week_on_wednesday_compares_with_last_monday_to_wednesday(
    workspace: Workspace,
) -> None:
    fixture.build(workspace)
    period = period_for("this_week", date(2026, 11, 11))  # Monday 9 to Wednesday 11
    f = compute_figures(workspace, period)
    assert f.previous_period == ReportPeriod(date(2026, 11, 2), date(2026, 11, 4))
    assert (f.totals.mentions, f.previous_totals.mentions) == (3, 1)  # m1 m2 m3 / m8, not m9
    assert (f.alerts, f.previous_alerts) == ((), 1)  # the spike of 4 November
    assert f.content.previous_published == 1  # "Old post", 4 November
    assert len(f.buckets) == 3
    goals = {g.metric: g for g in f.goals}
    assert goals["mention_volume"].target == 2  # 4 a week, scaled to 3 days


def test_query_sets_as_text_give_the_same_figures_as_bit_masks(
    workspace: Workspace, monkeypatch: pytest.MonkeyPatch
) -> None:
    fixture.build(workspace)
    period = ReportPeriod(date(2026, 11, 9), date(2026, 11, 15))
    masks = compute_figures(workspace, period)
    monkeypatch.setattr(figures_scan, "MASK_BITS", 0)  # every query set keyed as text
    text = compute_figures(workspace, period)
    assert replace(text, generated_at=masks.generated_at) == masks


@pytest.mark.parametrize(("far_id", "as_mask"), [(40, True), (1000, False)])
def test_query_ids_far_apart_count_each_query_and_the_brand_once(
    workspace: Workspace, far_id: int, as_mask: bool
) -> None:
    """A product query with id 40 takes the top bit of a mask; with id 1000 sets go as text."""
    from cmdesk.core.models import Mention, MentionQuery, Query

    fixture.build(workspace)
    far = Query.create(id=far_id, name="Acme Far", kind="product", expression="far",
                       created_at=fixture.at(20))  # fmt: skip
    for n in (3, 4, 6, 9):  # m3 is also Acme's; m4 and m9 Globex's; m6 is spam
        MentionQuery.create(mention=Mention.get(Mention.external_id == f"m{n}"), query=far)
    ids = [qid for (qid,) in workspace.db.execute_sql("SELECT id FROM query").fetchall()]
    assert QuerySets(min(ids), max(ids), 6, frozenset()).use_mask is as_mask
    f = compute_figures(workspace, ReportPeriod(date(2026, 11, 9), date(2026, 11, 15)))
    by_name = {q.name: q for q in f.queries}
    acme_far = by_name["Acme Far"]
    assert (acme_far.mentions, acme_far.previous) == (2, 1)  # m3 m4 / m9
    assert (acme_far.positive, acme_far.neutral, acme_far.negative) == (1, 1, 0)
    assert acme_far.series == (0, 0, 1, 1, 0, 0, 0)  # Wednesday, Thursday
    assert (by_name["Acme"].mentions, by_name["Acme"].previous) == (4, 1)  # m1 m2 m3 m5 / m8
    assert (by_name["Globex"].mentions, by_name["Globex"].previous) == (2, 1)  # m3 m4 / m9
    brand, globex = f.share_of_voice
    # Brand: m1 m2 m3 m4 m5, m3 counted once though Acme and Acme Far both match it; m8 m9 before.
    assert brand.mentions == 5 and brand.share == pytest.approx(5 / 7)
    assert brand.previous_share == pytest.approx(2 / 3)
    assert brand.positive_share == pytest.approx(3 / 5)  # m1 m4 m5 of five rated
    assert globex.share == pytest.approx(2 / 7)


def test_top_authors_break_ties_by_id_and_leave_out_authors_inactive_in_the_period(
    workspace: Workspace,
) -> None:
    from cmdesk.core.models import Author, Mention, Source

    source = Source.create(kind="rss", name="Blog", created_at=fixture.at(20))
    # (mentions in the period, reach): ties on both, more than TOP_ROWS of them.
    wanted = [(3, 10), (5, 40), (3, 40), (1, 90), (5, 10), (2, None), (3, 40), (4, 20),
              (1, 40), (2, 30), (6, 5), (1, 20), (3, 20), (2, 40), (2, 20)]  # fmt: skip
    authors = []
    for n, (count, reach) in enumerate(wanted):
        author = Author.create(network="blog", handle=f"a{n}", reach=reach, first_seen_at=0)
        authors.append(author)
        for k in range(count):
            Mention.create(source=source, author=author, external_id=f"{n}-{k}", title="t",
                           text="t", published_at=fixture.at(10),
                           fetched_at=fixture.at(10))  # fmt: skip
    # Widest reach of all, but active only before the period or not at all: never listed.
    before = Author.create(network="blog", handle="before", reach=1000, first_seen_at=0)
    Mention.create(source=source, author=before, external_id="b", title="t", text="t",
                   published_at=fixture.at(3), fetched_at=fixture.at(3))  # fmt: skip
    Author.create(network="blog", handle="idle", reach=2000, first_seen_at=0)
    f = compute_figures(workspace, ReportPeriod(date(2026, 11, 9), date(2026, 11, 15)))
    ids = {a.id: n for n, a in enumerate(authors)}
    by_mentions = sorted(range(len(wanted)), key=lambda n: (-wanted[n][0], authors[n].id))
    assert [ids[a.author_id] for a in f.top_authors] == by_mentions[:10]
    assert [a.mentions for a in f.top_authors] == [6, 5, 5, 4, 3, 3, 3, 3, 2, 2]
    with_reach = [n for n, (_count, reach) in enumerate(wanted) if reach is not None]
    by_reach = sorted(with_reach, key=lambda n: (-wanted[n][1], -wanted[n][0], authors[n].id))
    assert [ids[a.author_id] for a in f.top_influencers] == by_reach[:10]
    assert [a.reach for a in f.top_influencers] == [90, 40, 40, 40, 40, 40, 30, 20, 20, 20]
