"""The report builder's left side: template, period, scope, sections, suggestions, goals.

Also the title and the weekly reminder's settings.

It holds the report being built (a :class:`ReportConfig`, a period, the words) and emits
``request_changed`` whenever the preview should follow. Reads (templates, queries, sources,
saved suggestions) are short indexed reads on the UI thread; every write goes through the writer.
"""

from __future__ import annotations

from collections.abc import Callable
from datetime import date, tzinfo
from typing import Any

from PySide6.QtCore import QSignalBlocker, Qt, Signal
from PySide6.QtWidgets import QLabel, QLineEdit, QPushButton, QVBoxLayout, QWidget

from cmdesk.core.services import queries as query_service
from cmdesk.core.services import sources as source_service
from cmdesk.core.services.reports import Template
from cmdesk.reports.produce import ReportRequest
from cmdesk.reports.sections import ReportConfig, ReportText
from cmdesk.ui.pane import PaneContext
from cmdesk.ui.reports.period_picker import PeriodPicker
from cmdesk.ui.reports.reminder import ReminderSettingsRow
from cmdesk.ui.reports.scope_picker import ScopePicker
from cmdesk.ui.reports.sections_list import SectionsList
from cmdesk.ui.reports.suggestions import SuggestionsEditor
from cmdesk.ui.reports.templates_bar import TemplateBar

DEFAULT_TITLE = "Community report"


def heading(text: str) -> QLabel:
    label = QLabel(text)
    label.setObjectName("reportEditorHeading")
    font = label.font()
    font.setBold(True)
    label.setFont(font)
    return label


class ReportEditor(QWidget):
    request_changed = Signal()
    goals_clicked = Signal()

    def __init__(
        self, ctx: PaneContext, tz: tzinfo, today: Callable[[], date], parent: QWidget | None = None
    ) -> None:
        super().__init__(parent)
        self.ctx = ctx
        self.tz = tz
        self.config = ReportConfig()
        self.templates = TemplateBar(ctx, self.config_json)
        self.title = QLineEdit(DEFAULT_TITLE)
        self.title.setAccessibleName("Report title")
        self.title.setPlaceholderText(DEFAULT_TITLE)
        self.period = PeriodPicker(today)
        self.scope = ScopePicker()
        self.sections = SectionsList()
        self.suggestions = SuggestionsEditor(ctx, self.report_details)
        self.goals_button = QPushButton("Goals…")
        self.goals_button.setToolTip("Set targets per week, month or quarter")
        self.goals_button.clicked.connect(self.goals_clicked)
        self.reminder = ReminderSettingsRow(ctx)
        self._build()
        self.templates.template_loaded.connect(self.load_template)
        self.templates.templates_changed.connect(lambda: self.templates.set_dirty(self.is_dirty()))
        self.title.textEdited.connect(self._on_edited)
        self.period.period_changed.connect(self._on_period_changed)
        self.scope.scope_changed.connect(self._on_scope_changed)
        self.sections.sections_changed.connect(self._on_sections_changed)
        self.suggestions.text_edited.connect(lambda _text: self.request_changed.emit())

    def _build(self) -> None:
        layout = QVBoxLayout(self)
        layout.setContentsMargins(10, 10, 10, 10)
        layout.setSpacing(6)
        for title, widget in (
            ("Template", self.templates),
            ("Title", self.title),
            ("Period", self.period),
            ("Covers", self.scope),
            ("Sections", self.sections),
            ("Suggestions for management", self.suggestions),
        ):
            layout.addSpacing(4)
            layout.addWidget(heading(title))
            layout.addWidget(widget)
        layout.addSpacing(4)
        layout.addWidget(heading("Goals and reminder"))
        layout.addWidget(self.goals_button, 0, Qt.AlignmentFlag.AlignLeft)
        layout.addWidget(self.reminder.enabled)
        layout.addWidget(self.reminder)
        layout.addStretch(1)

    # -- loading ---------------------------------------------------------------------------

    def start(self, template_id: int | None) -> None:
        """First fill: queries and sources, the templates, then ``template_id`` (or the first)."""
        self.reload_choices()
        self.templates.reload()
        ids = [self.templates.combo.itemData(n) for n in range(self.templates.combo.count())]
        known = [int(n) for n in ids if isinstance(n, int) and n > 0]
        chosen = template_id if template_id in known else (known[0] if known else None)
        self.templates.choose(chosen)

    def reload_choices(self) -> None:
        ws = self.ctx.workspace
        queries = [(row.id, row.name) for row in query_service.list_queries(ws)]
        sources = [(row.id, row.name) for row in source_service.list_sources(ws)]
        self.scope.set_choices(queries, sources, self.config.query_ids, self.config.source_ids)

    def load_template(self, template: Template | None) -> None:
        self.config = ReportConfig.from_json(template.config if template else None)
        if template is not None:
            self.ctx.settings.setValue("reports/template_id", template.id)
        with QSignalBlocker(self.title):
            self.title.setText(
                str((template.config if template else {}).get("title") or DEFAULT_TITLE)
            )
        self.sections.set_sections(self.config.sections)
        self.reload_choices()
        with QSignalBlocker(self.period):
            self.period.set_kind(self.config.period_kind)  # custom: keeps the dates shown
        self.suggestions.set_period(self.period.period)
        self._on_edited()

    def open_saved(self, first: date, last: date, template_id: int | None) -> None:
        """Show a saved report: its template (when it still exists) and its dates."""
        if template_id is not None and template_id != getattr(self.templates.current, "id", None):
            self.templates.choose(template_id)
        self.period.set_custom(first, last)

    def select_period(self, kind: str) -> None:
        self.period.set_kind(kind)

    # -- what the editor says --------------------------------------------------------------

    def config_json(self) -> dict[str, Any]:
        """The template config: stored keys kept (newer versions' too), ours replaced."""
        base = dict(self.templates.current.config) if self.templates.current else {}
        base.pop("period", None)  # the old form, now "period_kind"
        return {**base, **self.config.to_json(), "title": self.report_title()}

    def report_title(self) -> str:
        return self.title.text().strip() or DEFAULT_TITLE

    def report_details(self) -> tuple[int | None, str]:
        current = self.templates.current
        return (current.id if current else None), self.report_title()

    def request(self) -> ReportRequest:
        text = ReportText(self.report_title(), self.suggestions.text(), self.tz)
        return ReportRequest(self.period.period, self.config, text)

    def is_dirty(self) -> bool:
        current = self.templates.current
        if current is None:
            return True
        saved = ReportConfig.from_json(current.config)
        saved_title = str(current.config.get("title") or DEFAULT_TITLE)
        return saved != self.config or saved_title != self.report_title()

    # -- changes ---------------------------------------------------------------------------

    def _on_edited(self) -> None:
        self.templates.set_dirty(self.is_dirty())
        self.request_changed.emit()

    def _on_period_changed(self, period: Any) -> None:
        self.config = ReportConfig(
            self.config.sections, period.kind, self.config.query_ids, self.config.source_ids
        )
        self.suggestions.set_period(period)
        self._on_edited()

    def _on_scope_changed(self, query_ids: tuple[int, ...], source_ids: tuple[int, ...]) -> None:
        self.config = ReportConfig(
            self.config.sections, self.config.period_kind, query_ids, source_ids
        )
        self._on_edited()

    def _on_sections_changed(self, sections: tuple[tuple[str, bool], ...]) -> None:
        self.config = ReportConfig(
            sections, self.config.period_kind, self.config.query_ids, self.config.source_ids
        )
        self._on_edited()
