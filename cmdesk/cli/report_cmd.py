"""``cmdesk report``: write the PDF report (and a CSV of its numbers) for a period; set goals.

Imports no Qt itself; the renderer brings QtGui in on use and an offscreen QGuiApplication is made
when there is no display. Dates are local days (``YYYY-MM-DD``, both included); without dates the
template's kind of period (default last week) is used. The title is ``--title``, else the
template's saved title. Writing the PDF saves the period's report (one per period, with its
suggestions) marked as exported, so a headless weekly run clears the weekly reminder. Progress goes
to stderr, the written files to stdout.
"""

from __future__ import annotations

import argparse
from datetime import date
from pathlib import Path
from typing import Any

from cmdesk.cli.context import CliContext, CliError
from cmdesk.core.files import atomic_path
from cmdesk.core.models import GOAL_METRICS
from cmdesk.core.services import reports as report_service
from cmdesk.reports.periods import PERIOD_KINDS, ReportPeriod, parse_day, period_for

DEFAULT_TITLE = "Community report"


def register(subparsers: Any) -> None:
    parser = subparsers.add_parser(
        "report",
        help="write the PDF report for management (and a CSV of every number); set goals",
        description="Write the community report for a period as a PDF, optionally with a CSV "
        "of every number in it. 'cmdesk report goals ...' lists and sets the targets.",
    )
    parser.add_argument("--from", dest="first", metavar="DATE", help="first day, YYYY-MM-DD")
    parser.add_argument("--to", dest="last", metavar="DATE", help="last day, YYYY-MM-DD")
    parser.add_argument("--period", choices=PERIOD_KINDS[:-1], help="a named period instead")
    parser.add_argument("--template", metavar="NAME", help="a saved report template")
    parser.add_argument("--title", default=None, help="the title on the cover")
    parser.add_argument("--suggestions", metavar="FILE", type=Path,
                        help="a text file with your suggestions for management")  # fmt: skip
    parser.add_argument("--out", metavar="FILE.pdf", type=Path, help="the PDF to write")
    parser.add_argument("--csv", metavar="FILE", type=Path, help="also write every number as CSV")
    parser.set_defaults(func=report, goals_command=None)
    sub = parser.add_subparsers(dest="report_command", metavar="ACTION")
    goals = sub.add_parser("goals", help="list goals, or set/remove one")
    goal_sub = goals.add_subparsers(dest="goals_command", metavar="ACTION")
    goal_sub.add_parser("list", help="list the goals (the default)")
    setter = goal_sub.add_parser("set", help="set a target: METRIC PERIOD TARGET")
    setter.add_argument("metric", choices=GOAL_METRICS)
    setter.add_argument("period", choices=report_service.GOAL_PERIODS)
    setter.add_argument("target", help="a number; a share as 0.6 or 60%%")
    setter.add_argument(
        "--query",
        metavar="NAME",
        help="for one query only (mention_volume and positive_share; others are overall)",
    )
    remover = goal_sub.add_parser("remove", help="remove a goal by id")
    remover.add_argument("goal_id", type=int)
    goals.set_defaults(func=goals_command)


def _period(args: argparse.Namespace, kind: str, today: date) -> ReportPeriod:
    if args.first or args.last:
        if not (args.first and args.last):
            raise CliError("give both --from and --to (or neither)")
        try:
            period = ReportPeriod(parse_day(args.first), parse_day(args.last))
        except ValueError as exc:
            raise CliError(str(exc)) from exc
        return period
    return period_for(args.period or kind, today)


def report(args: argparse.Namespace, ctx: CliContext) -> int:
    from datetime import datetime

    from cmdesk.reports.csv_export import write_csv
    from cmdesk.reports.produce import (
        ReportRequest,
        ensure_gui_application,
        figures_for,
        pages_for,
        zone,
    )  # fmt: skip
    from cmdesk.reports.sections import ReportConfig, ReportText

    if args.out is None:
        raise CliError("say where to write the PDF with --out FILE.pdf")
    ws = ctx.workspace
    config = ReportConfig()
    template_id, template_title = None, ""
    if args.template:
        template = report_service.template_by_name(ws, args.template)
        if template is None:
            names = ", ".join(t.name for t in report_service.templates(ws)) or "none saved"
            raise CliError(f"no template called {args.template!r} (templates: {names})")
        config, template_id = ReportConfig.from_json(template.config), template.id
        template_title = str(template.config.get("title") or "").strip()
    tz = zone()
    period = _period(args, config.period_kind, datetime.now(tz).date())
    suggestions = _suggestions(ws, args.suggestions, period)
    title = (args.title or "").strip() or template_title or DEFAULT_TITLE
    text = ReportText(title=title, suggestions=suggestions, tz=tz)
    request = ReportRequest(period, config, text)
    figures = figures_for(ws, request, ctx.progress("report"))
    ensure_gui_application()
    from cmdesk.reports.pdf import write_pdf

    pages = pages_for(figures, request)
    with atomic_path(args.out) as partial:
        write_pdf(pages, partial)
    ctx.print(f"{args.out}\t{pages.page_count} pages\t{period.label()}")
    if args.csv:
        with atomic_path(args.csv) as partial:
            count = write_csv(figures, partial)
        ctx.print(f"{args.csv}\t{count} numbers")
    ws.write(
        report_service.save_period_report, ws, period.first, period.last, suggestions,
        template_id, text.title, exported=True,
    ).result()  # fmt: skip
    return 0


def _suggestions(ws: Any, path: Path | None, period: ReportPeriod) -> str:
    if path is not None:
        try:
            return path.read_text(encoding="utf-8")
        except OSError as exc:
            raise CliError(f"cannot read {path}: {exc.strerror or exc}") from exc
    saved = report_service.latest_report_for(ws, period.first, period.last)
    return saved.suggestions if saved is not None else ""


def goals_command(args: argparse.Namespace, ctx: CliContext) -> int:
    ws = ctx.workspace
    if args.goals_command == "set":
        if args.query and args.metric not in report_service.QUERY_GOAL_METRICS:
            allowed = " and ".join(sorted(report_service.QUERY_GOAL_METRICS))
            raise CliError(f"--query works only for {allowed}; {args.metric} is overall only")
        query_id = _query_id(ws, args.query) if args.query else None
        target = _target(args.metric, args.target)
        try:
            ws.write(report_service.set_goal, ws, args.metric, args.period, target,
                     query_id).result()  # fmt: skip
        except report_service.ReportError as exc:
            raise CliError(str(exc)) from exc
    elif (
        args.goals_command == "remove"
        and not ws.write(report_service.remove_goal, ws, args.goal_id).result()
    ):
        raise CliError(f"no goal with id {args.goal_id}")
    for goal in report_service.goals(ws):
        target = f"{goal.target:.0%}" if goal.metric == "positive_share" else f"{goal.target:g}"
        query = f"\t{goal.query_name}" if goal.query_name else ""
        ctx.print(f"{goal.id}\t{goal.metric}\t{goal.period}\t{target}{query}")
    return 0


def _target(metric: str, text: str) -> float:
    raw = text.strip()
    try:
        value = float(raw.rstrip("%"))
    except ValueError:
        raise CliError(f"{text!r} is not a number") from None
    if metric == "positive_share" and (raw.endswith("%") or value > 1):
        value /= 100
    return value


def _query_id(ws: Any, name: str) -> int:
    row = ws.db.execute_sql("SELECT id FROM query WHERE name = ?", (name,)).fetchone()
    if row is None:
        raise CliError(f"no query called {name!r}")
    return int(row[0])
