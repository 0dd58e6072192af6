"""OPML reading and writing: Feedly, Inoreader and NetNewsWire exports, folders, problems,
hostile XML refused quickly, and read → write → read giving the same feeds."""

from __future__ import annotations

import re
import time
import urllib.request
from datetime import UTC, datetime
from pathlib import Path

import pytest

from cmdesk.formats import opml

FIXTURES = Path(__file__).parent.parent / "fixtures" / "opml"
CREATED = datetime(2026, 11, 20, 10, 0, tzinfo=UTC)


def parse(name: str) -> opml.ParseResult:
    return opml.read_opml_file(FIXTURES / name)


def feeds(result: opml.ParseResult) -> list[tuple[str, str, str | None, str | None]]:
    return [(e.title, e.url, e.site_url, e.folder) for e in result.entries]


def test_feedly_export_with_folders_and_a_feed_outside_them() -> None:
    result = parse("feedly.opml")
    assert result.title == "Robin subscriptions in feedly Cloud"
    assert feeds(result) == [
        ("CMX Hub", "https://cmxhub.example.com/feed/", "https://cmxhub.example.com", "Community"),
        ("Orbit Blog", "https://orbit.example.love/blog/rss.xml",
         "https://orbit.example.love/blog", "Community"),
        ("Rosie Sherry & friends", "https://rosie.example.land/rss", "https://rosie.example.land",
         "Community"),
        ("Acme Changelog", "https://acme.example.com/changelog.atom",
         "https://acme.example.com/changelog", "Competitors"),
        ("Widgets Inc. News", "https://widgets.example.com/news/feed",
         "https://widgets.example.com/news", "Competitors"),
        ("Hacker News: Front Page", "https://hnrss.example.org/frontpage",
         "https://news.ycombinator.com/", None),
    ]  # fmt: skip
    assert result.problems == [] and result.duplicates == []


def test_inoreader_export_keeps_quotes_and_long_alert_addresses() -> None:
    result = parse("inoreader.opml")
    by_title = {e.title: e for e in result.entries}
    alert = by_title['Google Alert - "acme widgets"']
    assert alert.folder == "Google Alerts" and alert.url.startswith(
        "https://www.google.com/alerts/"
    )
    assert by_title["r/communitymanagers"].folder is None
    assert len(result.entries) == 4 and not result.problems


def test_netnewswire_export_with_its_comment_and_extra_attributes() -> None:
    result = parse("netnewswire.opml")
    assert result.title == "Subscriptions-OnMyMac.opml"
    assert [(e.title, e.folder) for e in result.entries] == [
        ("NetNewsWire News", None),
        ("Daring Fireball", "Product"),
        ("inessential", "Product"),
    ]
    assert result.entries[0].line == 8  # lines are the file's own, for the problem list


def test_nested_folders_are_joined_and_a_folder_typed_rss_is_still_a_folder() -> None:
    result = parse("nested.opml")
    assert [(e.title, e.folder) for e in result.entries] == [
        ("Acme in the press", "Listening / Brand / Press"),
        ("Acme blog", "Listening / Brand"),
        ("Widget forum", "Listening / Forums"),  # only a title, no text: still named
        ("Loose feed", None),
    ]
    assert result.problems == []


def test_duplicates_and_entries_that_are_not_feeds_are_reported_with_their_line() -> None:
    result = parse("duplicates.opml")
    assert [e.title for e in result.entries] == ["Widget weekly", "Gadget daily"]
    assert [str(d) for d in result.duplicates] == [
        "line 12: “Widget weekly” (https://WIDGETS.example.org/feed.xml?utm_source=feedly) "
        "is listed twice in the file (first on line 8)"
    ]
    assert [str(p) for p in result.problems] == [
        "line 14: “A feed with no address” has no feed address (xmlUrl)",
        "line 15: “Not the web” (javascript:alert(1)) is not a web address (http/https), "
        "so it cannot be fetched",
        "line 16: “Another list” links to a web page or another list, not to a feed",
    ]


def test_a_declared_latin1_file_and_an_undeclared_windows_file_are_decoded() -> None:
    result = parse("latin1.opml")
    assert result.title == "Abonnements de Renée"
    assert [(e.title, e.folder) for e in result.entries] == [
        ("Le café des communautés", "Actualités"),
        ("Été numérique", "Actualités"),
    ]
    undeclared = '<opml><body><outline text="Café “news”" xmlUrl="https://c.example/"/>'
    result = opml.parse_opml((undeclared + "</body></opml>").encode("cp1252"))
    assert result.entries[0].title == "Café “news”"


def test_odd_but_harmless_shapes() -> None:
    doc = b"""<?xml version="1.0"?>
<OPML VERSION="1.0"><HEAD><TITLE> Old   tool </TITLE></HEAD><BODY>
<OUTLINE TEXT="Upper case" XMLURL="feed://old.example.com/rss.xml"/>
<outline text="  spaced
   title " xmlUrl=" https://spaced.example.com/feed "/>
<outline xmlUrl="https://untitled.example.com/feed"/>
<outline text="Empty folder"/>
<outline><outline text="In a nameless folder" xmlUrl="https://nameless.example.com/rss"/></outline>
</BODY></OPML>"""
    result = opml.parse_opml(doc)
    assert result.title == "Old tool"
    assert feeds(result) == [
        ("Upper case", "http://old.example.com/rss.xml", None, None),
        ("spaced title", "https://spaced.example.com/feed", None, None),
        ("", "https://untitled.example.com/feed", None, None),
        ("In a nameless folder", "https://nameless.example.com/rss", None, None),
    ]
    assert [str(p) for p in result.problems] == [
        "line 7: “Empty folder” has no feed address (xmlUrl)"
    ]


@pytest.mark.parametrize(
    ("name", "sentence"),
    [
        ("empty.opml", "The file is empty."),
        ("not-xml.opml", "The file is not valid XML (line 1: syntax error)"),
        ("billion-laughs.opml", "The file declares XML entities"),
        ("external-entity.opml", "The file declares XML entities"),
        ("external-dtd.opml", "The file refers to other files or web addresses"),
    ],
)
def test_unreadable_and_hostile_files_give_one_sentence_quickly(
    name: str, sentence: str, monkeypatch: pytest.MonkeyPatch
) -> None:
    def no_network(*args: object, **kwargs: object) -> None:
        raise AssertionError("the parser tried to fetch something")

    monkeypatch.setattr(urllib.request, "urlopen", no_network)
    started = time.perf_counter()
    with pytest.raises(opml.OpmlError) as caught:
        parse(name)
    assert time.perf_counter() - started < 1.0
    message = str(caught.value)
    assert message.startswith(sentence) and "\n" not in message
    assert "root:" not in message and "lol" not in message


@pytest.mark.parametrize(
    ("data", "sentence"),
    [
        (b"   \n\t", "The file is empty."),
        (b"\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR", "The file is not text"),
        (b"<!DOCTYPE html><html><body>Feeds</body></html>", "The file is a web page (HTML)"),
        (b'<rss version="2.0"><channel/></rss>', "The file is a feed, not an OPML list"),
        (b'<?xml version="1.0"?><contacts/>', "The file is XML but not OPML (it starts with"),
        (b"<opml><body><outline text='cut", "The file is not valid XML (line 1:"),
        (b'<?xml version="1.0" encoding="klingon"?><opml/>', "The file cannot be decoded"),
    ],
)
def test_files_that_are_not_opml(data: bytes, sentence: str) -> None:
    with pytest.raises(opml.OpmlError, match="^" + re.escape(sentence)):
        opml.parse_opml(data)


def test_a_file_over_the_cap_is_refused_without_reading_it_all(tmp_path: Path) -> None:
    big = tmp_path / "big.opml"
    with big.open("wb") as file:
        file.truncate(opml.MAX_BYTES + 1)
    with pytest.raises(opml.OpmlError, match="larger than 20 MB"):
        opml.read_opml_file(big)
    with pytest.raises(opml.OpmlError, match="There is no such file"):
        opml.read_opml_file(tmp_path / "missing.opml")
    with pytest.raises(opml.OpmlError, match="This is a folder"):
        opml.read_opml_file(tmp_path)


def test_deep_nesting_is_cut_and_reported_not_a_crash() -> None:
    depth = 50_000
    doc = (
        b"<opml><body>"
        + b'<outline text="f">' * depth
        + b'<outline xmlUrl="https://deep.example/"/>'
    )
    doc += b"</outline>" * depth + b"</body></opml>"
    started = time.perf_counter()
    result = opml.parse_opml(doc)
    assert time.perf_counter() - started < 5.0
    assert result.entries == []
    assert [p.reason for p in result.problems] == [
        f"outlines nested more than {opml.MAX_DEPTH} deep were not read"
    ]


@pytest.mark.parametrize(
    "name", ["feedly.opml", "inoreader.opml", "netnewswire.opml", "nested.opml", "latin1.opml"]
)
def test_round_trip_read_write_read_gives_the_same_feeds(name: str) -> None:
    first = parse(name)
    written = opml.write_opml(first.entries, title="Round trip", created=CREATED)
    second = opml.parse_opml(written)
    assert sorted(feeds(second), key=str) == sorted(feeds(first), key=str)
    again = opml.write_opml(second.entries, title="Round trip", created=CREATED)
    assert again == written  # stable from the second trip on


def test_written_opml_is_2_0_with_one_outline_per_folder_and_escaped_values() -> None:
    entries = [
        opml.OpmlEntry(0, 'Tom & "Jerry" <news>', "https://t.example/feed?a=1&b=2",
                       "https://t.example/", "Cartoons / Classic"),
        opml.OpmlEntry(0, "Bell\x07 and NUL\x00", "https://b.example/rss", None, "Cartoons"),
        opml.OpmlEntry(0, "Loose", "https://l.example/rss", None, None),
    ]  # fmt: skip
    data = opml.write_opml(entries, title="Export & co", created=CREATED)
    text = data.decode("utf-8")
    assert text.startswith('<?xml version="1.0" encoding="UTF-8"?>\n<opml version="2.0">')
    assert "<dateCreated>Fri, 20 Nov 2026 10:00:00 GMT</dateCreated>" in text
    assert "<title>Export &amp; co</title>" in text
    assert 'xmlUrl="https://t.example/feed?a=1&amp;b=2"' in text
    assert "\x07" not in text and "\x00" not in text
    assert text.count('text="Cartoons"') == 1 and text.count('text="Classic"') == 1
    loose = text.index('text="Loose"')
    assert loose < text.index('text="Cartoons"')  # feeds outside folders come first
    back = opml.parse_opml(data)
    assert feeds(back) == [
        ("Loose", "https://l.example/rss", None, None),
        ('Tom & "Jerry" <news>', "https://t.example/feed?a=1&b=2", "https://t.example/",
         "Cartoons / Classic"),
        ("Bell and NUL", "https://b.example/rss", None, "Cartoons"),
    ]  # fmt: skip
    assert (
        'type="rss"' in text and 'title="Loose"' in text and 'htmlUrl="https://t.example/"' in text
    )
