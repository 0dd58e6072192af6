"""Handle normalisation and the author keys a contact handle stands for (contacts_handles)."""

from __future__ import annotations

from pathlib import Path

from cmdesk.core.services import contacts, contacts_handles, ingest
from cmdesk.core.services.contacts_handles import author_keys, normalise_network


def test_author_keys_cover_the_spellings_and_a_blogs_host() -> None:
    assert author_keys("github", "Ada", None) == [
        ("github", "Ada"),
        ("github", "ada"),
        ("github", "@Ada"),
    ]
    assert author_keys("rss", "ada", "https://Blog.Example.org/feed") == [
        ("blog.example.org", "ada"),
        ("blog.example.org", "@ada"),
    ]
    assert author_keys("rss", "ada.example.org", None)[0] == ("ada.example.org", "ada.example.org")
    assert author_keys("rss", "ada", None) == []
    assert normalise_network("Twitter") == "x" and normalise_network("Myspace") == ""


def test_the_contacts_service_keeps_its_names_and_ingest_uses_the_public_one() -> None:
    for name in ("NETWORK_TITLES", "normalise_handle", "normalise_network", "is_email"):
        assert getattr(contacts, name) is getattr(contacts_handles, name)
    assert not hasattr(contacts, "_author_keys")
    assert ingest.author_keys is author_keys
    lines = Path(contacts.__file__).read_text(encoding="utf-8").count("\n")
    assert lines < 600  # the house's room size
