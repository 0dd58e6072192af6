"""The rules editor: conditions and actions of inbox rules, tried on stored mentions before saving.

While the user edits the conditions, "This rule would have matched N mentions" is recounted in a
worker thread (latest wins). Saving, reordering, deleting and "apply to existing mentions" go
through the task runner's writer.
"""

from __future__ import annotations

from typing import Any

from PySide6.QtCore import Qt, QTimer
from PySide6.QtWidgets import (
    QCheckBox,
    QComboBox,
    QDialog,
    QDialogButtonBox,
    QFormLayout,
    QGroupBox,
    QHBoxLayout,
    QLabel,
    QLineEdit,
    QListWidget,
    QListWidgetItem,
    QMessageBox,
    QPushButton,
    QSpinBox,
    QVBoxLayout,
    QWidget,
)

from cmdesk.core.models import SENTIMENT_LABELS, SOURCE_KINDS
from cmdesk.core.services import inbox_rules
from cmdesk.core.services.inbox_rules import RuleRow
from cmdesk.core.services.mention_detail import FilterChoices
from cmdesk.core.services.triage import PRIORITIES
from cmdesk.ui.tasks import TaskRunner

TRY_PAUSE_MS = 300


def _split(text: str) -> list[str]:
    return [part.strip() for part in text.split(",") if part.strip()]


def _combo(items: list[tuple[str, Any]], empty: str) -> QComboBox:
    combo = QComboBox()
    combo.addItem(empty, None)
    for title, data in items:
        combo.addItem(title, data)
    return combo


def _select(combo: QComboBox, data: Any) -> None:
    index = combo.findData(data)
    combo.setCurrentIndex(max(index, 0))


class RuleEditor(QWidget):
    """The fields of one rule; :meth:`conditions` and :meth:`actions` read them as JSON."""

    def __init__(self, choices: FilterChoices, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.name = QLineEdit()
        self.name.setPlaceholderText("e.g. Complaints to Support")
        self.words = QLineEdit()
        self.words.setPlaceholderText("refund, not working, cancel my account")
        self.query = _combo([(n, i) for i, n in choices.queries], "Any query")
        sources = [(f"All {k}", ("kind", k)) for k in SOURCE_KINDS]
        self.source = _combo(sources + [(n, ("id", i)) for i, n, _ in choices.sources], "Any")
        self.contact_list = _combo([(n, i) for i, n in choices.contact_lists], "Anyone")
        self.reach = QSpinBox()
        self.reach.setRange(0, 100_000_000)
        self.reach.setSingleStep(1000)
        self.reach.setSpecialValueText("Any reach")
        self.sentiment = _combo([(s.title(), s) for s in SENTIMENT_LABELS], "Any sentiment")
        self.langs = QLineEdit()
        self.langs.setPlaceholderText("en, fr")
        conditions = QGroupBox("When a new mention…")
        form = QFormLayout(conditions)
        form.addRow("contains any of", self.words)
        form.addRow("matched query", self.query)
        form.addRow("comes from", self.source)
        form.addRow("author is in list", self.contact_list)
        form.addRow("reach at least", self.reach)
        form.addRow("sentiment is", self.sentiment)
        form.addRow("language is one of", self.langs)

        self.tags = QLineEdit()
        self.tags.setPlaceholderText("tags to add, comma separated")
        self.assign = _combo([(n, i) for i, n, _ in choices.teammates], "Nobody")
        self.route = _combo([(n, i) for i, n in choices.departments], "No department")
        self.route_note = QLineEdit()
        self.priority = _combo([(t, p) for p, t in PRIORITIES.items() if p], "Keep")
        self.state = _combo([("Done", "done"), ("Spam", "spam"), ("Archived", "archived")], "Keep")
        self.needs_response = QCheckBox("Mark as needing a response")
        self.alert = QLineEdit()
        self.alert.setPlaceholderText("alert title (empty: no alert)")
        actions = QGroupBox("…then")
        form = QFormLayout(actions)
        form.addRow("tag with", self.tags)
        form.addRow("assign to", self.assign)
        form.addRow("route to", self.route)
        form.addRow("routing note", self.route_note)
        form.addRow("set priority", self.priority)
        form.addRow("move to", self.state)
        form.addRow("", self.needs_response)
        form.addRow("raise an alert", self.alert)
        layout = QVBoxLayout(self)
        name_row = QFormLayout()
        name_row.addRow("Rule name", self.name)
        layout.addLayout(name_row)
        layout.addWidget(conditions)
        layout.addWidget(actions)

    def condition_widgets(self) -> list[QWidget]:
        return [self.words, self.query, self.source, self.contact_list, self.reach,
                self.sentiment, self.langs]  # fmt: skip

    def conditions(self) -> list[dict[str, Any]]:
        out: list[dict[str, Any]] = []
        if words := _split(self.words.text()):
            out.append({"kind": "words", "words": words})
        if self.query.currentData() is not None:
            out.append({"kind": "query", "query_ids": [self.query.currentData()]})
        if (source := self.source.currentData()) is not None:
            key = "source_kinds" if source[0] == "kind" else "source_ids"
            out.append({"kind": "source", key: [source[1]]})
        if self.contact_list.currentData() is not None:
            out.append({"kind": "contact_list", "list_ids": [self.contact_list.currentData()]})
        if self.reach.value():
            out.append({"kind": "reach", "min": self.reach.value()})
        if self.sentiment.currentData():
            out.append({"kind": "sentiment", "labels": [self.sentiment.currentData()]})
        if langs := _split(self.langs.text()):
            out.append({"kind": "language", "langs": [lang.lower() for lang in langs]})
        return out

    def actions(self) -> list[dict[str, Any]]:
        out: list[dict[str, Any]] = []
        if tags := _split(self.tags.text()):
            out.append({"kind": "tag", "tags": tags})
        if self.assign.currentData() is not None:
            out.append({"kind": "assign", "teammate_id": self.assign.currentData()})
        if self.route.currentData() is not None:
            note = self.route_note.text().strip() or None
            out.append({"kind": "route", "department_id": self.route.currentData(), "note": note})
        if self.priority.currentData() is not None:
            out.append({"kind": "priority", "priority": self.priority.currentData()})
        if self.state.currentData():
            out.append({"kind": "state", "state": self.state.currentData()})
        if self.needs_response.isChecked():
            out.append({"kind": "needs_response"})
        if self.alert.text().strip():
            out.append({"kind": "alert", "title": self.alert.text().strip()})
        return out

    def load(self, rule: RuleRow | None) -> None:
        self.name.setText(rule.name if rule else "")
        for widget in (self.words, self.langs, self.tags, self.route_note, self.alert):
            widget.clear()
        for combo in (self.query, self.source, self.contact_list, self.sentiment, self.assign,
                      self.route, self.priority, self.state):  # fmt: skip
            combo.setCurrentIndex(0)
        self.reach.setValue(0)
        self.needs_response.setChecked(False)
        for condition in rule.conditions if rule else []:
            self._load_condition(condition)
        for action in rule.actions if rule else []:
            self._load_action(action)

    def _load_condition(self, c: dict[str, Any]) -> None:
        kind = c.get("kind")
        if kind == "words":
            self.words.setText(", ".join(c.get("words", [])))
        elif kind == "query" and c.get("query_ids"):
            _select(self.query, c["query_ids"][0])
        elif kind == "source":
            if c.get("source_kinds"):
                _select(self.source, ("kind", c["source_kinds"][0]))
            elif c.get("source_ids"):
                _select(self.source, ("id", c["source_ids"][0]))
        elif kind == "contact_list" and c.get("list_ids"):
            _select(self.contact_list, c["list_ids"][0])
        elif kind == "reach":
            self.reach.setValue(int(c.get("min", 0)))
        elif kind == "sentiment" and c.get("labels"):
            _select(self.sentiment, c["labels"][0])
        elif kind == "language":
            self.langs.setText(", ".join(c.get("langs", [])))

    def _load_action(self, a: dict[str, Any]) -> None:
        kind = a.get("kind")
        if kind == "tag":
            self.tags.setText(", ".join(a.get("tags", [])))
        elif kind == "assign":
            _select(self.assign, a.get("teammate_id"))
        elif kind == "route":
            _select(self.route, a.get("department_id"))
            self.route_note.setText(a.get("note") or "")
        elif kind == "priority":
            _select(self.priority, a.get("priority"))
        elif kind == "state":
            _select(self.state, a.get("state"))
        elif kind == "needs_response":
            self.needs_response.setChecked(True)
        elif kind == "alert":
            self.alert.setText(a.get("title") or "")


class RulesDialog(QDialog):
    def __init__(self, tasks: TaskRunner, choices: FilterChoices, parent: QWidget | None) -> None:
        super().__init__(parent)
        self.setWindowTitle("Inbox rules")
        self.tasks = tasks
        self.ws = tasks.workspace
        self.list = QListWidget()
        self.list.currentItemChanged.connect(self._on_current_changed)
        self.editor = RuleEditor(choices)
        self.matched = QLabel("Set a condition to see how many mentions it matches.")
        self.matched.setTextFormat(Qt.TextFormat.PlainText)
        self.enabled = QCheckBox("Enabled")
        self.enabled.setChecked(True)
        self._try_timer = QTimer(self)
        self._try_timer.setSingleShot(True)
        self._try_timer.setInterval(TRY_PAUSE_MS)
        self._try_timer.timeout.connect(self.try_rule)
        for widget in self.editor.condition_widgets():
            signal = getattr(widget, "textChanged", None) or getattr(widget, "valueChanged", None)
            if isinstance(widget, QComboBox):
                signal = widget.currentIndexChanged
            signal.connect(self._try_timer.start)
        self.rule_id: int | None = None
        self._build_layout()
        self.resize(880, 620)
        self.reload()

    def _build_layout(self) -> None:
        left = QVBoxLayout()
        left.addWidget(QLabel("Rules run in this order on every new mention"))
        left.addWidget(self.list, 1)
        for text, slot in (
            ("New rule", self._on_new),
            ("Move up", lambda: self._move(-1)),
            ("Move down", lambda: self._move(1)),
            ("Delete", self._on_delete),
            ("Apply to existing mentions", self._on_apply),
        ):
            button = QPushButton(text)
            button.clicked.connect(slot)
            left.addWidget(button)
        right = QVBoxLayout()
        right.addWidget(self.editor)
        right.addWidget(self.matched)
        row = QHBoxLayout()
        row.addWidget(self.enabled)
        save = QPushButton("Save rule")
        save.setDefault(True)
        save.clicked.connect(self.save)
        row.addStretch(1)
        row.addWidget(save)
        right.addLayout(row)
        top = QHBoxLayout()
        top.addLayout(left, 1)
        top.addLayout(right, 2)
        layout = QVBoxLayout(self)
        layout.addLayout(top)
        close = QDialogButtonBox(QDialogButtonBox.StandardButton.Close)
        close.rejected.connect(self.reject)
        layout.addWidget(close)

    def reload(self, select: int | None = None) -> None:
        self.list.blockSignals(True)
        self.list.clear()
        for rule in inbox_rules.list_rules(self.ws):
            text = rule.name + ("" if rule.enabled else "  (off)")
            if rule.last_error:
                text += "  ⚠"
            item = QListWidgetItem(text)
            item.setData(Qt.ItemDataRole.UserRole, rule)
            if rule.last_error:
                item.setToolTip(f"Last run failed: {rule.last_error}")
            self.list.addItem(item)
            if rule.id == select:
                self.list.setCurrentItem(item)
        self.list.blockSignals(False)
        # Signals were blocked while filling: make the selected rule (the one just saved or
        # moved) the one the buttons act on, or saving again would add a copy of it.
        current = self.list.currentItem()
        if current is not None:
            self._on_current_changed(current)
        else:
            self.rule_id = None

    def _on_current_changed(self, item: QListWidgetItem | None) -> None:
        rule = item.data(Qt.ItemDataRole.UserRole) if item else None
        self.rule_id = rule.id if rule else None
        self.enabled.setChecked(rule.enabled if rule else True)
        self.editor.load(rule)
        self.try_rule()

    def _on_new(self) -> None:
        self.list.clearSelection()
        self.rule_id = None
        self.editor.load(None)
        self.editor.name.setFocus()

    def try_rule(self) -> None:
        conditions = self.editor.conditions()
        if not conditions:
            self.matched.setText("Set a condition to see how many mentions it matches.")
            return
        self.matched.setText("Counting matching mentions…")
        self.tasks.run_in_thread(
            "try-rule",
            lambda _progress: inbox_rules.try_rule(self.ws, conditions),
            label="Trying the rule",
            latest_wins=True,
            on_done=self._on_tried,
        )

    def _on_tried(self, count: int) -> None:
        self.matched.setText(
            f"This rule would have matched {count:,} stored mention{'s' if count != 1 else ''}."
        )
        self.last_count = count

    def save(self) -> None:
        self.tasks.write(
            "save-rule",
            inbox_rules.save_rule,
            self.ws,
            self.editor.name.text(),
            self.editor.conditions(),
            self.editor.actions(),
            self.rule_id,
            self.enabled.isChecked(),
            label="Save rule",
            on_done=lambda result: self.reload(result[0]),
            on_error=lambda message: QMessageBox.warning(self, "Inbox rules", message),
        )

    def _move(self, step: int) -> None:
        if self.rule_id is not None:
            rule_id = self.rule_id
            self.tasks.write(
                "move-rule",
                inbox_rules.move_rule,
                self.ws,
                rule_id,
                step,
                on_done=lambda _r: self.reload(rule_id),
            )

    def _on_delete(self) -> None:
        if self.rule_id is None:
            return
        if QMessageBox.question(self, "Delete rule", "Delete this rule?") != (
            QMessageBox.StandardButton.Yes
        ):
            return
        self.tasks.write(
            "delete-rule",
            inbox_rules.delete_rule,
            self.ws,
            self.rule_id,
            on_done=lambda _r: (self._on_new(), self.reload()),
        )

    def _on_apply(self) -> None:
        if self.rule_id is None:
            self.matched.setText("Save the rule (or pick one in the list) to apply it.")
            return
        self.tasks.write(
            "apply-rule",
            inbox_rules.apply_to_existing,
            self.ws,
            self.rule_id,
            label="Applying the rule to stored mentions",
            on_done=lambda result: self.matched.setText(
                f"Applied to {result[0]:,} stored mentions."
            ),
        )
