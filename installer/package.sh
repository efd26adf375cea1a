#!/usr/bin/env bash
# Builds the Debian packages and checks them.
#   installer/package.sh    build-deb/: a build with Debian's flags, then
#                           build-deb/packages/: atmosphere_<v>_<arch>.deb (the
#                           CLI), atmosphere-station_<v>_<arch>.deb (the
#                           window), and their -dbgsym .ddeb files; then
#                           installer/check-debs.sh on them
# The build uses what dpkg-buildflags gives a Debian package, with every
# hardening feature on (hardening=+all: -O2 -g, the stack protector,
# _FORTIFY_SOURCE, RELRO and BIND_NOW; PIE is GCC's default here), and no
# build type of CMake's own on top (CMAKE_BUILD_TYPE=None), as debhelper does.
# The tests are not built: CI runs them in the sanitizer builds.
set -euo pipefail

here="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)"
top="$(cd "$here/.." && pwd)"
build="$top/build-deb"
jobs="${ATMO_PACKAGE_JOBS:-$(nproc 2>/dev/null || echo 2)}"
export CCACHE_BASEDIR="$top"

for tool in dpkg-buildflags dpkg-shlibdeps dpkg-deb lintian; do
  if ! command -v "$tool" >/dev/null; then
    echo "package: $tool is missing (installer/setup-deps.sh installs it)" >&2
    exit 1
  fi
done

cd "$top" # -ffile-prefix-map in dpkg-buildflags' CXXFLAGS names this folder
export DEB_BUILD_MAINT_OPTIONS=hardening=+all
# Reproducible: every time stamp in the packages is the changelog's.
SOURCE_DATE_EPOCH="$(dpkg-parsechangelog -l "$here/deb/changelog" -S Timestamp)"
export SOURCE_DATE_EPOCH
cxxflags="$(dpkg-buildflags --get CPPFLAGS) $(dpkg-buildflags --get CXXFLAGS)"
ldflags="$(dpkg-buildflags --get LDFLAGS)"

start=$(date +%s)
# Unity build (as the sanitizer trees): nearly halves the build's time.
# The build's own output goes to build-deb/build.log, shown when it fails.
mkdir -p "$build"
log="$build/build.log"
if ! { cmake -S "$top" -B "$build" -G Ninja -DCMAKE_BUILD_TYPE=None -DCMAKE_INSTALL_PREFIX=/usr \
         -DATMO_BUILD_TESTS=OFF -DCMAKE_UNITY_BUILD=ON -DCMAKE_UNITY_BUILD_BATCH_SIZE=8 \
         -DATMO_DEB_PACKAGE=ON -DCMAKE_CXX_FLAGS="$cxxflags" -DCMAKE_EXE_LINKER_FLAGS="$ldflags" \
         -DCMAKE_SHARED_LINKER_FLAGS="$ldflags" -DCMAKE_MODULE_LINKER_FLAGS="$ldflags" &&
       cmake --build "$build" -j "$jobs"; } >"$log" 2>&1; then
  cat "$log" >&2
  echo "package: the build failed (above; also in $log)" >&2
  exit 1
fi
rm -rf "$build/packages"
(cd "$build" && cpack -G DEB >"$build/cpack.log" 2>&1) || { cat "$build/cpack.log" >&2; exit 1; }
bash "$here/deb/make-dbgsym.sh" "$build/dbgsym" "$build/packages"
echo "package: built in $(( $(date +%s) - start )) s:"
(cd "$build/packages" && ls -l -- *.deb *.ddeb | awk '{printf "package:   %-48s %8.1f MiB\n", $9, $5 / 1048576}')
exec bash "$here/check-debs.sh" "$build/packages"
