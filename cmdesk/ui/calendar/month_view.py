"""The month view: one custom-painted widget drawing six weeks of day cells and item chips.

Thousands of items stay cheap because nothing here is a child widget: occurrences are bucketed by
local day once when they arrive, and a paint draws only the chips that fit in each cell (the rest
become "+N more"). Hit-testing computes the cell and row from the mouse position.

Interaction: click selects a chip (or a day), double-click edits it (or creates an item on an
empty day), a chip dragged to another day is rescheduled there (``occurrence_dropped``), a
backlog idea dropped on a day is scheduled (``item_dropped``). Keys: arrows move the selected
day, Enter opens the selected chip, t/n/p go to today and the next/previous period.
"""

from __future__ import annotations

from collections import defaultdict
from datetime import UTC, date, datetime, timedelta, tzinfo

from PySide6.QtCore import QMimeData, QPoint, QRectF, QSize, Qt, Signal
from PySide6.QtGui import (
    QColor,
    QDragEnterEvent,
    QDropEvent,
    QFont,
    QFontMetrics,
    QIcon,
    QKeyEvent,
    QMouseEvent,
    QPainter,
    QPaintEvent,
    QPalette,
    QPen,
    QPixmap,
)
from PySide6.QtWidgets import QApplication, QSizePolicy, QWidget

from cmdesk.core.services.calendar import Occurrence
from cmdesk.core.services.calendar_periods import days_covered
from cmdesk.ui.calendar import colors

ITEM_MIME = "application/x-cmdesk-calendar-item"
PERIOD_KEYS = {Qt.Key.Key_T: 0, Qt.Key.Key_N: 1, Qt.Key.Key_P: -1}
WEEKDAY_NAMES = ("Mon", "Tue", "Wed", "Thu", "Fri", "Sat", "Sun")


def item_mime(item_id: int) -> QMimeData:
    """Drag payload for an item (a backlog idea) dropped on a view."""
    mime = QMimeData()
    mime.setData(ITEM_MIME, str(item_id).encode())
    return mime


def dropped_item_id(mime: QMimeData) -> int | None:
    if not mime.hasFormat(ITEM_MIME):
        return None
    try:
        return int(bytes(mime.data(ITEM_MIME).data()).decode())
    except ValueError:
        return None


def swatch_icon(color: str) -> QIcon:
    """A small square of ``color`` for lists and legends."""
    pixmap = QPixmap(12, 12)
    pixmap.fill(QColor(color))
    return QIcon(pixmap)


def chip_label(occ: Occurrence, tz: tzinfo, first_day: bool = True) -> str:
    """The chip's text: the start time on the item's first day, then the title."""
    if occ.all_day or not first_day:
        return occ.title
    return f"{datetime.fromtimestamp(occ.starts_at, tz):%H:%M} {occ.title}"


class MonthGrid(QWidget):
    """Six weeks of days with item chips, painted in one widget."""

    occurrence_activated = Signal(object)  # Occurrence
    occurrence_selected = Signal(object)  # Occurrence | None
    occurrence_dropped = Signal(object, object)  # Occurrence, date
    item_dropped = Signal(int, object)  # item id (from the backlog), date
    day_activated = Signal(object)  # date: double-click on an empty spot
    day_selected = Signal(object)  # date
    period_requested = Signal(int)  # 0 today, +1 next, -1 previous

    HEADER = 22
    CHIP = 18

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setFocusPolicy(Qt.FocusPolicy.StrongFocus)
        self.setAcceptDrops(True)
        self.setMouseTracking(False)
        self.setSizePolicy(QSizePolicy.Policy.Expanding, QSizePolicy.Policy.Expanding)
        self.days: list[date] = []
        self.month = 0
        self.today = date.today()
        self.selected_day: date | None = None
        self.selected: Occurrence | None = None
        self.tz: tzinfo | None = None
        self.first_weekday = 0
        self._buckets: dict[date, list[Occurrence]] = {}
        self._first_days: set[tuple[int, int, date]] = set()
        self._color_for: colors.ColorFor = colors.color_function("type", {})
        self._press: tuple[QPoint, Occurrence] | None = None
        self._dragging = False
        self._hover_day: date | None = None

    # -- data ------------------------------------------------------------------------------

    def set_days(self, days: list[date], month: int, today: date, first_weekday: int) -> None:
        self.days, self.month, self.today, self.first_weekday = days, month, today, first_weekday
        if self.selected_day not in days:
            self.selected_day = next((d for d in days if d.month == month), days[0])
        self.update()

    def set_occurrences(self, occurrences: list[Occurrence], tz: tzinfo) -> None:
        """Bucket ``occurrences`` by the local days they cover (multi-day items in each)."""
        self.tz = tz
        buckets: dict[date, list[Occurrence]] = defaultdict(list)
        firsts: set[tuple[int, int, date]] = set()
        if self.days:
            grid_first, grid_last = self.days[0], self.days[-1]
            for occ in occurrences:
                first, last = days_covered(occ.starts_at, occ.ends_at, occ.all_day, tz)
                firsts.add((occ.item_id, occ.starts_at, first))
                day = max(first, grid_first)
                end = min(last, grid_last)
                while day <= end:
                    buckets[day].append(occ)
                    day += timedelta(days=1)
        self._buckets, self._first_days = buckets, firsts
        if self.selected is not None:
            key = self.selected.key
            self.selected = next((o for o in occurrences if o.key == key), None)
        self.update()

    def replace_occurrence(self, old: Occurrence, new: Occurrence) -> None:
        """Show ``old`` as ``new`` (a drag's result) without re-bucketing the whole month."""
        assert self.tz is not None
        for day in list(self._buckets):
            items = self._buckets[day]
            if old in items:
                items.remove(old)
        first, last = days_covered(new.starts_at, new.ends_at, new.all_day, self.tz)
        self._first_days.add((new.item_id, new.starts_at, first))
        day = max(first, self.days[0])
        while day <= min(last, self.days[-1]):
            bucket = self._buckets.setdefault(day, [])
            bucket.append(new)
            bucket.sort(key=lambda o: (o.starts_at, not o.all_day, o.item_id))
            day += timedelta(days=1)
        if self.selected is not None and self.selected.key == old.key:
            self.selected = new
        self.update()

    def set_color_function(self, color_for: colors.ColorFor) -> None:
        self._color_for = color_for
        self.update()

    def occurrences_on(self, day: date) -> list[Occurrence]:
        return list(self._buckets.get(day, ()))

    # -- geometry --------------------------------------------------------------------------

    def sizeHint(self) -> QSize:  # noqa: N802 - Qt override
        return QSize(840, 640)

    def _cell_size(self) -> tuple[float, float]:
        return self.width() / 7, (self.height() - self.HEADER) / 6

    def cell_rect(self, index: int) -> QRectF:
        width, height = self._cell_size()
        row, col = divmod(index, 7)
        return QRectF(col * width, self.HEADER + row * height, width, height)

    def day_at(self, pos: QPoint) -> date | None:
        width, height = self._cell_size()
        if pos.y() < self.HEADER or not self.days or width <= 0 or height <= 0:
            return None
        col = min(6, max(0, int(pos.x() // width)))
        row = min(5, max(0, int((pos.y() - self.HEADER) // height)))
        return self.days[row * 7 + col]

    def _rows_fitting(self) -> int:
        height = self._cell_size()[1]
        return max(0, int((height - self.HEADER) // self.CHIP))

    def occurrence_at(self, pos: QPoint) -> Occurrence | None:
        day = self.day_at(pos)
        if day is None:
            return None
        cell = self.cell_rect(self.days.index(day))
        row = int((pos.y() - cell.top() - self.HEADER) // self.CHIP)
        items = self._buckets.get(day, [])
        shown = self._shown_count(len(items))
        if pos.y() < cell.top() + self.HEADER or not 0 <= row < shown:
            return None
        return items[row]

    def _shown_count(self, total: int) -> int:
        fitting = self._rows_fitting()
        return total if total <= fitting else max(0, fitting - 1)

    def chip_center(self, occ: Occurrence, day: date) -> QPoint:
        """Where the chip of ``occ`` is drawn on ``day`` (for tests and accessibility)."""
        cell = self.cell_rect(self.days.index(day))
        row = self._buckets[day].index(occ)
        y = cell.top() + self.HEADER + row * self.CHIP + self.CHIP / 2
        return QPoint(int(cell.center().x()), int(y))

    # -- painting --------------------------------------------------------------------------

    def paintEvent(self, event: QPaintEvent) -> None:  # noqa: N802 - Qt override
        painter = QPainter(self)
        palette = self.palette()
        painter.fillRect(self.rect(), palette.color(QPalette.ColorRole.Base))
        if not self.days:
            return
        small = QFont(self.font())
        small.setPointSizeF(max(7.0, self.font().pointSizeF() * 0.9))
        painter.setFont(small)
        metrics = QFontMetrics(small)
        self._paint_header(painter, palette)
        clip = event.rect()
        for index, day in enumerate(self.days):
            cell = self.cell_rect(index)
            if cell.intersects(QRectF(clip)):
                self._paint_cell(painter, palette, metrics, cell, day)

    def _paint_header(self, painter: QPainter, palette: QPalette) -> None:
        painter.setPen(palette.color(QPalette.ColorRole.PlaceholderText))
        width = self.width() / 7
        for col in range(7):
            name = WEEKDAY_NAMES[(self.first_weekday + col) % 7]
            rect = QRectF(col * width, 0, width, self.HEADER)
            painter.drawText(rect, Qt.AlignmentFlag.AlignCenter, name)

    def _paint_cell(
        self, painter: QPainter, palette: QPalette, metrics: QFontMetrics, cell: QRectF, day: date
    ) -> None:
        in_month = day.month == self.month
        if not in_month:
            painter.fillRect(cell, palette.color(QPalette.ColorRole.AlternateBase))
        if day == self._hover_day:
            painter.fillRect(cell, palette.color(QPalette.ColorRole.Highlight).lighter(170))
        painter.setBrush(Qt.BrushStyle.NoBrush)
        painter.setPen(QPen(palette.color(QPalette.ColorRole.Mid), 1))
        painter.drawRect(cell)
        if day == self.selected_day and self.hasFocus():
            painter.setPen(QPen(palette.color(QPalette.ColorRole.Highlight), 2))
            painter.drawRect(cell.adjusted(1, 1, -1, -1))
        number = QRectF(cell.left() + 4, cell.top() + 2, cell.width() - 8, self.HEADER - 4)
        text_color = palette.color(QPalette.ColorRole.Text)
        if day == self.today:
            badge = QRectF(number.left() - 2, number.top(), self.HEADER + 4, self.HEADER - 4)
            painter.setBrush(colors.TODAY)
            painter.setPen(Qt.PenStyle.NoPen)
            painter.drawRoundedRect(badge, 8, 8)
            painter.setBrush(Qt.BrushStyle.NoBrush)
            text_color = QColor("white")
        elif not in_month:
            text_color = palette.color(QPalette.ColorRole.PlaceholderText)
        painter.setPen(text_color)
        label = str(day.day) if day.day != 1 else day.strftime("%-d %b")
        painter.drawText(number, Qt.AlignmentFlag.AlignLeft | Qt.AlignmentFlag.AlignVCenter, label)
        items = self._buckets.get(day, [])
        shown = self._shown_count(len(items))
        for row in range(shown):
            rect = QRectF(
                cell.left() + 2,
                cell.top() + self.HEADER + row * self.CHIP,
                cell.width() - 4,
                self.CHIP - 2,
            )
            self._paint_chip(painter, metrics, rect, items[row], day)
        if shown < len(items):
            more = QRectF(
                cell.left() + 4,
                cell.top() + self.HEADER + shown * self.CHIP,
                cell.width() - 8,
                self.CHIP,
            )
            painter.setPen(palette.color(QPalette.ColorRole.PlaceholderText))
            painter.drawText(more, Qt.AlignmentFlag.AlignVCenter, f"+{len(items) - shown} more")

    def _paint_chip(
        self, painter: QPainter, metrics: QFontMetrics, rect: QRectF, occ: Occurrence, day: date
    ) -> None:
        color = self._color_for(occ)
        if occ.status == "cancelled":
            color = QColor(color)
            color.setAlpha(110)
        painter.setPen(Qt.PenStyle.NoPen)
        painter.setBrush(color)
        painter.drawRoundedRect(rect, 3, 3)
        if occ.overdue:
            painter.setBrush(colors.OVERDUE)
            painter.drawRect(QRectF(rect.left(), rect.top(), 4, rect.height()))
        if self.selected is not None and occ.key == self.selected.key:
            painter.setBrush(Qt.BrushStyle.NoBrush)
            painter.setPen(QPen(self.palette().color(QPalette.ColorRole.Text), 2))
            painter.drawRoundedRect(rect.adjusted(1, 1, -1, -1), 3, 3)
        first = (occ.item_id, occ.starts_at, day) in self._first_days
        text = chip_label(occ, self.tz or UTC, first) + (" ↻" if occ.is_recurring else "")
        painter.setPen(QColor("white"))
        inner = rect.adjusted(6 if occ.overdue else 4, 0, -3, 0)
        elided = metrics.elidedText(text, Qt.TextElideMode.ElideRight, int(inner.width()))
        font = painter.font()
        font.setStrikeOut(occ.status == "cancelled")
        painter.setFont(font)
        painter.drawText(inner, Qt.AlignmentFlag.AlignVCenter, elided)
        font.setStrikeOut(False)
        painter.setFont(font)

    # -- mouse and drops -------------------------------------------------------------------

    def mousePressEvent(self, event: QMouseEvent) -> None:  # noqa: N802 - Qt override
        if event.button() != Qt.MouseButton.LeftButton:
            return super().mousePressEvent(event)
        pos = event.position().toPoint()
        occ = self.occurrence_at(pos)
        day = self.day_at(pos)
        if day is not None:
            self.selected_day = day
            self.day_selected.emit(day)
        self.select(occ)
        self._press = (pos, occ) if occ is not None else None
        self._dragging = False
        return None

    def mouseMoveEvent(self, event: QMouseEvent) -> None:  # noqa: N802 - Qt override
        if self._press is None:
            return
        pos = event.position().toPoint()
        distance = (pos - self._press[0]).manhattanLength()
        if not self._dragging and distance >= QApplication.startDragDistance():
            self._dragging = True
            self.setCursor(Qt.CursorShape.ClosedHandCursor)
        if self._dragging:
            self._hover_day = self.day_at(pos)
            self.update()

    def mouseReleaseEvent(self, event: QMouseEvent) -> None:  # noqa: N802 - Qt override
        press, dragging = self._press, self._dragging
        self._press, self._dragging, self._hover_day = None, False, None
        self.unsetCursor()
        self.update()
        if press is None or not dragging:
            return
        occ = press[1]
        start_day = self.day_at(press[0])
        day = self.day_at(event.position().toPoint())
        if day is not None and start_day is not None and day != start_day:
            self.occurrence_dropped.emit(occ, day)

    def mouseDoubleClickEvent(self, event: QMouseEvent) -> None:  # noqa: N802 - Qt override
        pos = event.position().toPoint()
        occ = self.occurrence_at(pos)
        if occ is not None:
            self.occurrence_activated.emit(occ)
            return
        day = self.day_at(pos)
        if day is not None:
            self.day_activated.emit(day)

    def dragEnterEvent(self, event: QDragEnterEvent) -> None:  # noqa: N802 - Qt override
        if event.mimeData().hasFormat(ITEM_MIME):
            event.acceptProposedAction()

    def dragMoveEvent(self, event) -> None:  # noqa: N802, ANN001 - Qt override
        self._hover_day = self.day_at(event.position().toPoint())
        self.update()
        event.acceptProposedAction()

    def dragLeaveEvent(self, event) -> None:  # noqa: N802, ANN001 - Qt override
        self._hover_day = None
        self.update()

    def dropEvent(self, event: QDropEvent) -> None:  # noqa: N802 - Qt override
        self._hover_day = None
        item_id = dropped_item_id(event.mimeData())
        day = self.day_at(event.position().toPoint())
        if item_id is not None and day is not None:
            event.acceptProposedAction()
            self.item_dropped.emit(item_id, day)
        self.update()

    # -- keyboard --------------------------------------------------------------------------

    def select(self, occ: Occurrence | None) -> None:
        self.selected = occ
        self.occurrence_selected.emit(occ)
        self.update()

    def keyPressEvent(self, event: QKeyEvent) -> None:  # noqa: N802 - Qt override
        key = event.key()
        steps = {
            Qt.Key.Key_Left: -1,
            Qt.Key.Key_Right: 1,
            Qt.Key.Key_Up: -7,
            Qt.Key.Key_Down: 7,
        }
        if key in steps and self.selected_day is not None:
            self.move_selection(steps[key])
        elif key in (Qt.Key.Key_Return, Qt.Key.Key_Enter):
            if self.selected is not None:
                self.occurrence_activated.emit(self.selected)
            elif self.selected_day is not None:
                self.day_activated.emit(self.selected_day)
        elif key in PERIOD_KEYS and not event.modifiers() & ~Qt.KeyboardModifier.KeypadModifier:
            self.period_requested.emit(PERIOD_KEYS[key])
        else:
            super().keyPressEvent(event)

    def move_selection(self, days: int) -> None:
        """Move the selected day; leaving the grid asks for the next or previous period."""
        assert self.selected_day is not None
        target = self.selected_day + timedelta(days=days)
        self.select(None)
        self.selected_day = target
        self.day_selected.emit(target)
        if target not in self.days or target.month != self.month:
            self.period_requested.emit(1 if days > 0 else -1)
            self.selected_day = target
        on_day = self._buckets.get(target, [])
        if on_day:
            self.select(on_day[0])
        self.update()
