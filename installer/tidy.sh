#!/usr/bin/env bash
# clang-tidy (the checks in .clang-tidy) on every core/ source file.
#   installer/tidy.sh              with build-tidy/: a compile database for
#                                  core alone (clang, one file per command),
#                                  configured here in seconds, never built
#   installer/tidy.sh BUILD_DIR    with an already configured tree's
#                                  compile_commands.json (not a unity build:
#                                  its commands name unity files, not core's)
# Exits non-zero on any finding (WarningsAsErrors). ATMO_TIDY_JOBS sets the
# parallelism (default: nproc).
set -euo pipefail

here="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)"
top="$(cd "$here/.." && pwd)"
jobs="${ATMO_TIDY_JOBS:-$(nproc 2>/dev/null || echo 2)}"

if [ $# -gt 0 ]; then
  build="$1"
else
  # Core has no generated sources, so configuring is all clang-tidy needs.
  build="$top/build-tidy"
  cmake -S "$top" -B "$build" -G Ninja -DCMAKE_BUILD_TYPE=RelWithDebInfo -DCMAKE_CXX_COMPILER=clang++ \
    -DATMO_FUZZ=ON -DATMO_BUILD_GUI=OFF -DATMO_BUILD_TESTS=OFF >/dev/null
fi
if [ ! -f "$build/compile_commands.json" ]; then
  echo "tidy: no $build/compile_commands.json (configure the build first)" >&2
  exit 2
fi
if grep -q '/Unity/unity_' "$build/compile_commands.json"; then
  echo "tidy: $build is a unity build: its compile commands do not name core's files (run installer/tidy.sh alone)" >&2
  exit 2
fi
tidy="$(command -v clang-tidy-14 || command -v clang-tidy || true)"
runner="$(command -v run-clang-tidy-14 || command -v run-clang-tidy || true)"
if [ -z "$tidy" ] || [ -z "$runner" ]; then
  echo "tidy: clang-tidy is not installed (installer/setup-deps.sh installs it)" >&2
  exit 2
fi

start=$(date +%s)
# The files to check, as regular expressions on the compile commands' paths.
status=0
"$runner" -quiet -p "$build" -j "$jobs" -clang-tidy-binary "$tidy" "$top/core/.*\\.cpp\$" \
  >"$build/clang-tidy.log" 2>&1 || status=$?
sed -i 's/\x1b\[[0-9;]*m//g' "$build/clang-tidy.log" # run-clang-tidy asks for colour
grep -E -A3 "(warning|error): " "$build/clang-tidy.log" || true
echo "tidy: core/ checked in $(( $(date +%s) - start )) s ($jobs jobs), log in $build/clang-tidy.log"
if [ "$status" -ne 0 ]; then
  echo "tidy: FAILED: clang-tidy found the problems above" >&2
  exit 1
fi
