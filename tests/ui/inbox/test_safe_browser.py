from __future__ import annotations

from PySide6.QtCore import QUrl
from PySide6.QtGui import QImage, QTextDocument

from cmdesk.ui.inbox.safe_browser import SafeBrowser, decode_data_url

PIXEL = (
    "data:image/png;base64,iVBORw0KGgoAAAANSUhEUgAAAAEAAAABCAYAAAAfFcSJAAAADUlEQVR42mP8z8BQDwAEhQ"
    "GAhKmMIQAAAABJRU5ErkJggg=="
)
IMAGE = QTextDocument.ResourceType.ImageResource.value


def test_every_non_data_resource_gets_the_placeholder(qtbot):
    browser = SafeBrowser()
    qtbot.addWidget(browser)
    for url in ("file:///dev/zero", "http://example.com/a.png", "/etc/passwd", "qrc:/x.png"):
        image = browser.loadResource(IMAGE, QUrl(url))
        assert isinstance(image, QImage) and image.size().width() == 48
    assert browser.refused == [
        "file:///dev/zero",
        "http://example.com/a.png",
        "/etc/passwd",
        "qrc:/x.png",
    ]
    assert browser.loadResource(IMAGE, QUrl(PIXEL)).width() == 1
    style = QTextDocument.ResourceType.StyleSheetResource.value
    assert bytes(browser.loadResource(style, QUrl("file:///etc/passwd"))) == b""
    assert decode_data_url("data:text/html;base64,PGI+") is None


def test_images_are_shown_only_once_provided_and_links_never_navigate(qtbot):
    browser = SafeBrowser()
    qtbot.addWidget(browser)
    browser.show_html('<p><img src="https://cdn.example/a.png"> <a href="https://x.test">x</a></p>')
    assert browser.image_urls() == ["https://cdn.example/a.png"]
    raw = QImage(3, 2, QImage.Format.Format_ARGB32)
    from PySide6.QtCore import QBuffer, QByteArray, QIODevice

    data = QByteArray()
    buffer = QBuffer(data)
    buffer.open(QIODevice.OpenModeFlag.WriteOnly)
    raw.save(buffer, "PNG")
    assert browser.provide_images({"https://cdn.example/a.png": bytes(data)}) == 1
    assert browser.loadResource(IMAGE, QUrl("https://cdn.example/a.png")).width() == 3
    assert not browser.openLinks() and not browser.openExternalLinks()
    browser.show_html("<p>next item</p>")
    assert browser.loadResource(IMAGE, QUrl("https://cdn.example/a.png")).width() == 48


def test_query_hits_are_highlighted_without_excluded_words_and_with_accents(qtbot):
    from cmdesk.core.services.inbox_filters import highlight_pattern, query_highlight_terms

    browser = SafeBrowser()
    qtbot.addWidget(browser)
    browser.show_html("<p>Acme is hiring: jobs at the Café, job-board jobs</p>")
    pattern = highlight_pattern(query_highlight_terms("(acme OR cafe) NOT jobs -job"))
    assert browser.highlight(pattern) == 2  # "Acme" and "Café"; never "jobs" or "job"
