"""A QTextBrowser for untrusted mention HTML: it loads nothing but ``data:`` images.

Qt rich text makes no network requests, but it reads local files (``file:///dev/zero`` exhausts
memory), so :meth:`SafeBrowser.loadResource` refuses every URL that is not ``data:`` and answers
with a small placeholder image — returning None is not enough. Remote images appear only after the
user clicks "Load images" for that item: the pane fetches them (http/https only, size-capped) and
hands their bytes over with :meth:`SafeBrowser.provide_images`, which are then served from memory.
Links never navigate inside the widget; clicks are reported through ``link_clicked``.
"""

from __future__ import annotations

import base64
import re

from PySide6.QtCore import QByteArray, QRegularExpression, QUrl, Signal
from PySide6.QtGui import QColor, QImage, QPainter, QTextCharFormat, QTextDocument
from PySide6.QtWidgets import QTextBrowser, QWidget

MAX_DATA_IMAGE_BYTES = 2_000_000
PLACEHOLDER_SIZE = (48, 32)
HIGHLIGHT = QColor("#fff176")


def placeholder_image() -> QImage:
    """A small grey box with an image glyph: "an image is here, not loaded"."""
    width, height = PLACEHOLDER_SIZE
    image = QImage(width, height, QImage.Format.Format_ARGB32)
    image.fill(QColor("#e0e0e0"))
    painter = QPainter(image)
    painter.setPen(QColor("#9e9e9e"))
    painter.drawRect(0, 0, width - 1, height - 1)
    painter.drawLine(8, height - 8, 18, 12)
    painter.drawLine(18, 12, 26, height - 12)
    painter.drawLine(26, height - 12, 32, height - 16)
    painter.drawLine(32, height - 16, width - 8, height - 8)
    painter.end()
    return image


def decode_data_url(url: str) -> QImage | None:
    """The image in a ``data:image/...;base64,`` URL, or None when it is not a valid small one."""
    match = re.match(r"data:image/[a-z0-9.+-]+;base64,(.*)", url, re.IGNORECASE | re.DOTALL)
    if not match or len(match.group(1)) > MAX_DATA_IMAGE_BYTES * 4 // 3 + 4:
        return None
    try:
        raw = base64.b64decode(match.group(1), validate=False)
    except ValueError:
        return None
    image = QImage()
    return image if image.loadFromData(QByteArray(raw)) else None


class SafeBrowser(QTextBrowser):
    """Shows sanitised HTML; refuses every resource that is not a data URL or a provided image."""

    link_clicked = Signal(QUrl)

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setOpenLinks(False)
        self.setOpenExternalLinks(False)
        self.anchorClicked.connect(self.link_clicked)
        self._placeholder = placeholder_image()
        self._provided: dict[str, QImage] = {}
        self.refused: list[str] = []  # what the document asked for and did not get (tests, UI)

    def loadResource(self, kind: int, url: QUrl | str) -> object:
        text = url.toString() if isinstance(url, QUrl) else str(url)
        if kind == QTextDocument.ResourceType.ImageResource.value or kind == 2:
            if text in self._provided:
                return self._provided[text]
            if text.lower().startswith("data:"):
                image = decode_data_url(text)
                if image is not None:
                    return image
        self.refused.append(text)
        if kind == QTextDocument.ResourceType.ImageResource.value or kind == 2:
            return self._placeholder
        return QByteArray()  # style sheets and anything else: empty, never read from disk

    def show_html(self, html: str) -> None:
        """Replace the content; images provided for the previous item are forgotten."""
        self._provided.clear()
        self.refused = []
        self.document().clear()
        self.setHtml(html)

    def provide_images(self, images: dict[str, bytes]) -> int:
        """Serve these (already fetched) images and re-lay out the document; how many decoded."""
        decoded = 0
        for url, raw in images.items():
            image = QImage()
            if image.loadFromData(QByteArray(raw)):
                self._provided[url] = image
                self.document().addResource(
                    QTextDocument.ResourceType.ImageResource.value, QUrl(url), image
                )
                decoded += 1
        html = self.document().toHtml()
        self.setHtml(html)
        return decoded

    def image_urls(self) -> list[str]:
        """The http(s) image URLs of the current document, in order, without duplicates."""
        urls = re.findall(r'<img[^>]+src="([^"]+)"', self.document().toHtml(), re.IGNORECASE)
        return list(dict.fromkeys(u for u in urls if u.lower().startswith(("http://", "https://"))))

    def highlight(self, pattern: re.Pattern[str] | None) -> int:
        """Paint a background behind every match of ``pattern``; returns the number of hits."""
        if pattern is None:
            return 0
        document = self.document()
        expression = QRegularExpression(
            pattern.pattern,
            QRegularExpression.PatternOption.CaseInsensitiveOption
            | QRegularExpression.PatternOption.UseUnicodePropertiesOption,
        )
        fmt = QTextCharFormat()
        fmt.setBackground(HIGHLIGHT)
        fmt.setForeground(QColor("#1f2328"))
        hits = 0
        cursor = document.find(expression, 0)
        while not cursor.isNull() and hits < 10_000:
            cursor.mergeCharFormat(fmt)
            hits += 1
            cursor = document.find(expression, cursor)
        return hits
