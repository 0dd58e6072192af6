"""Exports are all or nothing: a failure leaves the previous file exactly as it was."""

from __future__ import annotations

import os
from pathlib import Path

import pytest

from cmdesk.core.files import atomic_path, write_bytes_atomically


def test_a_finished_write_replaces_the_file_and_keeps_its_permissions(tmp_path: Path) -> None:
    target = tmp_path / "report.pdf"
    target.write_bytes(b"old")
    os.chmod(target, 0o600)
    write_bytes_atomically(target, b"new")
    assert target.read_bytes() == b"new"
    assert target.stat().st_mode & 0o777 == 0o600
    assert [p.name for p in tmp_path.iterdir()] == ["report.pdf"]  # no leftover part file


def test_a_failure_midway_leaves_the_old_file_and_no_part_file(tmp_path: Path) -> None:
    target = tmp_path / "contacts.csv"
    target.write_text("name\nAda\n")
    with pytest.raises(OSError, match="disk full"), atomic_path(target) as partial:
        partial.write_text("name\nBo")
        raise OSError("disk full")
    assert target.read_text() == "name\nAda\n"
    assert [p.name for p in tmp_path.iterdir()] == ["contacts.csv"]


def test_a_new_file_is_created_readable(tmp_path: Path) -> None:
    target = tmp_path / "calendar.ics"
    with atomic_path(target) as partial:
        partial.write_bytes(b"BEGIN:VCALENDAR")
    assert target.read_bytes() == b"BEGIN:VCALENDAR"
    assert target.stat().st_mode & 0o777 == 0o644
