"""The week view: seven day columns with an hour grid, all-day items on top, painted in one widget.

Timed items are boxes placed by their local start and end (overlapping items share the column
side by side); all-day and multi-day items are chips in the strip under the day names. Dragging a
box moves it (day and time, in 15-minute steps), dragging its bottom edge changes its duration,
dragging an all-day chip moves its date; a backlog idea dropped on the grid is scheduled at that
time. Double-click edits an item or creates one at that time. Keys as in the month view.
Limits: days are drawn 24 hours tall, so on DST days the hour lines follow wall-clock time.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import UTC, date, datetime, timedelta, tzinfo

from PySide6.QtCore import QPoint, QRectF, QSize, Qt, Signal
from PySide6.QtGui import (
    QColor,
    QDragEnterEvent,
    QDropEvent,
    QFontMetrics,
    QKeyEvent,
    QMouseEvent,
    QPainter,
    QPaintEvent,
    QPalette,
    QPen,
)
from PySide6.QtWidgets import QApplication, QSizePolicy, QWidget

from cmdesk.core.services.calendar import Occurrence
from cmdesk.core.services.calendar_periods import at_local_time, days_covered
from cmdesk.ui.calendar import colors
from cmdesk.ui.calendar.month_view import ITEM_MIME, PERIOD_KEYS, WEEKDAY_NAMES, dropped_item_id

SNAP_SECONDS = 15 * 60
EDGE = 6  # pixels at the bottom of a box that resize it


@dataclass
class _Box:
    occ: Occurrence
    rect: QRectF


class WeekGrid(QWidget):
    """A week of hour columns; ``set_days`` then ``set_occurrences``."""

    occurrence_activated = Signal(object)
    occurrence_selected = Signal(object)
    occurrence_moved = Signal(object, int)  # Occurrence, new UTC start
    occurrence_resized = Signal(object, int)  # Occurrence, new duration in minutes
    item_dropped = Signal(int, int)  # backlog item id, UTC start
    time_activated = Signal(int)  # UTC start of a double-clicked empty slot
    period_requested = Signal(int)

    TIME_GUTTER = 48
    HEADER = 24
    ALL_DAY_ROW = 18
    HOUR = 40

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setFocusPolicy(Qt.FocusPolicy.StrongFocus)
        self.setAcceptDrops(True)
        self.setSizePolicy(QSizePolicy.Policy.Expanding, QSizePolicy.Policy.Fixed)
        self.days: list[date] = []
        self.today = date.today()
        self.tz: tzinfo = UTC
        self.first_weekday = 0
        self.selected: Occurrence | None = None
        self._all_day: list[tuple[Occurrence, int, int, int]] = []  # occ, first col, last col, row
        self._boxes: list[_Box] = []
        self._occurrences: list[Occurrence] = []
        self._color_for: colors.ColorFor = colors.color_function("type", {})
        self._press: tuple[QPoint, Occurrence, str] | None = None  # pos, occ, "move"|"resize"
        self._drag_offset = 0
        self._preview: QRectF | None = None
        self._now_line: int | None = None
        self._update_height()

    # -- data ------------------------------------------------------------------------------

    def set_days(self, days: list[date], today: date, first_weekday: int) -> None:
        self.days, self.today, self.first_weekday = days, today, first_weekday
        self._layout()

    def set_occurrences(self, occurrences: list[Occurrence], tz: tzinfo) -> None:
        self.tz = tz
        self._occurrences = occurrences
        if self.selected is not None:
            key = self.selected.key
            self.selected = next((o for o in occurrences if o.key == key), None)
        self._layout()

    def set_color_function(self, color_for: colors.ColorFor) -> None:
        self._color_for = color_for
        self.update()

    def fit_height(self, available: int) -> None:
        """Make the 24 hours fit ``available`` pixels when they can (hours stay >= 22 px)."""
        self.HOUR = max(22, int((available - self._body_top()) / 24))
        self._layout()

    def set_now(self, seconds: int | None) -> None:
        self._now_line = seconds
        self.update()

    def select(self, occ: Occurrence | None) -> None:
        self.selected = occ
        self.occurrence_selected.emit(occ)
        self.update()

    # -- geometry --------------------------------------------------------------------------

    def sizeHint(self) -> QSize:  # noqa: N802 - Qt override
        return QSize(840, self._body_top() + 24 * self.HOUR)

    def _rows(self) -> int:
        return max((row for *_, row in self._all_day), default=-1) + 1

    def _body_top(self) -> int:
        return self.HEADER + max(1, self._rows()) * self.ALL_DAY_ROW + 4

    def _update_height(self) -> None:
        self.setFixedHeight(self._body_top() + 24 * self.HOUR)

    def _column_width(self) -> float:
        return (self.width() - self.TIME_GUTTER) / 7

    def _column_x(self, col: int) -> float:
        return self.TIME_GUTTER + col * self._column_width()

    def _y_for(self, seconds_into_day: int) -> float:
        return self._body_top() + seconds_into_day / 3600 * self.HOUR

    def time_at(self, pos: QPoint) -> int | None:
        """UTC start of the 15-minute slot under ``pos`` (None outside the hour grid)."""
        if pos.x() < self.TIME_GUTTER or pos.y() < self._body_top() or not self.days:
            return None
        col = min(6, int((pos.x() - self.TIME_GUTTER) // self._column_width()))
        seconds = (pos.y() - self._body_top()) / self.HOUR * 3600
        snapped = int(seconds // SNAP_SECONDS * SNAP_SECONDS)
        return at_local_time(self.days[col], min(snapped, 86400 - SNAP_SECONDS), self.tz)

    def day_at(self, pos: QPoint) -> date | None:
        if pos.x() < self.TIME_GUTTER or not self.days:
            return None
        return self.days[min(6, int((pos.x() - self.TIME_GUTTER) // self._column_width()))]

    def _layout(self) -> None:
        """Place all-day chips in rows and timed boxes in columns (overlaps side by side)."""
        self._all_day, self._boxes = [], []
        if not self.days:
            self.update()
            return
        index = {day: n for n, day in enumerate(self.days)}
        rows_used: list[list[tuple[int, int]]] = []
        per_day: dict[int, list[Occurrence]] = {}
        for occ in self._occurrences:
            first, last = days_covered(occ.starts_at, occ.ends_at, occ.all_day, self.tz)
            if occ.all_day or first != last:
                a, b = index.get(max(first, self.days[0])), index.get(min(last, self.days[-1]))
                if a is None or b is None:
                    continue
                row = next(
                    (
                        r
                        for r, spans in enumerate(rows_used)
                        if all(b < s or a > e for s, e in spans)
                    ),
                    len(rows_used),
                )
                if row == len(rows_used):
                    rows_used.append([])
                rows_used[row].append((a, b))
                self._all_day.append((occ, a, b, row))
            elif first in index:
                per_day.setdefault(index[first], []).append(occ)
        self._update_height()
        for col, occs in per_day.items():
            self._place_column(col, occs)
        self.update()

    def _place_column(self, col: int, occs: list[Occurrence]) -> None:
        occs.sort(key=lambda o: (o.starts_at, -o.ends_at))
        clusters: list[list[Occurrence]] = []
        cluster_end = -1
        for occ in occs:
            if not clusters or occ.starts_at >= cluster_end:
                clusters.append([])
            clusters[-1].append(occ)
            cluster_end = max(cluster_end, occ.ends_at, occ.starts_at + 1800)
        width = self._column_width()
        for cluster in clusters:
            lanes: list[int] = []
            placed: list[tuple[Occurrence, int]] = []
            for occ in cluster:
                lane = next((n for n, end in enumerate(lanes) if end <= occ.starts_at), len(lanes))
                if lane == len(lanes):
                    lanes.append(0)
                lanes[lane] = max(occ.ends_at, occ.starts_at + 1800)
                placed.append((occ, lane))
            lane_width = (width - 4) / len(lanes)
            for occ, lane in placed:
                top = self._y_for(self._seconds_into_day(occ.starts_at))
                height = max(occ.ends_at - occ.starts_at, 1200) / 3600 * self.HOUR
                rect = QRectF(
                    self._column_x(col) + 2 + lane * lane_width, top, lane_width - 2, height
                )
                self._boxes.append(_Box(occ, rect))

    def _seconds_into_day(self, seconds: int) -> int:
        local = datetime.fromtimestamp(seconds, self.tz)
        return local.hour * 3600 + local.minute * 60

    def _all_day_rect(self, first_col: int, last_col: int, row: int) -> QRectF:
        left = self._column_x(first_col) + 2
        right = self._column_x(last_col + 1) - 2
        return QRectF(
            left, self.HEADER + row * self.ALL_DAY_ROW + 1, right - left, self.ALL_DAY_ROW - 2
        )

    def occurrence_at(self, pos: QPoint) -> tuple[Occurrence, QRectF] | None:
        for occ, a, b, row in self._all_day:
            rect = self._all_day_rect(a, b, row)
            if rect.contains(pos.toPointF()):
                return occ, rect
        for box in reversed(self._boxes):
            if box.rect.contains(pos.toPointF()):
                return box.occ, box.rect
        return None

    def box_rect(self, occ: Occurrence) -> QRectF:
        """Where ``occ`` is drawn (for tests and accessibility)."""
        for box in self._boxes:
            if box.occ.key == occ.key:
                return box.rect
        for other, a, b, row in self._all_day:
            if other.key == occ.key:
                return self._all_day_rect(a, b, row)
        raise KeyError(occ.key)

    # -- painting --------------------------------------------------------------------------

    def paintEvent(self, event: QPaintEvent) -> None:  # noqa: N802 - Qt override
        painter = QPainter(self)
        palette = self.palette()
        painter.fillRect(self.rect(), palette.color(QPalette.ColorRole.Base))
        if not self.days:
            return
        metrics = QFontMetrics(self.font())
        self._paint_grid(painter, palette)
        for occ, a, b, row in self._all_day:
            self._paint_box(painter, metrics, self._all_day_rect(a, b, row), occ, occ.title)
        for box in self._boxes:
            local = datetime.fromtimestamp(box.occ.starts_at, self.tz)
            self._paint_box(painter, metrics, box.rect, box.occ, f"{local:%H:%M} {box.occ.title}")
        if self._preview is not None:
            painter.setPen(
                QPen(palette.color(QPalette.ColorRole.Highlight), 2, Qt.PenStyle.DashLine)
            )
            painter.setBrush(Qt.BrushStyle.NoBrush)
            painter.drawRoundedRect(self._preview, 3, 3)

    def _paint_grid(self, painter: QPainter, palette: QPalette) -> None:
        mid = palette.color(QPalette.ColorRole.Mid)
        faint = QColor(mid)
        faint.setAlpha(90)
        body_top = self._body_top()
        painter.setPen(palette.color(QPalette.ColorRole.PlaceholderText))
        for hour in range(24):
            y = self._y_for(hour * 3600)
            painter.drawText(
                QRectF(0, y - 2, self.TIME_GUTTER - 6, 16),
                Qt.AlignmentFlag.AlignRight | Qt.AlignmentFlag.AlignTop,
                f"{hour:02d}:00",
            )
        for col, day in enumerate(self.days):
            x = self._column_x(col)
            header = QRectF(x, 0, self._column_width(), self.HEADER)
            if day == self.today:
                painter.fillRect(header, colors.TODAY)
                painter.setPen(QColor("white"))
            else:
                painter.setPen(palette.color(QPalette.ColorRole.Text))
            name = WEEKDAY_NAMES[day.weekday()]
            painter.drawText(header, Qt.AlignmentFlag.AlignCenter, f"{name} {day.day}")
        painter.setPen(QPen(faint, 1))
        for hour in range(25):
            y = self._y_for(hour * 3600)
            painter.drawLine(self.TIME_GUTTER, int(y), self.width(), int(y))
        painter.setPen(QPen(mid, 1))
        painter.drawLine(self.TIME_GUTTER, body_top, self.width(), body_top)
        for col in range(8):
            x = int(self._column_x(col))
            painter.drawLine(x, 0, x, self.height())
        if self._now_line is not None and self.today in self.days:
            col = self.days.index(self.today)
            y = self._y_for(self._seconds_into_day(self._now_line))
            painter.setPen(QPen(colors.TODAY, 2))
            painter.drawLine(int(self._column_x(col)), int(y), int(self._column_x(col + 1)), int(y))

    def _paint_box(
        self, painter: QPainter, metrics: QFontMetrics, rect: QRectF, occ: Occurrence, text: str
    ) -> None:
        color = QColor(self._color_for(occ))
        if occ.status == "cancelled":
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
        painter.setPen(QColor("white"))
        inner = rect.adjusted(6, 1, -3, -1)
        flags = Qt.AlignmentFlag.AlignLeft | Qt.AlignmentFlag.AlignTop | Qt.TextFlag.TextWordWrap
        if inner.height() < metrics.height() * 2:
            text = metrics.elidedText(text, Qt.TextElideMode.ElideRight, int(inner.width()))
            flags = Qt.AlignmentFlag.AlignLeft | Qt.AlignmentFlag.AlignVCenter
        painter.drawText(inner, flags, text + (" ↻" if occ.is_recurring else ""))

    # -- mouse -----------------------------------------------------------------------------

    def mousePressEvent(self, event: QMouseEvent) -> None:  # noqa: N802 - Qt override
        if event.button() != Qt.MouseButton.LeftButton:
            return
        pos = event.position().toPoint()
        hit = self.occurrence_at(pos)
        self.select(hit[0] if hit else None)
        if hit is None:
            self._press = None
            return
        occ, rect = hit
        mode = "resize" if not occ.all_day and pos.y() >= rect.bottom() - EDGE else "move"
        self._press = (pos, occ, mode)
        self._drag_offset = int(pos.y() - rect.top())

    def mouseMoveEvent(self, event: QMouseEvent) -> None:  # noqa: N802 - Qt override
        pos = event.position().toPoint()
        if self._press is None:
            hit = self.occurrence_at(pos)
            at_edge = hit and not hit[0].all_day and pos.y() >= hit[1].bottom() - EDGE
            self.setCursor(Qt.CursorShape.SizeVerCursor if at_edge else Qt.CursorShape.ArrowCursor)
            return
        start, occ, mode = self._press
        if (pos - start).manhattanLength() < QApplication.startDragDistance():
            return
        rect = QRectF(self.box_rect(occ))
        if mode == "resize":
            rect.setBottom(max(rect.top() + self.HOUR / 4, pos.y()))
        elif occ.all_day:
            day = self.day_at(pos)
            if day is not None:
                rect.moveLeft(self._column_x(self.days.index(day)) + 2)
        else:
            day = self.day_at(pos)
            if day is not None:
                rect.moveLeft(self._column_x(self.days.index(day)) + 2)
                rect.moveTop(pos.y() - self._drag_offset)
        self._preview = rect
        self.update()

    def mouseReleaseEvent(self, event: QMouseEvent) -> None:  # noqa: N802 - Qt override
        press, preview = self._press, self._preview
        self._press, self._preview = None, None
        self.update()
        if press is None or preview is None:
            return
        _, occ, mode = press
        if mode == "resize":
            minutes = round((preview.height() / self.HOUR * 3600) / SNAP_SECONDS) * 15
            if minutes != (occ.ends_at - occ.starts_at) // 60:
                self.occurrence_resized.emit(occ, max(15, minutes))
            return
        if occ.all_day:
            day = self.day_at(preview.center().toPoint())
            old = days_covered(occ.starts_at, occ.ends_at, True, self.tz)[0]
            if day is not None and day != old:
                delta = (day - old).days * 86400
                self.occurrence_moved.emit(occ, occ.starts_at + delta)
            return
        new_start = self.time_at(QPoint(int(preview.center().x()), int(preview.top()) + 1))
        if new_start is not None and new_start != occ.starts_at:
            self.occurrence_moved.emit(occ, new_start)

    def mouseDoubleClickEvent(self, event: QMouseEvent) -> None:  # noqa: N802 - Qt override
        pos = event.position().toPoint()
        hit = self.occurrence_at(pos)
        if hit is not None:
            self.occurrence_activated.emit(hit[0])
            return
        when = self.time_at(pos)
        if when is not None:
            self.time_activated.emit(when)

    def dragEnterEvent(self, event: QDragEnterEvent) -> None:  # noqa: N802 - Qt override
        if event.mimeData().hasFormat(ITEM_MIME):
            event.acceptProposedAction()

    def dragMoveEvent(self, event) -> None:  # noqa: N802, ANN001 - Qt override
        event.acceptProposedAction()

    def dropEvent(self, event: QDropEvent) -> None:  # noqa: N802 - Qt override
        item_id = dropped_item_id(event.mimeData())
        pos = event.position().toPoint()
        when = self.time_at(pos)
        if when is None:
            day = self.day_at(pos)
            when = at_local_time(day, 9 * 3600, self.tz) if day else None
        if item_id is not None and when is not None:
            event.acceptProposedAction()
            self.item_dropped.emit(item_id, when)

    def keyPressEvent(self, event: QKeyEvent) -> None:  # noqa: N802 - Qt override
        key = event.key()
        if key in (Qt.Key.Key_Left, Qt.Key.Key_Right, Qt.Key.Key_Up, Qt.Key.Key_Down):
            self._move_selection(key)
        elif key in (Qt.Key.Key_Return, Qt.Key.Key_Enter) and self.selected is not None:
            self.occurrence_activated.emit(self.selected)
        elif key in PERIOD_KEYS and not event.modifiers() & ~Qt.KeyboardModifier.KeypadModifier:
            self.period_requested.emit(PERIOD_KEYS[key])
        else:
            super().keyPressEvent(event)

    def _move_selection(self, key: Qt.Key) -> None:
        """Up/down: previous/next item in time; left/right: first item of the previous/next day."""
        ordered = sorted(self._occurrences, key=lambda o: (o.starts_at, o.item_id))
        if not ordered:
            return
        if self.selected is None or self.selected not in ordered:
            self.select(ordered[0])
            return
        index = ordered.index(self.selected)
        if key in (Qt.Key.Key_Up, Qt.Key.Key_Down):
            step = 1 if key == Qt.Key.Key_Down else -1
            self.select(ordered[max(0, min(len(ordered) - 1, index + step))])
            return
        day = days_covered(self.selected.starts_at, self.selected.ends_at, False, self.tz)[0]
        target = day + timedelta(days=1 if key == Qt.Key.Key_Right else -1)
        same = [
            o for o in ordered if days_covered(o.starts_at, o.ends_at, False, self.tz)[0] == target
        ]
        if same:
            self.select(same[0])
        elif target not in self.days:
            self.period_requested.emit(1 if key == Qt.Key.Key_Right else -1)
