"""Page layout for reports: blocks that measure themselves, flow onto A4 pages and paint there.

Blocks are headings, text, figure tiles, charts, tables and quotes.
Imports QtGui only (no widgets), so pages can be laid out and painted off the GUI thread, into a
PDF or into preview images alike. Coordinates are points (1/72 inch). Tables split between rows
and repeat their header on each page; a heading never ends a page (it moves on with what follows).
Limits: one column; a single table row or paragraph taller than a page is clipped.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from dataclasses import dataclass, field

from PySide6.QtCore import QPointF, QRectF, Qt
from PySide6.QtGui import QColor, QFontMetricsF, QPainter, QPen

from cmdesk.reports.charts import INK, MUTED, font

PAGE_WIDTH, PAGE_HEIGHT = 595.28, 841.89  # A4
MARGIN_X, MARGIN_TOP, MARGIN_BOTTOM = 50.0, 62.0, 58.0
BODY_WIDTH = PAGE_WIDTH - 2 * MARGIN_X
BODY_HEIGHT = PAGE_HEIGHT - MARGIN_TOP - MARGIN_BOTTOM
WRAP = int(Qt.TextFlag.TextWordWrap)
RULE = QColor("#9aa5b1")
SHADE = QColor("#edf0f3")
HEADING_SIZES = {1: 16, 2: 11, 3: 9}  # level 3: a group inside a section (a tag's quotes)


def text_height(text: str, size: int, width: float, bold: bool = False) -> float:
    metrics = QFontMetricsF(font(size, bold))
    return metrics.boundingRect(QRectF(0, 0, width, 1e6), WRAP, text).height()


class Block:
    """Something on a page: measures itself for a width and paints itself into a rect."""

    space_after = 8.0
    keep_with_next = False

    def height(self, width: float) -> float:
        raise NotImplementedError

    def paint(self, painter: QPainter, rect: QRectF) -> None:
        raise NotImplementedError

    def split(self, width: float, room: float) -> tuple[Block, Block] | None:
        """A first part fitting in ``room`` and the rest, or None when it cannot split there."""
        return None


@dataclass
class Heading(Block):
    text: str
    level: int = 1
    section: str | None = None  # a section key: listed in the contents
    keep_with_next = True

    @property
    def space_after(self) -> float:  # type: ignore[override]
        return 8.0 if self.level == 1 else 4.0

    def height(self, width: float) -> float:
        size = HEADING_SIZES.get(self.level, 9)
        return text_height(self.text, size, width, True) + (8 if self.level == 1 else 2)

    def paint(self, painter: QPainter, rect: QRectF) -> None:
        size = HEADING_SIZES.get(self.level, 9)
        painter.setFont(font(size, bold=True))
        painter.setPen(INK)
        painter.drawText(rect, WRAP, self.text)
        if self.level == 1:
            painter.setPen(QPen(RULE, 0.8))
            painter.drawLine(rect.bottomLeft() - QPointF(0, 3), rect.bottomRight() - QPointF(0, 3))


@dataclass
class Paragraph(Block):
    text: str
    size: int = 9
    muted: bool = False
    bold: bool = False

    def height(self, width: float) -> float:
        return text_height(self.text, self.size, width, self.bold)

    def paint(self, painter: QPainter, rect: QRectF) -> None:
        painter.setFont(font(self.size, self.bold))
        painter.setPen(MUTED if self.muted else INK)
        painter.drawText(rect, WRAP, self.text)


@dataclass
class Tile:
    label: str
    value: str
    lines: tuple[str, ...] = ()  # change vs previous period, goal status...


@dataclass
class Tiles(Block):
    """Headline figures in boxes, three to a row."""

    tiles: list[Tile]
    per_row: int = 3
    space_after = 10.0

    def _row_height(self) -> float:
        return 70.0

    def height(self, width: float) -> float:
        rows = -(-len(self.tiles) // self.per_row)
        return rows * self._row_height() + (rows - 1) * 8

    def paint(self, painter: QPainter, rect: QRectF) -> None:
        gap = 8.0
        width = (rect.width() - gap * (self.per_row - 1)) / self.per_row
        for n, tile in enumerate(self.tiles):
            row, col = divmod(n, self.per_row)
            box = QRectF(rect.left() + col * (width + gap),
                         rect.top() + row * (self._row_height() + gap), width,
                         self._row_height())  # fmt: skip
            painter.setPen(QPen(RULE, 0.7))
            painter.setBrush(SHADE)
            painter.drawRoundedRect(box, 3, 3)
            inner = box.adjusted(8, 6, -8, -4)
            painter.setPen(MUTED)
            painter.setFont(font(7, bold=True))
            painter.drawText(inner, int(Qt.AlignmentFlag.AlignTop), tile.label.upper())
            painter.setPen(INK)
            painter.setFont(font(17, bold=True))
            painter.drawText(
                inner.adjusted(0, 11, 0, 0), int(Qt.AlignmentFlag.AlignTop), tile.value
            )
            painter.setFont(font(7))
            painter.setPen(MUTED)
            for k, line in enumerate(tile.lines[:3]):
                metrics = QFontMetricsF(painter.font())
                text = metrics.elidedText(line, Qt.TextElideMode.ElideRight, inner.width())
                painter.drawText(inner.adjusted(0, 35 + 9.5 * k, 0, 0), 0, text)


@dataclass
class Chart(Block):
    draw: Callable[[QPainter, QRectF], None]
    fixed_height: float = 190.0
    space_after = 12.0

    def height(self, width: float) -> float:
        return self.fixed_height

    def paint(self, painter: QPainter, rect: QRectF) -> None:
        painter.save()
        self.draw(painter, rect)
        painter.restore()


@dataclass
class Column:
    title: str
    weight: float = 1.0
    align: str = "left"  # or "right"


@dataclass
class Table(Block):
    """Rows of cells; splits between rows and repeats the header row on every page."""

    columns: list[Column]
    rows: list[list[str]]
    size: int = 8
    continued: bool = False
    space_after = 12.0
    _heights: dict[float, list[float]] = field(default_factory=dict, repr=False)

    def _widths(self, width: float) -> list[float]:
        total = sum(c.weight for c in self.columns)
        return [width * c.weight / total for c in self.columns]

    def _cell_height(self, text: str, width: float, bold: bool) -> float:
        metrics = QFontMetricsF(font(self.size, bold))
        if any(metrics.horizontalAdvance(word) > width - 8 for word in text.split()):
            return metrics.height() + 6  # elided to one line when painted
        return text_height(text, self.size, width - 8, bold) + 6

    def _header_height(self, width: float) -> float:
        widths = self._widths(width)
        return max(
            self._cell_height(c.title, w, True) for c, w in zip(self.columns, widths, strict=True)
        )

    def _row_heights(self, width: float) -> list[float]:
        if width not in self._heights:
            widths = self._widths(width)
            self._heights[width] = [
                max(self._cell_height(cell, w, False) for cell, w in zip(row, widths, strict=True))
                for row in self.rows
            ]
        return self._heights[width]

    def height(self, width: float) -> float:
        return self._header_height(width) + sum(self._row_heights(width))

    def split(self, width: float, room: float) -> tuple[Block, Block] | None:
        used = self._header_height(width)
        heights = self._row_heights(width)
        fit = 0
        while fit < len(heights) and used + heights[fit] <= room:
            used += heights[fit]
            fit += 1
        if fit == 0 or fit == len(heights):
            return None
        return (
            Table(self.columns, self.rows[:fit], self.size, self.continued),
            Table(self.columns, self.rows[fit:], self.size, True),
        )

    def paint(self, painter: QPainter, rect: QRectF) -> None:
        widths = self._widths(rect.width())
        y = rect.top()
        header = self._header_height(rect.width())
        painter.fillRect(QRectF(rect.left(), y, rect.width(), header), SHADE)
        titles = [c.title + (" (continued)" if self.continued and n == 0 else "")
                  for n, c in enumerate(self.columns)]  # fmt: skip
        self._paint_row(painter, rect.left(), y, widths, header, titles, True)
        painter.setPen(QPen(INK, 0.8))
        painter.drawLine(QPointF(rect.left(), y + header), QPointF(rect.right(), y + header))
        y += header
        for row, height in zip(self.rows, self._row_heights(rect.width()), strict=True):
            self._paint_row(painter, rect.left(), y, widths, height, row, False)
            y += height
            painter.setPen(QPen(RULE, 0.4))
            painter.drawLine(QPointF(rect.left(), y), QPointF(rect.right(), y))

    def _paint_row(
        self,
        painter: QPainter,
        x: float,
        y: float,
        widths: list[float],
        height: float,
        cells: Sequence[str],
        bold: bool,
    ) -> None:
        painter.setFont(font(self.size, bold))
        painter.setPen(INK)
        metrics = QFontMetricsF(painter.font())
        for column, width, cell in zip(self.columns, widths, cells, strict=True):
            align = (
                Qt.AlignmentFlag.AlignRight
                if column.align == "right"
                else Qt.AlignmentFlag.AlignLeft
            )
            room = width - 8
            if any(metrics.horizontalAdvance(word) > room for word in cell.split()):
                cell = metrics.elidedText(cell, Qt.TextElideMode.ElideRight, room)
            painter.drawText(QRectF(x + 4, y + 3, room, height - 4), int(align) | WRAP, cell)
            x += width


@dataclass
class QuoteBlock(Block):
    text: str
    attribution: str
    space_after = 9.0

    def height(self, width: float) -> float:
        return (
            text_height(f"“{self.text}”", 9, width - 14)
            + text_height(self.attribution, 7, width - 14)
            + 4
        )

    def paint(self, painter: QPainter, rect: QRectF) -> None:
        painter.setPen(QPen(INK, 2.0))
        painter.drawLine(
            QPointF(rect.left() + 2, rect.top() + 1), QPointF(rect.left() + 2, rect.bottom() - 1)
        )
        body = rect.adjusted(12, 0, 0, 0)
        quote_height = text_height(f"“{self.text}”", 9, body.width())
        painter.setFont(font(9))
        painter.setPen(INK)
        painter.drawText(body, WRAP, f"“{self.text}”")
        painter.setFont(font(7))
        painter.setPen(MUTED)
        painter.drawText(body.adjusted(0, quote_height + 3, 0, 0), WRAP, self.attribution)


@dataclass
class PageBreak(Block):
    def height(self, width: float) -> float:
        return 0.0

    def paint(self, painter: QPainter, rect: QRectF) -> None:
        return None


@dataclass
class Page:
    placed: list[tuple[Block, QRectF]] = field(default_factory=list)


def _room_to_start(block: Block, following: Sequence[Block]) -> float:
    """Height needed on this page to start ``block``: a heading takes what follows along."""
    height = block.height(BODY_WIDTH)
    if not block.keep_with_next or not following:
        return height
    nxt = following[0]
    if isinstance(nxt, Table | Paragraph) and not nxt.keep_with_next:
        return height + block.space_after + min(nxt.height(BODY_WIDTH), 60.0)
    return height + block.space_after + _room_to_start(nxt, following[1:])


def paginate(blocks: Sequence[Block]) -> tuple[list[Page], dict[str, int]]:
    """Flow ``blocks`` onto pages; also where each section starts (0-based page index)."""
    pages = [Page()]
    starts: dict[str, int] = {}
    y = 0.0
    queue = list(blocks)
    while queue:
        block = queue.pop(0)
        if isinstance(block, PageBreak):
            if pages[-1].placed:
                pages.append(Page())
                y = 0.0
            continue
        height = block.height(BODY_WIDTH)
        needed = _room_to_start(block, queue)
        if y > 0 and y + needed > BODY_HEIGHT:
            part = block.split(BODY_WIDTH, BODY_HEIGHT - y) if not block.keep_with_next else None
            if part is None:
                # On a fresh page: placed again from the top, where a block taller than a page
                # is split (a long table started near the foot of a page used to run off it).
                pages.append(Page())
                y = 0.0
                queue.insert(0, block)
                continue
            else:
                block, rest = part
                queue.insert(0, rest)
                height = block.height(BODY_WIDTH)
        elif y == 0 and height > BODY_HEIGHT:
            part = block.split(BODY_WIDTH, BODY_HEIGHT)
            if part is not None:
                block, rest = part
                queue.insert(0, rest)
                height = block.height(BODY_WIDTH)
        if isinstance(block, Heading) and block.section and block.section not in starts:
            starts[block.section] = len(pages) - 1
        pages[-1].placed.append((block, QRectF(MARGIN_X, MARGIN_TOP + y, BODY_WIDTH, height)))
        y += height + block.space_after
        if y >= BODY_HEIGHT:
            pages.append(Page())
            y = 0.0
    if not pages[-1].placed and len(pages) > 1:
        pages.pop()
    return pages, starts
