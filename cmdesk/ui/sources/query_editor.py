"""The query editor: name, kind, colour, expression with positioned errors, limits, live count.

The expression is parsed on every keystroke (cheap: capped at MAX_LENGTH characters); a syntax
error is shown under the field with a caret under the offending character, and the character is
underlined in the field itself. When it parses, the count of stored mentions that match is
computed in a worker thread ~250 ms after the last change, latest wins, so typing never waits
for the full-text index even on a million mentions. The editor only collects input; the queries
view saves and deletes through the services.
"""

from __future__ import annotations

from dataclasses import dataclass

from PySide6.QtCore import Qt, QTimer, Signal
from PySide6.QtGui import QColor, QFont, QIcon, QPixmap, QTextCharFormat, QTextCursor
from PySide6.QtWidgets import (
    QCheckBox,
    QComboBox,
    QFormLayout,
    QHBoxLayout,
    QLabel,
    QLineEdit,
    QListWidget,
    QListWidgetItem,
    QPlainTextEdit,
    QPushButton,
    QTextEdit,
    QVBoxLayout,
    QWidget,
)

from cmdesk.core.models import QUERY_KINDS
from cmdesk.core.query import QueryError, parse
from cmdesk.core.services import queries
from cmdesk.core.services.queries import QueryRow
from cmdesk.core.services.sources import SourceRow
from cmdesk.ui.pane import PaneContext

COUNT_DELAY_MS = 250
COUNT_TASK = "sources.query-count"
COLORS = (
    ("No colour", None), ("Blue", "#2563eb"), ("Green", "#16a34a"), ("Orange", "#ea580c"),
    ("Red", "#dc2626"), ("Purple", "#9333ea"), ("Teal", "#0d9488"), ("Grey", "#6b7280"),
)  # fmt: skip
KIND_TITLES = {"brand": "Brand", "product": "Product", "competitor": "Competitor",
               "topic": "Topic"}  # fmt: skip
SYNTAX_HELP = (
    'Words match whole words, "quoted phrases" exactly, acme* any word starting with acme; '
    "words side by side must all be there; OR for either, -word or NOT to leave out, "
    "(parentheses) to group."
)


@dataclass(frozen=True)
class QueryInput:
    name: str
    kind: str
    expression: str
    language: str | None
    enabled: bool
    color: str | None
    source_ids: tuple[int, ...]


def swatch(color: str | None) -> QIcon:
    pixmap = QPixmap(12, 12)
    pixmap.fill(QColor(color) if color else QColor(0, 0, 0, 0))
    return QIcon(pixmap)


class QueryEditor(QWidget):
    """Emits ``save_requested`` and ``delete_requested`` with the buttons; ``count_shown``."""

    save_requested = Signal()
    delete_requested = Signal()
    count_shown = Signal(int)

    def __init__(self, ctx: PaneContext, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.ctx = ctx
        self.editing: QueryRow | None = None
        self.count: int | None = None
        self.syntax_error: QueryError | None = None
        self._generation = 0
        self.title = QLabel("New query")
        self.title.setObjectName("paneTitle")
        self.name = QLineEdit()
        self.name.setPlaceholderText("Acme brand")
        self.kind = QComboBox()
        for kind in QUERY_KINDS:
            self.kind.addItem(KIND_TITLES.get(kind, kind.capitalize()), kind)
        self.color = QComboBox()
        for title, color in COLORS:
            self.color.addItem(swatch(color), title, color)
        self.enabled = QCheckBox("Match new items with this query")
        self.enabled.setChecked(True)
        self.expression = QPlainTextEdit()
        self.expression.setObjectName("queryExpression")
        self.expression.setPlaceholderText('acme OR "acme cloud" -jobs')
        self.expression.setFixedHeight(84)
        mono = QFont("monospace")
        mono.setStyleHint(QFont.StyleHint.Monospace)
        self.expression.setFont(mono)
        self.error = QLabel()
        self.error.setObjectName("queryError")
        self.error.setTextFormat(Qt.TextFormat.PlainText)
        self.error.setFont(mono)
        self.error.setStyleSheet("color: #d1242f;")
        self.error.setWordWrap(False)
        self.error.hide()
        help_label = QLabel(SYNTAX_HELP)
        help_label.setWordWrap(True)
        help_label.setStyleSheet("color: palette(placeholder-text); font-size: 9pt;")
        self.language = QLineEdit()
        self.language.setPlaceholderText("any language (or en, fr…)")
        self.language.setMaxLength(3)
        self.sources = QListWidget()
        self.sources.setMaximumHeight(140)
        self.sources.setToolTip("Tick sources to limit the query to them; none: every source")
        self.count_label = QLabel("")
        self.count_label.setObjectName("liveCount")
        self.count_label.setTextFormat(Qt.TextFormat.PlainText)
        bold = self.count_label.font()
        bold.setBold(True)
        self.count_label.setFont(bold)
        self.form_error = QLabel()
        self.form_error.setWordWrap(True)
        self.form_error.setTextFormat(Qt.TextFormat.PlainText)
        self.form_error.setStyleSheet("color: #d1242f;")
        self.form_error.hide()
        self.save_button = QPushButton("Save")
        self.save_button.setDefault(True)
        self.save_button.clicked.connect(self.save_requested)
        self.delete_button = QPushButton("Delete…")
        self.delete_button.clicked.connect(self.delete_requested)

        expression_box = QVBoxLayout()
        expression_box.setSpacing(2)
        for widget in (self.expression, self.error, help_label):
            expression_box.addWidget(widget)
        form = QFormLayout()
        form.addRow("Name", self.name)
        form.addRow("Kind", self.kind)
        form.addRow("Colour", self.color)
        form.addRow("Expression", expression_box)
        form.addRow("Matches", self.count_label)
        form.addRow("Language", self.language)
        form.addRow("Only in", self.sources)
        form.addRow("", self.enabled)
        buttons = QHBoxLayout()
        buttons.addWidget(self.delete_button)
        buttons.addStretch(1)
        buttons.addWidget(self.save_button)
        layout = QVBoxLayout(self)
        layout.addWidget(self.title)
        layout.addLayout(form)
        layout.addWidget(self.form_error)
        layout.addLayout(buttons)
        layout.addStretch(1)

        self._timer = QTimer(self, singleShot=True, interval=COUNT_DELAY_MS)
        self._timer.timeout.connect(self._on_count_timer_timeout)
        self.expression.textChanged.connect(self._on_expression_changed)
        self.language.textChanged.connect(self._on_expression_changed)
        self.sources.itemChanged.connect(self._on_expression_changed)
        for line in (self.name, self.language):
            line.textChanged.connect(self.form_error.hide)
        self.load(None, [])

    # -- filling -------------------------------------------------------------------------------

    def load(self, row: QueryRow | None, sources: list[SourceRow]) -> None:
        """Edit ``row`` (None: a new query); ``sources`` fill the limited-to list."""
        self.editing = row
        self.title.setText(f"Query “{row.name}”" if row else "New query")
        self.name.setText(row.name if row else "")
        self.kind.setCurrentIndex(max(0, self.kind.findData(row.kind if row else "brand")))
        color = row.color if row else None
        if color and self.color.findData(color) < 0:  # a colour set elsewhere (CLI, sample)
            self.color.addItem(swatch(color), f"Custom ({color})", color)
        self.color.setCurrentIndex(max(0, self.color.findData(color)))
        self.enabled.setChecked(row.enabled if row else True)
        self.language.blockSignals(True)
        self.language.setText(row.language or "" if row else "")
        self.language.blockSignals(False)
        self.sources.blockSignals(True)
        self.sources.clear()
        chosen = set(row.source_ids) if row else set()
        for source in sources:
            item = QListWidgetItem(source.name)
            item.setData(Qt.ItemDataRole.UserRole, source.id)
            item.setFlags(item.flags() | Qt.ItemFlag.ItemIsUserCheckable)
            checked = source.id in chosen
            item.setCheckState(Qt.CheckState.Checked if checked else Qt.CheckState.Unchecked)
            self.sources.addItem(item)
        self.sources.blockSignals(False)
        self.delete_button.setEnabled(row is not None)
        self.form_error.hide()
        self.expression.setPlainText(row.expression if row else "")  # checks and counts

    def query_input(self) -> QueryInput:
        language = self.language.text().strip().lower() or None
        return QueryInput(
            self.name.text().strip(), self.kind.currentData(),
            self.expression.toPlainText().strip(), language, self.enabled.isChecked(),
            self.color.currentData(), self.checked_source_ids(),
        )  # fmt: skip

    def checked_source_ids(self) -> tuple[int, ...]:
        return tuple(
            int(self.sources.item(i).data(Qt.ItemDataRole.UserRole))
            for i in range(self.sources.count())
            if self.sources.item(i).checkState() == Qt.CheckState.Checked
        )

    def show_form_error(self, text: str) -> None:
        self.form_error.setText(text)
        self.form_error.setVisible(bool(text))

    # -- checking and counting -----------------------------------------------------------------

    def _on_expression_changed(self, *_args: object) -> None:
        self.form_error.hide()
        text = self.expression.toPlainText()
        self._generation += 1
        self.ctx.tasks.cancel(COUNT_TASK)
        if not text.strip():
            self._show_syntax(None, text)
            self.count = None
            self.count_label.setText("Type an expression to see how many stored mentions match.")
            self._timer.stop()
            return
        try:
            parse(text)
        except QueryError as exc:
            self._show_syntax(exc, text)
            self.count = None
            self.count_label.setText("—")
            self._timer.stop()
            return
        self._show_syntax(None, text)
        self.count_label.setText("Counting…")
        self._timer.start()

    def _show_syntax(self, error: QueryError | None, text: str) -> None:
        """Say what is wrong under the field, with a caret under the position, and underline it."""
        self.syntax_error = error
        if error is None:
            self.error.hide()
            self.expression.setExtraSelections([])
            return
        lines = [error.problem[:1].upper() + error.problem[1:]]
        position = error.position
        if position is not None:
            start = text.rfind("\n", 0, position) + 1
            end = text.find("\n", position)
            line = text[start : end if end >= 0 else len(text)]
            column = position - start
            # Keep the caret on screen for long lines: a window of the line around the position.
            offset = max(0, column - 50)
            lines = [line[offset : offset + 80], " " * (column - offset) + "^", *lines]
            lines[-1] = f"{lines[-1]} (character {position + 1})"
            self._underline(position, len(text))
        else:
            self.expression.setExtraSelections([])
        self.error.setText("\n".join(lines))
        self.error.show()

    def _underline(self, position: int, length: int) -> None:
        selection = QTextEdit.ExtraSelection()
        cursor = QTextCursor(self.expression.document())
        start = min(position, max(0, length - 1))
        cursor.setPosition(start)
        cursor.setPosition(min(start + 1, length), QTextCursor.MoveMode.KeepAnchor)
        fmt = QTextCharFormat()
        fmt.setUnderlineStyle(QTextCharFormat.UnderlineStyle.WaveUnderline)
        fmt.setUnderlineColor(QColor("#d1242f"))
        fmt.setBackground(QColor(209, 36, 47, 50))
        selection.cursor = cursor  # type: ignore[attr-defined]
        selection.format = fmt  # type: ignore[attr-defined]
        self.expression.setExtraSelections([selection])

    def _on_count_timer_timeout(self) -> None:
        query = self.query_input()
        ws, generation = self.ctx.workspace, self._generation

        def count(_progress: object) -> int:
            return queries.count_matching(
                ws, query.expression, source_ids=query.source_ids, language=query.language
            )

        def shown(result: int | None) -> None:
            if result is None or generation != self._generation:
                return  # a newer expression is being counted
            self.count = result
            matches = "1 stored mention matches" if result == 1 else "stored mentions match"
            self.count_label.setText(matches if result == 1 else f"{result:,} {matches}")
            self.count_shown.emit(result)

        def failed(message: str) -> None:
            if generation == self._generation:
                self.count_label.setText(f"Cannot count: {message.split(': ', 1)[-1]}")

        self.ctx.tasks.run_in_thread(
            COUNT_TASK, count, label="Counting matching mentions", latest_wins=True,
            on_done=shown, on_error=failed,
        )  # fmt: skip

    def shutdown(self) -> None:
        self._timer.stop()
        self.ctx.tasks.cancel(COUNT_TASK)
