"""Icons: SVG files in ``resources/icons`` loaded by name and tinted to the palette's text colour.

The SVGs are drawn in black strokes; tinting at load time keeps them legible on dark palettes.
"""

from __future__ import annotations

from functools import cache
from importlib.resources import files

from PySide6.QtCore import QByteArray, QRectF, QSize, Qt
from PySide6.QtGui import QColor, QIcon, QPainter, QPixmap
from PySide6.QtSvg import QSvgRenderer

ICON_SIZES = (16, 24, 32, 48)


@cache
def _svg_text(name: str) -> str:
    return (files("cmdesk.resources") / "icons" / f"{name}.svg").read_text(encoding="utf-8")


def icon(name: str, color: QColor | str | None = None) -> QIcon:
    """The icon called ``name``, stroked in ``color`` (default: black, as drawn)."""
    try:
        text = _svg_text(name)
    except FileNotFoundError:
        return QIcon()
    if color is not None:
        hex_color = QColor(color).name()
        text = text.replace('stroke="#000000"', f'stroke="{hex_color}"')
    renderer = QSvgRenderer(QByteArray(text.encode("utf-8")))
    result = QIcon()
    for size in ICON_SIZES:
        pixmap = QPixmap(QSize(size, size) * 2)
        pixmap.setDevicePixelRatio(2)
        pixmap.fill(Qt.GlobalColor.transparent)
        painter = QPainter(pixmap)
        renderer.render(painter, QRectF(0, 0, size, size))
        painter.end()
        result.addPixmap(pixmap)
    return result


def app_icon() -> QIcon:
    return icon("cmdesk")
