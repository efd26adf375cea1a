#!/usr/bin/env bash
# Builds the station with sanitizers and runs the tests under them.
#   installer/sanitize.sh        both passes below
#   installer/sanitize.sh asan   build-asan/: ASan + UBSan (GUI included), the whole ctest suite
#   installer/sanitize.sh tsan   build-tsan/: TSan, the CLI and the tests that run threads
#                                TSan can follow (mesh, downloads, journal, export, mDNS)
# Any extra arguments go to ctest (e.g. `installer/sanitize.sh asan -R tst_cli`).
# ATMO_SANITIZE_JOBS sets the build and ctest parallelism (default: nproc).
# ATMO_SANITIZE_STEP=build or =test does only that half (installer/station.sh
# runs one tree's build while the other's tests run).
#
# Exits non-zero on any finding. The tests start real processes (the
# `atmosphere` binary, built with the same sanitizer); they inherit the
# environment set here, and every sanitizer report of every process goes to
# build-*/sanitizer-logs/ (log_path). A report there fails the run even when the
# process that wrote it was a child whose exit code its test did not look at.
set -euo pipefail

here="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)"
top="$(cd "$here/.." && pwd)"
supp="$here/sanitizers"
jobs="${ATMO_SANITIZE_JOBS:-$(nproc 2>/dev/null || echo 2)}"

mode="${1:-all}"
case "$mode" in
  asan|tsan|all) [ $# -gt 0 ] && shift ;;
  -*) mode=all ;;
  *) echo "usage: $0 [asan|tsan|all] [ctest arguments]" >&2; exit 2 ;;
esac

# TSan runs the tests of the threads suite (tests/CMakeLists.txt says which,
# and why the others are left out), labelled `threads` for ctest.

timings=()
failed=()

# A sanitizer report carries its own stack; Qt Test's crash handler would also
# attach gdb to every aborting test, which is slow and says nothing more.
export QTEST_DISABLE_STACK_DUMP=1

now() { date +%s; }

# configure_and_build DIR SANITIZERS [cmake args...] -- [targets...]
configure_and_build() {
  local dir="$1" sanitize="$2"
  shift 2
  local cmake_args=() targets=()
  while [ $# -gt 0 ] && [ "$1" != "--" ]; do cmake_args+=("$1"); shift; done
  [ $# -gt 0 ] && shift
  targets=("$@")
  # -g1: line tables, enough for symbolised stacks. The optimisation level
  # is the caller's (ATMO_SANITIZE_OPT): ASan + UBSan at -O0 compiles in less
  # than half the time of -O1 (GCC 12, measured: 8 s against 19 s for one core
  # file), which is what keeps CI's whole run inside its budget; TSan keeps
  # -O1, without which its tests crawl.
  #
  # Unity build (8 sources per compiler run): most of a file's compile time
  # is the Qt and standard headers it includes, so compiling eight files at
  # once nearly halves the build (measured on core: 27 s against 47 s). It
  # also keeps the code honest: two files' private helpers of the same name
  # no longer compile side by side, which is how copied helpers are found.
  # The test suites are not merged (each file keeps its own helpers) and use a
  # precompiled header instead (tests/CMakeLists.txt); clang-tidy reads a
  # non-unity tree's compile commands (installer/tidy.sh).
  cmake -S "$top" -B "$dir" -G Ninja -DCMAKE_BUILD_TYPE=RelWithDebInfo \
        -DCMAKE_CXX_FLAGS_RELWITHDEBINFO="$ATMO_SANITIZE_OPT -g1" \
        -DCMAKE_UNITY_BUILD=ON -DCMAKE_UNITY_BUILD_BATCH_SIZE=8 \
        -DATMO_SANITIZE="$sanitize" "${cmake_args[@]}" >/dev/null
  if [ ${#targets[@]} -gt 0 ]; then
    cmake --build "$dir" -j "$jobs" --target "${targets[@]}"
  else
    cmake --build "$dir" -j "$jobs"
  fi
}

# run_tests NAME DIR [ctest args...]: runs ctest with the sanitizer environment
# already exported, then fails on a failed test or on any report in the logs.
run_tests() {
  local name="$1" dir="$2"
  shift 2
  local logs="$dir/sanitizer-logs"
  rm -rf "$logs"
  mkdir -p "$logs"
  local status=0
  (cd "$dir" && ctest --output-on-failure -j "$jobs" "$@") || status=$?
  local reports
  reports="$(find "$logs" -type f -size +0 | sort)"
  if [ -n "$reports" ]; then
    echo "sanitize: $name: sanitizer reports (one file per process):" >&2
    local f
    for f in $reports; do
      echo "==== $f" >&2
      cat "$f" >&2
    done
    status=1
  fi
  if [ "$status" -ne 0 ]; then
    failed+=("$name")
  fi
}

step="${ATMO_SANITIZE_STEP:-both}"
case "$step" in
  build|test|both) ;;
  *) echo "sanitize: ATMO_SANITIZE_STEP=$step: use build, test or both" >&2; exit 2 ;;
esac
building() { [ "$step" != test ]; }
testing() { [ "$step" != build ]; }

asan() {
  local dir="$top/build-asan" t0
  if building; then
    t0="$(now)"
    ATMO_SANITIZE_OPT=-O0 configure_and_build "$dir" "address,undefined"
    timings+=("asan build: $(( $(now) - t0 )) s")
  fi
  testing || return 0
  # detect_stack_use_after_return finds returned stack frames used later;
  # abort_on_error makes a finding a crash that the process's parent (ctest,
  # or the test that started it) sees; log_path keeps every process's report.
  # fast_unwind_on_malloc=0: allocation stacks through libraries built without
  # frame pointers (libarchive, libcrypto) go on into our code, so a leak
  # suppression can name the library function and never hide our caller; it
  # costs ~40% in allocation-heavy tests, so the stacks stop at 16 frames.
  export ASAN_OPTIONS="detect_leaks=1:abort_on_error=1:halt_on_error=1:detect_stack_use_after_return=1:check_initialization_order=1:strict_init_order=1:fast_unwind_on_malloc=0:malloc_context_size=16:log_path=$dir/sanitizer-logs/asan"
  export LSAN_OPTIONS="suppressions=$supp/lsan.supp:print_suppressions=0"
  export UBSAN_OPTIONS="print_stacktrace=1:halt_on_error=1:abort_on_error=1:log_path=$dir/sanitizer-logs/ubsan"
  t0="$(now)"
  run_tests asan "$dir" "$@"
  timings+=("asan tests: $(( $(now) - t0 )) s")
  unset ASAN_OPTIONS LSAN_OPTIONS UBSAN_OPTIONS
}

tsan() {
  local dir="$top/build-tsan" t0
  if building; then
    t0="$(now)"
    # Only what the TSan tests need: no GUI, the CLI binary they start, and them.
    ATMO_SANITIZE_OPT=-O1 configure_and_build "$dir" "thread" -DATMO_BUILD_GUI=OFF -- atmosphere atmo_tests_threads
    timings+=("tsan build: $(( $(now) - t0 )) s")
  fi
  testing || return 0
  # die_after_fork=0: QProcess starts its children with a vfork-like clone
  # from a process that runs threads; the child only calls exec, so TSan's
  # refusal to go on after a multi-threaded fork does not apply.
  export TSAN_OPTIONS="halt_on_error=1:abort_on_error=1:second_deadlock_stack=1:die_after_fork=0:suppressions=$supp/tsan.supp:print_suppressions=0:log_path=$dir/sanitizer-logs/tsan"
  t0="$(now)"
  run_tests tsan "$dir" -L '^threads$' "$@"
  timings+=("tsan tests: $(( $(now) - t0 )) s")
  unset TSAN_OPTIONS
}

case "$mode" in
  asan) asan "$@" ;;
  tsan) tsan "$@" ;;
  all) asan "$@"; tsan "$@" ;;
esac

for t in "${timings[@]}"; do echo "sanitize: $t"; done
if [ ${#failed[@]} -gt 0 ]; then
  echo "sanitize: FAILED: ${failed[*]} (reports above)" >&2
  exit 1
fi
if testing; then
  echo "sanitize: no finding"
else
  echo "sanitize: built"
fi
