"""The layering in ARCHITECTURE.md, enforced: core imports no Qt and no httpx; listening, formats
and reports never import the UI; only ui and the PDF renderer import Qt."""

import ast
from pathlib import Path

PACKAGE = Path(__file__).parent.parent / "cmdesk"


def _imports(path: Path) -> set[str]:
    tree = ast.parse(path.read_text(encoding="utf-8"))
    names = set()
    for node in ast.walk(tree):
        if isinstance(node, ast.Import):
            names.update(alias.name for alias in node.names)
        elif isinstance(node, ast.ImportFrom) and node.module:
            names.add(node.module)
    return names


def _violations(folder: str, forbidden: tuple[str, ...], allowed_files: tuple[str, ...] = ()):
    found = []
    for path in sorted((PACKAGE / folder).rglob("*.py")):
        if path.name in allowed_files:
            continue
        for name in _imports(path):
            if name.startswith(forbidden):
                found.append(f"{path.relative_to(PACKAGE)} imports {name}")
    return found


def test_core_imports_no_qt_no_httpx_and_nothing_above_it():
    assert (
        _violations(
            "core",
            (
                "PySide6",
                "httpx",
                "qasync",
                "cmdesk.ui",
                "cmdesk.listening",
                "cmdesk.cli",
                "cmdesk.reports",
                "cmdesk.formats",
            ),
        )
        == []
    )


def test_listening_and_formats_never_import_ui_or_qt():
    forbidden = ("PySide6", "cmdesk.ui", "cmdesk.cli", "qasync")
    assert _violations("listening", forbidden) == []
    assert _violations("formats", forbidden) == []


def test_reports_use_qt_only_in_the_renderer():
    assert _violations("reports", ("cmdesk.ui", "cmdesk.cli")) == []
    qt_users = [
        path.name
        for path in (PACKAGE / "reports").rglob("*.py")
        if any(name.startswith("PySide6") for name in _imports(path))
    ]
    assert "figures.py" not in qt_users


def test_cli_imports_qt_only_lazily():
    for path in (PACKAGE / "cli").rglob("*.py"):
        tree = ast.parse(path.read_text(encoding="utf-8"))
        top_level = [n for n in tree.body if isinstance(n, ast.Import | ast.ImportFrom)]
        for node in top_level:
            module = node.module if isinstance(node, ast.ImportFrom) else node.names[0].name
            assert not (module or "").startswith(("PySide6", "cmdesk.ui", "cmdesk.app")), path
