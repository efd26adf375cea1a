#!/usr/bin/env bash
# Benchmark of `atmosphere serve` (the station's peer server) against
# `python3 -m http.server` serving the same file on loopback: one curl
# downloading a model file from each, and 32 concurrent curl clients (some of
# them rate-limited, i.e. slow) downloading it from ours while the server's
# peak RSS is watched.
#
# It prints ratios, not verdicts on absolute times: both servers are measured
# side by side in the same run, alternating, repeated, and the median kept.
# See tests/bench/README.md ("Serve benchmark").
#
# Usage: tests/bench/bench_serve.sh [--size 1G] [--repeats 3] [--clients 32] [--slow 8] [--keep]
# Env:   ATMO_BIN=/path/to/atmosphere   use this binary instead of building
#        TMPDIR=/some/dir               work directory parent (default /var/tmp)
#
# Exit status: 0 whether targets pass or fail (this is a benchmark, not a
# test); non-zero only if a command failed or the set-up was impossible.
set -Eeuo pipefail
export LC_ALL=C

SCRIPT_DIR=$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)
REPO=$(cd "$SCRIPT_DIR/../.." && pwd)
BUILD_DIR="$REPO/build-bench"
PYTHON=/usr/bin/python3
CURL=/usr/bin/curl

SIZE_ARG=1G
REPEATS=3
CLIENTS=32
SLOW=8
KEEP=0

usage() { sed -n '2,18p' "${BASH_SOURCE[0]}" | sed 's/^# \{0,1\}//'; }

while (($#)); do
    case $1 in
    --size) SIZE_ARG=${2:?--size needs a value}; shift 2 ;;
    --size=*) SIZE_ARG=${1#*=}; shift ;;
    --repeats) REPEATS=${2:?--repeats needs a value}; shift 2 ;;
    --repeats=*) REPEATS=${1#*=}; shift ;;
    --clients) CLIENTS=${2:?--clients needs a value}; shift 2 ;;
    --clients=*) CLIENTS=${1#*=}; shift ;;
    --slow) SLOW=${2:?--slow needs a value}; shift 2 ;;
    --slow=*) SLOW=${1#*=}; shift ;;
    --keep) KEEP=1; shift ;;
    -h | --help) usage; exit 0 ;;
    *) echo "bench_serve.sh: unknown argument: $1" >&2; usage >&2; exit 2 ;;
    esac
done

BENCH=bench_serve.sh
# shellcheck source=tests/bench/lib.sh
source "$SCRIPT_DIR/lib.sh"

SIZE=$(to_bytes "$SIZE_ARG")
((SIZE >= 16 << 20)) || die "--size must be at least 16M"
[[ $REPEATS =~ ^[1-9][0-9]*$ ]] || die "--repeats must be a positive number"
[[ $CLIENTS =~ ^[1-9][0-9]*$ ]] || die "--clients must be a positive number"
if ! [[ $SLOW =~ ^[0-9]+$ ]] || ((SLOW >= CLIENTS)); then die "--slow must be a number below --clients"; fi
[[ -x $CURL ]] || die "$CURL is required"
[[ -x $PYTHON ]] || die "$PYTHON is required (the baseline is python3 -m http.server)"
for tool in sha256sum awk sort df head; do
    command -v "$tool" >/dev/null || die "$tool is required"
done

# ---- the binary -------------------------------------------------------------
atmo_binary

# ---- work directory and servers --------------------------------------------
make_workdir atmo-bench-serve
need=$((SIZE + (256 << 20)))
need_free "$need"

MODELS=$W/models
LOG=$W/log
mkdir -p "$MODELS" "$LOG" "$W/home"
FILE=$MODELS/bench-model.gguf

# Waits for a "…<port>" line from a server's output file; prints the port.
wait_port() { # log regex pid what
    local i
    for ((i = 0; i < 1200; i++)); do
        if grep -qE "$2" "$1" 2>/dev/null; then
            grep -oE "$2" "$1" | head -n 1 | grep -oE '[0-9]+$'
            return 0
        fi
        kill -0 "$3" 2>/dev/null || { cat "$1" "$1.err" >&2 2>/dev/null; die "$4 exited before serving"; }
        sleep 0.1
    done
    die "$4 did not start serving within 120 s"
}

start_atmo() { # name [env assignment]
    local name=$1
    shift
    # Every client here is 127.0.0.1: lift the per-address connection cap (32).
    env ATMOSPHERE_HOME="$W/home" ATMOSPHERE_SERVE_LIMITS="per_client=$((CLIENTS + 16))" "$@" "$ATMO" serve --port 0 --bind 127.0.0.1 --models "$MODELS" \
        --no-library-defaults --no-mdns >"$LOG/$name.out" 2>"$LOG/$name.out.err" &
    PIDS+=($!)
    PID[$name]=$!
    PORT[$name]=$(wait_port "$LOG/$name.out" 'serving 1 model on http://127\.0\.0\.1:[0-9]+' "${PID[$name]}" "atmosphere serve")
    URL[$name]="http://127.0.0.1:${PORT[$name]}/v1/models/download/bench-model"
}

declare -A PID PORT URL LABEL=(
    [ours]="atmosphere serve"
    [ourscopy]="atmosphere serve, sendfile off"
    [py]="python3 -m http.server"
)

# ---- header -----------------------------------------------------------------
load_warning() {
    awk -v n="$(nproc)" '{ if ($1 > n) printf " -- busier than its %d cores: ratios are still comparable, absolute times are not", n }' /proc/loadavg
}
say "== atmosphere serve benchmark =="
say "date:       $(date -u +%Y-%m-%dT%H:%M:%SZ)"
say "host:       $(uname -srm), $(nproc) cores, $(awk -F': ' '/model name/{print $2; exit}' /proc/cpuinfo)"
say "memory:     $(awk '/MemTotal/{printf "%.1f GiB", $2/1048576}' /proc/meminfo)"
say "work dir:   $W ($(df -PT "$W" | awk 'NR==2{print $2" on "$1}'))"
say "binary:     $ATMO"
say "tools:      $($CURL --version | head -1 | cut -d' ' -f1-2); $($PYTHON --version 2>&1)"
say "load:       $(cut -d' ' -f1-3 /proc/loadavg) (1/5/15 min) at start$(load_warning)"
say "method:     loopback; file in the page cache for everyone; $REPEATS timed rounds, order rotated, median reported"
say ""

say "writing a $(human "$SIZE") random model file ..."
head -c "$SIZE" /dev/urandom >"$FILE"
EXPECTED=$(sha256sum "$FILE" | cut -d' ' -f1)

say "starting the servers (atmosphere hashes the file once) ..."
start_atmo ours
start_atmo ourscopy ATMOSPHERE_NO_SENDFILE=1
"$PYTHON" -u -m http.server 0 --bind 127.0.0.1 --directory "$MODELS" >"$LOG/py.out" 2>"$LOG/py.out.err" &
PIDS+=($!)
PID[py]=$!
PORT[py]=$(wait_port "$LOG/py.out" 'port [0-9]+' "${PID[py]}" "python3 -m http.server")
URL[py]="http://127.0.0.1:${PORT[py]}/bench-model.gguf"

# Untimed check: every server sends exactly the file (this also warms the cache).
for name in ours ourscopy py; do
    got=$($CURL -sS "${URL[$name]}" | sha256sum | cut -d' ' -f1)
    [[ $got == "$EXPECTED" ]] || die "${LABEL[$name]} sent other bytes than the file (sha256 $got)"
done
say "check:      all three servers send the file byte for byte"
say ""

# ---- single-client timing ---------------------------------------------------
cpu_ticks() { awk '{print $14 + $15}' "/proc/$1/stat"; }
TICK=$(getconf CLK_TCK)
declare -A SAMPLES CPU_SAMPLES MEDIAN CPU_MEDIAN
run_once() { # name -> LAST (seconds), LAST_CPU (server CPU seconds)
    local name=$1 out code bytes t0 t1
    t0=$(cpu_ticks "${PID[$name]}")
    out=$($CURL -sS -o /dev/null -w '%{http_code} %{size_download} %{time_total}' "${URL[$name]}") ||
        die "curl from ${LABEL[$name]} failed"
    t1=$(cpu_ticks "${PID[$name]}")
    read -r code bytes LAST <<<"$out"
    [[ $code == 200 && $bytes == "$SIZE" ]] || die "${LABEL[$name]}: HTTP $code, $bytes bytes instead of $SIZE"
    LAST_CPU=$(awk -v t=$((t1 - t0)) -v hz="$TICK" 'BEGIN{printf "%.2f", t / hz}')
}
say "timing one curl download from each server ..."
names=(ours ourscopy py)
for ((r = 0; r < REPEATS; r++)); do
    for ((k = 0; k < ${#names[@]}; k++)); do
        name=${names[(k + r) % ${#names[@]}]}
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

RESULTS=()
verdict() { if awk "BEGIN{exit !($1)}"; then echo PASS; else echo FAIL; fi; }
speed() { awk -v b="$SIZE" -v t="$1" 'BEGIN{printf "%.0f MB/s", b / t / 1e6}'; }
x=$(awk -v a="${MEDIAN[ours]}" -v b="${MEDIAN[py]}" 'BEGIN{printf "%.2f", b / a}')
RESULTS+=("$(printf 'download vs python3 -m http.server: %.2f s (%s) vs %.2f s (%s) = %.2fx as fast (target >= 1.0x) %s' \
    "${MEDIAN[ours]}" "$(speed "${MEDIAN[ours]}")" "${MEDIAN[py]}" "$(speed "${MEDIAN[py]}")" "$x" "$(verdict "$x >= 1.0")")")
x=$(awk -v a="${MEDIAN[ourscopy]}" -v b="${MEDIAN[py]}" 'BEGIN{printf "%.2f", b / a}')
RESULTS+=("$(printf 'download with sendfile off vs python3 -m http.server: %.2f s vs %.2f s = %.2fx as fast (info, no target)' \
    "${MEDIAN[ourscopy]}" "${MEDIAN[py]}" "$x")")
RESULTS+=("$(printf 'server CPU per download (user+sys): %.2f s ours, %.2f s sendfile off, %.2f s python (info, no target)' \
    "${CPU_MEDIAN[ours]}" "${CPU_MEDIAN[ourscopy]}" "${CPU_MEDIAN[py]}")")

say "samples, one per round: curl time_total in seconds (median), then server CPU seconds (median):"
for name in "${names[@]}"; do
    printf '  %-34s time %s(%s)  cpu %s(%s)\n' "${LABEL[$name]}" "${SAMPLES[$name]}" "${MEDIAN[$name]}" \
        "${CPU_SAMPLES[$name]}" "${CPU_MEDIAN[$name]}"
done
say ""

# ---- concurrent clients, peak RSS -------------------------------------------
# The server answering everything so far stays up; its lifetime peak RSS
# (VmHWM) includes the library scan. Then the peak is reset (clear_refs 5,
# Linux >= 4.0) to also show the concurrent phase alone.
kb() { awk -v f="$2:" '$1 == f {print $2}' "/proc/$1/status"; }
S=${PID[ours]}
HWM_BEFORE=$(kb "$S" VmHWM)
echo 5 >"/proc/$S/clear_refs" 2>/dev/null && RESET=1 || RESET=0
FAST=$((CLIENTS - SLOW))
say "$CLIENTS concurrent clients on ours: $FAST at full speed, $SLOW at --limit-rate 2M (slow readers) ..."
slow_pids=()
for ((i = 0; i < SLOW; i++)); do
    $CURL -s -o /dev/null --limit-rate 2M "${URL[ours]}" &
    slow_pids+=($!)
done
sleep 1 # the slow clients are mid-body before the fast ones start
fast_pids=()
t0=$(date +%s.%N)
for ((i = 0; i < FAST; i++)); do
    $CURL -sS -o /dev/null -w '%{http_code} %{size_download}\n' "${URL[ours]}" >"$LOG/fast.$i" &
    fast_pids+=($!)
done
peak_sampled=0
while :; do
    rss=$(kb "$S" VmRSS)
    ((rss > peak_sampled)) && peak_sampled=$rss
    running=0
    for p in "${fast_pids[@]}"; do kill -0 "$p" 2>/dev/null && running=1 && break; done
    ((running)) || break
    sleep 0.05
done
t1=$(date +%s.%N)
failed=0
for p in "${fast_pids[@]}"; do wait "$p" || failed=1; done
((failed == 0)) || die "a fast client failed"
for ((i = 0; i < FAST; i++)); do
    read -r code bytes <"$LOG/fast.$i"
    [[ $code == 200 && $bytes == "$SIZE" ]] || die "fast client $i: HTTP $code, $bytes bytes instead of $SIZE"
done
slow_alive=0
for p in "${slow_pids[@]}"; do kill -0 "$p" 2>/dev/null && slow_alive=$((slow_alive + 1)); done
kill "${slow_pids[@]}" 2>/dev/null || true
wait "${slow_pids[@]}" 2>/dev/null || true
HWM_PHASE=$(kb "$S" VmHWM)
HWM=$((HWM_PHASE > HWM_BEFORE || RESET == 0 ? HWM_PHASE : HWM_BEFORE))
curl_ok=$($CURL -s -o /dev/null -w '%{http_code}' "http://127.0.0.1:${PORT[ours]}/health")
[[ $curl_ok == 200 ]] || die "the server stopped answering after the concurrent phase"
agg=$(awk -v n="$FAST" -v b="$SIZE" -v a="$t0" -v z="$t1" 'BEGIN{printf "%.0f MB/s", n * b / (z - a) / 1e6}')
say "  $FAST fast downloads complete and whole in $(awk -v a="$t0" -v z="$t1" 'BEGIN{printf "%.1f", z - a}') s ($agg together); $slow_alive of $SLOW slow clients still mid-body at the end"
mib() { awk -v k="$1" 'BEGIN{printf "%.1f MiB", k / 1024}'; }
if ((RESET)); then
    say "  server VmHWM: $(mib "$HWM_BEFORE") before (start-up and scan included), $(mib "$HWM_PHASE") during the concurrent phase; VmRSS sampled every 50 ms: peak $(mib "$peak_sampled")"
else
    say "  server VmHWM: $(mib "$HWM") (lifetime; could not reset it); VmRSS sampled every 50 ms: peak $(mib "$peak_sampled")"
fi
RESULTS+=("$(printf 'server peak RSS (VmHWM, lifetime) with %d concurrent clients (%d slow): %s (target <= 64 MiB) %s' \
    "$CLIENTS" "$SLOW" "$(mib "$HWM")" "$(verdict "$HWM <= 65536")")")

say ""
say "load:       $(cut -d' ' -f1-3 /proc/loadavg) (1/5/15 min) at the end$(load_warning)"
say ""
say "== results ($(human "$SIZE") file, loopback, medians of $REPEATS) =="
for l in "${RESULTS[@]}"; do say "$l"; done
exit 0
