#!/bin/sh
# Checks (and on Debian/Ubuntu installs) the system packages Qt needs.
#   system-deps.sh test   offscreen Qt, fonts, poppler (PDF checks), a Secret Service for one test
#   system-deps.sh run    the above plus what a real X11 window needs
# On macOS Qt's wheels bring what they need: nothing to do.
set -eu
mode=${1:-test}
[ "$(uname -s)" = "Linux" ] || exit 0
command -v dpkg-query >/dev/null 2>&1 || {
	echo "system-deps: not a Debian/Ubuntu system; make sure Qt's libraries (EGL, GL, fontconfig, xkbcommon, xcb-cursor) and a font are installed."
	exit 0
}
pkgs="libegl1 libgl1 libx11-6 libdbus-1-3 libfontconfig1 libfreetype6 libglib2.0-0 libxkbcommon0 fonts-dejavu-core poppler-utils dbus-daemon dbus-bin gnome-keyring"
if [ "$mode" = "run" ]; then
	pkgs="$pkgs libxcb-cursor0 libxcb-icccm4 libxcb-image0 libxcb-keysyms1 libxcb-render-util0 libxcb-render0 libxcb-shape0 libxcb-util1 libxcb-xkb1 libxkbcommon-x11-0"
fi
missing=""
for p in $pkgs; do
	dpkg-query -W -f='${Status}' "$p" 2>/dev/null | grep -q "install ok installed" || missing="$missing $p"
done
[ -z "$missing" ] && exit 0
echo "system-deps: installing$missing"
if [ "$(id -u)" = "0" ]; then
	apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq $missing >/dev/null
elif command -v sudo >/dev/null 2>&1; then
	sudo apt-get update -qq && sudo DEBIAN_FRONTEND=noninteractive apt-get install -y -qq $missing >/dev/null
else
	echo "system-deps: please run: apt-get install$missing"
	exit 1
fi
