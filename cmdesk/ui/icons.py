"""Icons: SVG files in ``resources/icons`` loaded by name and tinted to the palette's text colour.

The SVGs are drawn in black strokes; tinting at load time keeps them legible on dark palettes.
A tinted icon is a picture in one colour, so when the system switches between light and dark
while the app runs, whoever shows it tints it again: :func:`palette_icon` gives the icon in a
widget's text colour, :class:`PaletteIcons` keeps buttons' icons in their palette's text colour
on every palette change, and :func:`icon_name` tells which SVG an icon was made from (the
sidebar re-tints the icons it was handed with it).
"""

from __future__ import annotations

from functools import cache
from importlib.resources import files

from PySide6.QtCore import QByteArray, QEvent, QObject, QRectF, QSize, Qt
from PySide6.QtGui import QColor, QGuiApplication, QIcon, QPainter, QPalette, QPixmap
from PySide6.QtSvg import QSvgRenderer
from PySide6.QtWidgets import QAbstractButton, QWidget

ICON_SIZES = (16, 24, 32, 48)
_NAMES: dict[int, str] = {}  # QIcon.cacheKey() -> the SVG it was made from (copies share it)


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
    _NAMES[result.cacheKey()] = name
    return result


def icon_name(made: QIcon) -> str | None:
    """The name of the SVG that :func:`icon` made ``made`` from (None for any other icon)."""
    return _NAMES.get(made.cacheKey())


def text_color(widget: QWidget | None = None) -> QColor:
    """The text colour of ``widget``'s palette (default: the application's)."""
    palette = widget.palette() if widget is not None else QGuiApplication.palette()
    return palette.color(QPalette.ColorRole.WindowText)


def palette_icon(name: str, widget: QWidget | None = None) -> QIcon:
    """The icon called ``name`` in the text colour of ``widget``'s palette (or the app's)."""
    return icon(name, text_color(widget))


class PaletteIcons(QObject):
    """Keeps buttons' icons in their palette's text colour, re-tinted on every palette change.

    ``PaletteIcons(owner).add(button, "cancel")``: lives as long as ``owner``.
    """

    def __init__(self, owner: QObject) -> None:
        super().__init__(owner)
        self._buttons: list[tuple[QAbstractButton, str]] = []

    def add(self, button: QAbstractButton, name: str) -> None:
        self._buttons.append((button, name))
        button.setIcon(palette_icon(name, button))
        button.installEventFilter(self)

    def eventFilter(self, watched: QObject, event: QEvent) -> bool:  # noqa: N802 (Qt override)
        if event.type() == QEvent.Type.PaletteChange:
            for button, name in self._buttons:
                if button is watched:
                    button.setIcon(palette_icon(name, button))
        return False


def app_icon() -> QIcon:
    return icon("cmdesk")
