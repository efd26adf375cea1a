#!/usr/bin/env bash
# Checks the Debian packages installer/package.sh made, as an administrator
# would meet them:
#   installer/check-debs.sh DIR     DIR holds the .deb and -dbgsym .ddeb files
# - lintian: no error and no warning (its info lines are shown);
# - contents (dpkg-deb -c): what each package must hold, and the CLI package
#   nothing of the GUI;
# - Depends/Recommends: the libraries dpkg-shlibdeps found, the plugins it
#   cannot see, no GUI library for the CLI; apt can resolve them all here;
# - the binaries are stripped, hardened (PIE, RELRO, BIND_NOW, stack
#   protector, fortified functions) and their -dbgsym holds their symbols;
# - on the extracted tree: both programs answer --help and --version with no
#   display; appstreamcli validate-tree, desktop-file-validate, the manual
#   pages render with no warning, the bash completion loads, and
#   systemd-analyze verify passes the units.
# Prints one line per check; exits non-zero when any fails.
set -uo pipefail

dir="${1:?usage: $0 DIR (holding the .deb files)}"
if [ ! -d "$dir" ]; then
  echo "check-debs: $dir: no such folder (installer/package.sh makes build-deb/packages)" >&2
  exit 2
fi
dir="$(cd "$dir" && pwd)"
work="$(mktemp -d)"
trap 'rm -rf "$work"' EXIT
failures=0

ok() { echo "check-debs: ok   $*"; }
bad() { echo "check-debs: FAIL $*" >&2; failures=$((failures + 1)); }

# The packages: exactly one of each (the GUI one only when it was built).
shopt -s nullglob
cli_debs=("$dir"/atmosphere_*.deb)
gui_debs=("$dir"/atmosphere-station_*.deb)
ddebs=("$dir"/*.ddeb)
shopt -u nullglob
if [ ${#cli_debs[@]} -ne 1 ] || [ ${#gui_debs[@]} -gt 1 ]; then
  echo "check-debs: $dir must hold one atmosphere_*.deb and at most one atmosphere-station_*.deb" \
       "(it holds ${#cli_debs[@]} and ${#gui_debs[@]}; run installer/package.sh)" >&2
  exit 2
fi
cli_deb="${cli_debs[0]}"
gui_deb="${gui_debs[0]:-}"
debs=("$cli_deb")
[ -n "$gui_deb" ] && debs+=("$gui_deb")
if [ ${#ddebs[@]} -ne ${#debs[@]} ]; then
  bad "${#ddebs[@]} -dbgsym packages for ${#debs[@]} packages: ${ddebs[*]##*/}"
fi

# A field of a package's control file; a package dpkg-deb cannot read ends the checks.
field() {
  dpkg-deb -f "$1" "$2" || { echo "check-debs: dpkg-deb cannot read $1" >&2; exit 1; }
}

for deb in "${debs[@]}"; do
  name="$(field "$deb" Package)"
  version="$(field "$deb" Version)"
  arch="$(field "$deb" Architecture)"
  ddeb="$dir/${name}-dbgsym_${version}_${arch}.ddeb"
  if [ -f "$ddeb" ]; then ok "$name: -dbgsym package $(basename "$ddeb")"; else bad "$name: no -dbgsym package ($ddeb)"; fi
  size_kib=$(( $(stat -c %s "$deb") / 1024 ))
  echo "check-debs: size $(basename "$deb"): ${size_kib} KiB (installed $(field "$deb" Installed-Size) KiB)"
done

# lintian, on the packages and their debug symbols.
lint_out="$work/lintian.txt"
# (Its complaint about running as root, CI's only way, is left out.)
if lintian --display-info --fail-on error,warning "${debs[@]}" "${ddebs[@]}" 2>&1 \
     | grep -v '^running with root privileges is not recommended!$' >"$lint_out"; [ "${PIPESTATUS[0]}" -eq 0 ]; then
  ok "lintian: no error or warning$( [ -s "$lint_out" ] && echo ", and:")"
  sed 's/^/check-debs:        /' "$lint_out"
else
  bad "lintian:"
  sed 's/^/check-debs:        /' "$lint_out" >&2
fi

# Contents.
contents() {
  local listing
  listing="$(dpkg-deb -c "$1")" || { echo "check-debs: dpkg-deb cannot list $1" >&2; exit 1; }
  awk '{print $6}' <<<"$listing" | sed 's|^\./|/|'
}
expect_files() {
  local deb="$1"
  shift
  local listing
  listing="$(contents "$deb")"
  local missing=()
  for f in "$@"; do
    grep -qx -- "$f" <<<"$listing" || missing+=("$f")
  done
  if [ ${#missing[@]} -eq 0 ]; then ok "$(field "$deb" Package): holds all $# files it must"; else bad "$(field "$deb" Package): missing ${missing[*]}"; fi
}
expect_files "$cli_deb" \
  /usr/bin/atmosphere \
  /usr/lib/systemd/system/atmosphere-serve.service \
  /usr/lib/systemd/user/atmosphere-serve.service \
  /usr/share/bash-completion/completions/atmosphere \
  /usr/share/man/man1/atmosphere.1.gz \
  /usr/share/doc/atmosphere/copyright \
  /usr/share/doc/atmosphere/changelog.gz \
  /usr/share/doc/atmosphere/README.Debian \
  /usr/share/lintian/overrides/atmosphere
if contents "$cli_deb" | grep -E 'atmosphere-station|/applications/|/icons/|/metainfo/' >"$work/stray"; then
  bad "atmosphere: holds files of the desktop application: $(tr '\n' ' ' <"$work/stray")"
else
  ok "atmosphere: nothing of the desktop application"
fi
if [ -n "$gui_deb" ]; then
  expect_files "$gui_deb" \
    /usr/bin/atmosphere-station \
    /usr/share/applications/io.atmosphere.station.desktop \
    /usr/share/metainfo/io.atmosphere.station.metainfo.xml \
    /usr/share/mime/packages/atmosphere-station.xml \
    /usr/share/icons/hicolor/scalable/apps/atmosphere-station.svg \
    /usr/share/icons/hicolor/48x48/apps/atmosphere-station.png \
    /usr/share/icons/hicolor/128x128/apps/atmosphere-station.png \
    /usr/share/man/man1/atmosphere-station.1.gz \
    /usr/share/doc/atmosphere-station/copyright \
    /usr/share/doc/atmosphere-station/changelog.gz
  if contents "$gui_deb" | grep -x '/usr/bin/atmosphere' >/dev/null; then
    bad "atmosphere-station: holds the CLI, which is the atmosphere package's"
  else
    ok "atmosphere-station: leaves the CLI to the atmosphere package"
  fi
fi

# Depends and Recommends.
expect_relation() { # DEB FIELD REGEX WHAT
  if grep -Eq -- "$3" <<<"$(field "$1" "$2")"; then ok "$(field "$1" Package): $2 has $4"; else bad "$(field "$1" Package): $2 lacks $4: $(field "$1" "$2")"; fi
}
refuse_relation() {
  if grep -Eq -- "$3" <<<"$(field "$1" "$2")"; then bad "$(field "$1" Package): $2 has $4: $(field "$1" "$2")"; else ok "$(field "$1" Package): $2 has no $4"; fi
}
for lib in libqt6core6 libqt6network6 libqt6websockets6 libqt6dbus6 libsodium23 libarchive13 libyaml-cpp0.7 libavahi-client3 libzstd1 'libssl3|libcrypto'; do
  expect_relation "$cli_deb" Depends "(^|, )($lib)" "$lib"
done
refuse_relation "$cli_deb" Depends 'libqt6(gui|widgets|svg)6' "GUI library"
expect_relation "$cli_deb" Recommends 'avahi-daemon' "avahi-daemon"
expect_relation "$cli_deb" Recommends 'udisks2' "udisks2"
# It takes over the CLI's files from 0.1.0's single package.
expect_relation "$cli_deb" Breaks '^atmosphere-station \(<< 0\.2\.0~\)$' "atmosphere-station (<< 0.2.0~)"
expect_relation "$cli_deb" Replaces '^atmosphere-station \(<< 0\.2\.0~\)$' "atmosphere-station (<< 0.2.0~)"
if [ -n "$gui_deb" ]; then
  for lib in libqt6widgets6 libqt6gui6 libqt6svg6 libqrencode4; do
    expect_relation "$gui_deb" Depends "(^|, )$lib" "$lib"
  done
  cli_version="$(field "$cli_deb" Version)"
  expect_relation "$gui_deb" Recommends "atmosphere \(= ${cli_version//./\\.}\)" "the CLI of the same version"
  expect_relation "$gui_deb" Recommends 'qt6-wayland' "qt6-wayland"
fi
# apt can satisfy them from this machine's sources (a simulation: nothing is installed).
if apt-get -s -q install "${debs[@]}" >"$work/apt.txt" 2>&1; then
  ok "apt-get -s install: every dependency resolves"
else
  bad "apt-get -s install: $(grep -E '^(E:| )' "$work/apt.txt" | head -5 | tr '\n' ' ')"
fi

# Extract, then look at the binaries.
root="$work/root"
mkdir -p "$root"
for deb in "${debs[@]}"; do dpkg-deb -x "$deb" "$root"; done
dbg="$work/dbg"
mkdir -p "$dbg"
for d in "${ddebs[@]}"; do dpkg-deb -x "$d" "$dbg"; done
bins=("$root/usr/bin/atmosphere")
[ -n "$gui_deb" ] && bins+=("$root/usr/bin/atmosphere-station")
for bin in "${bins[@]}"; do
  b="$(basename "$bin")"
  if ! sections="$(readelf -SW "$bin")"; then
    bad "$b: readelf cannot read it"
  elif grep -Eq '\.debug_(info|line)|\.symtab' <<<"$sections"; then
    bad "$b: not stripped"
  else
    ok "$b: stripped"
  fi
  id="$(readelf -nW "$bin" | awk '/Build ID:/ {print $NF}')"
  if [ -n "$id" ] && [ -f "$dbg/usr/lib/debug/.build-id/${id:0:2}/${id:2}.debug" ] \
     && grep -q '\.debug_info' <<<"$(readelf -SW "$dbg/usr/lib/debug/.build-id/${id:0:2}/${id:2}.debug" 2>/dev/null)"; then
    ok "$b: debug symbols in its -dbgsym (build-id $id)"
  else
    bad "$b: no debug symbols for build-id '${id}' in the -dbgsym packages"
  fi
  hard=()
  # (Read whole, then searched: grep -q at the end of a pipe stops reading
  # at its match, and under pipefail readelf's SIGPIPE would fail the test.)
  grep -q 'Type:.*DYN' <<<"$(readelf -hW "$bin")" || hard+=("not PIE")
  grep -q 'GNU_RELRO' <<<"$(readelf -lW "$bin")" || hard+=("no RELRO")
  grep -Eq 'BIND_NOW|FLAGS.*\bNOW\b' <<<"$(readelf -dW "$bin")" || hard+=("no BIND_NOW")
  syms="$(readelf --dyn-syms -W "$bin")"
  grep -q '__stack_chk_fail' <<<"$syms" || hard+=("no stack protector")
  grep -Eq '__[a-z]+_chk\b' <<<"$syms" || hard+=("no fortified functions")
  if [ ${#hard[@]} -eq 0 ]; then ok "$b: PIE, RELRO, BIND_NOW, stack protector, fortified"; else bad "$b: ${hard[*]}"; fi
  # No display, no Qt platform chosen: both programs still answer.
  for opt in --help --version; do
    rc=0
    out="$(env -u DISPLAY -u WAYLAND_DISPLAY -u QT_QPA_PLATFORM "$bin" "$opt" 2>&1)" || rc=$?
    if [ "$rc" -eq 0 ] && [ -n "$out" ]; then
      ok "$b $opt with no display: $(head -1 <<<"$out")"
    else
      bad "$b $opt with no display: rc $rc: $(head -3 <<<"$out" | tr '\n' ' ')"
    fi
  done
done
version_line="$(env -u DISPLAY "$root/usr/bin/atmosphere" --version 2>&1)"
grep -qF -- "atmosphere $(field "$cli_deb" Version)" <<<"$version_line" \
  && ok "atmosphere --version says the package's version" \
  || bad "atmosphere --version says '$version_line', the package is $(field "$cli_deb" Version)"

# Desktop metadata on the installed tree.
if [ -n "$gui_deb" ]; then
  if out="$(appstreamcli validate-tree --no-net "$root" 2>&1)"; then ok "appstreamcli validate-tree: $(tail -1 <<<"$out")"; else bad "appstreamcli validate-tree: $out"; fi
  if out="$(desktop-file-validate "$root/usr/share/applications/io.atmosphere.station.desktop" 2>&1)" && [ -z "$out" ]; then
    ok "desktop-file-validate: clean"
  else
    bad "desktop-file-validate: $out"
  fi
fi

# Manual pages: render, and groff says nothing about them.
for page in "$root"/usr/share/man/man1/*.1.gz; do
  p="$(basename "$page")"
  if warnings="$(LC_ALL=C.UTF-8 MANWIDTH=80 MAN_KEEP_STDERR=1 man --warnings -l "$page" 2>&1 >"$work/page.txt")" \
     && [ -z "$warnings" ] && [ "$(wc -l <"$work/page.txt")" -gt 20 ]; then
    ok "man -l $p: $(wc -l <"$work/page.txt") lines, no warning"
  else
    bad "man -l $p: ${warnings:-too short}"
  fi
done

# bash completion: loads, and completes a command group and a command's
# options from the installed program's --help.
complete_words() { # WORDS...: what completing the last word offers, one per line
  PATH="$root/usr/bin:$PATH" bash -c '
    source "$1/usr/share/bash-completion/completions/atmosphere" || exit 1
    complete -p atmosphere >/dev/null || exit 1
    shift
    COMP_WORDS=("$@"); COMP_CWORD=$(($# - 1)); _atmosphere
    printf "%s\n" "${COMPREPLY[@]}"' _ "$root" "$@" 2>&1
}
if groups="$(complete_words atmosphere pack)" && [ "$groups" = package ] \
   && options="$(complete_words atmosphere package verify --ti)" && grep -qx -- --tier <<<"$options"; then
  ok "bash completion: loads; 'atmosphere pack' -> package, 'package verify --ti' -> --tier"
else
  bad "bash completion: 'atmosphere pack' -> '${groups:-}', 'package verify --ti' -> '${options:-}'"
fi

# The units, as installed (their ExecStart is /usr/bin/atmosphere: verify
# them against the extracted binary).
for unit in system/atmosphere-serve.service user/atmosphere-serve.service; do
  mkdir -p "$work/units/${unit%/*}"
  sed "s|/usr/bin/atmosphere|$root/usr/bin/atmosphere|g" "$root/usr/lib/systemd/$unit" >"$work/units/$unit"
  flag=()
  [ "${unit%/*}" = user ] && flag=(--user)
  mkdir -p "$work/runtime" && chmod 700 "$work/runtime"
  if out="$(XDG_RUNTIME_DIR="$work/runtime" systemd-analyze "${flag[@]}" verify --man=no "$work/units/$unit" 2>&1)" && [ -z "$out" ]; then
    ok "systemd-analyze verify $unit: clean"
  else
    bad "systemd-analyze verify $unit: $out"
  fi
done

if [ "$failures" -ne 0 ]; then
  echo "check-debs: FAILED: $failures check(s)" >&2
  exit 1
fi
echo "check-debs: all checks passed"
