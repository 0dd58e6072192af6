"""Render resources/icons/cmdesk.svg to the PNG sizes desktop environments look for.

Run: QT_QPA_PLATFORM=offscreen .venv/bin/python scripts/render_icons.py
"""

from pathlib import Path

from PySide6.QtCore import QRectF, Qt
from PySide6.QtGui import QGuiApplication, QImage, QPainter
from PySide6.QtSvg import QSvgRenderer

ROOT = Path(__file__).resolve().parent.parent
SIZES = (16, 24, 32, 48, 64, 128, 256, 512)


def main() -> None:
    app = QGuiApplication([])  # noqa: F841 - QPainter needs a GUI application
    renderer = QSvgRenderer(str(ROOT / "resources" / "icons" / "cmdesk.svg"))
    out = ROOT / "packaging" / "linux" / "icons"
    for size in SIZES:
        image = QImage(size, size, QImage.Format.Format_ARGB32)
        image.fill(Qt.GlobalColor.transparent)
        painter = QPainter(image)
        painter.setRenderHint(QPainter.RenderHint.Antialiasing)
        renderer.render(painter, QRectF(0, 0, size, size))
        painter.end()
        folder = out / f"{size}x{size}"
        folder.mkdir(parents=True, exist_ok=True)
        image.save(str(folder / "io.github.cmdesk.Cmdesk.png"))
    (out / "scalable").mkdir(parents=True, exist_ok=True)
    (out / "scalable" / "io.github.cmdesk.Cmdesk.svg").write_bytes(
        (ROOT / "resources" / "icons" / "cmdesk.svg").read_bytes()
    )
    print(f"wrote {len(SIZES)} sizes to {out}")


if __name__ == "__main__":
    main()
