"""Produce a report end to end: settings → figures → laid-out pages; shared by the CLI and the pane.

Imports QtGui through :mod:`cmdesk.reports.pdf` (no widgets). Rendering needs a
QGuiApplication; :func:`ensure_gui_application` makes an offscreen one for headless use.
"""

from __future__ import annotations

import os
from dataclasses import dataclass
from datetime import tzinfo

from cmdesk.core.db import Workspace
from cmdesk.core.progress import Progress
from cmdesk.reports.figures import ReportScope, compute_figures
from cmdesk.reports.model import ReportFigures
from cmdesk.reports.pdf import LaidOutReport, lay_out
from cmdesk.reports.periods import ReportPeriod
from cmdesk.reports.sections import ReportConfig, ReportText


@dataclass(frozen=True)
class ReportRequest:
    period: ReportPeriod
    config: ReportConfig
    text: ReportText

    @property
    def scope(self) -> ReportScope:
        return ReportScope(self.config.query_ids, self.config.source_ids)


def figures_for(
    ws: Workspace, request: ReportRequest, progress: Progress | None = None
) -> ReportFigures:
    return compute_figures(
        ws, request.period, tz=request.text.tz, scope=request.scope, progress=progress
    )


def pages_for(figures: ReportFigures, request: ReportRequest) -> LaidOutReport:
    return lay_out(figures, request.config.enabled, request.text)


def ensure_gui_application() -> object:
    """The running QGuiApplication, or a new one (offscreen when there is no display)."""
    from PySide6.QtGui import QGuiApplication

    app = QGuiApplication.instance()
    if app is not None:
        return app
    if not os.environ.get("QT_QPA_PLATFORM") and not (
        os.environ.get("DISPLAY") or os.environ.get("WAYLAND_DISPLAY")
    ):
        os.environ["QT_QPA_PLATFORM"] = "offscreen"
    return QGuiApplication(["cmdesk"])


def zone(tz: tzinfo | None = None) -> tzinfo:
    """``tz`` or the local zone."""
    if tz is not None:
        return tz
    from dateutil import tz as dateutil_tz

    return dateutil_tz.gettz() or dateutil_tz.UTC
