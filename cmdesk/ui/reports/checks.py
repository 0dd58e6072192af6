"""Check boxes that stay visible on the dark palette.

Fusion outlines a check box with the window colour darkened, which on the dark palette is almost
the colour of the field behind it: an unticked box disappears. These draw the box with a lighter
"window" colour (only for the indicator), so ticked and unticked both show in light and dark.
"""

from __future__ import annotations

from PySide6.QtCore import QModelIndex, QPersistentModelIndex
from PySide6.QtGui import QPaintEvent, QPalette
from PySide6.QtWidgets import (
    QCheckBox,
    QStyle,
    QStyledItemDelegate,
    QStyleOptionButton,
    QStyleOptionViewItem,
    QStylePainter,
)


def visible_check_palette(palette: QPalette) -> QPalette:
    """``palette`` with a window colour whose darker outline shows on a dark field."""
    if palette.color(QPalette.ColorRole.Window).lightness() >= 128:
        return palette
    result = QPalette(palette)
    result.setColor(QPalette.ColorRole.Window, palette.color(QPalette.ColorRole.PlaceholderText))
    return result


class VisibleCheckDelegate(QStyledItemDelegate):
    """For checkable item views: the item as usual, its check box outlined visibly."""

    def initStyleOption(  # noqa: N802 - Qt override
        self, option: QStyleOptionViewItem, index: QModelIndex | QPersistentModelIndex
    ) -> None:
        super().initStyleOption(option, index)
        option.palette = visible_check_palette(option.palette)  # type: ignore[attr-defined]


class VisibleCheckBox(QCheckBox):
    def paintEvent(self, _event: QPaintEvent) -> None:  # noqa: N802 - Qt override
        painter = QStylePainter(self)
        option = QStyleOptionButton()
        self.initStyleOption(option)
        option.palette = visible_check_palette(option.palette)  # type: ignore[attr-defined]
        painter.drawControl(QStyle.ControlElement.CE_CheckBox, option)
