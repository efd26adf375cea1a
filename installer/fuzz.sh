#!/usr/bin/env bash
# Builds the libFuzzer targets over the Qt-free core in their own clang tree
# (build-fuzz/, -DATMO_FUZZ=ON: core + fuzzers, ASan + UBSan, no Qt) and runs
# each target for a bounded time from its seed corpus (tests/fuzz/README.md).
#
#   installer/fuzz.sh            ~6 s per target, about a minute in all
#                                (CI: ATMO_FUZZ_OPT=-O0, see below)
#   installer/fuzz.sh 600        10 minutes per target (a longer run)
#   installer/fuzz.sh 60 fuzz_manifest fuzz_catalog   only those targets
#
# Exits non-zero when a target crashes, leaks, times out (-timeout=10 per
# input), exceeds -rss_limit_mb=2048, or an input of tests/fuzz/regressions
# fails again. Logs, the growing working corpus and crashing inputs land in
# build-fuzz/fuzz/ (ATMO_FUZZ_OUT to put them elsewhere, e.g. for a second
# run beside this one).
set -uo pipefail

seconds="${1:-6}"
shift || true
top="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
build="${ATMO_FUZZ_BUILD:-$top/build-fuzz}"
fuzz="$top/tests/fuzz"
out="${ATMO_FUZZ_OUT:-$build/fuzz}"

case "$seconds" in
  ''|*[!0-9]*) echo "fuzz.sh: SECONDS_PER_TARGET must be a number, not \"$seconds\"" >&2; exit 2 ;;
esac
if ! command -v clang++ >/dev/null; then
  echo "fuzz.sh: clang++ is not installed (installer/setup-deps.sh installs it)" >&2
  exit 1
fi

# -O1 -g1 by default, as OSS-Fuzz builds: fast enough to fuzz, line tables
# for the stacks, and less build time than -O2 -g; a unity build of core
# (eight files per compiler run, as installer/sanitize.sh explains).
# ATMO_FUZZ_OPT=-O0 halves the build (measured: 24 s against 49 s for one
# unity file) for CI's few seconds per target, which replay the corpus and
# the regressions more than they search.
opt="${ATMO_FUZZ_OPT:--O1}"
case "$opt" in
  -O0|-O1|-O2) ;;
  *) echo "fuzz.sh: ATMO_FUZZ_OPT=$opt: use -O0, -O1 or -O2" >&2; exit 2 ;;
esac
if [ ! -f "$build/build.ninja" ] || ! grep -q "^CMAKE_CXX_FLAGS_RELWITHDEBINFO:STRING=$opt -g1\$" "$build/CMakeCache.txt"; then
  cmake -S "$top" -B "$build" -G Ninja -DCMAKE_BUILD_TYPE=RelWithDebInfo \
    -DCMAKE_CXX_FLAGS_RELWITHDEBINFO="$opt -g1" -DCMAKE_UNITY_BUILD=ON -DCMAKE_UNITY_BUILD_BATCH_SIZE=8 \
    -DCMAKE_CXX_COMPILER=clang++ -DATMO_FUZZ=ON -DATMO_BUILD_GUI=OFF -DATMO_BUILD_TESTS=OFF >/dev/null || exit 1
fi
start=$(date +%s)
cmake --build "$build" --target fuzzers || { echo "fuzz.sh: the fuzz build failed" >&2; exit 1; }
echo "fuzz.sh: build took $(( $(date +%s) - start )) s"

export ASAN_OPTIONS="${ASAN_OPTIONS:-detect_leaks=1:abort_on_error=1:symbolize=1}"
export UBSAN_OPTIONS="${UBSAN_OPTIONS:-print_stacktrace=1:halt_on_error=1}"
export LSAN_OPTIONS="suppressions=$fuzz/lsan.supp${LSAN_OPTIONS:+:$LSAN_OPTIONS}"

dict_for() {
  case "$1" in
    fuzz_manifest) echo manifest ;;
    fuzz_catalog|fuzz_peer_list|fuzz_package_offers) echo json ;;
    fuzz_download_journal) echo journal ;;
    fuzz_http_range) echo http_range ;;
    fuzz_http_request) echo http_request ;;
    fuzz_minisign_*) echo minisign ;;
    fuzz_mission) echo mission ;;
    fuzz_mdns_txt) echo mdns_txt ;;
  esac
}

if [ $# -gt 0 ]; then
  targets=("$@")
else
  mapfile -t targets < "$build/fuzz-targets.txt"
fi
# Scratch files of the targets (journals, packages, missions written per
# input): on tmpfs where there is one, where fsync costs nothing (the journal
# target runs ~18x faster), else in the build tree.
scratch="$out/tmp"
if [ -d /dev/shm ] && [ -w /dev/shm ]; then
  scratch="/dev/shm/atmo-fuzz-$$"
fi
trap 'rm -rf "$scratch"' EXIT
crashes="$out/crashes"
mkdir -p "$crashes"
failed=()
summary=()
for t in "${targets[@]}"; do
  bin="$build/bin/$t"
  [ -x "$bin" ] || { echo "fuzz.sh: no target $t" >&2; failed+=("$t"); continue; }
  # Every crash found before must stay fixed.
  if [ -d "$fuzz/regressions/$t" ] && [ -n "$(ls -A "$fuzz/regressions/$t")" ]; then
    mkdir -p "$scratch/$t"
    if ! TMPDIR="$scratch/$t" "$bin" -rss_limit_mb=2048 -timeout=10 "$fuzz/regressions/$t"/* \
        >"$out/$t.regressions.log" 2>&1; then
      echo "fuzz.sh: $t: a regression input fails again (see $out/$t.regressions.log)" >&2
      failed+=("$t (regression)")
      continue
    fi
  fi
  # New inputs go to the working corpus in the build tree; the seeds stay as committed.
  work="$out/corpus/$t"
  mkdir -p "$work"
  seeds="$fuzz/corpus/$t"
  [ -d "$seeds" ] || seeds=""
  args=(-max_total_time="$seconds" -rss_limit_mb=2048 -timeout=10 -print_final_stats=1
        -artifact_prefix="$crashes/$t-")
  d="$(dict_for "$t")"
  [ -n "$d" ] && args+=(-dict="$fuzz/dict/$d.dict")
  log="$out/$t.log"
  # The targets' scratch files; libFuzzer exits without running atexit handlers.
  tmp="$scratch/$t"
  rm -rf "$tmp" && mkdir -p "$tmp"
  TMPDIR="$tmp" "$bin" "${args[@]}" "$work" $seeds >"$log" 2>&1
  rc=$?
  rm -rf "$tmp"
  runs=$(sed -n 's/^stat::number_of_executed_units: *//p' "$log" | tail -1)
  rate=$(sed -n 's/^stat::average_exec_per_sec: *//p' "$log" | tail -1)
  cov=$(grep -o 'cov: [0-9]*' "$log" | tail -1)
  summary+=("$(printf '%-26s %10s runs %7s exec/s  %s' "$t" "${runs:-?}" "${rate:-?}" "$cov")")
  if [ $rc -ne 0 ]; then
    echo "fuzz.sh: $t failed (exit $rc); input in $crashes, log $log" >&2
    grep -E '^(==[0-9]+==ERROR|SUMMARY|FUZZ_CHECK)' "$log" | head -5 >&2
    failed+=("$t")
  fi
done

printf '%s\n' "${summary[@]}"
if [ ${#failed[@]} -gt 0 ]; then
  echo "fuzz.sh: FAILED: ${failed[*]}" >&2
  exit 1
fi
echo "fuzz.sh: ${#targets[@]} targets, ${seconds} s each, no crash, leak or timeout"
