"""The keychain module against a real Secret Service (gnome-keyring), run by
scripts/keychain-test.sh inside a private D-Bus session. Everywhere else tests use memory."""

import os

import pytest

pytestmark = pytest.mark.skipif(
    os.environ.get("CMDESK_SECRET_SERVICE") != "1",
    reason="needs the private Secret Service that scripts/keychain-test.sh starts",
)


def test_round_trip_through_secret_service():
    from keyring.backends.SecretService import Keyring as SecretServiceKeyring

    from cmdesk.keychain import Keychain

    keychain = Keychain(service="cmdesk-test", backend=SecretServiceKeyring())
    assert keychain.status().available
    keychain.set_secret("github:tester", "ghp_not_a_real_token")
    assert keychain.get_secret("github:tester") == "ghp_not_a_real_token"
    keychain.delete_secret("github:tester")
    assert keychain.get_secret("github:tester") is None
