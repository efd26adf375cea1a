#!/usr/bin/env bash
# clang-tidy (the checks in .clang-tidy) on every core/ source file, with the
# compile commands of an already configured build tree.
#   installer/tidy.sh [BUILD_DIR]     default: build/
# Exits non-zero on any finding (WarningsAsErrors). ATMO_TIDY_JOBS sets the
# parallelism (default: nproc).
set -euo pipefail

here="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)"
top="$(cd "$here/.." && pwd)"
build="${1:-$top/build}"
jobs="${ATMO_TIDY_JOBS:-$(nproc 2>/dev/null || echo 2)}"

if [ ! -f "$build/compile_commands.json" ]; then
  echo "tidy: no $build/compile_commands.json (configure the build first)" >&2
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
