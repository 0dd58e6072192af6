"""Report speed: a one-year report over a 1M-mention demo workspace, as a user runs it.

Usage:
    .venv/bin/python bench/report.py [--db PATH] [--mentions 1000000] [--days 365]

Builds the demo workspace with ``cmdesk demo`` when ``--db`` does not exist yet (about a minute
for a million mentions), then: runs ``cmdesk report --from .. --to .. --out X.pdf --csv X.csv``
in a child process (wall time and peak RSS: what a user waits for, imports included), and times
each phase in this process (figures, layout, PDF, CSV). Targets: under 5 s, under 500 MB.

The package is byte-compiled first (``python -m compileall -q cmdesk``), as an installed app
always is: with PYTHONDONTWRITEBYTECODE set (as in some sandboxes and CI), every run would
otherwise compile cmdesk from source, ~0.2 s that no user waits for.
"""

from __future__ import annotations

import argparse
import os
import resource
import subprocess
import sys
import tempfile
import time
from datetime import timedelta
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))
os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")

TARGET_SECONDS = 5.0
TARGET_MB = 500


def ensure_demo(path: Path, mentions: int) -> None:
    if path.exists():
        return
    print(f"building the demo workspace ({mentions:,} mentions) in {path} ...")
    command = [sys.executable, "-m", "cmdesk", "-q", "demo", "--db", str(path),
               "--mentions", str(mentions)]  # fmt: skip
    subprocess.run(command, check=True, cwd=ROOT, stdout=subprocess.DEVNULL)


def last_day(path: Path):  # type: ignore[no-untyped-def]
    from cmdesk.core.clock import from_epoch
    from cmdesk.core.db import open_workspace

    ws = open_workspace(path)
    try:
        newest = ws.db.execute_sql("SELECT MAX(published_at) FROM mention").fetchone()[0]
    finally:
        ws.close()
    return from_epoch(newest).date()


def precompile() -> None:
    command = [sys.executable, "-m", "compileall", "-q", str(ROOT / "cmdesk")]
    subprocess.run(command, check=True, cwd=ROOT, stdout=subprocess.DEVNULL)


def run_cli(path: Path, first: str, last: str, out: Path) -> tuple[float, float]:
    command = [sys.executable, "-m", "cmdesk", "-q", "--db", str(path), "report", "--from", first,
               "--to", last, "--out", str(out / "report.pdf"),
               "--csv", str(out / "report.csv")]  # fmt: skip
    started = time.perf_counter()
    subprocess.run(command, check=True, cwd=ROOT, stdout=subprocess.DEVNULL)
    seconds = time.perf_counter() - started
    return seconds, resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss / 1024


def phases(path: Path, first, last, out: Path) -> None:  # type: ignore[no-untyped-def]
    from PySide6.QtGui import QGuiApplication

    from cmdesk.core.db import open_workspace
    from cmdesk.reports.csv_export import write_csv
    from cmdesk.reports.figures import compute_figures
    from cmdesk.reports.pdf import lay_out, write_pdf
    from cmdesk.reports.periods import ReportPeriod
    from cmdesk.reports.sections import SECTIONS, ReportText

    app = QGuiApplication.instance() or QGuiApplication([])  # noqa: F841 - fonts need it
    ws = open_workspace(path)
    try:
        period = ReportPeriod(first, last)
        started = time.perf_counter()
        figures = compute_figures(ws, period)
        t_figures = time.perf_counter() - started
        started = time.perf_counter()
        report = lay_out(figures, list(SECTIONS), ReportText())
        t_layout = time.perf_counter() - started
        started = time.perf_counter()
        write_pdf(report, out / "phases.pdf")
        t_pdf = time.perf_counter() - started
        started = time.perf_counter()
        rows = write_csv(figures, out / "phases.csv")
        t_csv = time.perf_counter() - started
    finally:
        ws.close()
    print(f"  figures {t_figures:6.2f} s  ({figures.totals.mentions:,} mentions in the period)")
    print(f"  layout  {t_layout:6.2f} s  ({report.page_count} pages)")
    print(f"  pdf     {t_pdf:6.2f} s  ({(out / 'phases.pdf').stat().st_size / 1024:.0f} KB)")
    print(f"  csv     {t_csv:6.2f} s  ({rows} numbers)")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument(
        "--db", type=Path, default=Path(tempfile.gettempdir()) / "cmdesk-bench-1m.cmdesk"
    )
    parser.add_argument("--mentions", type=int, default=1_000_000)
    parser.add_argument("--days", type=int, default=365)
    args = parser.parse_args()
    ensure_demo(args.db, args.mentions)
    precompile()
    last = last_day(args.db)
    first = last - timedelta(days=args.days - 1)
    with tempfile.TemporaryDirectory() as folder:
        out = Path(folder)
        seconds, peak = run_cli(args.db, first.isoformat(), last.isoformat(), out)
        print(f"cmdesk report {first} .. {last} over {args.db} (cmdesk byte-compiled first)")
        verdict = "OK" if seconds < TARGET_SECONDS and peak < TARGET_MB else "SLOW"
        print(f"  command {seconds:6.2f} s wall, peak RSS {peak:.0f} MB  [{verdict}: target "
              f"< {TARGET_SECONDS:.0f} s, < {TARGET_MB} MB]")  # fmt: skip
        phases(args.db, first, last, out)


if __name__ == "__main__":
    main()
