"""The synthetic demo workspace generator (``cmdesk demo``); see :mod:`.generator`."""

from cmdesk.core.demo.generator import DemoError, DemoSize, DemoSummary, generate_demo, is_empty

__all__ = ["DemoError", "DemoSize", "DemoSummary", "generate_demo", "is_empty"]
