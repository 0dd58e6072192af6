"""Secrets (tokens, app passwords) in the operating system's keychain, through keyring.

Imports no Qt. Nothing secret is ever written to the database, settings or logs: the database
stores only the *account name* under which a secret is kept. Every failure becomes a
:class:`KeychainError` whose message names the account and the problem, never the secret.

keyring is imported on first use (it costs ~40 ms): every cmdesk command imports this module, for
:class:`KeychainError`, and most never touch a secret.
"""

from __future__ import annotations

import logging
from dataclasses import dataclass
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from keyring.backend import KeyringBackend

SERVICE = "cmdesk"
log = logging.getLogger(__name__)


class KeychainError(Exception):
    """A keychain operation failed; the message is safe to show and to log."""


@dataclass(frozen=True)
class KeychainStatus:
    available: bool
    backend: str
    message: str  # plain words for the UI


def _is_insecure(backend: KeyringBackend) -> bool:
    name = type(backend).__module__ + "." + type(backend).__name__
    return name.startswith("keyrings.alt") or "PlaintextKeyring" in name


class Keychain:
    """Set, get and delete one secret per source account, under the ``cmdesk`` service."""

    def __init__(self, service: str = SERVICE, backend: KeyringBackend | None = None) -> None:
        self.service = service
        self._backend = backend

    @property
    def backend(self) -> KeyringBackend:
        import keyring

        return self._backend or keyring.get_keyring()

    def status(self) -> KeychainStatus:
        backend = self.backend
        name = type(backend).__name__
        priority = getattr(backend, "priority", 0)
        try:
            usable = float(priority) > 0
        except (TypeError, ValueError):
            usable = True
        if type(backend).__module__.startswith("keyring.backends.fail") or not usable:
            return KeychainStatus(
                False,
                name,
                "No system keychain is available, so cmdesk cannot store passwords or tokens. "
                "Sources that need an account are paused; everything else works.",
            )
        if _is_insecure(backend):
            return KeychainStatus(
                False,
                name,
                f"The keychain backend {name} stores secrets unencrypted; cmdesk will not use it.",
            )
        return KeychainStatus(True, name, f"Secrets are kept in the system keychain ({name}).")

    def set_secret(self, account: str, secret: str) -> None:
        import keyring.errors

        self._check_usable(account)
        try:
            self.backend.set_password(self.service, account, secret)
        except keyring.errors.KeyringError as exc:
            raise self._error("store", account, exc) from None

    def get_secret(self, account: str) -> str | None:
        import keyring.errors

        self._check_usable(account)
        try:
            return self.backend.get_password(self.service, account)
        except keyring.errors.KeyringError as exc:
            raise self._error("read", account, exc) from None

    def delete_secret(self, account: str) -> None:
        import keyring.errors

        self._check_usable(account)
        try:
            self.backend.delete_password(self.service, account)
        except keyring.errors.PasswordDeleteError:
            return  # nothing stored: deleting is idempotent
        except keyring.errors.KeyringError as exc:
            raise self._error("delete", account, exc) from None

    def _check_usable(self, account: str) -> None:
        status = self.status()
        if not status.available:
            raise KeychainError(f"Cannot use the secret for {account!r}: {status.message}")

    @staticmethod
    def _error(action: str, account: str, exc: Exception) -> KeychainError:
        # The exception type only: backends' messages are not ours to vouch for.
        log.warning(
            "Keychain could not %s the secret for %r (%s)", action, account, type(exc).__name__
        )
        return KeychainError(
            f"The keychain could not {action} the secret for {account!r} ({type(exc).__name__})."
        )
