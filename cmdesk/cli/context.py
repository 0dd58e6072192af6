"""What every subcommand handler gets: the workspace (opened on first use), output and progress.

Imports no Qt.
"""

from __future__ import annotations

import argparse
import sys
import time
from dataclasses import dataclass, field
from pathlib import Path
from typing import TextIO

from cmdesk import paths
from cmdesk.core.db import Workspace, open_workspace
from cmdesk.core.progress import Progress


class CliError(Exception):
    """A user-facing error: printed as one line, exit status 1."""


@dataclass
class CliContext:
    db_path: Path
    quiet: bool = False
    sample: bool = False
    out: TextIO = field(default_factory=lambda: sys.stdout)
    err: TextIO = field(default_factory=lambda: sys.stderr)
    _workspace: Workspace | None = None

    @classmethod
    def from_args(cls, args: argparse.Namespace) -> CliContext:
        if args.db:
            path = Path(args.db).expanduser()
        elif args.sample:
            path = paths.sample_workspace()
        else:
            path = paths.default_workspace()
        return cls(db_path=path, quiet=args.quiet, sample=bool(args.sample and not args.db))

    @property
    def workspace(self) -> Workspace:
        """The workspace, opened (and migrated) on first use."""
        if self._workspace is None:
            if self.sample:
                from cmdesk.core.sample import ensure_sample_workspace

                self._workspace = ensure_sample_workspace(self.db_path)
            else:
                self._workspace = open_workspace(self.db_path)
        return self._workspace

    def progress(self, label: str) -> Progress:
        """A progress sink drawing a bar on stderr (a line now and then when not a terminal)."""
        if self.quiet:
            return Progress()
        return Progress(_TerminalBar(label, self.err))

    def print(self, *parts: object) -> None:
        print(*parts, file=self.out)

    def close(self) -> None:
        if self._workspace is not None:
            self._workspace.close()
            self._workspace = None


class _TerminalBar:
    WIDTH = 28

    def __init__(self, label: str, stream: TextIO) -> None:
        self.label = label
        self.stream = stream
        self.tty = stream.isatty()
        self._last = 0.0

    def __call__(self, done: int, total: int, text: str) -> None:
        now = time.monotonic()
        finished = bool(total) and done >= total
        if now - self._last < (0.1 if self.tty else 2.0) and not finished:
            return
        self._last = now
        if total:
            filled = int(self.WIDTH * min(done, total) / total)
            bar = "#" * filled + "-" * (self.WIDTH - filled)
            line = f"{self.label} [{bar}] {done}/{total} {text}"
        else:  # nothing to count (yet): what is happening, and how far when known
            line = " ".join(part for part in (self.label, str(done) if done else "", text) if part)
            line = line if done or text else f"{self.label}…"
        if self.tty:
            self.stream.write("\r\x1b[2K" + line[:200] + ("\n" if finished else ""))
        else:
            self.stream.write(line + "\n")
        self.stream.flush()
