#!/bin/sh
# Runs the keychain tests once against a real Secret Service (gnome-keyring on a private D-Bus
# session, with a throwaway keyring in a temp XDG_DATA_HOME). Elsewhere the tests use an in-memory
# backend. Skipped with a message where dbus-run-session or gnome-keyring-daemon is missing.
set -eu
python=${1:-python3}
if ! command -v dbus-run-session >/dev/null 2>&1 || ! command -v gnome-keyring-daemon >/dev/null 2>&1; then
	echo "keychain-test: dbus-run-session or gnome-keyring-daemon missing; real Secret Service test not run"
	exit 0
fi
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT
XDG_DATA_HOME="$tmp" XDG_RUNTIME_DIR="$tmp" CMDESK_SECRET_SERVICE=1 dbus-run-session -- sh -c \
	"printf throwaway | gnome-keyring-daemon --unlock --components=secrets >/dev/null && \
	 QT_QPA_PLATFORM=offscreen $python -m pytest -q -p no:cacheprovider tests/test_keychain_secret_service.py"
