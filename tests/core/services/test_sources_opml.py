"""OPML import/export of feed sources: folders, duplicates, all-or-nothing, atomic export."""

from __future__ import annotations

import os
from pathlib import Path

import pytest

from cmdesk.core.db import Workspace, open_workspace
from cmdesk.core.progress import Cancelled, Progress
from cmdesk.core.services import sources, sources_opml
from cmdesk.core.services.sources import SourceError
from cmdesk.formats import opml

FIXTURES = Path(__file__).parent.parent.parent / "fixtures" / "opml"
NOW = 1_795_168_800


def import_file(ws: Workspace, name: str | Path, progress: Progress | None = None):
    path = name if isinstance(name, Path) else FIXTURES / name
    return ws.write(sources_opml.import_opml, ws, path, progress).result()


def add(ws: Workspace, url: str, **kw) -> int:
    return ws.write(sources.add_source, ws, url, **kw).result().id


def test_import_adds_feeds_with_folders_titles_and_sites(workspace: Workspace) -> None:
    result = import_file(workspace, "feedly.opml")
    assert (result.added, result.duplicates, result.problems) == (6, [], [])
    assert result.changes.sources
    rows = {row.name: row for row in sources.list_sources(workspace)}
    hub = rows["CMX Hub"]
    assert (hub.kind, hub.url, hub.site_url, hub.folder) == (
        "rss", "https://cmxhub.example.com/feed/", "https://cmxhub.example.com", "Community"
    )  # fmt: skip
    assert hub.interval_minutes == sources.DEFAULT_INTERVAL_MINUTES
    assert hub.next_fetch_at == NOW and hub.state == "new"
    assert rows["Hacker News: Front Page"].folder is None
    assert rows["Rosie Sherry & friends"].folder == "Community"


def test_a_second_import_adds_nothing_and_names_each_duplicate(workspace: Workspace) -> None:
    import_file(workspace, "nested.opml")
    again = import_file(workspace, "nested.opml")
    assert again.added == 0 and not again.changes
    assert len(again.duplicates) == 4
    assert again.duplicates[0] == (
        "line 11: “Acme in the press” (https://press.example.org/acme.xml) "
        "is already a source, “Acme in the press”"
    )
    assert {r.folder for r in sources.list_sources(workspace)} == {
        "Listening / Brand / Press", "Listening / Brand", "Listening / Forums", None
    }  # fmt: skip


def test_an_address_differing_only_by_tracking_parameters_or_host_case_is_a_duplicate(
    workspace: Workspace,
) -> None:
    add(workspace, "https://CMXHUB.example.com/feed/?utm_source=newsletter#top", name="Hub")
    # sources compares addresses as typed; a trailing slash may be a different resource
    add(workspace, "https://orbit.example.love/blog/rss.xml/", name="Orbit with a slash")
    result = import_file(workspace, "feedly.opml")
    assert result.added == 5
    assert result.duplicates == [
        "line 9: “CMX Hub” (https://cmxhub.example.com/feed/) is already a source, “Hub”"
    ]


def test_duplicates_within_the_file_and_entries_without_an_address(workspace: Workspace) -> None:
    result = import_file(workspace, "duplicates.opml")
    assert result.added == 2
    assert len(result.duplicates) == 1 and "listed twice in the file" in result.duplicates[0]
    assert [p.split(":")[0] for p in result.problems] == ["line 14", "line 15", "line 16"]
    assert "has no feed address (xmlUrl)" in result.problems[0]
    assert sorted(r.name for r in sources.list_sources(workspace)) == [
        "Gadget daily", "Widget weekly"
    ]  # fmt: skip


def test_search_sources_do_not_hide_a_feed_with_the_same_address(workspace: Workspace) -> None:
    add(workspace, "https://hnrss.example.org/frontpage", kind="hackernews", name="HN search")
    assert import_file(workspace, "feedly.opml").added == 6


def test_nothing_is_added_when_the_import_fails_half_way(
    workspace: Workspace, monkeypatch: pytest.MonkeyPatch
) -> None:
    real = sources.add_source
    calls = []

    def crash_on_the_third(*args, **kwargs):  # type: ignore[no-untyped-def]
        calls.append(args[1])
        if len(calls) == 3:
            raise RuntimeError("disk on fire")
        return real(*args, **kwargs)

    monkeypatch.setattr(sources, "add_source", crash_on_the_third)
    with pytest.raises(RuntimeError):
        import_file(workspace, "feedly.opml")
    assert sources.list_sources(workspace) == []


def test_progress_is_reported_and_a_cancel_adds_nothing(workspace: Workspace) -> None:
    seen: list[tuple[int, int]] = []
    progress = Progress(lambda done, total, text: seen.append((done, total)))
    import_file(workspace, "inoreader.opml", progress)
    assert seen[-1] == (4, 4)
    cancelled = Progress()
    cancelled.cancel()
    with pytest.raises(Cancelled):
        import_file(workspace, "nested.opml", cancelled)
    assert len(sources.list_sources(workspace)) == 4


@pytest.mark.parametrize(
    ("name", "sentence"),
    [
        ("not-xml.opml", "The file is not valid XML"),
        ("billion-laughs.opml", "The file declares XML entities"),
        ("empty.opml", "The file is empty."),
    ],
)
def test_an_unreadable_file_raises_one_sentence_and_adds_nothing(
    workspace: Workspace, name: str, sentence: str
) -> None:
    with pytest.raises(sources_opml.OpmlError, match=sentence) as caught:
        import_file(workspace, name)
    assert isinstance(caught.value, SourceError)
    assert sources.list_sources(workspace) == []


def test_a_valid_opml_listing_no_feeds_is_refused(workspace: Workspace, tmp_path: Path) -> None:
    path = tmp_path / "nothing.opml"
    path.write_text('<opml version="2.0"><head><title>x</title></head><body/></opml>')
    with pytest.raises(sources_opml.OpmlError, match="lists no feeds"):
        import_file(workspace, path)


def with_a_search_source(ws: Workspace) -> None:
    import_file(ws, "nested.opml")
    add(ws, "", kind="hackernews", name="HN: acme", folder="Listening",
        config={"query": "acme"})  # fmt: skip


def test_export_writes_feeds_and_counts_the_search_sources_left_out(
    workspace: Workspace, tmp_path: Path
) -> None:
    with_a_search_source(workspace)
    out = tmp_path / "out.opml"
    result = sources_opml.export_opml(workspace, out)
    assert (result.written, result.skipped) == (4, 1)
    back = opml.read_opml_file(out)
    assert back.title == "cmdesk sources"
    assert sorted((e.title, e.url, e.folder) for e in back.entries) == sorted(
        (r.name, r.url, r.folder) for r in sources.list_sources(workspace) if r.kind == "rss"
    )
    assert "HN: acme" not in out.read_text(encoding="utf-8")
    assert not [p for p in tmp_path.iterdir() if p.name.endswith(".part")]


def test_export_of_a_folder_takes_the_folders_inside_it(
    workspace: Workspace, tmp_path: Path
) -> None:
    with_a_search_source(workspace)
    out = tmp_path / "brand.opml"
    result = sources_opml.export_opml(workspace, out, folder="Listening / Brand")
    assert (result.written, result.skipped) == (2, 0)
    assert {e.folder for e in opml.read_opml_file(out).entries} == {
        "Listening / Brand", "Listening / Brand / Press"
    }  # fmt: skip
    assert sources_opml.export_opml(workspace, out, folder="Listening").skipped == 1
    with pytest.raises(SourceError, match="There is no source in the folder Nowhere"):
        sources_opml.export_opml(workspace, tmp_path / "nowhere.opml", folder="Nowhere")
    assert not (tmp_path / "nowhere.opml").exists()


def test_export_replaces_the_file_atomically(
    workspace: Workspace, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    with_a_search_source(workspace)
    folder = tmp_path / "exports"
    folder.mkdir()
    out = folder / "feeds.opml"
    out.write_text("the previous export")
    out.chmod(0o640)

    def crash(*args: object) -> None:
        raise OSError("disk full")

    monkeypatch.setattr(os, "replace", crash)
    with pytest.raises(OSError, match="disk full"):
        sources_opml.export_opml(workspace, out)
    assert out.read_text() == "the previous export"
    assert [p.name for p in folder.iterdir()] == ["feeds.opml"]  # no temporary file left
    monkeypatch.undo()
    sources_opml.export_opml(workspace, out)
    assert out.read_text(encoding="utf-8").startswith('<?xml version="1.0" encoding="UTF-8"?>')
    assert out.stat().st_mode & 0o777 == 0o640


def test_import_export_import_into_a_new_workspace_keeps_every_feed(
    workspace: Workspace, tmp_path: Path
) -> None:
    for name in ("feedly.opml", "inoreader.opml", "netnewswire.opml", "latin1.opml"):
        import_file(workspace, name)
    out = tmp_path / "all.opml"
    assert sources_opml.export_opml(workspace, out).written == 15
    other = open_workspace(tmp_path / "other.cmdesk", clock=workspace.clock)
    try:
        result = import_file(other, out)
        assert (result.added, result.duplicates, result.problems) == (15, [], [])

        def shape(ws: Workspace) -> list[tuple[object, ...]]:
            rows = sources.list_sources(ws)
            return sorted((r.name, r.url, r.site_url, r.folder, r.kind) for r in rows)

        assert shape(other) == shape(workspace)
    finally:
        other.close()
