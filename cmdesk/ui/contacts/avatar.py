"""A contact's picture: their photo scaled and cropped into a circle, or their initials.

Photos come from imports (vCard PHOTO, CSV) in any size or shape: the picture is cropped to a
centred square, scaled smoothly to the display size (times the screen's device pixel ratio, so it
stays sharp on high-DPI screens) and clipped to a circle. Without a photo, or with bytes Qt cannot
decode, the initials are drawn on a colour that stays the same for the same name.
"""

from __future__ import annotations

import zlib

from PySide6.QtCore import QRectF, Qt
from PySide6.QtGui import QColor, QFont, QImage, QPainter, QPainterPath, QPixmap
from PySide6.QtWidgets import QLabel, QWidget

# Muted colours that keep white initials readable.
PLACEHOLDER_COLORS = (
    "#2e86ab", "#7b2cbf", "#3a9d5d", "#d1495b", "#c77d1f", "#1d7874", "#5c6ac4", "#8c5e58",
)  # fmt: skip


def initials(name: str) -> str:
    """Up to two letters: the first of the first and last words ("Ada King Lovelace" → "AL")."""
    firsts = [next((ch for ch in word if ch.isalnum()), "") for word in name.split()]
    firsts = [ch for ch in firsts if ch]
    if not firsts:
        return "?"
    return (firsts[0] + (firsts[-1] if len(firsts) > 1 else "")).upper()


def placeholder_color(name: str) -> QColor:
    return QColor(PLACEHOLDER_COLORS[zlib.crc32(name.encode()) % len(PLACEHOLDER_COLORS)])


def decode(photo: bytes | None) -> QImage | None:
    """The photo as an image, or None when there is none or Qt cannot read it."""
    image = QImage()
    return image if photo and image.loadFromData(photo) else None


def avatar_pixmap(photo: bytes | None, name: str, size: int, ratio: float = 1.0) -> QPixmap:
    """A round ``size``×``size`` (logical pixels) picture of the photo, else of the initials."""
    return _draw(decode(photo), name, size, ratio)


def _draw(image: QImage | None, name: str, size: int, ratio: float) -> QPixmap:
    pixels = max(1, round(size * ratio))
    pixmap = QPixmap(pixels, pixels)
    pixmap.fill(Qt.GlobalColor.transparent)
    painter = QPainter(pixmap)
    painter.setRenderHint(QPainter.RenderHint.Antialiasing)
    painter.setRenderHint(QPainter.RenderHint.SmoothPixmapTransform)
    circle = QPainterPath()
    circle.addEllipse(QRectF(0, 0, pixels, pixels))
    painter.setClipPath(circle)
    if image is not None:
        side = min(image.width(), image.height())
        square = image.copy(
            (image.width() - side) // 2, (image.height() - side) // 2, side, side
        ).scaled(
            pixels, pixels, Qt.AspectRatioMode.IgnoreAspectRatio,
            Qt.TransformationMode.SmoothTransformation,
        )  # fmt: skip
        painter.drawImage(0, 0, square)
    else:
        painter.fillRect(0, 0, pixels, pixels, placeholder_color(name))
        font = QFont()
        font.setPixelSize(max(6, round(pixels * 0.4)))
        font.setBold(True)
        painter.setFont(font)
        painter.setPen(QColor("white"))
        painter.drawText(QRectF(0, 0, pixels, pixels), Qt.AlignmentFlag.AlignCenter, initials(name))
    painter.end()
    pixmap.setDevicePixelRatio(ratio)
    return pixmap


class Avatar(QLabel):
    """A fixed-size label showing :func:`avatar_pixmap`; ``has_photo`` says which was drawn."""

    def __init__(self, size: int = 72, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.side = size
        self.has_photo = False
        self.setObjectName("contactAvatar")
        self.setFixedSize(size, size)

    def show_person(self, photo: bytes | None, name: str) -> None:
        image = decode(photo)
        self.has_photo = image is not None
        self.setPixmap(_draw(image, name, self.side, self.devicePixelRatioF()))
        self.setToolTip(name if self.has_photo else f"{name} (no photo)")
