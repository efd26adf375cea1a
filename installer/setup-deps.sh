#!/usr/bin/env bash
# Installs the Debian 12 packages Atmosphere Station needs to build, run and
# test, and only those that are missing. Quick when nothing is missing.
set -euo pipefail

PACKAGES=(
  # toolchain
  g++ cmake ninja-build pkg-config git ccache
  # the fuzz tree (installer/fuzz.sh): clang 14, libFuzzer and the sanitizer
  # runtimes (libclang-rt-14-dev, only recommended by clang, so named), and
  # llvm-symbolizer (in llvm) for readable crash stacks
  clang libclang-rt-14-dev llvm
  # Qt 6 (Widgets, Network, Concurrent, Test, Svg, Linguist, WebSockets for
  # the relay)
  qt6-base-dev qt6-base-dev-tools qt6-svg-dev qt6-websockets-dev
  qt6-tools-dev qt6-tools-dev-tools qt6-l10n-tools qt6-qpa-plugins libgl-dev
  # Qt's own strings in German (the wizard's Back/Next/Finish, dialog buttons)
  qt6-translations-l10n
  # core libraries
  libyaml-cpp-dev libsodium-dev libarchive-dev libssl-dev nlohmann-json3-dev libzstd-dev
  libavahi-client-dev
  # invite QR codes in the window
  libqrencode-dev
  # what the tests and the demo use as real components and reference tools
  # (appstream: appstreamcli validates the desktop metadata in tst_desktop_entry)
  minisign zstd curl xvfb xauth imagemagick avahi-daemon dbus iproute2 time
  python3-zeroconf python3-aiohttp appstream
  # systemd-analyze checks the service units in tst_cli_service; man renders
  # the manual pages in tst_man_pages
  systemd man-db
  # the relay the tests run (tests/relay/): WebSockets and Ed25519 in Python
  python3-websockets python3-nacl
  # the stand-in UDisks2 on a private bus (tests/udisks/fake_udisks2.py,
  # tst_app_udisks_eject): D-Bus services in Python, with GLib's main loop
  python3-dbus python3-gi
  # zbarimg reads the invite QR codes back in tst_gui_qr_code
  zbar-tools
  # CI's static checks (installer/tidy.sh)
  clang-tidy
  # desktop-file-validate checks the launcher in tst_desktop_entry and in
  # the packages; the Debian packages (installer/package.sh) and their
  # checks (installer/check-debs.sh: lintian, readelf)
  desktop-file-utils dpkg-dev lintian binutils
)

missing=()
for p in "${PACKAGES[@]}"; do
  if ! dpkg-query -W -f='${Status}' "$p" 2>/dev/null | grep -q "install ok installed"; then
    missing+=("$p")
  fi
done

if [ ${#missing[@]} -eq 0 ]; then
  exit 0
fi

if [ "$(id -u)" -ne 0 ]; then
  echo "setup-deps: missing packages: ${missing[*]}" >&2
  echo "setup-deps: run as root (or with sudo) to install them" >&2
  exit 1
fi

echo "setup-deps: installing ${missing[*]}"
export DEBIAN_FRONTEND=noninteractive
apt-get update -qq
apt-get install -y -qq --no-install-recommends "${missing[@]}" >/dev/null
