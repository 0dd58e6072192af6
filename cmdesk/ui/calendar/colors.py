"""Colours of calendar chips: by item type, by campaign (its own colour) or by status.

One palette for every view, so an item looks the same in the month, week and agenda views. The
colours are mid-tones that carry white text and read on light and dark palettes.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping

from PySide6.QtGui import QColor

from cmdesk.core.services.calendar import STATUS_TITLES, TYPE_TITLES, Occurrence

COLOR_MODES = ("type", "campaign", "status")
TYPE_COLORS = {
    "blog_post": "#2a6f97",
    "social_post": "#3a86ff",
    "newsletter": "#8338ec",
    "video": "#d62828",
    "press_release": "#6c757d",
    "case_study": "#2a9d8f",
    "event": "#e76f51",
    "task": "#7f5539",
}
STATUS_COLORS = {
    "idea": "#9e9e9e",
    "draft": "#f4a261",
    "in_review": "#e9c46a",
    "scheduled": "#2a9d8f",
    "published": "#264653",
    "cancelled": "#b0b0b0",
}
NO_CAMPAIGN = "#8d99ae"
OVERDUE = QColor("#d00000")
TODAY = QColor("#e63946")

ColorFor = Callable[[Occurrence], QColor]


def color_function(mode: str, campaign_colors: Mapping[int, str | None]) -> ColorFor:
    """A function giving each occurrence its chip colour in ``mode``."""
    cache: dict[str, QColor] = {}

    def cached(name: str) -> QColor:
        color = cache.get(name)
        if color is None:
            color = cache[name] = QColor(name)
        return color

    if mode == "status":
        return lambda occ: cached(STATUS_COLORS.get(occ.status, NO_CAMPAIGN))
    if mode == "campaign":
        return lambda occ: cached(
            (campaign_colors.get(occ.campaign_id) if occ.campaign_id else None) or NO_CAMPAIGN
        )
    return lambda occ: cached(TYPE_COLORS.get(occ.item_type, NO_CAMPAIGN))


def legend(mode: str, campaign_colors: Mapping[str, str | None]) -> list[tuple[str, str]]:
    """(label, colour) pairs explaining ``mode``; ``campaign_colors`` maps names to colours."""
    if mode == "status":
        return [(STATUS_TITLES[key], value) for key, value in STATUS_COLORS.items()]
    if mode == "campaign":
        pairs = [(name, color or NO_CAMPAIGN) for name, color in campaign_colors.items()]
        return [*pairs, ("No campaign", NO_CAMPAIGN)]
    return [(TYPE_TITLES[key], value) for key, value in TYPE_COLORS.items()]
