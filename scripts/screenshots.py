"""Render every pane of the app, on the bundled sample workspace, to PNG files for the README.

Run: `make screenshots` (QT_QPA_PLATFORM=offscreen; writes docs/screenshots/<pane>.png).
The sample is built in a temporary folder, so the user's own data is never touched.
"""

from __future__ import annotations

import asyncio
import os
import sys
import tempfile
import time
from pathlib import Path

os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")
os.environ["CMDESK_HOME"] = tempfile.mkdtemp(prefix="cmdesk-shots-")

import qasync  # noqa: E402
from keyring.backend import KeyringBackend  # noqa: E402

from cmdesk import app as app_module  # noqa: E402
from cmdesk.core.sample import ensure_sample_workspace  # noqa: E402
from cmdesk.keychain import Keychain  # noqa: E402
from cmdesk.ui import theme  # noqa: E402
from cmdesk.ui.main_window import MainWindow  # noqa: E402

SIZE = (1360, 860)


class _ScreenshotKeyring(KeyringBackend):
    """Screenshots show the app as it is with a working keychain; nothing is stored."""

    priority = 1  # type: ignore[assignment]

    def get_password(self, service: str, username: str) -> str | None:
        return None

    def set_password(self, service: str, username: str, password: str) -> None:
        return None

    def delete_password(self, service: str, username: str) -> None:
        return None


async def _settle(window: MainWindow, seconds: float = 8.0) -> None:
    """Let background work (counts, pages, previews) finish before grabbing."""
    deadline = time.monotonic() + seconds
    await asyncio.sleep(0.3)
    while window.tasks.running() and time.monotonic() < deadline:
        await asyncio.sleep(0.1)
    await asyncio.sleep(0.3)


async def render(out: Path, dark: bool) -> list[Path]:
    from PySide6.QtWidgets import QApplication

    app = QApplication.instance()
    assert isinstance(app, QApplication)
    theme.apply_theme(app, dark=dark)
    workspace = ensure_sample_workspace(Path(os.environ["CMDESK_HOME"]) / "sample.cmdesk")
    window = MainWindow(
        workspace,
        keychain=Keychain(backend=_ScreenshotKeyring()),
        settings=app_module.app_settings(),
    )
    window.resize(*SIZE)
    window.show()
    written = []
    try:
        for key in window.panes:
            window.show_pane(key)
            await _settle(window)
            path = out / (f"{key}-dark.png" if dark else f"{key}.png")
            window.grab().save(str(path))
            written.append(path)
    finally:
        window.close()
        await window.tasks.shutdown()
        workspace.close()
    return written


def main() -> int:
    out = Path(sys.argv[1] if len(sys.argv) > 1 else "docs/screenshots")
    out.mkdir(parents=True, exist_ok=True)
    app = app_module.create_application()
    with asyncio.Runner(loop_factory=lambda: qasync.QEventLoop(app)) as runner:
        written = runner.run(render(out, dark=False))
        written += runner.run(render(out, dark=True))
    for path in written:
        print(path)
    return 0


if __name__ == "__main__":
    sys.exit(main())
