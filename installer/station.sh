#!/usr/bin/env bash
# The README's two commands.
#   installer/station.sh demo   set up, build, and run the station's main job on
#                               the built-in demo workspace (build/demo/)
#   installer/station.sh test   set up, build, and run the whole test suite
#                               (with the sanitizer builds and short fuzz runs)
# Both are idempotent: they install only missing packages and rebuild only
# what changed.
set -euo pipefail

here="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)"
top="$(cd "$here/.." && pwd)"
build="$top/build"
jobs="$(nproc 2>/dev/null || echo 2)"
# ccache (when installed) keys on paths relative to the clone, so a clone in
# another folder, and the sanitizer and fuzz trees, reuse what it compiled.
export CCACHE_BASEDIR="$top"

setup_and_build() {
  bash "$here/setup-deps.sh"
  if [ ! -f "$build/build.ninja" ]; then
    cmake -S "$top" -B "$build" -G Ninja -DCMAKE_BUILD_TYPE=RelWithDebInfo >/dev/null
  fi
  cmake --build "$build" -j "$jobs"
}

case "${1:-}" in
  demo)
    setup_and_build
    exec bash "$here/demo.sh" "$build"
    ;;
  test)
    # Everything CI runs: the fuzz targets for a few seconds each, the whole
    # suite under ASan + UBSan and the threaded tests under TSan
    # (installer/sanitize.sh), clang-tidy on core/ (installer/tidy.sh, with
    # a compile database of its own: the build trees are unity builds), the
    # Debian packages built and checked (installer/package.sh), the check
    # that nothing skipped which must run here (installer/check-skips.sh), and
    # the packages installed, upgraded to, removed and purged for real
    # (installer/check-deb-install.sh).
    #
    # The whole suite runs once, in the ASan + UBSan build: a second, plain
    # build of everything and a second run of the suite in it doubled CI's
    # time (past its 90 minutes) and found nothing the sanitizer run does not.
    # The plain build is the demo's and the benchmarks' (`station.sh demo`,
    # tests/bench/README.md).
    bash "$here/setup-deps.sh"
    status=0
    ATMO_FUZZ_OPT=-O0 bash "$here/fuzz.sh" || status=1
    ATMO_SANITIZE_STEP=build bash "$here/sanitize.sh" asan || status=1
    # The ASan tests wait on processes, peers and the network about as much
    # as they compute: clang-tidy, the TSan build and the packages' build take
    # the CPU they leave, at the lowest priority so the tests run as they
    # would alone. Their output is shown once they are done.
    logs="$top/build-logs"
    mkdir -p "$logs"
    nice -n 19 bash "$here/tidy.sh" >"$logs/tidy.log" 2>&1 &
    tidy_pid=$!
    ATMO_SANITIZE_STEP=build nice -n 19 bash "$here/sanitize.sh" tsan >"$logs/tsan-build.log" 2>&1 &
    tsan_pid=$!
    nice -n 19 bash "$here/package.sh" >"$logs/package.log" 2>&1 &
    package_pid=$!
    ATMO_SANITIZE_STEP=test bash "$here/sanitize.sh" asan || status=1
    tidy_status=0
    wait "$tidy_pid" || tidy_status=$?
    cat "$logs/tidy.log"
    [ "$tidy_status" -eq 0 ] || status=1
    tsan_status=0
    wait "$tsan_pid" || tsan_status=$?
    if [ "$tsan_status" -ne 0 ]; then
      cat "$logs/tsan-build.log"
      status=1
    else
      grep '^sanitize:' "$logs/tsan-build.log" || true
      ATMO_SANITIZE_STEP=test bash "$here/sanitize.sh" tsan || status=1
    fi
    package_status=0
    wait "$package_pid" || package_status=$?
    cat "$logs/package.log"
    [ "$package_status" -eq 0 ] || status=1
    bash "$here/check-skips.sh" "$top/build-asan" || status=1
    # Last, with no test running any more: the packages really installed,
    # upgraded to from 0.1.0, removed and purged (installer/check-deb-install.sh).
    if [ "$package_status" -eq 0 ]; then
      bash "$here/check-deb-install.sh" "$top/build-deb/packages" || status=1
    fi
    exit "$status"
    ;;
  *)
    echo "usage: $0 demo|test" >&2
    exit 2
    ;;
esac
