#!/usr/bin/env bash
# Packs the debug symbols strip-into-dbgsym.cmake kept as <package>-dbgsym
# .ddeb files beside the packages, with the control fields dh_gencontrol
# gives one (Auto-Built-Package, Build-Ids, an exact Depends on its package)
# and its documentation folder a link to the package's, as debhelper makes it.
#   installer/deb/make-dbgsym.sh DBGSYM_DIR PACKAGES_DIR
# DBGSYM_DIR/<component>/ holds usr/lib/debug/...; the component's package is
# found in PACKAGES_DIR by the component name CPack gave it (cli -> atmosphere).
set -euo pipefail

dbgsym="${1:?usage: $0 DBGSYM_DIR PACKAGES_DIR}"
packages="${2:?usage: $0 DBGSYM_DIR PACKAGES_DIR}"
work="$(mktemp -d)"
trap 'rm -rf "$work"' EXIT

package_of() { # component -> the .deb CPack made of it
  case "$1" in
    cli) ls "$packages"/atmosphere_*.deb ;;
    station) ls "$packages"/atmosphere-station_*.deb ;;
    *) echo "make-dbgsym: unknown component $1" >&2; return 1 ;;
  esac
}

# As dpkg-gencontrol counts it: each file's size in KiB rounded up, one for
# each folder and link (not the file system's blocks, so the same on any).
installed_size() {
  (cd "$1" && find usr -printf '%y %s\n') | awk '$1 == "f" { kib += int(($2 + 1023) / 1024); next } { kib += 1 } END { print kib }'
}

for dir in "$dbgsym"/*/; do
  component="$(basename "$dir")"
  deb="$(package_of "$component")"
  field() { dpkg-deb -f "$deb" "$1"; }
  name="$(field Package)"
  version="$(field Version)"
  arch="$(field Architecture)"
  root="$work/$name-dbgsym"
  mkdir -p "$root/DEBIAN" "$root/usr/share/doc"
  cp -a "$dir/usr" "$root/"
  ln -s "$name" "$root/usr/share/doc/$name-dbgsym"
  find "$root/usr" -type d -exec chmod 755 {} +
  find "$root/usr" -type f -exec chmod 644 {} +
  ids="$(find "$root/usr/lib/debug/.build-id" -name '*.debug' | sed -E 's|.*/([0-9a-f]{2})/([0-9a-f]+)\.debug$|\1\2|' | sort | tr '\n' ' ')"
  (cd "$root" && find usr -type f | sort | xargs md5sum) >"$root/DEBIAN/md5sums"
  chmod 644 "$root/DEBIAN/md5sums"
  cat >"$root/DEBIAN/control" <<CONTROL
Package: $name-dbgsym
Source: $(field Source)
Version: $version
Auto-Built-Package: debug-symbols
Architecture: $arch
Maintainer: $(field Maintainer)
Installed-Size: $(installed_size "$root")
Depends: $name (= $version)
Section: debug
Priority: optional
Description: debug symbols for $name
Build-Ids: ${ids% }
CONTROL
  dpkg-deb --root-owner-group -Zxz --build "$root" "$packages/${name}-dbgsym_${version}_${arch}.ddeb" >/dev/null
done
