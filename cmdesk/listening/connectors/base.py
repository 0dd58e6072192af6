"""The one small interface every listening connector implements, and the records it returns.

Imports no Qt and no database: a connector turns a :class:`SourceSpec` (a plain snapshot of a
source row) into a :class:`FetchResult` over the shared :class:`Http` layer. The engine does the
storing, matching, sentiment and health bookkeeping, so connectors stay small and testable against
a loopback server.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field
from typing import Any, ClassVar, Literal, Protocol

ErrorKind = Literal["transient", "rate_limited", "auth", "gone", "not_found", "invalid", "offline"]


@dataclass(frozen=True)
class SourceSpec:
    """What a connector needs to know about a source (a snapshot, safe to pass across threads)."""

    id: int
    kind: str
    name: str
    url: str
    config: Mapping[str, Any] = field(default_factory=dict)
    etag: str | None = None
    last_modified: str | None = None
    last_success_at: int | None = None  # UTC seconds; search connectors ask only for newer items
    account: str | None = None  # keychain account name, if the source uses a secret


@dataclass(frozen=True)
class FetchedItem:
    """One item as the source gave it, before matching and storage (SOURCES.md's record)."""

    external_id: str
    url: str | None = None
    title: str = ""
    text: str = ""  # plain text (connectors strip markup from text-only fields)
    html: str | None = None  # the source's HTML, UNSANITISED: the engine sanitises it
    author_name: str | None = None
    author_handle: str | None = None
    author_url: str | None = None
    author_reach: int | None = None
    published_at: int | None = None  # UTC seconds; None when the source gives no usable date
    lang: str | None = None
    likes: int | None = None
    replies: int | None = None
    shares: int | None = None
    score: int | None = None
    views: int | None = None
    thread_url: str | None = None
    raw: Mapping[str, Any] | None = None


@dataclass(frozen=True)
class FetchResult:
    items: list[FetchedItem] = field(default_factory=list)
    not_modified: bool = False  # a 304: nothing changed since the last fetch
    etag: str | None = None
    last_modified: str | None = None
    new_url: str | None = None  # a permanent redirect: the source's URL should become this
    retry_after: int | None = None  # seconds the server asked us to wait before the next call
    state: Mapping[str, Any] | None = None  # connector cursor to merge into the source's config
    notes: list[str] = field(default_factory=list)  # warnings worth showing (e.g. quota low)


class ConnectorError(Exception):
    """A fetch failed. ``str(exc)`` is one plain sentence for the source-health column."""

    def __init__(self, message: str, kind: ErrorKind = "transient", retry_after: int | None = None):
        super().__init__(message)
        self.kind: ErrorKind = kind
        self.retry_after = retry_after


@dataclass(frozen=True)
class HttpResponse:
    status: int
    url: str  # the final URL after redirects
    headers: Mapping[str, str]  # lower-cased names
    body: bytes  # complete, decompressed, size-capped
    permanent_redirect: str | None = None  # the target of a 301/308 chain, if any


class Http(Protocol):
    """The shared HTTP layer (``cmdesk.listening.http``): politeness, caps, timeouts."""

    async def get(
        self,
        url: str,
        *,
        params: Mapping[str, str | int] | None = None,
        headers: Mapping[str, str] | None = None,
        max_bytes: int | None = None,
    ) -> HttpResponse:
        """GET ``url``; raises :class:`ConnectorError` for network failures and caps exceeded.

        Returns any HTTP status (the connector decides what a 404 means), following redirects to
        http(s) URLs only.
        """
        ...

    async def post_json(
        self,
        url: str,
        payload: Mapping[str, Any],
        *,
        headers: Mapping[str, str] | None = None,
    ) -> HttpResponse: ...


FieldKind = Literal["text", "url", "secret", "choice", "int"]


@dataclass(frozen=True)
class ConfigField:
    """One thing the add/edit-source dialog asks for, declared by the connector.

    ``key`` says where the value goes: ``"url"`` is :attr:`SourceSpec.url`, ``"secret"`` is the
    keychain secret (never stored in the database; the source keeps only its ``account`` name),
    anything else is ``config[key]``. The dialog and ``cmdesk sources add`` render these fields;
    :meth:`Connector.check` validates the values before a source is saved.
    """

    key: str
    label: str
    kind: FieldKind = "text"
    required: bool = False
    default: str = ""
    placeholder: str = ""
    help: str = ""  # one line under the field: what it is and where to find it
    choices: tuple[str, ...] = ()  # for kind == "choice"


class Connector(Protocol):
    kind: ClassVar[str]  # the Source.kind it serves
    label: ClassVar[str]  # shown in the add-source dialog
    needs_secret: ClassVar[bool]  # True: fetch gets the keychain secret of source.account
    fields: ClassVar[tuple[ConfigField, ...]]  # what the add-source dialog asks for

    @classmethod
    def check(cls, values: Mapping[str, str]) -> str | None:
        """A plain-words problem with the values of :attr:`fields` (by key), or None if fine.

        Called by the add-source dialog and ``cmdesk sources add`` before saving. A missing key
        counts as empty. The ``"secret"`` value may be empty when a stored one is kept, so it is
        not checked for presence here (required fields are the form's job).
        """
        ...

    async def fetch(self, source: SourceSpec, http: Http, secret: str | None) -> FetchResult: ...
