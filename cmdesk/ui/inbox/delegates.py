"""Painting search hits in bold with a highlight in the list's mention column.

The cell text is escaped before the hits are wrapped, and the QTextDocument used to paint it has
no resource loader that reaches anything: a title can never pull in an image or a file.
"""

from __future__ import annotations

import html
import re

from PySide6.QtCore import QModelIndex, QPersistentModelIndex, QRectF, QSize
from PySide6.QtGui import QAbstractTextDocumentLayout, QPainter, QPalette, QTextDocument
from PySide6.QtWidgets import QApplication, QStyle, QStyledItemDelegate, QStyleOptionViewItem


def mark_hits(text: str, pattern: re.Pattern[str] | None) -> str:
    """Escaped ``text`` with each hit wrapped in a highlighted bold span."""
    if pattern is None:
        return html.escape(text)
    out, last = [], 0
    for match in pattern.finditer(text):
        out.append(html.escape(text[last : match.start()]))
        out.append(
            f'<b style="background-color:#fff176; color:#1f2328">{html.escape(match.group(0))}</b>'
        )
        last = match.end()
    out.append(html.escape(text[last:]))
    return "".join(out)


class HitDelegate(QStyledItemDelegate):
    """Paints the cell's text as one elided line with the hits of ``pattern`` highlighted."""

    pattern: re.Pattern[str] | None = None

    def paint(
        self,
        painter: QPainter,
        option: QStyleOptionViewItem,
        index: QModelIndex | QPersistentModelIndex,
    ) -> None:
        if self.pattern is None:
            super().paint(painter, option, index)
            return
        opt = QStyleOptionViewItem(option)
        self.initStyleOption(opt, index)
        text = opt.text
        opt.text = ""
        style = opt.widget.style() if opt.widget else QApplication.style()
        style.drawControl(QStyle.ControlElement.CE_ItemViewItem, opt, painter, opt.widget)
        document = QTextDocument()
        document.setDefaultFont(opt.font)
        document.setDocumentMargin(2)
        elided = opt.fontMetrics.elidedText(text, opt.textElideMode, opt.rect.width() * 3)
        document.setHtml(f"<nobr>{mark_hits(elided, self.pattern)}</nobr>")
        painter.save()
        painter.translate(opt.rect.topLeft())
        clip = QRectF(0, 0, opt.rect.width(), opt.rect.height())
        painter.setClipRect(clip)
        selected = (opt.state & QStyle.StateFlag.State_Selected) == QStyle.StateFlag.State_Selected
        role = QPalette.ColorRole.HighlightedText if selected else QPalette.ColorRole.Text
        palette = QPalette(opt.palette)
        palette.setColor(QPalette.ColorRole.Text, opt.palette.color(role))
        context = QAbstractTextDocumentLayout.PaintContext()
        context.palette = palette
        offset = max(0.0, (opt.rect.height() - document.size().height()) / 2)
        painter.translate(0, offset)
        document.documentLayout().draw(painter, context)
        painter.restore()

    def sizeHint(
        self, option: QStyleOptionViewItem, index: QModelIndex | QPersistentModelIndex
    ) -> QSize:
        return super().sizeHint(option, index)
