"""What a write changed, so each pane refreshes only when its part changed.

Imports no Qt. Every service function that writes returns a :class:`Changes`; the UI's task runner
announces it once (``WorkspaceEvents.changed``) and each pane looks at the flags it cares about.
"""

from __future__ import annotations

from dataclasses import dataclass, fields


@dataclass(frozen=True)
class Changes:
    mentions: bool = False
    sources: bool = False
    queries: bool = False
    contacts: bool = False
    calendar: bool = False
    reports: bool = False
    alerts: bool = False
    settings: bool = False
    workspace: bool = False  # a different workspace was opened: everything changed

    def __or__(self, other: Changes) -> Changes:
        return Changes(
            **{f.name: getattr(self, f.name) or getattr(other, f.name) for f in fields(self)}
        )

    def __bool__(self) -> bool:
        return any(getattr(self, f.name) for f in fields(self))

    @classmethod
    def everything(cls) -> Changes:
        return cls(**{f.name: True for f in fields(cls)})


NOTHING = Changes()
