"""Demo generation speed: ``cmdesk demo --mentions 1000000`` wall time, peak RSS and file size.

Usage:
    .venv/bin/python bench/demo.py [--mentions 1000000] [--keep PATH]

Runs the real command in a child process (so the figures are what a user waits for, imports
included), then opens the result and times a few reads that show the indexes and the full-text
index were built. Target: under 3 minutes for a million mentions on a 2-core machine.
"""

from __future__ import annotations

import argparse
import resource
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

TARGET_SECONDS = 180


def run_demo(path: Path, mentions: int) -> tuple[float, float]:
    """Wall seconds and peak RSS (MB) of ``cmdesk demo`` in a child process."""
    command = [
        sys.executable, "-m", "cmdesk", "-q", "demo", "--db", str(path),
        "--mentions", str(mentions),
    ]  # fmt: skip
    started = time.perf_counter()
    subprocess.run(command, check=True, cwd=ROOT, stdout=subprocess.DEVNULL)
    seconds = time.perf_counter() - started
    peak_kb = resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss
    return seconds, peak_kb / 1024


def timed(label: str, fn) -> None:  # type: ignore[no-untyped-def]
    started = time.perf_counter()
    result = fn()
    print(f"  {label:<46} {1000 * (time.perf_counter() - started):8.1f} ms  ({result})")


def check_reads(path: Path) -> None:
    from cmdesk.core.db import open_workspace

    ws = open_workspace(path)
    db = ws.db
    try:
        timed(
            "count mentions",
            lambda: db.execute_sql("SELECT COUNT(*) FROM mention").fetchone()[0],
        )
        timed(
            "newest 50 'relay' hits (FTS5, by rowid)",
            lambda: len(
                db.execute_sql(
                    "SELECT rowid FROM mention_fts WHERE mention_fts MATCH 'relay' "
                    "ORDER BY rowid DESC LIMIT 50"
                ).fetchall()
            ),
        )
        timed(
            "newest 50 in state 'new' (index state, id)",
            lambda: len(
                db.execute_sql(
                    "SELECT id FROM mention WHERE state = 'new' ORDER BY id DESC LIMIT 50"
                ).fetchall()
            ),
        )
        timed(
            "mentions of the last 7 days (published_at)",
            lambda: db.execute_sql(
                "SELECT COUNT(*) FROM mention WHERE published_at > strftime('%s','now') - 604800"
            ).fetchone()[0],
        )
    finally:
        ws.close()


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--mentions", type=int, default=1_000_000)
    parser.add_argument("--keep", type=Path, help="build here and keep the file")
    args = parser.parse_args()
    with tempfile.TemporaryDirectory(prefix="cmdesk-bench-demo-") as folder:
        path = args.keep or Path(folder) / "demo.cmdesk"
        if path.exists():
            print(f"{path} exists; remove it or choose another --keep path", file=sys.stderr)
            return 1
        seconds, peak_mb = run_demo(path, args.mentions)
        size_mb = path.stat().st_size / 1e6
        verdict = "OK" if args.mentions < 1_000_000 or seconds < TARGET_SECONDS else "TOO SLOW"
        print(f"cmdesk demo --mentions {args.mentions}")
        print(
            f"  wall time                {seconds:8.1f} s  (target < {TARGET_SECONDS} s: {verdict})"
        )
        print(f"  mentions per second      {args.mentions / seconds:8.0f}")
        print(f"  peak RSS of the command  {peak_mb:8.0f} MB")
        print(f"  workspace file           {size_mb:8.0f} MB")
        print("reads on the result (first run, cold cache):")
        check_reads(path)
    return 0


if __name__ == "__main__":
    sys.exit(main())
