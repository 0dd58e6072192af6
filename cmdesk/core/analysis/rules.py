"""Inbox rules: when a new mention matches conditions, tag, assign, route, prioritise or alert.

Imports no Qt. A :class:`~cmdesk.core.models.Rule` stores ``conditions`` and ``actions`` as JSON
lists of small dicts, each with a ``kind``:

conditions (all must hold): ``{"kind": "query", "query_ids": [..]}``,
``{"kind": "words", "words": ["refund", "not working"]}`` (any word or phrase),
``{"kind": "source", "source_ids": [..], "source_kinds": [..]}``,
``{"kind": "contact_list", "list_ids": [..]}`` (the author's contact is in one of them),
``{"kind": "reach", "min": 10000}``, ``{"kind": "sentiment", "labels": ["negative"]}``,
``{"kind": "language", "langs": ["en", "fr"]}``.

actions: ``{"kind": "tag", "tags": [..]}``, ``{"kind": "assign", "teammate_id": 3}``,
``{"kind": "route", "department_id": 2, "note": ".."}``, ``{"kind": "priority", "priority": 3}``,
``{"kind": "state", "state": "done" | "spam" | ..}``, ``{"kind": "needs_response"}``,
``{"kind": "alert", "title": ".."}``.

Conditions become one :class:`MentionFilter`, so a rule matches in SQL exactly what the inbox
would show for the same filter; "test on stored mentions" is a COUNT over that filter. Rules run
in ``position`` order, each inside its own savepoint: a failing rule is rolled back, skipped,
recorded in ``Rule.last_error`` and reported — it never drops or half-changes a mention.
"""

from __future__ import annotations

import logging
from collections.abc import Sequence
from dataclasses import dataclass, field
from typing import Any

from cmdesk.core.changes import Changes
from cmdesk.core.db import Workspace
from cmdesk.core.models import MENTION_STATES, Rule
from cmdesk.core.services import triage
from cmdesk.core.services.inbox_filters import MentionFilter, compile_filter

log = logging.getLogger(__name__)

CONDITION_KINDS = ("query", "words", "source", "contact_list", "reach", "sentiment", "language")
ACTION_KINDS = ("tag", "assign", "route", "priority", "state", "needs_response", "alert")


class RuleError(ValueError):
    """A rule's conditions or actions are not valid; the message names what is wrong."""


@dataclass
class RulesReport:
    """What running the rules did: matches per rule, alerts raised, rules that failed."""

    matched: dict[int, int] = field(default_factory=dict)  # rule id -> mentions matched
    alert_ids: list[int] = field(default_factory=list)
    failures: list[tuple[int, str]] = field(default_factory=list)  # rule id, message
    changes: Changes = field(default_factory=Changes)


def conditions_to_filter(conditions: Sequence[dict[str, Any]]) -> MentionFilter:
    """The inbox filter equivalent to a rule's conditions (all of them must hold)."""
    values: dict[str, Any] = {}
    for condition in conditions:
        kind = condition.get("kind")
        if kind == "query":
            values["query_ids"] = tuple(int(x) for x in condition.get("query_ids", ()))
        elif kind == "words":
            values["words"] = tuple(str(x) for x in condition.get("words", ()) if str(x).strip())
        elif kind == "source":
            values["source_ids"] = tuple(int(x) for x in condition.get("source_ids", ()))
            values["source_kinds"] = tuple(str(x) for x in condition.get("source_kinds", ()))
        elif kind == "contact_list":
            values["contact_list_ids"] = tuple(int(x) for x in condition.get("list_ids", ()))
        elif kind == "reach":
            values["min_reach"] = int(condition.get("min", 0))
        elif kind == "sentiment":
            values["sentiments"] = tuple(str(x) for x in condition.get("labels", ()))
        elif kind == "language":
            values["langs"] = tuple(str(x).lower() for x in condition.get("langs", ()))
        else:
            raise RuleError(f"unknown condition {kind!r}")
    return MentionFilter(**values)


def validate(conditions: Sequence[dict[str, Any]], actions: Sequence[dict[str, Any]]) -> None:
    """Raise :class:`RuleError` unless the rule can run."""
    filt = conditions_to_filter(conditions)
    if filt.is_empty():
        raise RuleError("a rule needs at least one condition")
    if not actions:
        raise RuleError("a rule needs at least one action")
    for action in actions:
        kind = action.get("kind")
        if kind not in ACTION_KINDS:
            raise RuleError(f"unknown action {kind!r}")
        if kind == "state" and action.get("state") not in MENTION_STATES:
            raise RuleError(f"unknown state {action.get('state')!r}")
        if kind == "priority" and int(action.get("priority", -1)) not in triage.PRIORITIES:
            raise RuleError("priority must be 0 to 4")
        if kind == "tag" and not [t for t in action.get("tags", ()) if str(t).strip()]:
            raise RuleError("the tag action needs a tag")


def matching_ids(
    ws: Workspace, conditions: Sequence[dict[str, Any]], among: Sequence[int]
) -> list[int]:
    """The mentions among ``among`` that satisfy every condition."""
    found: list[int] = []
    for start in range(0, len(among), triage.CHUNK):
        chunk = list(among[start : start + triage.CHUNK])
        compiled = compile_filter(conditions_to_filter(conditions), among_ids=chunk)
        sql = f"SELECT m.id {compiled.from_sql} WHERE {compiled.where_sql}"
        found.extend(row[0] for row in ws.db.execute_sql(sql, compiled.params))
    return found


def count_matching(ws: Workspace, conditions: Sequence[dict[str, Any]]) -> int:
    """How many stored mentions the conditions match: "this rule would have matched N"."""
    filt = conditions_to_filter(conditions)
    if filt.is_empty():
        return 0
    compiled = compile_filter(filt)
    sql = f"SELECT COUNT(*) {compiled.from_sql} WHERE {compiled.where_sql}"
    return int(ws.db.execute_sql(sql, compiled.params).fetchone()[0])


def apply_actions(
    ws: Workspace, rule: Rule, actions: Sequence[dict[str, Any]], ids: Sequence[int]
) -> list[int]:
    """Do the rule's actions on ``ids``; returns the ids of the alerts raised."""
    alerts: list[int] = []
    for action in actions:
        kind = action.get("kind")
        if kind == "tag":
            triage.add_tags(ws, ids, [str(t) for t in action.get("tags", ())])
        elif kind == "assign":
            triage.assign(ws, ids, _optional_int(action.get("teammate_id")))
        elif kind == "route":
            triage.route_to_department(
                ws, ids, _optional_int(action.get("department_id")), action.get("note")
            )
        elif kind == "priority":
            triage.set_priority(ws, ids, int(action["priority"]))
        elif kind == "state":
            triage.set_state(ws, ids, str(action["state"]))
        elif kind == "needs_response":
            triage.set_needs_response(ws, ids, True)
        elif kind == "alert":
            alerts.append(_raise_alert(ws, rule, action, ids))
        else:
            raise RuleError(f"unknown action {kind!r}")
    return alerts


def _optional_int(value: Any) -> int | None:
    return None if value in (None, "") else int(value)


def _raise_alert(ws: Workspace, rule: Rule, action: dict[str, Any], ids: Sequence[int]) -> int:
    title = str(action.get("title") or f"Rule “{rule.name}” matched")
    if len(ids) > 1:
        title = f"{title} ({len(ids)} mentions)"
    cursor = ws.db.execute_sql(
        "INSERT INTO alert(kind, title, detail, rule_id, mention_id, created_at) "
        "VALUES ('rule', ?, json(?), ?, ?, ?)",
        [
            title,
            _json({"rule": rule.name, "mention_ids": list(ids)[:100], "count": len(ids)}),
            rule.id,
            max(ids),
            ws.clock.now(),
        ],
    )
    return int(cursor.lastrowid)


def _json(value: Any) -> str:
    import json

    return json.dumps(value, ensure_ascii=False)


def enabled_rules(ws: Workspace) -> list[Rule]:
    return list(Rule.select().where(Rule.enabled == True).order_by(Rule.position, Rule.id))  # noqa: E712


def run_rules(
    ws: Workspace, mention_ids: Sequence[int], rules: Sequence[Rule] | None = None
) -> RulesReport:
    """Run rules in order on ``mention_ids``; call on the writer, inside a transaction."""
    report = RulesReport()
    if not mention_ids:
        return report
    for rule in enabled_rules(ws) if rules is None else rules:
        try:
            with ws.db.savepoint():
                ids = matching_ids(ws, rule.conditions or [], mention_ids)
                if not ids:
                    continue
                report.alert_ids += apply_actions(ws, rule, rule.actions or [], ids)
                report.matched[rule.id] = len(ids)
                report.changes |= Changes(mentions=True, alerts=bool(report.alert_ids))
                if rule.last_error:
                    Rule.update(last_error=None).where(Rule.id == rule.id).execute()
        except Exception as exc:  # noqa: BLE001 - a broken rule must never stop ingest
            message = f"{type(exc).__name__}: {exc}"
            log.warning("Rule %s (%s) failed: %s", rule.id, rule.name, message)
            report.failures.append((rule.id, message))
            Rule.update(last_error=message[:500]).where(Rule.id == rule.id).execute()
    return report
