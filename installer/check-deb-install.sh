#!/usr/bin/env bash
# Installs the Debian packages on this machine, upgrades to them from 0.1.0's
# single package, removes and purges them, and checks each step's result:
#   installer/check-deb-install.sh DIR     DIR holds the .deb files
# Real dpkg runs, with the maintainer scripts (deb/atmosphere/*). As root,
# and only where neither package is installed already (it would replace the
# administrator's own); it leaves the machine as it found it. The packages'
# dependencies must be installed already (installer/setup-deps.sh installs
# what the build needs, which covers them): dpkg -i does not fetch anything,
# nor the Recommends, which would change what later tests find here.
# installer/station.sh test runs it last, once no test is running.
set -euo pipefail

dir="${1:?usage: $0 DIR (holding the .deb files)}"
if [ "$(id -u)" -ne 0 ]; then
  echo "check-deb-install: skipped: installing packages needs root"
  exit 0
fi
# dpkg's state of a package: empty or "not-installed" when it knows none.
state() { dpkg-query -W -f='${db:Status-Status}' "$1" 2>/dev/null || true; }
for p in atmosphere atmosphere-station; do
  if [ -n "$(state "$p")" ] && [ "$(state "$p")" != not-installed ]; then
    echo "check-deb-install: skipped: $p is installed on this machine (left alone)"
    exit 0
  fi
done
shopt -s nullglob
cli=("$dir"/atmosphere_*.deb)
gui=("$dir"/atmosphere-station_*.deb)
shopt -u nullglob
[ ${#cli[@]} -eq 1 ] || { echo "check-deb-install: no single atmosphere_*.deb in $dir" >&2; exit 2; }
debs=("${cli[0]}" "${gui[@]}")
version="$(dpkg-deb -f "${cli[0]}" Version)"

work="$(mktemp -d)"
failures=0
ok() { echo "check-deb-install: ok   $*"; }
bad() { echo "check-deb-install: FAIL $*" >&2; failures=$((failures + 1)); }
cleanup() {
  dpkg --purge atmosphere atmosphere-station >/dev/null 2>&1 || true
  rm -rf "$work"
}
trap cleanup EXIT

# 0.1.0 as it was: one package, atmosphere-station, holding the CLI too.
old="$work/old"
mkdir -p "$old/DEBIAN" "$old/usr/bin" "$old/usr/share/man/man1"
printf '#!/bin/sh\necho "atmosphere 0.1.0"\n' >"$old/usr/bin/atmosphere"
chmod 755 "$old/usr/bin/atmosphere"
printf 'atmosphere 0.1.0\n' | gzip -9n >"$old/usr/share/man/man1/atmosphere.1.gz"
cat >"$old/DEBIAN/control" <<EOF
Package: atmosphere-station
Version: 0.1.0
Architecture: all
Maintainer: Atmosphere Station developers <maintainers@users.noreply.b-seed-6ce6854d.example>
Description: provisioning station for the Atmosphere edge mesh (0.1.0 as it was)
EOF
dpkg-deb --root-owner-group --build "$old" "$work/old.deb" >/dev/null

run() { # STEP COMMAND...: runs dpkg, fails the step on a non-zero exit
  local step="$1"
  shift
  if "$@" >"$work/dpkg.log" 2>&1; then
    ok "$step"
  else
    bad "$step: $(tail -5 "$work/dpkg.log" | tr '\n' ' ')"
    return 1
  fi
}

# The CLI first, as the README has it: it takes /usr/bin/atmosphere over
# from the old package (Replaces), whose Breaks deconfigure it until its own
# upgrade follows (apt passes --auto-deconfigure too).
if run "dpkg -i 0.1.0's single package" dpkg -i "$work/old.deb" \
   && run "upgrade to $version: dpkg --auto-deconfigure -i ${debs[*]##*/}" dpkg --auto-deconfigure -i "${debs[@]}"; then
  owner="$(dpkg -S /usr/bin/atmosphere 2>/dev/null || true)"
  [ "$owner" = "atmosphere: /usr/bin/atmosphere" ] && ok "/usr/bin/atmosphere now belongs to atmosphere" \
    || bad "/usr/bin/atmosphere belongs to '${owner}'"
  said="$(/usr/bin/atmosphere --version 2>&1 || true)"
  [ "$said" = "atmosphere $version" ] && ok "the installed CLI says '$said'" || bad "the installed CLI says '$said'"
  for f in /lib/systemd/system/atmosphere-serve.service /usr/lib/systemd/system/atmosphere-serve.service; do
    [ -e "$f" ] && unit="$f"
  done
  [ -n "${unit:-}" ] && ok "the service unit is in place ($unit)" || bad "no atmosphere-serve.service installed"
  if [ ${#gui[@]} -eq 1 ]; then
    said="$(env -u DISPLAY -u WAYLAND_DISPLAY /usr/bin/atmosphere-station --version 2>&1 || true)"
    [ "$said" = "atmosphere-station $version" ] && ok "the installed window says '$said' with no display" \
      || bad "the installed window says '$said'"
  fi
  # What the maintainer scripts leave for systemd (deb-systemd-helper, from
  # init-system-helpers, which every Debian system has).
  dsh_state=/var/lib/systemd/deb-systemd-helper-enabled/atmosphere-serve.service.dsh-also
  [ -e "$dsh_state" ] && ok "postinst recorded the unit's links for purge ($dsh_state)" \
    || bad "postinst did not record the unit's links ($dsh_state)"
  run "reinstall (configure again over itself)" dpkg -i "${debs[@]}" || true
  run "dpkg --remove" dpkg --remove atmosphere-station atmosphere || true
  [ ! -e /usr/bin/atmosphere ] && ok "removed: /usr/bin/atmosphere is gone" || bad "removed, but /usr/bin/atmosphere is still there"
  mask=/etc/systemd/system/atmosphere-serve.service
  [ "$(readlink "$mask" 2>/dev/null)" = /dev/null ] && ok "removed: postrm masked the unit ($mask -> /dev/null)" \
    || bad "removed: the unit is not masked ($mask)"
  if [ "$(state atmosphere)" = config-files ]; then
    ok "removed: atmosphere keeps only its configuration state"
  else
    bad "removed: atmosphere's state is '$(state atmosphere)'"
  fi
  run "dpkg --purge" dpkg --purge atmosphere atmosphere-station || true
  if [ -z "$(state atmosphere)" ] || [ "$(state atmosphere)" = not-installed ]; then
    ok "purged: dpkg no longer knows atmosphere"
  else
    bad "purged, but atmosphere's state is '$(state atmosphere)'"
  fi
  leftovers="$(ls "$mask" /var/lib/systemd/deb-systemd-helper-enabled/ /var/lib/systemd/deb-systemd-helper-masked/ 2>/dev/null | grep atmosphere || true)"
  [ -z "$leftovers" ] && ok "purged: no mask and no systemd link state left behind" || bad "purged, but left: $leftovers"
fi

if [ "$failures" -ne 0 ]; then
  echo "check-deb-install: FAILED: $failures check(s)" >&2
  exit 1
fi
echo "check-deb-install: all checks passed"
