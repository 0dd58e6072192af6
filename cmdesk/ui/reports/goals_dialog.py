"""The goals editor: targets per week, month or quarter, overall or for one query.

Each goal is a metric, a period kind, an optional query (only for the metrics counted per query,
``QUERY_GOAL_METRICS``; the query box is disabled for the others) and a target. The form checks the
target before writing and says what is wrong in words (a share is a percentage from 0 to 100; counts
are whole numbers; one goal per metric, period and query). Saves and removals go through the writer
at once; ``goals_changed`` tells the pane to recompute the figures.
"""

from __future__ import annotations

from dataclasses import dataclass

from PySide6.QtCore import QSignalBlocker, Qt, Signal
from PySide6.QtWidgets import (
    QAbstractItemView,
    QComboBox,
    QDialog,
    QDialogButtonBox,
    QFormLayout,
    QHBoxLayout,
    QHeaderView,
    QLabel,
    QLineEdit,
    QPushButton,
    QTableWidget,
    QTableWidgetItem,
    QVBoxLayout,
    QWidget,
)

from cmdesk.core.models import GOAL_METRICS
from cmdesk.core.services import queries as query_service
from cmdesk.core.services import reports as report_service
from cmdesk.core.services.reports import GOAL_PERIODS, GOAL_TITLES, QUERY_GOAL_METRICS, Goal
from cmdesk.reports import sections as fmt
from cmdesk.ui.pane import PaneContext
from cmdesk.ui.reports.writes import replace_goal

PERIOD_TITLES = {"week": "Per week", "month": "Per month", "quarter": "Per quarter"}
UNIT_HINTS = {
    "mention_volume": "mentions",
    "positive_share": "% of rated mentions",
    "median_first_response_minutes": "minutes (at most)",
    "new_advocates": "new advocates",
    "items_published": "items",
}
COUNT_METRICS = frozenset({"mention_volume", "new_advocates", "items_published"})


@dataclass(frozen=True)
class GoalInput:
    metric: str
    period: str
    target: float
    query_id: int | None


def target_text(metric: str, target: float) -> str:
    if metric == "positive_share":
        return fmt.percent(target, 0 if round(target * 100, 6).is_integer() else 1)
    if metric == "median_first_response_minutes":
        return fmt.minutes(target)
    return fmt.count(target)


def parse_target(metric: str, text: str) -> float:
    """The stored target for what the user typed; ``ValueError`` with a sentence otherwise."""
    raw = text.strip().replace(" ", "").rstrip("%")
    if not raw:
        raise ValueError("Enter a target.")
    try:
        value = float(raw if "." in raw or "," not in raw else raw.replace(",", "."))
    except ValueError:
        raise ValueError(f"“{text.strip()}” is not a number.") from None
    if not value >= 0 or value == float("inf"):
        raise ValueError("A target must be zero or more.")
    if metric == "positive_share":
        if value > 100:
            raise ValueError("A share of positive mentions is a percentage from 0 to 100.")
        return value / 100
    if metric in COUNT_METRICS and not value.is_integer():
        noun = UNIT_HINTS[metric]
        raise ValueError(f"{GOAL_TITLES[metric]} is counted in whole {noun}: enter a whole number.")
    return value


class GoalsDialog(QDialog):
    goals_changed = Signal()

    def __init__(self, ctx: PaneContext, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.ctx = ctx
        self.setWindowTitle("Report goals")
        self.resize(620, 480)
        self.goals: list[Goal] = []
        self.editing_id: int | None = None
        self.table = QTableWidget(0, 4)
        self.table.setHorizontalHeaderLabels(["Metric", "Period", "Query", "Target"])
        self.table.setSelectionBehavior(QAbstractItemView.SelectionBehavior.SelectRows)
        self.table.setSelectionMode(QAbstractItemView.SelectionMode.SingleSelection)
        self.table.setEditTriggers(QAbstractItemView.EditTrigger.NoEditTriggers)
        self.table.verticalHeader().hide()
        self.table.horizontalHeader().setSectionResizeMode(0, QHeaderView.ResizeMode.Stretch)
        self.table.itemSelectionChanged.connect(self._on_selection_changed)
        self.metric_combo = QComboBox()
        for metric in GOAL_METRICS:
            self.metric_combo.addItem(GOAL_TITLES.get(metric, metric), metric)
        self.metric_combo.currentIndexChanged.connect(self._on_metric_changed)
        self.period_combo = QComboBox()
        for period in GOAL_PERIODS:
            self.period_combo.addItem(PERIOD_TITLES[period], period)
        self.query_combo = QComboBox()
        self.query_combo.addItem("All queries", None)
        for row in query_service.list_queries(ctx.workspace):
            self.query_combo.addItem(row.name, row.id)
        self.target = QLineEdit()
        self.target.setAccessibleName("Target")
        self.unit = QLabel()
        target_row = QHBoxLayout()
        target_row.addWidget(self.target, 1)
        target_row.addWidget(self.unit)
        self.error = QLabel()
        self.error.setObjectName("goalError")
        self.error.setWordWrap(True)
        self.error.setTextFormat(Qt.TextFormat.PlainText)
        self.error.setStyleSheet("color: #c62828;")
        self.form_title = QLabel()
        form = QFormLayout()
        form.addRow("Metric", self.metric_combo)
        form.addRow("Period", self.period_combo)
        form.addRow("Query", self.query_combo)
        form.addRow("Target", target_row)
        self.new_button = QPushButton("New goal")
        self.save_button = QPushButton("Save goal")
        self.remove_button = QPushButton("Remove goal")
        self.new_button.clicked.connect(self.start_new)
        self.save_button.clicked.connect(self.save_goal)
        self.remove_button.clicked.connect(self.remove_goal)
        self.target.returnPressed.connect(self.save_goal)
        buttons = QHBoxLayout()
        for button in (self.new_button, self.remove_button):
            buttons.addWidget(button)
        buttons.addStretch(1)
        buttons.addWidget(self.save_button)
        close = QDialogButtonBox(QDialogButtonBox.StandardButton.Close)
        close.rejected.connect(self.reject)
        layout = QVBoxLayout(self)
        layout.addWidget(self.table, 1)
        layout.addWidget(self.form_title)
        layout.addLayout(form)
        layout.addWidget(self.error)
        layout.addLayout(buttons)
        layout.addWidget(close)
        self.reload()
        self.start_new()

    def reload(self, select_id: int | None = None) -> None:
        self.goals = report_service.goals(self.ctx.workspace)
        with QSignalBlocker(self.table):
            self.table.setRowCount(len(self.goals))
            for row, goal in enumerate(self.goals):
                cells = (
                    goal.title,
                    PERIOD_TITLES.get(goal.period, goal.period),
                    goal.query_name or "All queries",
                    target_text(goal.metric, goal.target),
                )
                for column, text in enumerate(cells):
                    item = QTableWidgetItem(text)
                    if column == 3:
                        item.setTextAlignment(
                            Qt.AlignmentFlag.AlignRight | Qt.AlignmentFlag.AlignVCenter
                        )
                    self.table.setItem(row, column, item)
        index = next((n for n, g in enumerate(self.goals) if g.id == select_id), None)
        if index is not None:
            with QSignalBlocker(self.table):
                self.table.selectRow(index)
            self.edit(self.goals[index])
        elif self.editing_id is not None and all(g.id != self.editing_id for g in self.goals):
            self.start_new()  # the goal shown was removed
        self.remove_button.setEnabled(self.editing_id is not None)

    def start_new(self) -> None:
        self.editing_id = None
        with QSignalBlocker(self.table):
            self.table.clearSelection()
        self.form_title.setText("New goal")
        self.target.clear()
        self.error.clear()
        self.remove_button.setEnabled(False)
        self._on_metric_changed()
        self.target.setFocus()

    def edit(self, goal: Goal) -> None:
        self.editing_id = goal.id
        self.form_title.setText(f"Goal: {goal.title}")
        self.metric_combo.setCurrentIndex(self.metric_combo.findData(goal.metric))
        self.period_combo.setCurrentIndex(self.period_combo.findData(goal.period))
        self.query_combo.setCurrentIndex(max(0, self.query_combo.findData(goal.query_id)))
        value = goal.target * 100 if goal.metric == "positive_share" else goal.target
        self.target.setText(f"{value:g}")
        self.error.clear()
        self.remove_button.setEnabled(True)

    def form_input(self) -> GoalInput:
        """What the form says, checked; ``ValueError`` with the reason in words otherwise."""
        metric = str(self.metric_combo.currentData())
        period = str(self.period_combo.currentData())
        query_id = self.query_combo.currentData() if metric in QUERY_GOAL_METRICS else None
        target = parse_target(metric, self.target.text())
        clash = next(
            (
                g
                for g in self.goals
                if (g.metric, g.period, g.query_id) == (metric, period, query_id)
                and g.id != self.editing_id
            ),
            None,
        )
        if clash is not None:
            raise ValueError(
                f"There is already a goal for {clash.title.lower()} "
                f"{PERIOD_TITLES[period].lower()} ({clash.query_name or 'all queries'}): "
                "select it in the list to change it."
            )
        return GoalInput(metric, period, target, None if query_id is None else int(query_id))

    def save_goal(self) -> None:
        try:
            goal = self.form_input()
        except ValueError as exc:
            self.error.setText(str(exc))
            return
        self.error.clear()
        ws = self.ctx.workspace

        def done(_changes: object) -> None:
            saved = next(
                (
                    g
                    for g in report_service.goals(ws)
                    if (g.metric, g.period, g.query_id) == (goal.metric, goal.period, goal.query_id)
                ),
                None,
            )
            self.reload(saved.id if saved else None)
            self.goals_changed.emit()

        self.ctx.tasks.write(
            "reports.goal",
            replace_goal,
            ws,
            self.editing_id,
            goal.metric,
            goal.period,
            goal.target,
            goal.query_id,
            label="Saving the goal",
            on_done=done,
            on_error=self.error.setText,
        )

    def remove_goal(self) -> None:
        if self.editing_id is None:
            return

        def done(_changes: object) -> None:
            self.reload()
            self.start_new()
            self.goals_changed.emit()

        self.ctx.tasks.write(
            "reports.goal",
            report_service.remove_goal,
            self.ctx.workspace,
            self.editing_id,
            label="Removing the goal",
            on_done=done,
            on_error=self.error.setText,
        )

    def _on_selection_changed(self) -> None:
        rows = self.table.selectionModel().selectedRows()
        if rows:
            self.edit(self.goals[rows[0].row()])

    def _on_metric_changed(self) -> None:
        metric = str(self.metric_combo.currentData())
        self.unit.setText(UNIT_HINTS.get(metric, ""))
        per_query = metric in QUERY_GOAL_METRICS
        if not per_query:
            with QSignalBlocker(self.query_combo):
                self.query_combo.setCurrentIndex(0)  # All queries
        self.query_combo.setEnabled(per_query)
        self.query_combo.setToolTip(
            ""
            if per_query
            else f"{GOAL_TITLES.get(metric, metric)} is measured over all queries, not per query"
        )
        examples = {"positive_share": "60", "median_first_response_minutes": "90"}
        self.target.setPlaceholderText(f"for example {examples.get(metric, '100')}")
