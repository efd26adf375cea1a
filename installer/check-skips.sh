#!/usr/bin/env bash
# Fails when a test skipped anything that must run here.
#   installer/check-skips.sh BUILD_DIR
# Reads the last CTest run's log (BUILD_DIR/Testing/Temporary/LastTest.log):
# a Qt test that QSKIPped and failed nothing is "Skipped" there
# (SKIP_REGULAR_EXPRESSION, tests/CMakeLists.txt). CI runs as root with
# network and mount namespaces and tmpfs, and installer/setup-deps.sh installs
# every tool a test looks for, so nothing may skip in CI except the tests
# named in ALLOWED below, each with the reason it may.
set -euo pipefail

# test name -> why it may skip in CI (keep empty unless there is a reason).
declare -A ALLOWED=(
)

build="${1:?usage: $0 BUILD_DIR}"
log="$build/Testing/Temporary/LastTest.log"
if [ ! -f "$log" ]; then
  echo "check-skips: no CTest log at $log (run ctest first)" >&2
  exit 2
fi

# One line per skipped test: "name<TAB>reason; reason; ..." (Qt Test's
# "SKIP   : Class::function() reason" lines of that test's output).
skipped="$(awk '
  /^[0-9]+\/[0-9]+ Testing: / { name = $3; reasons = ""; next }
  /^SKIP   : / { line = $0; sub(/^SKIP   : /, "", line); reasons = reasons (reasons == "" ? "" : "; ") line; next }
  /^Skip regular expression found in output/ { print name "\t" reasons }
' "$log")"

bad=0
while IFS=$'\t' read -r name reasons; do
  [ -n "$name" ] || continue
  if [ -n "${ALLOWED[$name]+set}" ]; then
    echo "check-skips: $name skipped (allowed: ${ALLOWED[$name]}): $reasons"
  else
    echo "check-skips: $name skipped, but must run here: $reasons" >&2
    bad=1
  fi
done <<<"$skipped"

if [ "$bad" -ne 0 ]; then
  echo "check-skips: FAILED: tests skipped that CI must run (root, namespaces, tmpfs and every tool are available here)" >&2
  exit 1
fi
echo "check-skips: no test skipped that must run"
