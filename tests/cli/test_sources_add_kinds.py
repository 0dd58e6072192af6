"""``cmdesk sources add --kind …``: search sources headless, secrets to the keychain only."""

from __future__ import annotations

import keyring
import pytest
from keyring.backends.fail import Keyring as FailKeyring

from cmdesk.cli.main import main
from cmdesk.core.db import open_workspace
from cmdesk.core.services import sources

TOKEN = "mastodon-token-Zq8x-never-on-disk"


def run(capsys, db, *args: str) -> tuple[int, str, str]:
    code = main(["--db", str(db), "-q", *args])
    out, err = capsys.readouterr()
    return code, out, err


def rows(db):
    ws = open_workspace(db)
    try:
        return sources.list_sources(ws)
    finally:
        ws.close()


def test_a_mastodon_token_from_the_environment_goes_to_the_keychain_only(
    tmp_path, capsys, monkeypatch, memory_keyring
) -> None:
    db = tmp_path / "w.cmdesk"
    monkeypatch.setenv("ACME_MASTODON_TOKEN", TOKEN)
    code, out, err = run(
        capsys, db, "sources", "add", "--kind", "mastodon", "--instance",
        "https://mastodon.example", "--query", "acme widget", "--secret-env",
        "ACME_MASTODON_TOKEN", "--folder", "Fediverse",
    )  # fmt: skip
    assert (code, err) == (0, "")
    assert out.startswith("added source #1 'Mastodon hashtag or search: acme widget' mastodon")
    assert "access token is in the system keychain" in out and TOKEN not in out
    (row,) = rows(db)
    assert (row.kind, row.url, row.folder) == ("mastodon", "https://mastodon.example", "Fediverse")
    assert dict(row.config) == {"query": "acme widget"}
    assert row.all_items_are_mentions and row.account and row.account.startswith("mastodon/")
    assert memory_keyring.secrets == {("cmdesk", row.account): TOKEN}
    for path in tmp_path.glob("w.cmdesk*"):
        assert TOKEN.encode() not in path.read_bytes(), path


def test_hacker_news_by_its_words_and_mastodon_by_its_tag(tmp_path, capsys, memory_keyring):
    db = tmp_path / "w.cmdesk"
    code, out, _ = run(capsys, db, "sources", "add", "--kind", "hackernews", '"acme widget"')
    assert code == 0 and "https://hn.algolia.com/api/v1" in out
    code, _, err = run(capsys, db, "sources", "add", "--kind", "hackernews", '"acme widget"')
    assert code == 1 and "already there" in err
    code, _, _ = run(capsys, db, "sources", "add", "--kind", "mastodon", "--instance",
                     "https://mastodon.social", "--tag", "acme", "--no-all-mentions")  # fmt: skip
    assert code == 0
    hn, tag = sorted(rows(db), key=lambda r: r.id)
    assert (dict(hn.config), hn.all_items_are_mentions, hn.account) == (
        {"query": '"acme widget"'}, True, None,
    )  # fmt: skip
    assert (dict(tag.config), tag.all_items_are_mentions) == ({"tag": "acme"}, False)
    assert memory_keyring.secrets == {}


@pytest.mark.parametrize(
    ("args", "message"),
    [
        (["--kind", "hackernews", "acme", "--tag", "x"], "do not take --tag"),
        (["--kind", "hackernews"], "Give the words to search Hacker News for."),
        (["--kind", "stackexchange", "acme", "--site", "https://superuser.com"], "API name"),
        (["--kind", "mastodon", "--instance", "https://m.example"], "hashtag to follow"),
        (["--kind", "bluesky", "acme", "--handle", "me.bsky.social"], "--secret-env VAR"),
        (
            ["--kind", "bluesky", "acme", "--handle", "me.bsky.social", "--secret-env", "NOPE_X"],
            "NOPE_X is empty or not set",
        ),  # fmt: skip
        (["--kind", "reddit", "acme", "--secret-env", "HOME"], "use no token or password"),
        ([], "give the address of the feed"),
    ],
)
def test_problems_are_one_line_and_nothing_is_added(tmp_path, capsys, args, message) -> None:
    db = tmp_path / "w.cmdesk"
    code, out, err = run(capsys, db, "sources", "add", *args)
    assert code == 1 and message in err and len(err.splitlines()) == 1 and "Traceback" not in err
    assert rows(db) == []


def test_without_a_keychain_a_secret_is_refused_in_one_line(tmp_path, capsys, monkeypatch):
    keyring.set_keyring(FailKeyring())  # the conftest fixture restores its own afterwards
    db = tmp_path / "w.cmdesk"
    monkeypatch.setenv("BSKY_APP_PASSWORD", "abcd-efgh-ijkl-mnop")
    code, _, err = run(
        capsys, db, "sources", "add", "--kind", "bluesky", "acme", "--handle", "me.bsky.social",
        "--secret-env", "BSKY_APP_PASSWORD",
    )  # fmt: skip
    assert code == 1 and err.startswith("cmdesk: error: No system keychain is available")
    assert len(err.splitlines()) == 1 and "abcd-efgh" not in err
    assert rows(db) == []


def test_a_secret_can_be_typed_without_echo(tmp_path, capsys, monkeypatch, memory_keyring):
    prompts: list[str] = []

    def typed(prompt: str) -> str:
        prompts.append(prompt)
        return "ghp_typed_token"

    monkeypatch.setattr("getpass.getpass", typed)
    db = tmp_path / "w.cmdesk"
    code, out, _ = run(capsys, db, "sources", "add", "--kind", "github", "acme-widget",
                       "--type", "discussions", "--ask-secret")  # fmt: skip
    assert code == 0 and prompts == ["Token (not shown): "]
    (row,) = rows(db)
    assert dict(row.config) == {"query": "acme-widget", "type": "discussions"}
    assert row.url == "https://api.github.com"
    assert memory_keyring.secrets == {("cmdesk", row.account): "ghp_typed_token"}
