"""Writing a file the user asked for without ever leaving half of it: write beside, then rename.

Imports no Qt. Exports (reports, OPML, CSV, vCard, iCalendar, mentions) all go through
:func:`atomic_path`: the content is written to a temporary file in the same folder and renamed
over the target only when the writing finished, so a crash, a full disk or a cancel leaves the
previous file as it was, and nobody ever reads a half-written one. The permissions of a file
that is replaced are kept (a new file gets 0644).
"""

from __future__ import annotations

import os
import tempfile
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path


@contextmanager
def atomic_path(path: Path) -> Iterator[Path]:
    """A temporary path to write to; it becomes ``path`` when the block ends without error."""
    path = Path(path)
    try:
        mode = path.stat().st_mode & 0o777
    except FileNotFoundError:
        mode = 0o644
    fd, name = tempfile.mkstemp(prefix=f".{path.name}.", suffix=".part", dir=path.parent)
    os.close(fd)
    temp = Path(name)
    try:
        yield temp
        os.chmod(temp, mode)
        with temp.open("rb+") as written:
            os.fsync(written.fileno())
        os.replace(temp, path)
    finally:
        temp.unlink(missing_ok=True)


def write_bytes_atomically(path: Path, data: bytes) -> None:
    """``path.write_bytes(data)``, all or nothing."""
    with atomic_path(path) as temp:
        temp.write_bytes(data)
