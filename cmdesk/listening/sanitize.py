"""The only HTML sanitiser: untrusted HTML from sources → safe HTML, and HTML → plain text.

Imports no Qt. Built on nh3 (the Rust ``ammonia`` allow-list sanitiser), never on feedparser's
own cleaning, which keeps remote images, media, form actions and ``file:`` images.

What survives :func:`clean_html`: text formatting, lists, quotes, code, tables and links to
http/https only (``rel="noopener noreferrer"``; relative links are resolved against the item's
address when one is given, dropped otherwise). What never survives: scripts, styles, iframes,
forms, media, SVG, event handlers, ``style`` attributes, and images. An image becomes an inert
placeholder link ``<a href=URL data-image=URL>[image: alt]</a>``: nothing is loaded unless the
user asks (:func:`image_urls` lists them for a "Load images" button). Tracking pixels (1×1 or
known pixel paths) are dropped entirely.
"""

from __future__ import annotations

import html as html_module
import re
from urllib.parse import urljoin, urlsplit

import nh3

ALLOWED_TAGS = frozenset(
    [
        "a",
        "abbr",
        "b",
        "blockquote",
        "br",
        "cite",
        "code",
        "dd",
        "del",
        "div",
        "dl",
        "dt",
        "em",
        "figcaption",
        "figure",
        "h1",
        "h2",
        "h3",
        "h4",
        "h5",
        "h6",
        "hr",
        "i",
        "ins",
        "kbd",
        "li",
        "mark",
        "ol",
        "p",
        "pre",
        "q",
        "s",
        "small",
        "span",
        "strong",
        "sub",
        "sup",
        "table",
        "tbody",
        "td",
        "tfoot",
        "th",
        "thead",
        "time",
        "tr",
        "u",
        "ul",
    ]
)
# Dropped together with everything inside them.
DROPPED_WITH_CONTENT = frozenset(
    [
        "script",
        "style",
        "iframe",
        "frame",
        "frameset",
        "object",
        "embed",
        "applet",
        "video",
        "audio",
        "canvas",
        "form",
        "select",
        "textarea",
        "button",
        "noscript",
        "template",
        "svg",
        "math",
        "head",
        "title",
    ]
)
ALLOWED_ATTRIBUTES = {
    "a": {"href", "title", "data-image"},
    "abbr": {"title"},
    "td": {"colspan", "rowspan"},
    "th": {"colspan", "rowspan"},
    "time": {"datetime"},
}
_IMG = re.compile(r"<img\b[^>]*>", re.IGNORECASE)
_ATTR = re.compile(r"""([a-zA-Z_:][-a-zA-Z0-9_:.]*)\s*=\s*("[^"]*"|'[^']*'|[^\s"'>]+)""")
_PIXEL_PATH = re.compile(r"(pixel|beacon|/track|/open\.|\.gif\?|feedburner\.com/~r/)", re.I)
_BLOCK_END = re.compile(
    r"<(?:br\b|/?(?:p|div|li|ul|ol|h[1-6]|tr|table|blockquote|pre|dt|dd|hr|figure)\b)[^>]*>",
    re.IGNORECASE,
)
# Only what changes: a lone plain space is left alone (matching each of them was most of the
# cost of turning a feed's items into text).
_SPACES = re.compile(r"[ \t\u00a0\r\f\v]{2,}|[\t\u00a0\r\f\v]")


def _is_web_url(url: str) -> bool:
    try:
        return urlsplit(url).scheme.lower() in ("http", "https")
    except ValueError:
        return False


def _attribute_filter(tag: str, attribute: str, value: str) -> str | None:
    if attribute == "data-image":
        return value if _is_web_url(value) else None
    return value


def _image_placeholder(match: re.Match[str], base_url: str | None) -> str:
    attrs = {
        name.lower(): html_module.unescape(value.strip("\"'"))
        for name, value in _ATTR.findall(match.group(0))
    }
    src = attrs.get("src", "").strip()
    if base_url and src and not urlsplit(src).scheme:
        src = urljoin(base_url, src)
    sizes = [attrs.get("width", ""), attrs.get("height", "")]
    if any(s.strip().rstrip("px").isdigit() and int(s.strip().rstrip("px")) <= 2 for s in sizes):
        return ""  # a tracking pixel
    if not _is_web_url(src) or _PIXEL_PATH.search(src):
        return ""
    alt = " ".join(attrs.get("alt", "").split())[:120]
    label = html_module.escape(f"[image: {alt}]" if alt else "[image]")
    url = html_module.escape(src, quote=True)
    return f'<a href="{url}" data-image="{url}">{label}</a>'


def clean_html(html: str, base_url: str | None = None) -> str:
    """Safe HTML for display: allow-listed tags, http/https links only, images as placeholders."""
    if not html:
        return ""
    html = html.replace("\x00", "")
    base = base_url if base_url and _is_web_url(base_url) else None
    html = _IMG.sub(lambda m: _image_placeholder(m, base), html)
    relative: str | tuple[str, str] = ("rewrite_with_base", base) if base else "deny"
    return nh3.clean(
        html,
        tags=set(ALLOWED_TAGS),
        clean_content_tags=set(DROPPED_WITH_CONTENT),
        attributes={tag: set(attrs) for tag, attrs in ALLOWED_ATTRIBUTES.items()},
        attribute_filter=_attribute_filter,
        url_schemes={"http", "https"},
        url_relative=relative,
        link_rel="noopener noreferrer",
        strip_comments=True,
    ).strip()


def html_to_text(html: str) -> str:
    """The readable text of an HTML fragment: tags gone, entities decoded, blocks on their lines."""
    if not html:
        return ""
    html = _BLOCK_END.sub("\n", html.replace("\x00", ""))
    stripped = nh3.clean(html, tags=set(), clean_content_tags=set(DROPPED_WITH_CONTENT))
    text = html_module.unescape(stripped).replace("\x00", "")
    text = _SPACES.sub(" ", text)
    # Each run of white space holding a line break becomes one line break: lines stripped,
    # blank ones dropped (the regex r"\s*\n\s*" did the same, trying at every space).
    return "\n".join(line for line in (part.strip() for part in text.split("\n")) if line)


def plain_line(text: str, limit: int = 500) -> str:
    """A single-line field (title, author): markup stripped, whitespace collapsed, truncated."""
    if "<" in text or "&" in text:
        text = html_to_text(text)
    text = " ".join(text.replace("\x00", "").split())
    return text if len(text) <= limit else text[: limit - 1].rstrip() + "…"


def image_urls(clean: str) -> list[str]:
    """The image URLs behind the placeholders of :func:`clean_html` output, in order, unique."""
    found = re.findall(r'data-image="([^"]+)"', clean)
    return list(dict.fromkeys(html_module.unescape(u) for u in found))
