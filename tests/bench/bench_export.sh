#!/usr/bin/env bash
# Benchmark of `atmosphere package export` (write to a drive, flush, drop the
# cache, read back and compare, rename into place) against what a technician
# would do by hand: cp + sync + sha256sum of the copy after dropping caches.
#
# It prints ratios, not verdicts on absolute times: every measurement is taken
# side by side with its baseline in the same run, alternating, repeated, and
# the median kept. See tests/bench/README.md ("Export benchmark").
#
# Usage: tests/bench/bench_export.sh [--size 1G] [--repeats 3] [--no-rss] [--keep]
# Env:   ATMO_BIN=/path/to/atmosphere   use this binary instead of building
#        TMPDIR=/some/dir               work directory parent (default /var/tmp);
#                                       the two "drives" are directories in it
#
# Needs root: every run starts with the page cache dropped, and the baseline
# drops it itself before sha256sum (echo 3 > /proc/sys/vm/drop_caches).
# Exit status: 0 whether targets pass or fail (this is a benchmark, not a
# test); non-zero only if a command failed or the set-up was impossible.
# shellcheck disable=SC2317  # prep_/run_/clean_ functions are called indirectly
set -Eeuo pipefail
export LC_ALL=C

SCRIPT_DIR=$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)
REPO=$(cd "$SCRIPT_DIR/../.." && pwd)
BUILD_DIR="$REPO/build-bench"

SIZE_ARG=1G
REPEATS=3
DO_RSS=1
KEEP=0

usage() { sed -n '2,19p' "${BASH_SOURCE[0]}" | sed 's/^# \{0,1\}//'; }

while (($#)); do
    case $1 in
    --size) SIZE_ARG=${2:?--size needs a value}; shift 2 ;;
    --size=*) SIZE_ARG=${1#*=}; shift ;;
    --repeats) REPEATS=${2:?--repeats needs a value}; shift 2 ;;
    --repeats=*) REPEATS=${1#*=}; shift ;;
    --no-rss) DO_RSS=0; shift ;;
    --keep) KEEP=1; shift ;;
    -h | --help) usage; exit 0 ;;
    *) echo "bench_export.sh: unknown argument: $1" >&2; usage >&2; exit 2 ;;
    esac
done

BENCH=bench_export.sh
# shellcheck source=tests/bench/lib.sh
source "$SCRIPT_DIR/lib.sh"

SIZE=$(to_bytes "$SIZE_ARG")
((SIZE >= 64 << 20)) || die "--size must be at least 64M"
[[ $REPEATS =~ ^[1-9][0-9]*$ ]] || die "--repeats must be a positive number"
for tool in cp sync sha256sum openssl awk head sort df; do
    command -v "$tool" >/dev/null || die "$tool is required"
done

# ---- dropping the page cache (required) ------------------------------------
drop_caches() { sync; echo 3 >/proc/sys/vm/drop_caches; }
(drop_caches) 2>/dev/null ||
    die "needs a writable /proc/sys/vm/drop_caches (run as root, outside a read-only /proc): the baseline drops the cache before sha256sum, and every run starts cold"

# ---- the binary -------------------------------------------------------------
atmo_binary

# ---- /usr/bin/time for peak RSS --------------------------------------------
TIME_BIN=/usr/bin/time
if ((DO_RSS)) && [[ ! -x $TIME_BIN ]]; then
    if command -v apt-get >/dev/null; then
        say "note: /usr/bin/time is missing; installing the 'time' package (apt-get install -y time) to measure peak RSS"
        DEBIAN_FRONTEND=noninteractive apt-get install -y time >/dev/null 2>&1 ||
            { apt-get update >/dev/null 2>&1 && DEBIAN_FRONTEND=noninteractive apt-get install -y time >/dev/null 2>&1; } ||
            die "could not install the 'time' package"
    else
        say "note: /usr/bin/time is missing; peak RSS is skipped"
        DO_RSS=0
    fi
fi

# ---- work directory ---------------------------------------------------------
make_workdir atmo-bench-export
# mission + package + two drives' worth of output, plus 1 GiB.
need=$((SIZE * 4 + (1 << 30)))
need_free "$need"

# ---- the package ------------------------------------------------------------
# A mission of SIZE bytes: four random (incompressible) models and a few small
# files. What export does per byte does not depend on how they are split.
make_mission() {
    local dir=$1 total=$2 i
    mkdir -p "$dir"/{config,models,agents,knowledge}
    printf 'id: bench-export\nname: Export benchmark\ntiers: [1, 2]\n' >"$dir/config/mission.yaml"
    printf 'version: v1\nruntime: {provider: llamafarm}\n' >"$dir/config/llamafarm.yaml"
    for i in 1 2 3 4; do
        printf 'id: agent-%d\nversion: "1.0"\nmodel: weights\n' "$i" >"$dir/agents/agent-$i-1.0.yaml"
        head -c $(((total - (1 << 20)) / 4)) /dev/urandom >"$dir/models/model$i-1.0.bin"
    done
    head -c $((3 << 18)) /dev/urandom | base64 -w 700 |
        awk '{printf "{\"id\":\"chunk-%d\",\"text\":\"%s\"}\n", NR, $0}' >"$dir/knowledge/manual.chunks.jsonl"
}

H=$W/home
SRC=$W/mission
PKG_DIR=$W/pkg
PKG=$PKG_DIR/bench-export-v1.0.atmo
D1=$W/drive-1
D2=$W/drive-2
LOG=$W/log
mkdir -p "$H" "$W/keys" "$LOG" "$D1" "$D2"
atmo() { ATMOSPHERE_HOME=$H "$ATMO" "$@"; }
atmo key generate --name mesh --output "$W/keys" --unencrypted >"$LOG/keygen.out" 2>&1 ||
    { cat "$LOG/keygen.out" >&2; die "key generate failed"; }
atmo trust add "$W/keys/mesh.pub" --role mesh >"$LOG/trust.out" 2>&1 ||
    { cat "$LOG/trust.out" >&2; die "trust add failed"; }

# ---- timing machinery -------------------------------------------------------
# prep_NAME (untimed), run_NAME (timed), clean_NAME (untimed). Before every
# timed run: the outputs are emptied, then sync and drop the page cache, so
# every run of either side starts cold with nothing left to write back.
empty_drives() { find "$D1" "$D2" -mindepth 1 -delete; }
prep_export1() { empty_drives; }
run_export1() { atmo package export "$PKG" --output "$D1"; }
prep_export2() { empty_drives; }
run_export2() { atmo package export "$PKG" --output "$D1" --output "$D2"; }
prep_cpsha() { empty_drives; }
run_cpsha() { cp "$PKG" "$D1/copy.atmo" && sync "$D1/copy.atmo" && echo 3 >/proc/sys/vm/drop_caches && sha256sum "$D1/copy.atmo"; }
prep_cpssl() { empty_drives; }
run_cpssl() { cp "$PKG" "$D1/copy.atmo" && sync "$D1/copy.atmo" && echo 3 >/proc/sys/vm/drop_caches && openssl dgst -sha256 "$D1/copy.atmo"; }

declare -A LABEL=(
    [export1]="atmosphere package export, 1 drive"
    [export2]="atmosphere package export, 2 drives"
    [cpsha]="cp + sync + drop + sha256sum"
    [cpssl]="cp + sync + drop + openssl dgst"
)
declare -A SAMPLES MEDIAN CPU_SAMPLES CPU_MEDIAN

LAST=0 LAST_CPU=0
TIMEFORMAT='%3R %3U %3S'
run_once() {
    local name=$1
    "prep_$name"
    drop_caches
    if ! { time "run_$name" >"$LOG/$name.out" 2>"$LOG/$name.err"; } 2>"$LOG/$name.time"; then
        echo "--- ${LABEL[$name]} failed; its stderr:" >&2
        tail -n 20 "$LOG/$name.err" >&2
        die "${LABEL[$name]} failed"
    fi
    read -r LAST LAST_CPU < <(awk '{printf "%.3f %.3f\n", $1, $2 + $3}' "$LOG/$name.time")
}


# REPEATS rounds; each round runs every command once, the order rotated every
# round so no command always runs first or right after the same neighbour.
measure_group() {
    local -a names=("$@")
    local n=${#names[@]} r k name
    for ((r = 0; r < REPEATS; r++)); do
        for ((k = 0; k < n; k++)); do
            name=${names[(k + r) % n]}
            run_once "$name"
            SAMPLES[$name]+="$LAST "
            CPU_SAMPLES[$name]+="$LAST_CPU "
        done
    done
    for name in "${names[@]}"; do
        # shellcheck disable=SC2086
        MEDIAN[$name]=$(median ${SAMPLES[$name]})
        # shellcheck disable=SC2086
        CPU_MEDIAN[$name]=$(median ${CPU_SAMPLES[$name]})
    done
}

RESULTS=()
verdict() { if awk "BEGIN{exit !($1)}"; then echo PASS; else echo FAIL; fi; }
line_ratio() { # title ours base target
    local a=${MEDIAN[$2]} b=${MEDIAN[$3]} x
    x=$(awk -v a="$a" -v b="$b" 'BEGIN{printf "%.2f", a / b}')
    RESULTS+=("$(printf '%s: %.2f s vs %.2f s = %.2fx the time (target <= %sx) %s' "$1" "$a" "$b" "$x" "$4" \
        "$(verdict "$x <= $4")")")
}
line_info() { # title ours base
    local a=${MEDIAN[$2]} b=${MEDIAN[$3]} x
    x=$(awk -v a="$a" -v b="$b" 'BEGIN{printf "%.2f", a / b}')
    RESULTS+=("$(printf '%s: %.2f s vs %.2f s = %.2fx the time (info, no target)' "$1" "$a" "$b" "$x")")
}

# ---- header -----------------------------------------------------------------
load_warning() {
    awk -v n="$(nproc)" '{ if ($1 > n) printf " -- busier than its %d cores: ratios are still comparable, absolute times are not", n }' /proc/loadavg
}
say "== atmosphere export benchmark =="
say "date:       $(date -u +%Y-%m-%dT%H:%M:%SZ)"
say "host:       $(uname -srm), $(nproc) cores, $(awk -F': ' '/model name/{print $2; exit}' /proc/cpuinfo)"
say "sha ext:    $(grep -q -w sha_ni /proc/cpuinfo && echo "SHA-NI present" || echo "no SHA-NI: SHA-256 runs on AVX2/SSE (OpenSSL) or portable C (coreutils)")"
say "memory:     $(awk '/MemTotal/{printf "%.1f GiB", $2/1048576}' /proc/meminfo)"
say "work dir:   $W ($(df -PT "$W" | awk 'NR==2{print $2" on "$1}')); drives: $D1, $D2 (same filesystem)"
say "binary:     $ATMO"
say "tools:      $(cp --version | head -1); $(sha256sum --version | head -1); $(openssl version)"
say "cache:      cold for every run: outputs emptied, 'sync; echo 3 > /proc/sys/vm/drop_caches' (untimed) before it"
say "load:       $(cut -d' ' -f1-3 /proc/loadavg) (1/5/15 min) at start$(load_warning)"
say "method:     $REPEATS timed rounds, order rotated each round, median reported"
say ""

say "building a $(human "$SIZE") mission and its package ..."
make_mission "$SRC" "$SIZE"
mkdir -p "$PKG_DIR"
atmo package create --mission "$SRC" --version 1.0 --output "$PKG_DIR" --sign "$W/keys/mesh.key" \
    >"$LOG/pkg.out" 2>&1 || { cat "$LOG/pkg.out" >&2; die "package create failed"; }
[[ -f $PKG ]] || die "package create did not write $PKG"
rm -rf "$SRC" # not needed any more; frees its page cache and disk space
say "package:    $PKG ($(human "$(stat -c %s "$PKG")"))"
# Untimed check: the export works, what it wrote verifies (and the station key
# it signs custody entries with exists before the first timed run).
prep_export1
run_export1 >"$LOG/check.out" 2>&1 || { cat "$LOG/check.out" >&2; die "package export failed"; }
atmo package verify "$D1/bench-export-v1.0.atmo" >"$LOG/check-verify.out" 2>&1 ||
    { cat "$LOG/check-verify.out" >&2; die "the exported package does not verify"; }
say "check:      an export to $D1 verifies"
say ""

say "timing export to 1 drive, to 2 drives, cp+sync+sha256sum, cp+sync+openssl ..."
measure_group export1 export2 cpsha cpssl

line_ratio "export vs cp+sync+sha256sum" export1 cpsha 1.0
line_ratio "export to 2 drives vs 1 drive" export2 export1 1.3
line_info "export vs cp+sync+openssl dgst" export1 cpssl

say ""
say "samples, one per round: wall seconds (median), then CPU seconds user+sys (median; info):"
for name in export1 export2 cpsha cpssl; do
    printf '  %-38s wall %s(%s)  cpu %s(%s)\n' "${LABEL[$name]}" "${SAMPLES[$name]}" "${MEDIAN[$name]}" \
        "${CPU_SAMPLES[$name]}" "${CPU_MEDIAN[$name]}"
done

# ---- peak RSS ---------------------------------------------------------------
if ((DO_RSS)); then
    say ""
    say "peak RSS (/usr/bin/time -f %M; one run each, cold cache):"
    rss=()
    for n in 1 2; do
        empty_drives
        drop_caches
        args=(package export "$PKG" --output "$D1")
        ((n == 2)) && args+=(--output "$D2")
        ATMOSPHERE_HOME=$H "$TIME_BIN" -f %M -o "$LOG/rss.$n" "$ATMO" "${args[@]}" >"$LOG/rss.$n.out" 2>&1 ||
            { tail -n 20 "$LOG/rss.$n.out" >&2; die "export ($n drives) failed"; }
        rss[n]=$(tail -n 1 "$LOG/rss.$n")
        say "  $n drive(s): $(awk -v k="${rss[n]}" 'BEGIN{printf "%.1f MiB", k/1024}')"
    done
    worst=$((rss[1] > rss[2] ? rss[1] : rss[2]))
    RESULTS+=("$(printf 'export peak RSS: %.1f MiB (1 drive), %.1f MiB (2 drives) (target <= 64 MiB) %s' \
        "$(awk -v k="${rss[1]}" 'BEGIN{print k/1024}')" "$(awk -v k="${rss[2]}" 'BEGIN{print k/1024}')" \
        "$(verdict "$worst <= 65536")")")
fi
empty_drives

say ""
say "load:       $(cut -d' ' -f1-3 /proc/loadavg) (1/5/15 min) at the end$(load_warning)"
say ""
say "== results ($(human "$SIZE") package, medians of $REPEATS, cold cache) =="
for l in "${RESULTS[@]}"; do say "$l"; done
exit 0
