"""Managing inbox rules: list, save (validated), reorder, enable, try and apply to stored mentions.

Imports no Qt. How rules match and act is :mod:`cmdesk.core.analysis.rules`; this is what the
rules editor and the CLI call.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from typing import Any, NamedTuple

from cmdesk.core.analysis import rules
from cmdesk.core.changes import Changes
from cmdesk.core.db import Workspace
from cmdesk.core.models import Rule
from cmdesk.core.progress import Progress
from cmdesk.core.services.inbox_filters import compile_filter


class Saved(NamedTuple):
    """The id of what was saved and what changed (the task runner announces ``changes``)."""

    id: int
    changes: Changes


class Applied(NamedTuple):
    count: int
    changes: Changes


@dataclass(frozen=True)
class RuleRow:
    id: int
    name: str
    position: int
    enabled: bool
    conditions: list[dict[str, Any]]
    actions: list[dict[str, Any]]
    last_error: str | None


def list_rules(ws: Workspace) -> list[RuleRow]:
    return [
        RuleRow(
            r.id, r.name, r.position, r.enabled, r.conditions or [], r.actions or [], r.last_error
        )
        for r in Rule.select().order_by(Rule.position, Rule.id)
    ]


def save_rule(
    ws: Workspace,
    name: str,
    conditions: Sequence[dict[str, Any]],
    actions: Sequence[dict[str, Any]],
    rule_id: int | None = None,
    enabled: bool = True,
) -> Saved:
    """Create (added last) or update a rule after validating it."""
    if not name.strip():
        raise rules.RuleError("a rule needs a name")
    rules.validate(conditions, actions)
    values = {
        "name": name.strip(),
        "conditions": list(conditions),
        "actions": list(actions),
        "enabled": enabled,
        "last_error": None,
    }
    if rule_id is None:
        last = Rule.select(Rule.position).order_by(Rule.position.desc()).first()
        rule = Rule.create(
            **values, position=(last.position + 1) if last else 0, created_at=ws.clock.now()
        )
        return Saved(rule.id, Changes(settings=True))
    Rule.update(**values).where(Rule.id == rule_id).execute()
    return Saved(rule_id, Changes(settings=True))


def delete_rule(ws: Workspace, rule_id: int) -> Changes:
    Rule.delete().where(Rule.id == rule_id).execute()
    return Changes(settings=True)


def move_rule(ws: Workspace, rule_id: int, step: int) -> Changes:
    ids = [r.id for r in list_rules(ws)]
    index = ids.index(rule_id)
    ids.insert(max(0, min(len(ids) - 1, index + step)), ids.pop(index))
    for position, other in enumerate(ids):
        Rule.update(position=position).where(Rule.id == other).execute()
    return Changes(settings=True)


def try_rule(ws: Workspace, conditions: Sequence[dict[str, Any]]) -> int:
    """How many stored mentions the conditions match ("this rule would have matched N")."""
    return rules.count_matching(ws, conditions)


def apply_to_existing(
    ws: Workspace, rule_id: int, progress: Progress | None = None, batch: int = 2000
) -> Applied:
    """Run one rule on every stored mention it matches, in batches; returns how many it touched.

    Call on the writer. Alert actions raise one alert for the whole run, not one per batch.
    """
    rule = Rule.get_by_id(rule_id)
    compiled = compile_filter(rules.conditions_to_filter(rule.conditions or []))
    sql = f"SELECT m.id {compiled.from_sql} WHERE {compiled.where_sql} ORDER BY m.id"
    ids = [row[0] for row in ws.db.execute_sql(sql, compiled.params)]
    actions = [a for a in rule.actions or [] if a.get("kind") != "alert"]
    for start in range(0, len(ids), batch):
        rules.apply_actions(ws, rule, actions, ids[start : start + batch])
        if progress is not None:
            progress.update(min(start + batch, len(ids)), len(ids), rule.name)
    changes = Changes(mentions=bool(ids))
    if ids and len(actions) != len(rule.actions or []):
        rules.apply_actions(ws, rule, [a for a in rule.actions if a.get("kind") == "alert"], ids)
        changes |= Changes(alerts=True)
    return Applied(len(ids), changes)
