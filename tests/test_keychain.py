import logging

import pytest
from keyring.backends import fail

from cmdesk.keychain import Keychain, KeychainError


def test_set_get_delete_round_trip(memory_keyring):
    keychain = Keychain()
    keychain.set_secret("bluesky:me.example", "app-pass-1234")
    assert keychain.get_secret("bluesky:me.example") == "app-pass-1234"
    assert memory_keyring.secrets == {("cmdesk", "bluesky:me.example"): "app-pass-1234"}
    keychain.delete_secret("bluesky:me.example")
    assert keychain.get_secret("bluesky:me.example") is None
    keychain.delete_secret("bluesky:me.example")  # idempotent


def test_no_keychain_is_said_plainly_and_never_crashes(caplog):
    keychain = Keychain(backend=fail.Keyring())
    status = keychain.status()
    assert not status.available
    assert "No system keychain" in status.message
    with pytest.raises(KeychainError, match="No system keychain"):
        keychain.set_secret("github:me", "ghp_secret_value")
    with pytest.raises(KeychainError):
        keychain.get_secret("github:me")


def test_errors_never_carry_the_secret(caplog):
    from keyring.errors import KeyringError

    class Broken(fail.Keyring):
        priority = 5  # type: ignore[assignment]

        def set_password(self, service, username, password):
            raise KeyringError(f"backend exploded while storing {password}")

    keychain = Keychain(backend=Broken())
    with caplog.at_level(logging.DEBUG), pytest.raises(KeychainError) as info:
        keychain.set_secret("mastodon:me", "super-secret-token")
    assert "super-secret-token" not in str(info.value)
    assert "super-secret-token" not in caplog.text


def test_plaintext_backends_are_refused():
    class PlaintextKeyring(fail.Keyring):
        priority = 5  # type: ignore[assignment]

    status = Keychain(backend=PlaintextKeyring()).status()
    assert not status.available
    assert "unencrypted" in status.message
